// Package krm runs a KRM function: it reads a ResourceList within bounded
// size, runs a processor, writes the ResourceList with its results, and
// turns error results into a non-zero exit code.
package krm

import (
	"bytes"
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
)

// MaxInputBytes bounds the ResourceList a function reads, so that a huge
// input is refused with a clear message instead of exhausting memory. 64 MiB
// holds tens of thousands of Apps.
const MaxInputBytes = 64 << 20

// Run runs p on the ResourceList read from stdin and returns the exit code.
func Run(p framework.ResourceListProcessor, stdin io.Reader, stdout, stderr io.Writer) int {
	data, err := ReadLimited(stdin, MaxInputBytes)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	var out bytes.Buffer
	rw := &kio.ByteReadWriter{Reader: bytes.NewReader(data), Writer: &out, KeepReaderAnnotations: true}
	err = framework.Execute(p, rw)
	// The ResourceList is written even on error: it carries the results that
	// kpt shows. It holds no rendered objects then.
	if _, werr := stdout.Write(out.Bytes()); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// ReadLimited reads all of r, or fails when it holds more than limit bytes.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading input: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("input exceeds the limit of %d MiB", limit>>20)
	}
	return data, nil
}
