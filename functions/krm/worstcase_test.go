package krm_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/internal/worstcase"
	"github.com/slipway-dev/slipway/functions/krm"
)

// BenchmarkWorstCase runs the render function in process on each worst
// case under the limits (package worstcase): what docs/robustness.md
// states. hack/bench.sh times them as whole processes, with peak memory.
//
//	go test ./functions/krm -run '^$' -bench WorstCase -benchtime 3x -benchmem
func BenchmarkWorstCase(b *testing.B) {
	for _, c := range worstcase.Cases {
		b.Run(c.Name, func(b *testing.B) {
			input := c.Input()
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			for b.Loop() {
				var stderr bytes.Buffer
				code := krm.Run(generate.Processor{}, bytes.NewReader(input), io.Discard, &stderr)
				if want := map[bool]int{false: 0, true: 1}[c.Fails]; code != want || strings.Contains(stderr.String(), "limit") {
					b.Fatalf("exit code %d, want %d:\n%.500s", code, want, stderr.String())
				}
			}
		})
	}
}
