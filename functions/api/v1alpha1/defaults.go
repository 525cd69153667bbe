package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Built-in defaults, the last step of the precedence chain.
const (
	DefaultPortName           = "http"
	DefaultPort               = 8080
	DefaultRefreshInterval    = "1h"
	DefaultCreationPolicy     = "Owner"
	DefaultDeletionPolicy     = "Retain"
	DefaultStoreKind          = "SecretStore"
	DefaultIstioAPIVersion    = "networking.istio.io/v1"
	DefaultExternalSecretsAPI = "external-secrets.io/v1"
	DefaultCPUTarget          = 80
	DefaultMetricsPath        = "/metrics"
	DefaultScrapeInterval     = "30s"
	IngressAPIIngress         = "Ingress"
	IngressAPIHTTPRoute       = "HTTPRoute"
	SeccompRuntimeDefault     = "RuntimeDefault"
)

// DefaultGatewaySelector selects Istio's default ingress gateway.
func DefaultGatewaySelector() map[string]string { return map[string]string{"istio": "ingressgateway"} }

// setDefaults fills every field the App leaves unset with its built-in
// default, so that rendering reads concrete values only.
func setDefaults(app *App) {
	s := &app.Spec
	if s.Replicas == nil && s.Autoscaling == nil {
		s.Replicas = ptr[int32](1)
	}
	if len(s.Ports) == 0 {
		s.Ports = []Port{{Name: DefaultPortName, Port: DefaultPort}}
	}
	for i := range s.Ports {
		if s.Ports[i].Protocol == "" {
			s.Ports[i].Protocol = corev1.ProtocolTCP
		}
	}
	if r := s.Routing; r != nil && r.Ingress == nil {
		if r.Gateway == nil {
			r.Gateway = &Gateway{}
		}
		if r.Gateway.Create == nil {
			r.Gateway.Create = ptr(r.Gateway.Name == "")
		}
		if r.Gateway.Name == "" && *r.Gateway.Create && len(r.Gateway.Selector) == 0 {
			r.Gateway.Selector = DefaultGatewaySelector()
		}
	}
	if r := s.Routing; r != nil && r.Ingress != nil && r.Ingress.API == "" {
		r.Ingress.API = IngressAPIIngress
	}
	if c := s.Canary; c != nil {
		if c.Weight == nil && c.Controller != CanaryControllerFlagger {
			c.Weight = ptr[int32](0)
		}
		if c.Replicas == nil && c.Controller == CanaryControllerNone && c.Image != "" {
			c.Replicas = ptr[int32](1)
		}
		if c.Controller == CanaryControllerFlagger {
			if c.Analysis == nil {
				c.Analysis = &CanaryAnalysis{}
			}
			a := c.Analysis
			a.Interval = or(a.Interval, "1m")
			a.Threshold = orPtr(a.Threshold, 5)
			a.MaxWeight = orPtr(a.MaxWeight, 50)
			a.StepWeight = orPtr(a.StepWeight, 10)
		}
	}
	for i := range s.ExternalSecrets {
		es := &s.ExternalSecrets[i]
		if es.StoreRef != nil && es.StoreRef.Kind == "" {
			es.StoreRef.Kind = DefaultStoreKind
		}
		es.RefreshInterval = or(es.RefreshInterval, DefaultRefreshInterval)
		es.CreationPolicy = or(es.CreationPolicy, DefaultCreationPolicy)
		es.DeletionPolicy = or(es.DeletionPolicy, DefaultDeletionPolicy)
	}
	if a := s.Autoscaling; a != nil {
		a.MinReplicas = orPtr(a.MinReplicas, 1)
		if a.TargetCPUUtilizationPercentage == nil && a.TargetMemoryUtilizationPercentage == nil {
			a.TargetCPUUtilizationPercentage = ptr[int32](DefaultCPUTarget)
		}
	}
	if s.DisruptionBudget == nil && s.maxReplicas() > 1 {
		s.DisruptionBudget = &DisruptionBudget{MaxUnavailable: ptr(intstr.FromInt32(1))}
	}
	if sa := s.ServiceAccount; sa != nil {
		sa.Create = orPtr(sa.Create, true)
		sa.Name = or(sa.Name, app.Name)
		sa.AutomountToken = orPtr(sa.AutomountToken, false)
	}
	if p := s.Probes; p != nil {
		for _, probe := range []*Probe{p.Readiness, p.Liveness, p.Startup} {
			if probe != nil && probe.Path != "" && probe.Port == nil {
				probe.Port = ptr(intstr.FromString(s.Ports[0].Name))
			}
		}
	}
	if s.Security == nil {
		s.Security = &Security{}
	}
	sec := s.Security
	sec.RunAsNonRoot = orPtr(sec.RunAsNonRoot, true)
	sec.ReadOnlyRootFilesystem = orPtr(sec.ReadOnlyRootFilesystem, true)
	sec.AllowPrivilegeEscalation = orPtr(sec.AllowPrivilegeEscalation, false)
	sec.SeccompProfile = or(sec.SeccompProfile, SeccompRuntimeDefault)
	if s.Service == nil {
		s.Service = &Service{}
	}
	if s.Service.Type == "" {
		s.Service.Type = corev1.ServiceTypeClusterIP
	}
	if m := s.Monitoring; m != nil {
		m.Port = or(m.Port, s.Ports[0].Name)
		m.Path = or(m.Path, DefaultMetricsPath)
		m.Interval = or(m.Interval, DefaultScrapeInterval)
	}
}

// maxReplicas is the most stable pods the app may run.
func (s *AppSpec) maxReplicas() int32 {
	if s.Autoscaling != nil {
		return s.Autoscaling.MaxReplicas
	}
	if s.Replicas != nil {
		return *s.Replicas
	}
	return 1
}

func ptr[T any](v T) *T { return &v }

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func orPtr[T any](v *T, def T) *T {
	if v == nil {
		return &def
	}
	return v
}
