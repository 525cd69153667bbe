package generate

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/encode"
	"github.com/slipway-dev/slipway/functions/internal/appgen"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// The benchmarks time each stage of a rendering of n generated Apps:
// decode (ResourceList bytes to YAML nodes), resolve (strict check, merge,
// defaults, validation), render (typed objects to YAML nodes), encode (nodes
// to output bytes), and the whole function in process. hack/bench.sh times
// the binary as a whole process.

var benchSizes = []int{1, 100, 1000}

const benchSeed = 42

type benchInput struct {
	stdin    []byte
	items    []*yaml.RNode
	docs     []map[string]any
	apps     []*v1alpha1.App
	rendered []*yaml.RNode
}

func newBenchInput(b *testing.B, n int) *benchInput {
	b.Helper()
	in := &benchInput{}
	var err error
	if in.stdin, err = appgen.ResourceList(benchSeed, n); err != nil {
		b.Fatal(err)
	}
	if in.items, err = (&kio.ByteReader{Reader: bytes.NewReader(in.stdin)}).Read(); err != nil {
		b.Fatal(err)
	}
	for _, item := range in.items {
		var doc map[string]any
		if err := item.YNode().Decode(&doc); err != nil {
			b.Fatal(err)
		}
		in.docs = append(in.docs, doc)
		app, errs := v1alpha1.ResolveApp(doc, nil, Options{})
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		in.apps = append(in.apps, app)
	}
	out, results := Render(in.items, nil, Options{})
	if results.ExitCode() != 0 {
		b.Fatal(results)
	}
	in.rendered = out
	return in
}

func benchEach(b *testing.B, run func(b *testing.B, in *benchInput)) {
	for _, n := range benchSizes {
		in := newBenchInput(b, n)
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			run(b, in)
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	benchEach(b, func(b *testing.B, in *benchInput) {
		b.SetBytes(int64(len(in.stdin)))
		for b.Loop() {
			if _, err := (&kio.ByteReader{Reader: bytes.NewReader(in.stdin)}).Read(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	benchEach(b, func(b *testing.B, in *benchInput) {
		for b.Loop() {
			for _, doc := range in.docs {
				if _, errs := v1alpha1.ResolveApp(doc, nil, Options{}); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		}
	})
}

func BenchmarkRender(b *testing.B) {
	benchEach(b, func(b *testing.B, in *benchInput) {
		for b.Loop() {
			for _, app := range in.apps {
				if _, err := manifests.Render(app, nil); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	benchEach(b, func(b *testing.B, in *benchInput) {
		for b.Loop() {
			if err := encode.WriteResourceList(io.Discard, kio.ResourceListAPIVersion, kio.ResourceListKind, in.rendered, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFunction runs the whole function in process: read, render, write.
func BenchmarkFunction(b *testing.B) {
	benchEach(b, func(b *testing.B, in *benchInput) {
		b.SetBytes(int64(len(in.stdin)))
		for b.Loop() {
			if code := krm.Run(Processor{}, bytes.NewReader(in.stdin), io.Discard, io.Discard); code != 0 {
				b.Fatal("exit code", code)
			}
		}
	})
}
