package v1alpha1

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/slipway-dev/slipway/functions/strict"
)

// FieldError is one problem of an object, located by its field path.
type FieldError = strict.Error

func fieldError(path *field.Path, format string, args ...any) FieldError {
	for i, arg := range args {
		if s, ok := arg.(string); ok {
			args[i] = shown(s)
		}
	}
	return FieldError{Path: path.String(), Detail: fmt.Sprintf(format, args...)}
}

// Options are the rendering choices made outside the App.
type Options struct {
	// Environment to render; empty renders the base, unless the Apps or
	// the Platform are annotated with one (see generate).
	Environment string
	// EnvironmentFrom names where Environment was set, for messages: a
	// flag, a function config field, a plugin parameter.
	EnvironmentFrom string
	// DefaultNamespace is the namespace of Apps for which neither the App nor
	// the Platform sets one.
	DefaultNamespace string
	// SharedPlatform says the Platform of the input is shared with other
	// inputs (the Argo CD plugin's platform parameter gives every App
	// directory the same one): its own objects (tenants, Argo CD
	// Applications) are not rendered with every App, only where the
	// Platform is rendered on its own terms.
	SharedPlatform bool
}

var (
	specPath         = field.NewPath("spec")
	environmentsPath = specPath.Child("environments")
)

// ResolvePlatform checks a decoded Platform document strictly and returns
// the Platform as it applies to the environment: its spec merged with the
// environment's section. Spec.Environments keeps the environment names.
func ResolvePlatform(doc map[string]any, environment string) (*Platform, []FieldError) {
	found := strict.Check(doc, reflect.TypeFor[Platform](), nil)
	found = append(found, checkEnvironments(doc, reflect.TypeFor[PlatformSpec]())...)
	if len(found) == 0 {
		p, errs, _ := resolvePlatform(doc, environment)
		return p, errs
	}
	// As for Apps: the rest is checked too.
	_, errs, decoded := resolvePlatform(withoutErrors(doc, found), environment)
	if decoded {
		found = append(found, independent(errs, found)...)
	}
	return nil, moved(found, platformFieldsMoved)
}

func resolvePlatform(doc map[string]any, environment string) (*Platform, []FieldError, bool) {
	spec, errs := specFor(doc, environment)
	var p Platform
	if len(errs) == 0 {
		errs = decodeTyped(map[string]any{"metadata": doc["metadata"], "spec": spec}, &p)
	}
	if len(errs) > 0 {
		return nil, errs, false
	}
	p.TypeMeta = typeMeta(doc)
	p.defaults, _ = spec["defaults"].(map[string]any)
	if errs := validatePlatform(&p); len(errs) > 0 {
		return nil, errs, true
	}
	return &p, nil, true
}

// ResolveApp turns a decoded App document into the App to render for the
// options: checked strictly, merged with its environment section (an App
// without a section for the environment renders its base), given the
// Platform's defaults and settings (platform may be nil) and the built-in
// defaults, and validated. It returns every problem found, and no App when there is one.
func ResolveApp(doc map[string]any, platform *Platform, opts Options) (*App, []FieldError) {
	found := strict.Check(doc, reflect.TypeFor[App](), nil)
	found = append(found, checkEnvironments(doc, reflect.TypeFor[AppSpec]())...)
	if len(found) == 0 {
		app, errs, _ := resolveApp(doc, platform, opts)
		return app, errs
	}
	// Check the rest too, without what is already known to be wrong, so
	// that every independent problem is reported at once.
	_, errs, decoded := resolveApp(withoutErrors(doc, found), platform, opts)
	if decoded {
		found = append(found, independent(errs, found)...)
	}
	return nil, moved(found, appFieldsMoved)
}

// resolveApp is ResolveApp for a document that strict checking passed; it
// also tells whether the document could be decoded.
func resolveApp(doc map[string]any, platform *Platform, opts Options) (*App, []FieldError, bool) {
	spec, errs := specFor(doc, opts.Environment)
	if len(errs) == 0 && platform != nil {
		spec, errs = inherit(platform.defaults, spec)
	}
	if len(errs) > 0 {
		return nil, errs, false
	}
	var app App
	if errs := decodeTyped(map[string]any{"metadata": doc["metadata"], "spec": spec}, &app); len(errs) > 0 {
		return nil, errs, false
	}
	app.TypeMeta = typeMeta(doc)
	if app.Namespace == "" {
		app.Namespace = opts.DefaultNamespace
	}
	if platform != nil {
		if errs := applyPlatform(&app, platform); len(errs) > 0 {
			return nil, errs, true
		}
	}
	setDefaults(&app)
	if errs := append(validateApp(&app, platform), checkPolicy(&app, platform)...); len(errs) > 0 {
		return nil, errs, true
	}
	return &app, nil, true
}

// KnownEnvironments lists, sorted, the environments that any of the App or
// Platform documents defines.
func KnownEnvironments(docs ...map[string]any) []string {
	set := map[string]bool{}
	for _, doc := range docs {
		spec, _ := doc["spec"].(map[string]any)
		envs, _ := spec["environments"].(map[string]any)
		for name := range envs {
			set[name] = true
		}
	}
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// UnknownEnvironment reports an environment that none of the documents
// defines; known lists those they do.
func UnknownEnvironment(environment string, known []string) error {
	return fmt.Errorf("environment %q is not defined by any App or Platform of the input; known: %s",
		environment, listOrNone(known))
}

// checkEnvironments checks each environment section of a document strictly
// against the spec type it overrides, and merges it with the base, whatever
// environment is rendered: a mistake in prod's section shows when dev or the
// base is rendered too.
func checkEnvironments(doc map[string]any, specType reflect.Type) []FieldError {
	spec, _ := doc["spec"].(map[string]any)
	envs, _ := spec["environments"].(map[string]any)
	base := baseSpec(spec)
	var errs []FieldError
	for _, name := range slices.Sorted(maps.Keys(envs)) {
		path := environmentsPath.Key(name)
		for _, msg := range validation.IsDNS1123Label(name) {
			errs = append(errs, fieldError(path, "environment names are used as directory names: %s", msg))
		}
		override, ok := envs[name].(map[string]any)
		if !ok {
			if envs[name] != nil {
				errs = append(errs, fieldError(path, "must be a map of spec fields"))
			}
			continue
		}
		if _, nested := override["environments"]; nested {
			errs = append(errs, fieldError(path.Child("environments"), "an environment cannot define environments"))
			override = maps.Clone(override)
			delete(override, "environments") // and check the rest of the section
		}
		cleaned, patchErrs := checkPatches(override, path, "")
		sectionErrs := append(patchErrs, strict.Check(cleaned, specType, path)...)
		if len(sectionErrs) == 0 {
			_, sectionErrs = Merge(base, override, path)
		}
		errs = append(errs, sectionErrs...)
	}
	return errs
}

// baseSpec is a spec without its environments.
func baseSpec(spec map[string]any) map[string]any {
	base := make(map[string]any, len(spec))
	for k, v := range spec {
		if k != "environments" {
			base[k] = v
		}
	}
	return base
}

// specFor returns the document's spec merged with the environment's section.
func specFor(doc map[string]any, environment string) (map[string]any, []FieldError) {
	spec, _ := doc["spec"].(map[string]any)
	base := baseSpec(spec)
	envs, _ := spec["environments"].(map[string]any)
	override, ok := envs[environment].(map[string]any)
	if environment == "" || !ok {
		return base, nil
	}
	merged, errs := Merge(base, override, environmentsPath.Key(environment))
	return merged.(map[string]any), errs
}

// decodeTyped decodes a document already checked by strict.Check; the
// remaining errors are those of types that decode themselves, such as
// quantities.
func decodeTyped(doc map[string]any, out any) []FieldError {
	data, err := json.Marshal(doc)
	if err == nil {
		err = json.Unmarshal(data, out)
	}
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if asTypeError(err, &typeErr) && typeErr.Field != "" {
		return []FieldError{{Path: typeErr.Field, Detail: fmt.Sprintf("cannot decode %s into %s", typeErr.Value, typeErr.Type)}}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return []FieldError{{Detail: msg}}
}

func asTypeError(err error, target **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = t
	}
	return ok
}

func typeMeta(doc map[string]any) (tm metav1.TypeMeta) {
	tm.APIVersion, _ = doc["apiVersion"].(string)
	tm.Kind, _ = doc["kind"].(string)
	return tm
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// Fields that moved, by their path under spec (or under an environment's
// section): where they are now, under the same parent, and why.
var (
	platformFieldsMoved = map[string][2]string{
		"resources":      {"defaults.resources", "with the other App defaults"},
		"pod":            {"defaults.pod", "with the other App defaults"},
		"requestHeaders": {"defaults.routing.requestHeaders", "with the other App defaults"},
	}
	appFieldsMoved = map[string][2]string{
		"service.nodePort": {"ports[].nodePort", "each port has its own"},
	}
)

// moved says where a field that moved went, instead of calling it unknown.
func moved(errs []FieldError, fields map[string][2]string) []FieldError {
	for i, e := range errs {
		parent, name := "spec", strings.TrimPrefix(e.Path, "spec.")
		if before, after, ok := strings.Cut(name, "]."); ok && strings.HasPrefix(name, "environments[") {
			parent, name = "spec."+before+"]", after
		}
		if to, ok := fields[name]; ok && strings.HasPrefix(e.Detail, "unknown field") {
			errs[i].Detail = fmt.Sprintf("moved to %s.%s, %s", parent, to[0], to[1])
		}
	}
	return errs
}
