package generate

import (
	"fmt"
	"strconv"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio/filters"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// holder is what gives an object its identity: an item that passes
// through, an App that renders it, or Flagger, which creates objects for an
// App under it.
type holder struct {
	passThrough string       // the item, described
	app         *RenderedApp // the App that renders the object, or that Flagger creates it for
	flagger     string       // what Flagger creates it as, for its App
}

// duplicates reports every identity that the output, and what Flagger
// creates from it, would hold twice: objects of two Apps, an App's object
// and an item that passes through, and the names Flagger gives the objects
// it creates for an App (its primary Deployment, its Services, ...). Each
// clash is an error of the App, naming the other holder. Two items that
// pass through are not slipway's to judge, and local-config objects
// (never applied) clash with nothing.
//
// platform, when not nil, holds the Platform's own objects (its App is nil);
// they are held before any App's.
func duplicates(passThrough []passThroughItem, apps []*RenderedApp, platform *RenderedApp) framework.Results {
	var results framework.Results
	held := map[krm.Identity]holder{}
	for _, p := range passThrough {
		m := p.meta
		if m.Name == "" || v1alpha1.InGroup(m.APIVersion) || m.Annotations[filters.LocalConfigAnnotation] == "true" {
			continue
		}
		id := krm.IdentityOf(m.APIVersion, m.Kind, m.Namespace, m.Name)
		if _, ok := held[id]; !ok {
			held[id] = holder{passThrough: describeItem(m, p.item)}
		}
	}
	if platform != nil {
		apps = append([]*RenderedApp{platform}, apps...)
	}
	for _, a := range apps {
		clash := func(id krm.Identity, h holder) {
			first, ok := held[id]
			if !ok {
				held[id] = h
				return
			}
			results = append(results, a.source.results([]v1alpha1.FieldError{{Detail: clashMessage(id, h, first)}})...)
		}
		for _, obj := range a.Objects {
			clash(krm.IdentityOfNode(obj), holder{app: a})
		}
		if a.App == nil {
			continue
		}
		for _, f := range flaggerObjects(a.App) {
			clash(f.id, holder{app: a, flagger: f.what})
		}
	}
	return results
}

// clashMessage says, for the App of h, that id is held by first too.
func clashMessage(id krm.Identity, h, first holder) string {
	var subject string
	if h.flagger != "" {
		subject = fmt.Sprintf("Flagger creates %s as this App's %s", id, h.flagger)
	} else {
		subject = fmt.Sprintf("renders %s", id)
	}
	switch {
	case first.passThrough != "":
		return fmt.Sprintf("%s, which is also in the input (%s)", subject, first.passThrough)
	case first.flagger != "":
		return fmt.Sprintf("%s, the name Flagger gives the %s of %s", subject, first.flagger, first.app.source.describe())
	}
	return fmt.Sprintf("%s, which %s renders too", subject, first.app.source.describe())
}

// flaggerObject is an object Flagger creates for an App under it.
type flaggerObject struct {
	id   krm.Identity
	what string
}

// flaggerObjects are the objects Flagger creates for an App under it, with
// the names it gives them (Flagger's service name and targetRef are the
// App's name): the primary Deployment, the apex, primary and canary
// Services, the VirtualService and the two DestinationRules of its Istio
// routing, the primary autoscaler, and the primary copy of the ConfigMap it
// tracks.
func flaggerObjects(app *v1alpha1.App) []flaggerObject {
	if app.Spec.Canary == nil || app.Spec.Canary.Controller != v1alpha1.CanaryControllerFlagger {
		return nil
	}
	ns, name := app.Namespace, app.Name
	primary, canary := name+manifests.FlaggerPrimarySuffix, name+manifests.SuffixCanary
	id := func(group, kind, name string) krm.Identity {
		return krm.Identity{Group: group, Kind: kind, Namespace: ns, Name: name}
	}
	out := []flaggerObject{
		{id("apps", "Deployment", primary), "primary Deployment"},
		{id("", "Service", name), "apex Service"},
		{id("", "Service", primary), "primary Service"},
		{id("", "Service", canary), "canary Service"},
		{id("networking.istio.io", "VirtualService", name), "VirtualService"},
		{id("networking.istio.io", "DestinationRule", primary), "primary DestinationRule"},
		{id("networking.istio.io", "DestinationRule", canary), "canary DestinationRule"},
	}
	if app.Spec.Autoscaling != nil {
		out = append(out, flaggerObject{id("autoscaling", "HorizontalPodAutoscaler", primary), "primary HorizontalPodAutoscaler"})
	}
	if app.Spec.Config != nil {
		out = append(out, flaggerObject{id("", "ConfigMap", name+manifests.SuffixConfig+manifests.FlaggerPrimarySuffix), "primary copy of the ConfigMap"})
	}
	return out
}

// describeItem names an item that passes through, as source.describe
// names an App: "file: Kind namespace/name" or "items[i]: Kind
// namespace/name".
func describeItem(m yaml.ResourceMeta, item int) string {
	id := krm.IdentityOf(m.APIVersion, m.Kind, m.Namespace, m.Name).String()
	file := m.Annotations[kioutil.PathAnnotation]
	if file == "" {
		file = m.Annotations[kioutil.LegacyPathAnnotation]
	}
	if file != "" {
		return file + ": " + id
	}
	return "items[" + strconv.Itoa(item) + "]: " + id
}
