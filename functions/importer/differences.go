package importer

import (
	"fmt"
	"strings"
)

// A difference is one way in which a rendered object is not the imported
// one, and why.
type difference struct{ object, what, why string }

// listDifferences writes the differences one per line, each difference
// that several objects share once, naming them all.
func listDifferences(ds []difference) []string {
	var keys []string
	objects := map[string][]string{}
	for _, d := range ds {
		key := d.what + ": " + d.why
		if _, seen := objects[key]; !seen {
			keys = append(keys, key)
		}
		objects[key] = append(objects[key], d.object)
	}
	lines := make([]string, len(keys))
	for i, key := range keys {
		lines[i] = strings.Join(objects[key], ", ") + ": " + key
	}
	return lines
}

// differences are where the rendered object differs from the imported
// one, the additions grouped by reason, and the values it loses.
func differences(r, o *object) (found []difference, lost []string) {
	byReason := map[string][]string{}
	var reasons []string
	add := func(reason, what string) {
		if _, seen := byReason[reason]; !seen {
			reasons = append(reasons, reason)
		}
		byReason[reason] = append(byReason[reason], what)
	}
	for _, c := range compare(r.norm, o.norm, o.doc) {
		switch {
		case strings.Join(c.pointer, "/") == "metadata/namespace" && c.added:
			found = append(found, difference{o.kind + " " + o.name, "had no namespace; it now has " + r.namespace, "the App's namespace"})
		case c.added:
			value, _ := lookup(r.norm, c.pointer)
			add(whyAdded(r, c, value), c.shown)
		case c.unpatchable() != "":
			now, _ := lookup(r.norm, c.pointer)
			what := fmt.Sprintf("%s is %s, was %s", c.shown, short(now), short(c.value))
			if now == nil {
				what = fmt.Sprintf("drops %s (was %s)", c.shown, short(c.value))
			}
			found = append(found, difference{r.id(), what, whyUnpatchable(r, c)})
		default:
			lost = append(lost, fmt.Sprintf("%s: %s was %s", o.id(), c.shown, short(c.value)))
		}
	}
	for _, reason := range reasons {
		found = append(found, difference{r.id(), "adds " + strings.Join(byReason[reason], ", "), reason})
	}
	return found, lost
}

// whyUnpatchable gives the reason for a difference no patch may undo.
func whyUnpatchable(r *object, c change) string {
	if isSelector(c) {
		return whySelector(r, c, nil)
	}
	return c.unpatchable()
}

func isSelector(c change) bool {
	return len(c.pointer) >= 2 && c.pointer[0] == "spec" && c.pointer[1] == "selector"
}

// whySelector gives the reason a selector differs: value is what the
// rendering has at the place.
func whySelector(r *object, c change, value any) string {
	switch {
	case isWorkload(r):
		return "Kubernetes refuses any change to a workload's selector, and the App could not keep the live one in spec.compatibility.selector: " +
			"applying it fails until the live workload is deleted with --cascade=orphan (its pods keep serving)"
	case c.pointer[len(c.pointer)-1] == "slipway.dev/track" && value != nil:
		return fmt.Sprintf("the %s selected every pod of the app; it now selects only the %s pods", r.kind, value)
	}
	return "slipway selects the same pods by its own labels, which they now carry too"
}

// whyAdded gives the reason the rendering has something the input had
// not: the value the rendering has there.
func whyAdded(r *object, c change, value any) string {
	p := strings.Join(c.pointer, "/")
	last := c.pointer[len(c.pointer)-1]
	switch {
	case isSelector(c):
		return whySelector(r, c, value)
	case strings.HasSuffix(p, "labels") || strings.Contains(p, "labels/") && ownLabel(last):
		return "slipway's labels, which it finds and selects its objects by, and the App's"
	case last == "slipway.dev/config-hash":
		return "the hash of the App's config, which restarts the pods when the config changes"
	case strings.Contains(p, "securityContext") || last == "automountServiceAccountToken" || last == "volumes" || last == "volumeMounts" || strings.Contains(c.shown, "[tmp]"):
		return "slipway's restricted defaults: no service account token, no root, a read-only root filesystem with a writable /tmp (spec.security loosens them)"
	case strings.HasSuffix(p, "annotations") && strings.Contains(short(value), "argocd.argoproj.io/sync-wave") || strings.Contains(p, "annotations/argocd.argoproj.io"):
		return "the order Argo CD syncs in: what the pods need before them"
	case strings.Contains(p, "labels/"):
		return "the App's labels, which every object gets"
	}
	return "slipway's defaults"
}

// whyNew gives the reason the rendering has an object the input had not.
func whyNew(r *object) string {
	switch {
	case r.kind == "Service" && strings.HasSuffix(r.name, "-canary"):
		return "the Service of the canary track, which routes send the canary's share to"
	case r.kind == "Service" && strings.HasSuffix(r.name, "-stable"):
		return "the Service of the stable track, which routes send the stable share to"
	case r.kind == "Service":
		return "the Service of every pod of the app"
	case r.kind == "PodDisruptionBudget":
		return "slipway keeps one replica of two or more up during node drains"
	}
	return "rendered from the App's defaults"
}
