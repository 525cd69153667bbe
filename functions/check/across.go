package check

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/krm"
)

// across reports, for the Apps deployed together in one environment, what
// two of them cannot both have, each clash on the later App (in file
// order) naming the earlier one's file: the same App, routed host,
// NodePort or object identity; and, as warnings, Secrets an App uses that
// no ExternalSecret of its namespace produces.
func across(apps []*rendering, env string) []Finding {
	var out []Finding
	clash := func(r *rendering, path, format string, args ...any) {
		out = append(out, Finding{Severity: Error, File: r.file, Object: r.describeApp(), Field: path,
			Message: fmt.Sprintf(format, args...), Environment: env})
	}
	seen := map[string]*rendering{}
	hosts := map[string]*rendering{}
	nodePorts := map[int32]*rendering{}
	objects := map[krm.Identity]*rendering{}
	produced := map[string]map[string]bool{} // namespace -> Secret names
	var kept []*rendering
	for _, r := range apps {
		s := &r.app.Spec
		key := r.app.Namespace + "/" + r.app.Name
		if first, dup := seen[key]; dup {
			// Every object would clash: one finding says why.
			clash(r, "metadata.name", "%q is also an App of %s", key, first.where())
			continue
		}
		seen[key] = r
		kept = append(kept, r)
		if s.Routing != nil {
			for i, host := range s.Routing.Hosts {
				host = strings.ToLower(host)
				if first, dup := hosts[host]; dup {
					clash(r, fmt.Sprintf("spec.routing.hosts[%d]", i), "%q is already routed to %s", host, first.where())
				} else {
					hosts[host] = r
				}
			}
		}
		for i, p := range s.Ports {
			if p.NodePort == 0 {
				continue
			}
			if first, dup := nodePorts[p.NodePort]; dup {
				clash(r, fmt.Sprintf("spec.ports[%d].nodePort", i), "%d is already used by %s", p.NodePort, first.where())
			} else {
				nodePorts[p.NodePort] = r
			}
		}
		for _, id := range r.objects {
			if first, dup := objects[id]; dup {
				clash(r, fieldOf(r.app, id), "renders %s, which %s renders too", id, first.where())
			} else {
				objects[id] = r
			}
		}
		if produced[r.app.Namespace] == nil {
			produced[r.app.Namespace] = map[string]bool{}
		}
		for _, name := range r.produced {
			produced[r.app.Namespace][name] = true
		}
	}
	for _, r := range kept {
		for _, ref := range secretRefs(&r.app.Spec) {
			if !produced[r.app.Namespace][ref.name] {
				out = append(out, Finding{Severity: Warning, File: r.file, Object: r.describeApp(), Field: ref.path.String(), Environment: env,
					Message: fmt.Sprintf("Secret %q is produced by no ExternalSecret of an App of namespace %q: unless it is made another way, the pods will not start",
						ref.name, r.app.Namespace)})
			}
		}
	}
	return out
}

func (r *rendering) describeApp() string {
	return describe(v1alpha1.KindApp, r.app.Namespace, r.app.Name)
}

// where names the App for a message about another one.
func (r *rendering) where() string { return r.file + ": " + r.describeApp() }

// secretRef is a Secret an App uses, and where.
type secretRef struct {
	path *field.Path
	name string
}

// secretRefs lists the Secrets an App's pods use: by env secretKeyRef (of
// the App, its workers, jobs, init containers and sidecars), envFrom
// secretRef and secret volumes.
func secretRefs(s *v1alpha1.AppSpec) []secretRef {
	spec := field.NewPath("spec")
	var out []secretRef
	env := func(env []v1alpha1.EnvVar, path *field.Path) {
		for i, e := range env {
			if e.SecretKeyRef != nil && e.SecretKeyRef.Name != "" {
				out = append(out, secretRef{path.Index(i).Child("secretKeyRef", "name"), e.SecretKeyRef.Name})
			}
		}
	}
	env(s.Env, spec.Child("env"))
	for i, e := range s.EnvFrom {
		if e.SecretRef != nil && e.SecretRef.Name != "" {
			out = append(out, secretRef{spec.Child("envFrom").Index(i).Child("secretRef", "name"), e.SecretRef.Name})
		}
	}
	for i, v := range s.Volumes {
		if v.Secret != nil && v.Secret.SecretName != "" {
			out = append(out, secretRef{spec.Child("volumes").Index(i).Child("secret", "secretName"), v.Secret.SecretName})
		}
	}
	for i, w := range s.Workers {
		env(w.Env, spec.Child("workers").Index(i).Child("env"))
	}
	for i, j := range s.Jobs {
		env(j.Env, spec.Child("jobs").Index(i).Child("env"))
	}
	for i, c := range s.InitContainers {
		env(c.Env, spec.Child("initContainers").Index(i).Child("env"))
	}
	for i, c := range s.Sidecars {
		env(c.Env, spec.Child("sidecars").Index(i).Child("env"))
	}
	return out
}

// fieldOf is the field of the App that names an object it renders, where
// one does: an ExternalSecret, a ServiceAccount named other than the App.
func fieldOf(app *v1alpha1.App, id krm.Identity) string {
	s := &app.Spec
	switch id.Kind {
	case "ExternalSecret":
		for i, es := range s.ExternalSecrets {
			if es.Name == id.Name {
				return fmt.Sprintf("spec.externalSecrets[%d].name", i)
			}
		}
	case "ServiceAccount":
		if s.ServiceAccount != nil && s.ServiceAccount.Name == id.Name {
			return "spec.serviceAccount.name"
		}
	}
	return ""
}
