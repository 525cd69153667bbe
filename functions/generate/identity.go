package generate

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/manifests"
	"github.com/slipway-dev/slipway/functions/strict"
)

// readMeta reads an object's apiVersion, kind, name, namespace, labels and
// annotations as a YAML reader such as the API server's does: through
// aliases and merge keys ("<<: *base"). kyaml's GetMeta reads an alias as
// its anchor's name and ignores merge keys, so an App written with a merge
// key would pass through unrendered; it is used when the object's identity
// holds neither, which is nearly always.
func readMeta(obj *yaml.RNode) (yaml.ResourceMeta, error) {
	n := obj.YNode()
	if n == nil || !identityIndirect(n) {
		return obj.GetMeta()
	}
	var m struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name        string            `yaml:"name"`
			Namespace   string            `yaml:"namespace"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"metadata"`
	}
	if err := n.Decode(&m); err != nil {
		// Not an object's metadata as Kubernetes reads it; what kyaml reads
		// of it is as good as anything.
		return obj.GetMeta()
	}
	meta := yaml.ResourceMeta{TypeMeta: yaml.TypeMeta{APIVersion: m.APIVersion, Kind: m.Kind}}
	meta.Name, meta.Namespace = m.Metadata.Name, m.Metadata.Namespace
	meta.Labels, meta.Annotations = m.Metadata.Labels, m.Metadata.Annotations
	if meta.APIVersion == "" && meta.Kind == "" && meta.Name == "" {
		return meta, yaml.ErrMissingMetadata
	}
	return meta, nil
}

// identityIndirect reports whether an object's apiVersion, kind or metadata
// is, or holds, an alias or a merge key.
func identityIndirect(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode {
		return n.Kind == yaml.AliasNode
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if indirect(k) {
			return true
		}
		switch k.Value {
		case yaml.APIVersionField, yaml.KindField:
			if indirect(v) {
				return true
			}
		case yaml.MetadataField:
			if holdsIndirection(v, 2) {
				return true
			}
		}
	}
	return false
}

// holdsIndirection reports whether n, or its content down to depth levels,
// is an alias or a merge key.
func holdsIndirection(n *yaml.Node, depth int) bool {
	if indirect(n) {
		return true
	}
	if depth == 0 {
		return false
	}
	for _, c := range n.Content {
		if holdsIndirection(c, depth-1) {
			return true
		}
	}
	return false
}

func indirect(n *yaml.Node) bool {
	return n.Kind == yaml.AliasNode || (n.Kind == yaml.ScalarNode && n.Tag == "!!merge")
}

// reservedLabel says why a label key is not an App's or a Platform's to
// set, or "" when it is: slipway sets app and app.kubernetes.io/name to the
// App's name on every object it renders (a value set in the App would be
// overwritten) and app.kubernetes.io/managed-by to tell rendered objects
// from others (an App carrying it would be taken for an object of an
// earlier rendering, and dropped); the slipway.dev/ prefix is slipway's
// own; Argo Rollouts sets its pod template hash on the pods of a revision.
func reservedLabel(k string) string {
	switch {
	case k == manifests.LabelApp || k == manifests.LabelName:
		return "is reserved: slipway sets it to the App's name on every object it renders"
	case k == manifests.LabelManagedBy:
		return "is reserved: slipway sets it on every object it renders, to tell them from others"
	case k == manifests.LabelRolloutsPodTemplateHash:
		return "is reserved: Argo Rollouts sets it on the pods of each revision"
	case strings.HasPrefix(k, v1alpha1.Group+"/"):
		return "is reserved: the " + v1alpha1.Group + "/ prefix is slipway's own"
	}
	return ""
}

// checkReservedLabels reports the reserved labels an App (metadata.labels)
// or a Platform (spec.labels, and each environment's) sets.
func checkReservedLabels(src *source, meta yaml.ResourceMeta) []v1alpha1.FieldError {
	var errs []v1alpha1.FieldError
	check := func(labels map[string]string, path string) {
		for _, k := range slices.Sorted(maps.Keys(labels)) {
			if why := reservedLabel(k); why != "" {
				errs = append(errs, v1alpha1.FieldError{Path: fmt.Sprintf("%s[%s]", path, strict.ShortKey(k)), Detail: why})
			}
		}
	}
	if src.kind == v1alpha1.KindApp {
		check(meta.Labels, "metadata.labels")
		return errs
	}
	spec, _ := src.doc["spec"].(map[string]any)
	check(stringKeys(spec["labels"]), "spec.labels")
	envs, _ := spec["environments"].(map[string]any)
	for _, env := range slices.Sorted(maps.Keys(envs)) {
		section, _ := envs[env].(map[string]any)
		check(stringKeys(section["labels"]), fmt.Sprintf("spec.environments[%s].labels", env))
	}
	return errs
}

// stringKeys is a map's keys, as a set, if v is a map.
func stringKeys(v any) map[string]string {
	m, _ := v.(map[string]any)
	keys := make(map[string]string, len(m))
	for k := range m {
		keys[k] = ""
	}
	return keys
}

// nearMiss reports an object whose apiVersion is almost slipway's and
// whose kind is App or Platform (slipway.io/v1alpha1, Slipway.dev/v1alpha1):
// a typo that would otherwise pass the object through unrendered, without a
// word. Other groups' kinds that happen to be called App pass through.
func nearMiss(obj *yaml.RNode, meta yaml.ResourceMeta, item int) *framework.Result {
	group, _, _ := strings.Cut(meta.APIVersion, "/")
	if !strings.Contains(meta.APIVersion, "/") {
		group = "" // the core group: "v1alpha1" alone
	}
	kind := strings.ToLower(meta.Kind)
	if kind != "app" && kind != "platform" {
		return nil
	}
	g := strings.ToLower(group)
	near := g == v1alpha1.Group || strings.Contains(g, "slipway") || meta.APIVersion == v1alpha1.Version ||
		(len(g) <= len(v1alpha1.Group)+2 && strict.Distance(g, v1alpha1.Group) <= 2)
	if !near {
		return nil
	}
	src := &source{kind: meta.Kind, name: meta.Name, namespace: meta.Namespace, item: item}
	file, index, _ := kioutil.GetFileAnnotations(obj)
	src.file = file
	src.index, _ = strconv.Atoi(index)
	r := src.results([]v1alpha1.FieldError{{Path: "apiVersion",
		Detail: fmt.Sprintf("%q is not slipway's API: %s and %s are %s", meta.APIVersion, v1alpha1.KindApp, v1alpha1.KindPlatform, v1alpha1.APIVersion)}})[0]
	r.ResourceRef.APIVersion = meta.APIVersion
	return r
}
