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

// ReadFile reads the objects of a YAML file (see Read).
func ReadFile(file, name string) ([]*yaml.RNode, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, name)
}

// Read reads the objects of a YAML stream of at most MaxInputBytes, each
// annotated, as kpt does, with its file (named as name) and its index in
// it, so that results name the file. Every document must be an object.
func Read(r io.Reader, name string) ([]*yaml.RNode, error) {
	data, err := ReadLimited(r, MaxInputBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	reader := &kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}
	nodes, err := reader.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if reader.FunctionConfig != nil {
		// Its items would be read, and the options it holds ignored.
		return nil, fmt.Errorf("%s: a ResourceList with a functionConfig is the input of a KRM function (slipway-render), not a file of objects", name)
	}
	for i, n := range nodes {
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
