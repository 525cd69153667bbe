package apidocs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// SchemaBaseURL is where the published schemas live; each schema's $id is
// this URL and its file name.
const SchemaBaseURL = "https://raw.githubusercontent.com/slipway-dev/slipway/main/schema/"

// dnsLabelPattern is a DNS-1123 label: environment names are directory
// names of an eject.
const dnsLabelPattern = `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`

// quantityPattern is the Kubernetes API's own pattern of a quantity string.
const quantityPattern = `^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`

// Schema returns the JSON Schema (draft 2020-12) of kind, v1alpha1.App or
// v1alpha1.Platform, derived from the Go types the way strict decoding
// reads them: the same fields (inlined structs flattened), the same JSON
// types, null accepted wherever strict decoding takes it as the zero value,
// every unknown field refused (additionalProperties: false). On top it has
// the descriptions (the doc comments, from docs), the values of
// v1alpha1.Enums, and the two shapes strict decoding does not see:
// environment sections, which are partial specs without environments, and
// the "$patch: delete" of the named lists' items.
func Schema(kind reflect.Type, docs Docs) ([]byte, error) {
	g := newSchemaGen(docs)
	object := g.structSchema(kind, "")
	props := object["properties"].(map[string]any)
	props["apiVersion"] = map[string]any{"const": v1alpha1.APIVersion}
	props["kind"] = map[string]any{"const": kind.Name()}
	for t := range g.patchable {
		g.defs[defName(t, "")]["properties"].(map[string]any)[v1alpha1.PatchKey] = map[string]any{
			"const": "delete",
			"description": "In an environment section only: removes the inherited item of this name; " +
				"the item then holds only its name and $patch.",
		}
	}
	if g.err != nil {
		return nil, g.err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // descriptions say "<name>-canary" and "a > b"
	enc.SetIndent("", "  ")
	err := enc.Encode(rootSchema{
		Schema:               "https://json-schema.org/draft/2020-12/schema",
		ID:                   SchemaBaseURL + strings.ToLower(kind.Name()) + ".schema.json",
		Title:                v1alpha1.APIVersion + " " + kind.Name(),
		Description:          object["description"],
		Type:                 "object",
		Required:             []string{"apiVersion", "kind"},
		Properties:           props,
		AdditionalProperties: false,
		Defs:                 g.defs,
	})
	return out.Bytes(), err
}

// rootSchema is the schema of a kind, its header first.
type rootSchema struct {
	Schema               string                    `json:"$schema"`
	ID                   string                    `json:"$id"`
	Title                string                    `json:"title"`
	Description          any                       `json:"description,omitempty"`
	Type                 string                    `json:"type"`
	Required             []string                  `json:"required"`
	Properties           map[string]any            `json:"properties"`
	AdditionalProperties bool                      `json:"additionalProperties"`
	Defs                 map[string]map[string]any `json:"$defs"`
}

// CheckEnums fails when an entry of v1alpha1.Enums names no field of the
// App or Platform types: it would be in neither the schema nor, likely, the
// validator.
func CheckEnums(docs Docs) error {
	g := newSchemaGen(docs)
	g.structSchema(reflect.TypeFor[v1alpha1.App](), "")
	g.structSchema(reflect.TypeFor[v1alpha1.Platform](), "")
	for f := range v1alpha1.Enums {
		if !g.enums[f] {
			return fmt.Errorf("v1alpha1.Enums: %s has no field %q that an App or Platform reaches", f.Type, f.Name)
		}
	}
	return g.err
}

func newSchemaGen(docs Docs) *schemaGen {
	return &schemaGen{docs: docs, defs: map[string]map[string]any{}, enums: map[v1alpha1.Field]bool{}, patchable: map[reflect.Type]bool{}}
}

type schemaGen struct {
	docs Docs
	defs map[string]map[string]any
	// enums are the entries of v1alpha1.Enums used.
	enums map[v1alpha1.Field]bool
	// patchable are the item types of the named lists.
	patchable map[reflect.Type]bool
	err       error
}

var (
	quantityType    = reflect.TypeFor[resource.Quantity]()
	intOrStringType = reflect.TypeFor[intstr.IntOrString]()
	timeType        = reflect.TypeFor[metav1.Time]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	apiPackage      = reflect.TypeFor[v1alpha1.App]().PkgPath()
)

// withoutEnvironments are the fields that hold a spec whose environments
// are refused: the Platform's App defaults.
var withoutEnvironments = map[v1alpha1.Field]bool{
	v1alpha1.FieldOf[v1alpha1.PlatformSpec]("defaults"): true,
}

// ref returns a reference to the definition of struct t (without the field
// named except, if any), defining it first.
func (g *schemaGen) ref(t reflect.Type, except string) map[string]any {
	name := defName(t, except)
	if _, done := g.defs[name]; !done {
		g.defs[name] = nil // being defined: a recursive reference finds it
		g.defs[name] = g.structSchema(t, except)
	}
	return map[string]any{"$ref": "#/$defs/" + name}
}

// define defines t as s, and returns a reference to it.
func (g *schemaGen) define(t reflect.Type, s map[string]any) map[string]any {
	name := defName(t, "")
	g.defs[name] = s
	return map[string]any{"$ref": "#/$defs/" + name}
}

// defName names a type's definition: our types by their Go name, others as
// the Kubernetes OpenAPI does (io.k8s.api.core.v1.Probe).
func defName(t reflect.Type, except string) string {
	name := t.Name()
	if except != "" {
		name += "Without" + strings.ToUpper(except[:1]) + except[1:]
	}
	if t.PkgPath() == apiPackage {
		return name
	}
	host, rest, _ := strings.Cut(t.PkgPath(), "/")
	parts := strings.Split(host, ".")
	slices.Reverse(parts)
	return strings.Join(parts, ".") + "." + strings.ReplaceAll(rest, "/", ".") + "." + name
}

// structSchema is the schema of struct t, without the field named except.
func (g *schemaGen) structSchema(t reflect.Type, except string) map[string]any {
	props := map[string]any{}
	g.addFields(t, props)
	delete(props, except)
	s := map[string]any{"type": nullable("object"), "properties": props, "additionalProperties": false}
	if doc := g.docs[docKey(t, "")]; doc != "" {
		if except != "" {
			doc += fmt.Sprintf(" (Here without %s.)", except)
		}
		s["description"] = doc
	}
	return s
}

// addFields adds the schema of each JSON field of struct t to props; the
// fields of an inlined struct are its own, as encoding/json reads them.
func (g *schemaGen) addFields(t reflect.Type, props map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct {
			g.addFields(deref(f.Type), props)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.fieldSchema(t, f, name)
	}
}

// fieldSchema is the schema of field f, named name, of struct t.
func (g *schemaGen) fieldSchema(t reflect.Type, f reflect.StructField, name string) map[string]any {
	var s map[string]any
	key := v1alpha1.Field{Type: t, Name: name}
	switch {
	case f.Type == reflect.TypeFor[map[string]json.RawMessage]() && name == "environments":
		s = map[string]any{"type": nullable("object"), "additionalProperties": g.ref(t, "environments"),
			"propertyNames": map[string]any{"pattern": dnsLabelPattern, "maxLength": 63}}
	case withoutEnvironments[key]:
		s = g.ref(deref(f.Type), "environments")
	default:
		s = g.typeSchema(f.Type)
	}
	if values, ok := v1alpha1.Enums[key]; ok {
		g.enums[key] = true
		target := s
		if items, ok := s["items"].(map[string]any); ok {
			target = items
		}
		enum := []any{}
		for _, v := range values {
			enum = append(enum, v)
		}
		target["enum"] = append(enum, nil)
	}
	if _, named := v1alpha1.NamedLists[name]; named && t.PkgPath() == apiPackage && f.Type.Kind() == reflect.Slice {
		g.patchable[deref(f.Type.Elem())] = true
	}
	if doc := g.docs[docKey(t, f.Name)]; doc != "" {
		s["description"] = doc
	}
	return s
}

// typeSchema is the schema of a value of type t.
func (g *schemaGen) typeSchema(t reflect.Type) map[string]any {
	t = deref(t)
	switch t {
	case quantityType:
		return g.define(t, map[string]any{"type": nullable("string", "number"), "pattern": quantityPattern,
			"description": "A quantity: a number, or a string such as 100m, 0.5 or 1Gi."})
	case intOrStringType:
		return g.define(t, map[string]any{"type": nullable("integer", "string"),
			"description": "An integer, or a string such as a percentage (25%) or a port name."})
	case timeType:
		return map[string]any{"type": nullable("string"), "format": "date-time"}
	case rawMessageType:
		g.fail("a json.RawMessage other than environments: say in the schema generator what it holds")
		return map[string]any{}
	}
	if t.Kind() != reflect.Interface && reflect.PointerTo(t).Implements(unmarshalerType) {
		return map[string]any{} // decodes itself: anything (such as FieldsV1)
	}
	switch t.Kind() {
	case reflect.Struct:
		return g.ref(t, "")
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			g.fail("%s: map keys must be strings", t)
		}
		return map[string]any{"type": nullable("object"), "additionalProperties": g.typeSchema(t.Elem())}
	case reflect.Slice:
		return map[string]any{"type": nullable("array"), "items": g.typeSchema(t.Elem())}
	case reflect.String:
		return map[string]any{"type": nullable("string")}
	case reflect.Bool:
		return map[string]any{"type": nullable("boolean")}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		bits := t.Bits()
		return map[string]any{"type": nullable("integer"), "minimum": int64(-1) << (bits - 1), "maximum": int64(math.MaxInt64 >> (64 - bits))}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": nullable("integer"), "minimum": 0, "maximum": uint64(1)<<t.Bits() - 1}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": nullable("number")}
	case reflect.Interface:
		return map[string]any{}
	}
	g.fail("%s: no JSON Schema for kind %s", t, t.Kind())
	return map[string]any{}
}

func (g *schemaGen) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf("schema: "+format, args...)
	}
}

// nullable lists the JSON types, and null: strict decoding takes null as
// the zero value of any field, and an environment section sets null to
// remove an inherited value.
func nullable(types ...string) []string { return append(types, "null") }

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// Docs are doc comments of Go types and fields, by docKey.
type Docs map[string]string

func docKey(t reflect.Type, field string) string {
	key := t.PkgPath() + "." + t.Name()
	if field != "" {
		key += "." + field
	}
	return key
}

// ReadDocs reads the doc comments of the struct types, and of their fields,
// of the packages given by import path and source directory. Lines of
// markers (+optional, +listType=...) and TODOs are left out.
func ReadDocs(packages map[string]string) (Docs, error) {
	docs := Docs{}
	for pkg, dir := range packages {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				return nil, err
			}
			f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			for _, decl := range f.Decls {
				gen, ok := decl.(*ast.GenDecl)
				if !ok || gen.Tok != token.TYPE {
					continue
				}
				for _, spec := range gen.Specs {
					ts := spec.(*ast.TypeSpec)
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					doc := ts.Doc
					if doc == nil && len(gen.Specs) == 1 {
						doc = gen.Doc
					}
					docs[pkg+"."+ts.Name.Name] = cleanDoc(doc.Text())
					for _, field := range st.Fields.List {
						names := field.Names
						if len(names) == 0 { // embedded: named by its type
							names = []*ast.Ident{ast.NewIdent(typeString(field.Type)[strings.LastIndex(typeString(field.Type), ".")+1:])}
						}
						for _, name := range names {
							docs[pkg+"."+ts.Name.Name+"."+name.Name] = cleanDoc(field.Doc.Text())
						}
					}
				}
			}
		}
	}
	return docs, nil
}

// cleanDoc joins the lines of each paragraph of a doc comment, without
// marker lines and TODOs.
func cleanDoc(doc string) string {
	var paragraphs []string
	for _, p := range strings.Split(doc, "\n\n") {
		var lines []string
		for _, line := range strings.Split(p, "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "+") || strings.HasPrefix(line, "TODO") {
				continue
			}
			lines = append(lines, line)
		}
		if text := strings.Join(strings.Fields(strings.Join(lines, " ")), " "); text != "" {
			paragraphs = append(paragraphs, text)
		}
	}
	return strings.Join(paragraphs, "\n\n")
}
