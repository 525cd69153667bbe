package apidocs

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
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

func TestSplitDoc(t *testing.T) {
	for _, tc := range []struct{ doc, desc, def, example string }{
		{"Replicas of the app. Default: 1", "Replicas of the app.", "1", ""},
		{"Target of the CPU. Default: 80 when no\nmemory target is set", "Target of the CPU.", "80 when no memory target is set", ""},
		{"Hosts to route.\nExample: [a.example.com]", "Hosts to route.", "", "[a.example.com]"},
		{"Type. Default: ClusterIP\nExample: {type: NodePort,\nnodePort: 30080}", "Type.", "ClusterIP", "{type: NodePort, nodePort: 30080}"},
	} {
		desc, def, example := splitDoc(tc.doc)
		if desc != tc.desc || def != tc.def || example != tc.example {
			t.Errorf("splitDoc(%q) = %q, %q, %q; want %q, %q, %q", tc.doc, desc, def, example, tc.desc, tc.def, tc.example)
		}
	}
}

// TestSchemaUpToDate fails when schema/app.schema.json or
// schema/platform.schema.json does not match the Go types; `make docs`
// (go test -update) rewrites them.
func TestSchemaUpToDate(t *testing.T) {
	docs := readDocs(t)
	for _, kind := range []reflect.Type{reflect.TypeFor[v1alpha1.App](), reflect.TypeFor[v1alpha1.Platform]()} {
		got, err := Schema(kind, docs)
		if err != nil {
			t.Fatal(err)
		}
		golden.Compare(t, "../../../schema/"+strings.ToLower(kind.Name())+".schema.json", got)
	}
	if err := CheckEnums(docs); err != nil {
		t.Error(err)
	}
}

// readDocs reads the doc comments of the packages whose types the App and
// the Platform hold, from their source in the module cache.
func readDocs(t *testing.T) Docs {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Dir}}",
		apiPackage, "k8s.io/api/core/v1", "k8s.io/apimachinery/pkg/apis/meta/v1").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	packages := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, dir, _ := strings.Cut(line, " ")
		packages[pkg] = dir
	}
	docs, err := ReadDocs(packages)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}
