package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"sigs.k8s.io/kustomize/kyaml/kio"
)

// The schemas are checked with a validator of their own
// (santhosh-tekuri/jsonschema, which also checks them against the draft
// 2020-12 metaschema), against what slipway itself decides: every App and
// Platform of the examples and of the golden inputs is valid unless
// slipway rejects it, and each field that slipway's strict decoding
// rejects (an unknown field, a value of the wrong type), the schema
// rejects too, at the same path; and the schema rejects no field of these
// inputs that slipway accepts. (It does reject one thing slipway accepts,
// which no input here holds: an enumerated field set to "", which slipway
// reads as unset; README.md says so.)

// schemas compiles the two schemas, as the draft they name (2020-12), or
// as draft, when it is set.
func schemas(t *testing.T, draft *jsonschema.Draft) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for kind, data := range map[string][]byte{"App": App, "Platform": Platform} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if draft != nil {
			delete(doc.(map[string]any), "$schema")
			c.DefaultDraft(draft)
		}
		url := doc.(map[string]any)["$id"].(string)
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		if out[kind], err = c.Compile(url); err != nil {
			t.Fatalf("%s schema: %v", kind, err)
		}
	}
	return out
}

// object is an App or a Platform read from a file.
type object struct {
	kind, id string // id: "namespace/name", "name" or "(unnamed)", as messages name it
	value    any    // as a JSON validator sees it
}

// objects reads the Apps and Platforms of a YAML stream or ResourceList
// (its items and function config), as slipway decodes them.
func objects(t *testing.T, file string) []object {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r := &kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}
	nodes, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if r.FunctionConfig != nil {
		nodes = append(nodes, r.FunctionConfig)
	}
	var out []object
	for _, n := range nodes {
		group, _, _ := strings.Cut(n.GetApiVersion(), "/")
		if group != "slipway.dev" || (n.GetKind() != "App" && n.GetKind() != "Platform") {
			continue
		}
		var v any
		if err := n.YNode().Decode(&v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if v, err = jsonschema.UnmarshalJSON(bytes.NewReader(js)); err != nil {
			t.Fatal(err)
		}
		id := n.GetName()
		if id == "" {
			id = "(unnamed)"
		}
		if ns := n.GetNamespace(); ns != "" {
			id = ns + "/" + id
		}
		out = append(out, object{kind: n.GetKind(), id: id, value: v})
	}
	return out
}

// rejected lists the paths ("spec/ports/0/prot") the schema rejects.
func rejected(s *jsonschema.Schema, v any) []string {
	err := s.Validate(v)
	if err == nil {
		return nil
	}
	var paths []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if name, ok := e.ErrorKind.(*kind.PropertyNames); ok {
			// v6.0.3 keeps no copy of the location of a propertyNames error,
			// which later validation overwrites (santhosh-tekuri/jsonschema
			// issue 258, pull request 269): the name alone says which it is.
			paths = append(paths, "*/"+name.Property)
			return
		}
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		if extra, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
			for _, p := range extra.Properties {
				paths = append(paths, strings.Join(append(slices.Clone(e.InstanceLocation), p), "/"))
			}
			return
		}
		paths = append(paths, strings.Join(e.InstanceLocation, "/"))
	}
	walk(err.(*jsonschema.ValidationError))
	slices.Sort(paths)
	return slices.Compact(paths)
}

// problem is a line of errors.txt: an object, a field path, a message.
type problem struct {
	kind, id, path, message string
}

var (
	problemLine = regexp.MustCompile(`(?:^|: )(App|Platform) (\S+): ([A-Za-z$][^ ]*): (.*)$`)
	pathToken   = regexp.MustCompile(`[^.\[\]]+|\[[^\]]*\]`)
	// strictMessage are the messages of strict decoding: the problems a
	// JSON Schema states too.
	strictMessage = regexp.MustCompile(`^(unknown field|must be (a|an|true) .*, got |.* is not a quantity|integer .* is out of range|moved to spec.defaults)`)
)

// problems reads the error lines of a case (corpus files hold regular
// expressions of them), and whether some name no object.
func problems(t *testing.T, files []string) (out []problem, unattributed bool) {
	t.Helper()
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if strings.HasPrefix(line, "^") { // a regular expression of the line
				line = regexp.MustCompile(`\\(.)`).ReplaceAllString(strings.TrimSuffix(strings.TrimPrefix(line, "^"), "$"), "$1")
			}
			m := problemLine.FindStringSubmatch(line)
			if m == nil {
				unattributed = unattributed || line != ""
				continue
			}
			var path []string
			for _, tok := range pathToken.FindAllString(m[3], -1) {
				path = append(path, strings.Trim(tok, "[]"))
			}
			out = append(out, problem{kind: m[1], id: m[2], path: strings.Join(path, "/"), message: m[4]})
		}
	}
	return out, unattributed
}

// checkCase compares the schema's verdict on each object of input with
// slipway's, the error lines of the case.
func checkCase(t *testing.T, schemas map[string]*jsonschema.Schema, input string, errorFiles []string) {
	t.Helper()
	found, unattributed := problems(t, errorFiles)
	objs := objects(t, input)
	if len(objs) == 0 {
		t.Fatalf("%s holds no App or Platform", input)
	}
	for _, o := range objs {
		var strictPaths, anyPaths []string
		for _, p := range found {
			if p.kind == o.kind && p.id == o.id {
				anyPaths = append(anyPaths, p.path)
				if strictMessage.MatchString(p.message) {
					strictPaths = append(strictPaths, p.path)
				}
			}
		}
		got := rejected(schemas[o.kind], o.value)
		for _, p := range strictPaths {
			if !slices.Contains(got, p) && !knownGap(input, p) {
				t.Errorf("%s: %s %s: slipway rejects %s, the schema does not (it rejects: %v)", input, o.kind, o.id, p, got)
			}
		}
		for _, p := range got {
			if !unattributed && !slices.ContainsFunc(anyPaths, func(a string) bool { return related(a, p) }) {
				t.Errorf("%s: %s %s: the schema rejects %s, which slipway accepts", input, o.kind, o.id, p)
			}
		}
	}
}

// related reports whether two paths are the same field or one holds the
// other: the schema may name a value that slipway names a field of
// (command[0] is no string; command[0].$patch is misplaced).
func related(a, b string) bool {
	if name, ok := strings.CutPrefix(b, "*/"); ok { // any field of that name
		return a == name || strings.HasSuffix(a, "/"+name)
	}
	return a == b || strings.HasPrefix(a, b+"/") || strings.HasPrefix(b, a+"/")
}

// knownGaps are what a JSON Schema cannot see: the YAML parser has
// decided before any validator runs.
var knownGaps = map[string]string{
	"wrong-type-image-timestamp spec/image": "an unquoted date is a YAML timestamp to slipway's decoder, and a string once it is JSON",
}

func knownGap(input, path string) bool {
	_, ok := knownGaps[filepath.Base(filepath.Dir(input))+" "+path]
	return ok
}

// TestGoldenInputs checks every render case, valid or not, and the corpus
// cases of unknown fields and wrong types; with the schemas read as draft
// 2020-12, and as draft-07, which some language servers still implement
// alone: the schemas use nothing that draft-07 reads otherwise, but for the
// descriptions beside a $ref, which it ignores.
func TestGoldenInputs(t *testing.T) {
	t.Run("draft2020-12", func(t *testing.T) { testGoldenInputs(t, schemas(t, nil)) })
	t.Run("draft-07", func(t *testing.T) { testGoldenInputs(t, schemas(t, jsonschema.Draft7)) })
}

func testGoldenInputs(t *testing.T, s map[string]*jsonschema.Schema) {
	cases, _ := filepath.Glob("../testdata/render/*/input.yaml")
	for _, pattern := range []string{"../testdata/corpus/unknown-field-*/stdin.yaml", "../testdata/corpus/wrong-type-*/stdin.yaml"} {
		more, _ := filepath.Glob(pattern)
		cases = append(cases, more...)
	}
	if len(cases) < 70 {
		t.Fatalf("found only %d cases", len(cases))
	}
	for _, input := range cases {
		dir := filepath.Dir(input)
		t.Run(filepath.Base(filepath.Dir(dir))+"/"+filepath.Base(dir), func(t *testing.T) {
			if strings.Contains(dir, "wrong-type-metadata-string") {
				t.Skip("metadata is not a map: slipway refuses the item before it is an App, and so does the schema")
			}
			errorFiles, _ := filepath.Glob(filepath.Join(dir, "errors*.txt"))
			checkCase(t, s, input, errorFiles)
		})
	}
}

// TestInvalidFieldsRejected: the cases made of unknown fields and wrong
// types are rejected by the schema, every one of their fields that slipway
// names (checkCase), and not vacuously.
func TestInvalidFieldsRejected(t *testing.T) {
	s := schemas(t, nil)
	cases := []string{"../testdata/render/invalid-unknown-fields/input.yaml", "../testdata/render/invalid-wrong-types/input.yaml"}
	more, _ := filepath.Glob("../testdata/corpus/unknown-field-*/stdin.yaml")
	for _, input := range append(cases, more...) {
		rejectedAny := false
		for _, o := range objects(t, input) {
			rejectedAny = rejectedAny || len(rejected(s[o.kind], o.value)) > 0
		}
		if !rejectedAny {
			t.Errorf("%s: the schema accepts every object", input)
		}
	}
}

var modeline = regexp.MustCompile(`(?m)^# yaml-language-server: \$schema=(\S+)$`)

// TestExamples: every App and Platform of the examples is valid, and its
// file names its schema in a modeline, by a relative path that exists.
func TestExamples(t *testing.T) {
	s := schemas(t, nil)
	var files []string
	err := filepath.WalkDir("../examples", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, file := range files {
		objs := objects(t, file)
		if len(objs) == 0 {
			continue
		}
		checked++
		for _, o := range objs {
			if got := rejected(s[o.kind], o.value); len(got) > 0 {
				t.Errorf("%s: %s %s: the schema rejects %v", file, o.kind, o.id, got)
			}
			data, _ := os.ReadFile(file)
			m := modeline.FindSubmatch(data)
			want := fmt.Sprintf("schema/%s.schema.json", strings.ToLower(o.kind))
			if m == nil {
				t.Errorf("%s: no modeline # yaml-language-server: $schema=.../%s", file, want)
				continue
			}
			if target := filepath.Join(filepath.Dir(file), string(m[1])); filepath.Clean(target) != filepath.Join("..", want) {
				t.Errorf("%s: the modeline names %s, not %s", file, m[1], want)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("only %d example files hold an App or Platform", checked)
	}
}

// TestImportedApps: every App that slipway import wrote for its golden
// cases is valid.
func TestImportedApps(t *testing.T) {
	s := schemas(t, nil)
	files, _ := filepath.Glob("../testdata/import/*/output/*.yaml")
	checked := 0
	for _, file := range files {
		for _, o := range objects(t, file) {
			checked++
			if got := rejected(s[o.kind], o.value); len(got) > 0 {
				t.Errorf("%s: %s %s: the schema rejects %v", file, o.kind, o.id, got)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no imported App to check")
	}
}
