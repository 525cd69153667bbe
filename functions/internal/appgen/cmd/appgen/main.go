// Command appgen writes a ResourceList of n generated Apps to stdout, the
// input of the whole-process benchmarks (hack/bench.sh). With -rendered it
// instead reads a rendering (a ResourceList) on stdin and writes the objects
// the rendering created as a plain YAML stream: the "already expanded"
// manifests that a team without slipway would keep. With -stream it writes
// the Apps as a plain YAML stream (a kustomize or kpt package's file). With
// -tree DIR it writes them as a monorepo, one file per App spread over
// -dirs directories, the input of slipway check.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/internal/appgen"
	"github.com/slipway-dev/slipway/functions/manifests"
)

func main() {
	n := flag.Int("n", 1, "number of Apps")
	seed := flag.Uint64("seed", 42, "seed of the generator")
	rendered := flag.Bool("rendered", false, "read a rendering on stdin and write the rendered objects as a YAML stream")
	stream := flag.Bool("stream", false, "write the Apps as a plain YAML stream, not a ResourceList")
	tree := flag.String("tree", "", "write the Apps as files under this directory")
	dirs := flag.Int("dirs", 1, "with -tree, the number of directories")
	flag.Parse()
	var err error
	switch {
	case *tree != "":
		err = writeTree(*tree, *seed, *n, *dirs)
	case *rendered:
		err = writeRendered()
	case *stream:
		var nodes []*yaml.RNode
		if nodes, err = appgen.Nodes(*seed, *n); err == nil {
			err = kio.ByteWriter{Writer: os.Stdout}.Write(nodes)
		}
	default:
		var data []byte
		if data, err = appgen.ResourceList(*seed, *n); err == nil {
			_, err = os.Stdout.Write(data)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func writeRendered() error {
	items, err := (&kio.ByteReader{Reader: os.Stdin, OmitReaderAnnotations: true}).Read()
	if err != nil {
		return err
	}
	var out []*yaml.RNode
	for _, item := range items {
		if item.GetLabels()[manifests.LabelManagedBy] == manifests.ManagedBy {
			out = append(out, item)
		}
	}
	return kio.ByteWriter{Writer: os.Stdout}.Write(out)
}

// writeTree writes App i as DIR/team-<i mod dirs>/<name>.yaml.
func writeTree(root string, seed uint64, n, dirs int) error {
	nodes, err := appgen.Nodes(seed, n)
	if err != nil {
		return err
	}
	for i, node := range nodes {
		dir := filepath.Join(root, fmt.Sprintf("team-%04d", i%max(dirs, 1)))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, node.GetName()+".yaml"), []byte(node.MustString()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
