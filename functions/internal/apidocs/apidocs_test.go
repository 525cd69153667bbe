package apidocs

import (
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/internal/golden"
)

// TestReferenceUpToDate fails when docs/reference.md does not match the Go
// types; `make docs` (go test -update) rewrites it.
func TestReferenceUpToDate(t *testing.T) {
	got, err := Generate("../../api/v1alpha1", "types.go", "platform_types.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## AppSpec", "`image`", "`environments`", "## PlatformSpec", "`hostSuffix`"} {
		if !strings.Contains(got, want) {
			t.Fatalf("the reference lacks %s", want)
		}
	}
	golden.Compare(t, "../../../docs/reference.md", []byte(got))
}
