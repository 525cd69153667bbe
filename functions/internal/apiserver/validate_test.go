package apiserver

import (
	"strings"
	"testing"
)

// TestValidateRefuses makes sure the check is not a rubber stamp: each
// case is something a current API server refuses on create, and the
// message must say why.
func TestValidateRefuses(t *testing.T) {
	cases := map[string]struct{ doc, want string }{
		"unknown field":         {`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"replica":1}}`, `unknown field "spec.replica"`},
		"duplicate field":       {"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: b, a: c}\n", `"a"`},
		"service port name":     {`{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"ports":[{"name":"HTTP","port":80}]}}`, "spec.ports[0].name: Invalid value"},
		"selector vs labels":    {`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"b"}},"spec":{"containers":[{"name":"a","image":"a"}]}}}}`, "spec.template.metadata.labels: Invalid value"},
		"negative replicas":     {`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"a","image":"a"}]}}}}`, "spec.replicas: Invalid value"},
		"hpa min above max":     {`{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"a"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"a"},"minReplicas":5,"maxReplicas":2}}`, "spec.maxReplicas: Invalid value"},
		"pdb both":              {`{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"a"},"spec":{"minAvailable":1,"maxUnavailable":1}}`, "minAvailable and maxUnavailable cannot be both set"},
		"name too long":         {`{"apiVersion":"v1","kind":"Service","metadata":{"name":"` + strings.Repeat("a", 64) + `"},"spec":{"ports":[{"port":80}]}}`, "metadata.name: Invalid value"},
		"unserved version":      {`{"apiVersion":"autoscaling/v2beta2","kind":"HorizontalPodAutoscaler","metadata":{"name":"a"}}`, "not a kind this check knows"},
		"crd unknown field":     {`{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"a"},"spec":{"strategy":{"canary":{"stableservice":"a"}}}}`, `unknown field "spec.strategy.canary.stableservice"`},
		"crd metadata field":    {`{"apiVersion":"monitoring.coreos.com/v1","kind":"PodMonitor","metadata":{"name":"a","label":{}},"spec":{"selector":{},"podMetricsEndpoints":[]}}`, `unknown field "metadata.label"`},
		"crd wrong type":        {`{"apiVersion":"flagger.app/v1beta1","kind":"Canary","metadata":{"name":"a"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"a"},"service":{"port":"http"},"analysis":{}}}`, "spec.service.port: Invalid value"},
		"crd enum":              {`{"apiVersion":"flagger.app/v1beta1","kind":"Canary","metadata":{"name":"a"},"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Pod","name":"a"},"service":{"port":80},"analysis":{}}}`, "spec.targetRef.kind: Unsupported value"},
		"crd required":          {`{"apiVersion":"monitoring.coreos.com/v1","kind":"PodMonitor","metadata":{"name":"a"},"spec":{"podMetricsEndpoints":[]}}`, "spec.selector: Required value"},
		"crd label value":       {`{"apiVersion":"networking.istio.io/v1","kind":"Gateway","metadata":{"name":"a","labels":{"a":"-x"}},"spec":{}}`, "metadata.labels: Invalid value"},
		"crd name":              {`{"apiVersion":"networking.istio.io/v1","kind":"Gateway","metadata":{"name":"A"},"spec":{}}`, "metadata.name: Invalid value"},
		"crd cel unique parent": {`{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"a"},"spec":{"parentRefs":[{"name":"g"},{"name":"g"}]}}`, "sectionName must be unique when parentRefs includes 2 or more references to the same parent"},
		"crd list map keys":     {`{"apiVersion":"monitoring.coreos.com/v1","kind":"PodMonitor","metadata":{"name":"a"},"spec":{"selector":{},"podMetricsEndpoints":[{"port":"a","relabelings":[{"action":"bogus"}]}]}}`, "relabelings[0].action: Unsupported value"},
		"unknown kind":          {`{"apiVersion":"example.com/v1","kind":"Thing","metadata":{"name":"a"}}`, "not a kind this check knows"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			msgs := Validate([]byte(c.doc))
			if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
				t.Errorf("want a message containing %q, got %q", c.want, msgs)
			}
		})
	}
}

// TestValidateAccepts checks that valid objects of each family pass: the
// defaults and the request namespace are applied as the server applies them.
func TestValidateAccepts(t *testing.T) {
	for _, doc := range []string{
		`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"a","image":"a"}]}}}}`,
		"apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\nspec:\n  ports: [{name: http, port: 80, targetPort: http}]\n",
		`{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"a"},"spec":{"parentRefs":[{"name":"g","sectionName":"a"},{"name":"g","sectionName":"b"}]}}`,
		`{"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","metadata":{"name":"a"},"spec":{"secretStoreRef":{"name":"s","kind":"SecretStore"},"target":{"name":"a"},"data":[{"secretKey":"k","remoteRef":{"key":"k"}}]}}`,
	} {
		if msgs := Validate([]byte(doc)); len(msgs) > 0 {
			t.Errorf("%s: %q", doc, msgs)
		}
	}
}
