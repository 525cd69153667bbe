package oracle

import (
	"path/filepath"
	"testing"

	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// eachGoldenRendering calls fn with the objects slipway rendered in each
// expected file of every golden case (base and environments); objects passed
// through from the input are left out.
func eachGoldenRendering(t *testing.T, fn func(file string, objects []*Object)) {
	t.Helper()
	for _, dir := range golden.Cases(t, "../../../testdata/render") {
		files, _ := filepath.Glob(filepath.Join(dir, "expected*.yaml"))
		for _, file := range files {
			rendered, err := ReadRendered(file)
			if err != nil {
				t.Fatal(err)
			}
			fn(file, rendered)
		}
	}
}
