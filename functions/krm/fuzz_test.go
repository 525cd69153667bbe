package krm_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/krm"
)

// FuzzRun feeds fuzzed stdin to the render function, as its binary does.
// It must not panic or hang; it exits 0 or 1; on 1 it returns no rendered
// object and prints errors; on 0 it prints only warnings; whatever it
// writes reads back as YAML, each object alone. The seed corpus
// is in testdata/fuzz/FuzzRun (the bad-input corpus and golden inputs).
func FuzzRun(f *testing.F) {
	f.Add([]byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n"))
	f.Fuzz(func(t *testing.T, stdin []byte) {
		if len(stdin) > 64<<10 {
			return
		}
		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := krm.Run(generate.Processor{}, bytes.NewReader(stdin), &stdout, &stderr)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("the run took %v", d)
		}
		if err := readsBack(stdout.Bytes()); err != nil {
			t.Fatal(err)
		}
		switch code {
		case 0:
			for _, line := range splitLines(stderr.String()) {
				if !strings.HasPrefix(line, "warning: ") && !strings.HasPrefix(line, "info: ") {
					t.Fatalf("a successful run printed %q", line)
				}
			}
		case 1:
			if stderr.Len() == 0 {
				t.Fatal("a failed run printed no error")
			}
			if n := renderedIn(t, stdout.Bytes()) - renderedIn(t, stdin); n > 0 {
				t.Fatalf("a failed run returned %d rendered objects", n)
			}
		default:
			t.Fatalf("exit code %d", code)
		}
	})
}
