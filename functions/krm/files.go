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

// FileReader reads the objects of YAML files, each annotated, as kpt does,
// with its file (named as given) and its index in it, so that results name
// the file. The files it reads are held together to the limits of one
// input (MaxInputBytes, MaxSeparators, and the limits on values and depth,
// aliases counted as what they repeat): a directory of files is one input.
type FileReader struct {
	bytes, separators int
	limits            *limitChecker
}

// NewFileReader returns a reader with nothing read yet.
func NewFileReader() *FileReader { return &FileReader{limits: newLimitChecker()} }

// Read reads the objects of a file. Every document must be an object.
func (r *FileReader) Read(file, name string) ([]*yaml.RNode, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(MaxInputBytes-r.bytes)+1))
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
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, YAMLError(err, data))
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
