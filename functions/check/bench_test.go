package check

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/slipway-dev/slipway/functions/internal/appgen"
)

// BenchmarkTree checks a generated monorepo of 5,000 Apps in 1,000
// directories, one file each (hack/bench.sh times the whole command).
func BenchmarkTree(b *testing.B) {
	root := b.TempDir()
	nodes, err := appgen.Nodes(42, 5000)
	if err != nil {
		b.Fatal(err)
	}
	for i, n := range nodes {
		dir := filepath.Join(root, fmt.Sprintf("team-%04d", i%1000))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n.GetName()+".yaml"), []byte(n.MustString()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		report, err := Tree(root, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if report.Apps != 5000 || len(report.Findings) > 0 {
			b.Fatalf("%d Apps, findings %v", report.Apps, report.Findings)
		}
	}
}
