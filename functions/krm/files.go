package krm

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FileReader reads the objects of YAML files and streams, each annotated,
// as kpt does, with its file (named as given) and its index in it, so that
// results name the file. What it reads is held together to the limits of
// one input (MaxInputBytes, MaxSeparators, and the limits on values and
// depth, aliases counted as what they repeat): a directory of files is one
// input.
type FileReader struct {
	bytes, separators int
	limits            *limitChecker
}

// NewFileReader returns a reader with nothing read yet.
func NewFileReader() *FileReader { return &FileReader{limits: newLimitChecker()} }

// ReadFile reads the objects of a file (see Read).
func (r *FileReader) ReadFile(file, name string) ([]*yaml.RNode, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return r.Read(f, name)
}

// Read reads the objects of a YAML stream named name. Every document must
// be an object.
func (r *FileReader) Read(in io.Reader, name string) ([]*yaml.RNode, error) {
	data, err := io.ReadAll(io.LimitReader(in, int64(MaxInputBytes-r.bytes)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r.bytes += len(data)
	if r.bytes > MaxInputBytes {
		return nil, fmt.Errorf("%s: the input exceeds the limit of %d MiB", name, MaxInputBytes>>20)
	}
	n := separators(data)
	r.separators += n
	if r.separators > MaxSeparators {
		return nil, fmt.Errorf("%s: the input holds %d YAML separators (newline , [ { - :), more than the limit of %d", name, r.separators, MaxSeparators)
	}
	reader := &kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}
	nodes, err := reader.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, YAMLError(err, data))
	}
	if reader.FunctionConfig != nil {
		// Its items would be read, and the options it holds ignored.
		return nil, fmt.Errorf("%s: a ResourceList with a functionConfig is the input of a KRM function (slipway-render), not a file of objects", name)
	}
	for i, n := range nodes {
		if err := r.limits.check(n.YNode(), fmt.Sprintf("document %d", i+1)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if n.YNode().Kind != yaml.MappingNode || n.GetApiVersion() == "" || n.GetKind() == "" {
			return nil, fmt.Errorf("%s: document %d: not an object: apiVersion and kind are required", name, i+1)
		}
		if err := SetFile(n, name, i); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// SetFile sets the annotations that tell kpt the file and the position in
// it an item is written to.
func SetFile(obj *yaml.RNode, file string, index int) error {
	// One PipeE per annotation: PipeE hands each filter the previous
	// filter's result, which for SetAnnotation is the value just set.
	if err := obj.PipeE(yaml.SetAnnotation(kioutil.PathAnnotation, file)); err != nil {
		return err
	}
	return obj.PipeE(yaml.SetAnnotation(kioutil.IndexAnnotation, strconv.Itoa(index)))
}
