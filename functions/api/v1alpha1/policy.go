package v1alpha1

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Relaxable secure defaults, as Policy.AllowRelaxing names them.
const (
	RelaxRunAsNonRoot             = "runAsNonRoot"
	RelaxRunAsRoot                = "runAsRoot"
	RelaxAllowPrivilegeEscalation = "allowPrivilegeEscalation"
	RelaxSeccompProfile           = "seccompProfile"
	RelaxCapabilities             = "capabilities"
	RelaxReadOnlyRootFilesystem   = "readOnlyRootFilesystem"
)

// checkPolicy returns every rule of the Platform's policy the defaulted App
// breaks, each at the App's field, naming the rule.
func checkPolicy(app *App, platform *Platform) []FieldError {
	if platform == nil || platform.Spec.Policy == nil {
		return nil
	}
	pol, s := platform.Spec.Policy, &app.Spec
	var v validator
	rule := func(name string) string { return fmt.Sprintf("the Platform %s's spec.policy.%s", platform.Name, name) }
	if len(pol.AllowedRegistries) > 0 {
		for _, img := range s.imageFields() {
			if *img.image != "" && !slices.ContainsFunc(pol.AllowedRegistries, func(prefix string) bool { return strings.HasPrefix(*img.image, prefix) }) {
				v.add(img.path, "%q is not from a registry %s allows (%s)", *img.image, rule("allowedRegistries"), strings.Join(pol.AllowedRegistries, ", "))
			}
		}
	}
	if r := pol.Require; r != nil {
		for _, c := range s.containerResources() {
			res := c.resources
			if res == nil {
				res = &corev1.ResourceRequirements{}
			}
			for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if _, ok := res.Requests[name]; r.Requests && !ok {
					v.add(c.path.Child("requests").Key(string(name)), "required by %s", rule("require.requests"))
				}
			}
			if _, ok := res.Limits[corev1.ResourceMemory]; r.MemoryLimit && !ok {
				v.add(c.path.Child("limits").Key(string(corev1.ResourceMemory)), "required by %s", rule("require.memoryLimit"))
			}
		}
		if len(s.Ports) > 0 {
			if r.ReadinessProbe && (s.Probes == nil || s.Probes.Readiness == nil) {
				v.add(specPath.Child("probes", "readiness"), "required by %s", rule("require.readinessProbe"))
			}
			if r.LivenessProbe && (s.Probes == nil || s.Probes.Liveness == nil) {
				v.add(specPath.Child("probes", "liveness"), "required by %s", rule("require.livenessProbe"))
			}
			if r.AllowFrom && len(s.AllowFrom) == 0 {
				v.add(specPath.Child("allowFrom"), "required by %s: list the callers the App admits", rule("require.allowFrom"))
			}
		}
	}
	if b := pol.Replicas; b != nil {
		low, high, path := int32(0), int32(0), specPath.Child("replicas")
		if a := s.Autoscaling; a != nil {
			low, high, path = *a.MinReplicas, a.MaxReplicas, specPath.Child("autoscaling")
		} else if s.Replicas != nil {
			low, high = *s.Replicas, *s.Replicas
		}
		if b.Min != nil && low < *b.Min {
			v.add(path, "runs as few as %d replica(s); %s is %d", low, rule("replicas.min"), *b.Min)
		}
		if b.Max != nil && high > *b.Max {
			v.add(path, "runs as many as %d replica(s); %s is %d", high, rule("replicas.max"), *b.Max)
		}
	}
	for _, c := range s.containerResources() {
		if c.resources == nil {
			continue
		}
		for _, list := range []struct {
			name   string
			values corev1.ResourceList
		}{{"requests", c.resources.Requests}, {"limits", c.resources.Limits}} {
			for _, name := range slices.Sorted(maps.Keys(list.values)) {
				q := list.values[name]
				if max, ok := pol.MaxResources[name]; ok && q.Cmp(max) > 0 {
					v.add(c.path.Child(list.name).Key(string(name)), "%s is above %s (%s)", q.String(), rule("maxResources"), max.String())
				}
			}
		}
	}
	for _, k := range pol.RequiredLabels {
		if _, ok := app.Labels[k]; !ok {
			v.add(field.NewPath("metadata", "labels").Key(k), "required by %s", rule("requiredLabels"))
		}
	}
	allowed := func(setting string) bool {
		if setting == RelaxReadOnlyRootFilesystem && pol.AllowRelaxing == nil {
			return true // beyond the standard: refused only by a list without it
		}
		return slices.Contains(pol.AllowRelaxing, setting)
	}
	sec, path := s.Security, specPath.Child("security")
	for _, relax := range []struct {
		setting, field string
		relaxed        bool
	}{
		{RelaxRunAsNonRoot, "runAsNonRoot", !*sec.RunAsNonRoot},
		{RelaxRunAsRoot, "runAsUser", sec.RunAsUser != nil && *sec.RunAsUser == 0},
		{RelaxAllowPrivilegeEscalation, "allowPrivilegeEscalation", *sec.AllowPrivilegeEscalation},
		{RelaxSeccompProfile, "seccompProfile", sec.SeccompProfile != SeccompRuntimeDefault},
		{RelaxCapabilities, "addCapabilities", slices.ContainsFunc(sec.AddCapabilities, func(c corev1.Capability) bool { return c != "NET_BIND_SERVICE" })},
		{RelaxReadOnlyRootFilesystem, "readOnlyRootFilesystem", !*sec.ReadOnlyRootFilesystem},
	} {
		if relax.relaxed && !allowed(relax.setting) {
			v.add(path.Child(relax.field), "relaxes a secure default that %s does not list (%s)", rule("allowRelaxing"), relax.setting)
		}
	}
	return v.errs
}

// imageField is an image of the App and where it is set.
type imageField struct {
	path  *field.Path
	image *string
}

// imageFields are every image of the App with its path.
func (s *AppSpec) imageFields() []imageField {
	out := []imageField{{specPath.Child("image"), &s.Image}}
	if s.Canary != nil {
		out = append(out, imageField{specPath.Child("canary", "image"), &s.Canary.Image})
	}
	for i := range s.InitContainers {
		out = append(out, imageField{specPath.Child("initContainers").Index(i).Child("image"), &s.InitContainers[i].Image})
	}
	for i := range s.Sidecars {
		out = append(out, imageField{specPath.Child("sidecars").Index(i).Child("image"), &s.Sidecars[i].Image})
	}
	for i := range s.Workers {
		out = append(out, imageField{specPath.Child("workers").Index(i).Child("image"), &s.Workers[i].Image})
	}
	for i := range s.Jobs {
		out = append(out, imageField{specPath.Child("jobs").Index(i).Child("image"), &s.Jobs[i].Image})
	}
	return out
}

// containerResource is the resources of one of the App's containers, and
// the path of its resources field.
type containerResource struct {
	path      *field.Path
	resources *corev1.ResourceRequirements
}

// containerResources are the resources of every container the App runs.
func (s *AppSpec) containerResources() []containerResource {
	out := []containerResource{{specPath.Child("resources"), s.Resources}}
	for i, c := range s.InitContainers {
		out = append(out, containerResource{specPath.Child("initContainers").Index(i).Child("resources"), c.Resources})
	}
	for i, c := range s.Sidecars {
		out = append(out, containerResource{specPath.Child("sidecars").Index(i).Child("resources"), c.Resources})
	}
	for i, w := range s.Workers {
		out = append(out, containerResource{specPath.Child("workers").Index(i).Child("resources"), w.Resources})
	}
	for i, j := range s.Jobs {
		out = append(out, containerResource{specPath.Child("jobs").Index(i).Child("resources"), j.Resources})
	}
	return out
}
