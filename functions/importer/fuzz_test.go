package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
)

// maxFuzzInput keeps each input small enough to import in milliseconds.
const maxFuzzInput = 16 << 10

// hangAfter is far beyond the time any input of maxFuzzInput bytes takes.
const hangAfter = 5 * time.Second

// FuzzImport imports a YAML stream (manifests, most likely). It must not
// panic; it returns an error, or Apps that render, with nothing lost: an
// App that does not render, or that loses an imported value, is a bug of
// import, never the input's. The seeds are the import cases' inputs.
func FuzzImport(f *testing.F) {
	inputs, _ := filepath.Glob("../../testdata/import/*/input/*.yaml")
	for _, file := range inputs {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		items, err := (&kio.ByteReader{Reader: strings.NewReader(string(data)), OmitReaderAnnotations: true}).Read()
		if err != nil || krm.CheckLimits(items, nil) != nil {
			return // the reader refuses it before import sees it
		}
		var res *Result
		done := make(chan struct{})
		go func() {
			defer close(done)
			res, err = Import(items)
		}()
		select {
		case <-done:
		case <-time.After(hangAfter):
			t.Fatalf("import took more than %v", hangAfter)
		}
		if err != nil {
			return
		}
		for _, a := range res.Apps {
			if len(a.Lost) > 0 {
				t.Fatalf("%s loses %q", a.App.Name, a.Lost)
			}
			exp, results := generate.Expand([]*yaml.RNode{a.Node}, nil, generate.Options{})
			if results.ExitCode() != 0 || len(exp.Apps) != 1 {
				t.Fatalf("the imported App %s does not render:\n%s", a.App.Name, results.Error())
			}
		}
	})
}
