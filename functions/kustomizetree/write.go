package kustomizetree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Write writes each tree under root, all or nothing: every tree is written
// to a temporary directory beside its target and renamed into place, and no
// tree is written when any target exists, unless replace is set.
func Write(root string, trees []Tree, replace bool) error {
	var errs []error
	for _, t := range trees {
		target := filepath.Join(root, t.Dir)
		if _, err := os.Lstat(target); err == nil && !replace {
			errs = append(errs, fmt.Errorf("%s already exists; pass --force to replace it (everything in it is deleted)", target))
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	staged := make([]string, len(trees))
	defer func() {
		for _, dir := range staged {
			if dir != "" {
				os.RemoveAll(dir)
			}
		}
	}()
	for i, t := range trees {
		dir, err := os.MkdirTemp(root, ".eject-"+t.Dir+"-")
		if err != nil {
			return err
		}
		staged[i] = dir
		for _, f := range t.Files {
			if err := writeFile(filepath.Join(dir, filepath.FromSlash(f.Path[len(t.Dir)+1:])), f); err != nil {
				return err
			}
		}
	}
	for i, t := range trees {
		target := filepath.Join(root, t.Dir)
		if err := os.RemoveAll(target); err != nil {
			return err
		}
		if err := os.Rename(staged[i], target); err != nil {
			return err
		}
		staged[i] = ""
	}
	return nil
}

func writeFile(name string, f File) error {
	var buf bytes.Buffer
	if err := writeYAML(&buf, f.Objects); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, buf.Bytes(), 0o644)
}

// writeYAML writes nodes as a YAML stream, documents separated by "---".
func writeYAML(w io.Writer, nodes []*yaml.RNode) error {
	enc := yaml.NewEncoder(w)
	for _, n := range nodes {
		if err := enc.Encode(n.Document()); err != nil {
			return err
		}
	}
	return enc.Close() // writes what the encoder still holds
}
