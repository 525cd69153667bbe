package generate

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/internal/appgen"
	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// TestWriterMatchesByteWriter checks that the function's ResourceList writer,
// which writes rendered objects with its own fast emitter, writes exactly the
// bytes of kio.ByteWriter (yaml.v3), for every golden case in every
// environment and for generated Apps.
func TestWriterMatchesByteWriter(t *testing.T) {
	renderings := map[string][]*yaml.RNode{}
	for _, dir := range golden.Cases(t, "../../testdata/render") {
		items, config := ReadCase(t, dir)
		for _, env := range append([]string{""}, Environments(t, items)...) {
			if out, results := Render(copyNodes(items), config, Options{Environment: env}); results.ExitCode() == 0 {
				renderings[filepath.Base(dir)+"/"+env] = out
			}
		}
	}
	for seed := uint64(1); seed <= 20; seed++ {
		data, err := appgen.ResourceList(seed, 10)
		if err != nil {
			t.Fatal(err)
		}
		rw := &kio.ByteReadWriter{Reader: bytes.NewReader(data)}
		items, err := rw.Read()
		if err != nil {
			t.Fatal(err)
		}
		out, results := Render(items, nil, Options{})
		if results.ExitCode() != 0 {
			t.Fatal(results.Error())
		}
		renderings[filepath.Join("appgen", string(rune('a'+seed)))] = out
	}
	if len(renderings) < 20 {
		t.Fatalf("only %d renderings to compare", len(renderings))
	}
	for name, items := range renderings {
		var want, got bytes.Buffer
		// kyaml's framework writes a ResourceList keeping the index
		// annotations, which kpt needs to put several objects in one file.
		if err := (kio.ByteWriter{Writer: &want, WrappingKind: kio.ResourceListKind, WrappingAPIVersion: kio.ResourceListAPIVersion, KeepReaderAnnotations: true}).Write(copyNodes(items)); err != nil {
			t.Fatal(err)
		}
		if err := encode.WriteResourceList(&got, kio.ResourceListAPIVersion, kio.ResourceListKind, copyNodes(items), nil, nil); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("%s: the writer differs from kio.ByteWriter (-want +got):\n%s", name, diff)
		}
	}
}
