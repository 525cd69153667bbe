package manifests

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/kustomize/kyaml/yaml/merge2"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
)

// FieldErrors are problems of an App found while rendering it, each at the
// App field that causes it: a patch that targets no object, or changes
// what may not change.
type FieldErrors []v1alpha1.FieldError

func (e FieldErrors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Error()
	}
	return strings.Join(msgs, "; ")
}

var specPath = field.NewPath("spec")

// extraObjects are the App's extra objects as nodes, given its namespace
// when they have none and its labels, and what is wrong with them.
func (r *renderer) extraObjects() ([]*yaml.RNode, FieldErrors, error) {
	var out []*yaml.RNode
	var errs FieldErrors
	for i, obj := range r.spec.ExtraObjects {
		node, err := encode.Object(obj)
		if err != nil {
			return nil, nil, err
		}
		if msgs := strictlyDecodes(node); len(msgs) > 0 {
			errs = append(errs, v1alpha1.FieldError{Path: specPath.Child("extraObjects").Index(i).String(), Detail: strings.Join(msgs, "; ")})
			continue
		}
		if node.GetNamespace() == "" && r.app.Namespace != "" {
			if err := node.SetNamespace(r.app.Namespace); err != nil {
				return nil, nil, err
			}
		}
		labels := node.GetLabels()
		for k, v := range r.labels() {
			if _, own := labels[k]; !own {
				labels[k] = v
			}
		}
		if err := node.SetLabels(labels); err != nil {
			return nil, nil, err
		}
		out = append(out, node)
	}
	return out, errs, nil
}

// kubernetesTypes are the k8s.io/api types of the Kubernetes groups a patch
// or an extra object is most often of, which such an object must decode
// into strictly: a typo or a wrong type in one is an error here, not at
// sync time. Objects of other kinds are not checked.
var kubernetesTypes = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, autoscalingv2.AddToScheme,
		policyv1.AddToScheme, networkingv1.AddToScheme,
	} {
		_ = add(s) // registering the upstream types cannot fail
	}
	return s
}()

// strictlyDecodes returns what is wrong with an object of a Kubernetes kind
// as its type reads it: unknown and duplicated fields, wrong types.
func strictlyDecodes(node *yaml.RNode) []string {
	gv, err := schema.ParseGroupVersion(node.GetApiVersion())
	if err != nil {
		return []string{fmt.Sprintf("apiVersion %q: %v", node.GetApiVersion(), err)}
	}
	obj, err := kubernetesTypes.New(gv.WithKind(node.GetKind()))
	if err != nil {
		return nil // not a kind known here
	}
	data, err := node.MarshalJSON()
	if err != nil {
		return []string{err.Error()}
	}
	strictErrs, err := sigsjson.UnmarshalStrict(data, obj, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	var msgs []string
	if err != nil {
		msgs = append(msgs, strings.TrimPrefix(err.Error(), "json: "))
	}
	for _, e := range strictErrs {
		msgs = append(msgs, e.Error())
	}
	return msgs
}

// patch applies the App's patches and per-kind metadata to its rendered
// objects, in order. Every problem is returned, at the patch's path.
func (r *renderer) patch(objects []*yaml.RNode) (FieldErrors, error) {
	var errs FieldErrors
	fail := func(path *field.Path, format string, args ...any) {
		errs = append(errs, v1alpha1.FieldError{Path: path.String(), Detail: fmt.Sprintf(format, args...)})
	}
	for i, p := range r.spec.Patches {
		path := specPath.Child("patches").Index(i)
		name := p.Target.Name
		if name == "" {
			name = r.app.Name
		}
		j := slices.IndexFunc(objects, func(o *yaml.RNode) bool { return o.GetKind() == p.Target.Kind && o.GetName() == name })
		if j < 0 {
			fail(path.Child("target"), "no rendered object is %s %q; the App renders %s", p.Target.Kind, name, describeObjects(objects))
			continue
		}
		before := identity(objects[j])
		patched, err := applyPatch(objects[j], p)
		if err != nil {
			fail(path, "%v", err)
			continue
		}
		if after := identity(patched); after != before {
			fail(path, "changes %s, which a patch may not change (it would orphan the live object or break what selects it)", changed(before, after))
			continue
		}
		if msgs := strictlyDecodes(patched); len(msgs) > 0 {
			fail(path, "makes %s %s invalid: %s", p.Target.Kind, name, strings.Join(msgs, "; "))
			continue
		}
		objects[j] = patched
	}
	for _, kind := range slices.Sorted(maps.Keys(r.spec.ObjectMetadata)) {
		meta, found := r.spec.ObjectMetadata[kind], false
		for _, o := range objects {
			if o.GetKind() != kind {
				continue
			}
			found = true
			labels, annotations := o.GetLabels(), o.GetAnnotations()
			maps.Copy(labels, meta.Labels)
			maps.Copy(annotations, meta.Annotations)
			if err := o.SetLabels(labels); err != nil {
				return nil, err
			}
			if err := o.SetAnnotations(annotations); err != nil {
				return nil, err
			}
		}
		if !found {
			fail(specPath.Child("objectMetadata").Key(kind), "the App renders no %s; it renders %s", kind, describeKinds(objects))
		}
	}
	return errs, nil
}

// applyPatch returns a patched copy of obj.
func applyPatch(obj *yaml.RNode, p v1alpha1.Patch) (*yaml.RNode, error) {
	out := obj.Copy()
	if p.Patch != nil {
		src, err := encode.Object(p.Patch)
		if err != nil {
			return nil, err
		}
		merged, err := merge2.Merge(src, out, yaml.MergeOptions{ListIncreaseDirection: yaml.MergeOptionsListAppend})
		if err != nil {
			return nil, fmt.Errorf("patch: %v", err)
		}
		out = merged
	}
	for k, op := range p.Ops {
		if err := applyOp(out, op); err != nil {
			return nil, fmt.Errorf("ops[%d]: %v", k, err)
		}
	}
	return out, nil
}

// applyOp applies one JSON 6902 operation (add, remove, replace).
func applyOp(obj *yaml.RNode, op v1alpha1.PatchOp) error {
	segments := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")
	for i, s := range segments {
		segments[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
	}
	parent := obj
	for _, s := range segments[:len(segments)-1] {
		next, err := child(parent, s)
		if err != nil {
			return err
		}
		if next == nil {
			return fmt.Errorf("%s: %q does not exist", op.Path, s)
		}
		parent = next
	}
	last := segments[len(segments)-1]
	var value *yaml.RNode
	if op.Op != "remove" {
		v, err := encode.Object(map[string]any{"v": op.Value})
		if err != nil {
			return err
		}
		value = v.Field("v").Value
	}
	switch parent.YNode().Kind {
	case yaml.MappingNode:
		existing := parent.Field(last)
		switch {
		case op.Op == "add":
			return parent.PipeE(yaml.SetField(last, value))
		case existing == nil:
			return fmt.Errorf("%s: nothing to %s", op.Path, op.Op)
		case op.Op == "replace":
			return parent.PipeE(yaml.SetField(last, value))
		default:
			_, err := parent.Pipe(yaml.Clear(last))
			return err
		}
	case yaml.SequenceNode:
		items := parent.YNode().Content
		i, err := strconv.Atoi(last)
		if last == "-" && op.Op == "add" {
			i, err = len(items), nil
		}
		if err != nil || i < 0 || i > len(items) || (i == len(items) && op.Op != "add") {
			return fmt.Errorf("%s: no item %s", op.Path, last)
		}
		switch op.Op {
		case "add":
			parent.YNode().Content = slices.Insert(items, i, value.YNode())
		case "replace":
			items[i] = value.YNode()
		default:
			parent.YNode().Content = slices.Delete(items, i, i+1)
		}
		return nil
	}
	return fmt.Errorf("%s: not inside a map or a list", op.Path)
}

// child is a map's field or a list's item, nil when there is none.
func child(n *yaml.RNode, key string) (*yaml.RNode, error) {
	switch n.YNode().Kind {
	case yaml.MappingNode:
		if f := n.Field(key); f != nil {
			return f.Value, nil
		}
		return nil, nil
	case yaml.SequenceNode:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(n.YNode().Content) {
			return nil, nil
		}
		return yaml.NewRNode(n.YNode().Content[i]), nil
	}
	return nil, fmt.Errorf("%q is inside a value that is neither a map nor a list", key)
}

// identity is what a patch may not change: the object's name, namespace
// and selector.
func identity(o *yaml.RNode) string {
	selector, _ := o.Pipe(yaml.Lookup("spec", "selector"))
	s := ""
	if selector != nil {
		s, _ = selector.String()
	}
	return o.GetName() + "\x00" + o.GetNamespace() + "\x00" + s
}

func changed(before, after string) string {
	b, a := strings.Split(before, "\x00"), strings.Split(after, "\x00")
	var what []string
	for i, name := range []string{"the name", "the namespace", "the selector"} {
		if b[i] != a[i] {
			what = append(what, name)
		}
	}
	return strings.Join(what, " and ")
}

func describeObjects(objects []*yaml.RNode) string {
	names := make([]string, len(objects))
	for i, o := range objects {
		names[i] = o.GetKind() + " " + o.GetName()
	}
	return strings.Join(names, ", ")
}

func describeKinds(objects []*yaml.RNode) string {
	var kinds []string
	for _, o := range objects {
		if !slices.Contains(kinds, o.GetKind()) {
			kinds = append(kinds, o.GetKind())
		}
	}
	return strings.Join(kinds, ", ")
}
