package apiserver

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/internal/oracle"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// root is the repository, from this package's directory.
const root = "../../.."

// knownRefusal is a refusal found in a checked-in rendering that is not
// fixed yet: the test reports it without failing. Every entry must still
// match a refusal, so that a fix removes its entry.
type knownRefusal struct {
	file, object, message string // message is a substring
}

// knownRefusals are the refusals of checked-in renderings that are not
// fixed yet, each with a comment saying why it is kept. There are none:
// an entry goes here only with the issue that fixes the renderer.
var knownRefusals = []knownRefusal{}

// TestRenderedObjectsAccepted runs every object slipway rendered in a
// checked-in file (labelled app.kubernetes.io/managed-by: slipway) through
// the API server's create path: decoding, defaults and validation for
// built-in kinds, the published CRD with its CEL rules for custom
// resources. Each refusal fails the test, unless it is a known refusal.
func TestRenderedObjectsAccepted(t *testing.T) {
	files, err := oracle.RenderedFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	sources := map[string]int{} // objects by the first two directories of their file
	objects := 0
	var refusals []string // "file: object: message"
	for _, file := range files {
		objs, err := oracle.ReadRendered(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, obj := range objs {
			objects++
			sources[strings.Join(strings.SplitN(file, "/", 3)[:2], "/")]++
			kinds[obj.APIVersion+" "+obj.Kind]++
			for _, msg := range Validate(obj.Raw) {
				refusals = append(refusals, fmt.Sprintf("%s: %s: %s", file, obj.ID(), msg))
			}
		}
	}
	used := make([]bool, len(knownRefusals))
	for _, r := range refusals {
		if i := matchKnown(r); i >= 0 {
			used[i] = true
			t.Logf("known refusal: %s", r)
			continue
		}
		t.Errorf("refused: %s", r)
	}
	for i, k := range knownRefusals {
		if !used[i] {
			t.Errorf("known refusal %+v matches no refusal any more: remove it", k)
		}
	}
	// The test must not pass by checking nothing: every kind slipway
	// renders is checked, from every kind of source.
	if len(files) < 100 || objects < 400 {
		t.Errorf("checked %d objects in %d files; want at least 400 in 100", objects, len(files))
	}
	for _, src := range []string{"testdata/render", "testdata/eject", "examples/argocd", "examples/kpt", "examples/kustomize", "examples/platform-team", "examples/quickstart"} {
		if sources[src] == 0 {
			t.Errorf("no object checked under %s", src)
		}
	}
	for _, k := range manifests.AllKinds() {
		if kinds[k.APIVersion()+" "+k.Kind] == 0 {
			t.Errorf("no checked-in rendering has a %s %s", k.APIVersion(), k.Kind)
		}
	}
	t.Logf("checked %d objects in %d files: %v %v", objects, len(files), sources, kinds)
}

func matchKnown(refusal string) int {
	for i, k := range knownRefusals {
		if strings.HasPrefix(refusal, k.file+": "+k.object+": ") && strings.Contains(refusal, k.message) {
			return i
		}
	}
	return -1
}
