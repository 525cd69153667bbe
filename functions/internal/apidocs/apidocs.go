// Package apidocs generates the field reference (docs/reference.md) and the
// JSON Schemas (schema/*.schema.json) from the Go types of the API and their
// doc comments, and the table of rendered kinds from manifests.Kinds, so the
// docs cannot drift from either.
package apidocs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/slipway-dev/slipway/functions/manifests"
)

// Generate returns the Markdown reference of the struct types declared in
// the given Go files of dir, in declaration order.
func Generate(dir string, files ...string) (string, error) {
	fset := token.NewFileSet()
	var types []*ast.TypeSpec
	docs := map[*ast.TypeSpec]string{}
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return "", err
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				if _, isStruct := ts.Type.(*ast.StructType); isStruct {
					types = append(types, ts)
					docs[ts] = gen.Doc.Text()
				}
			}
		}
	}
	known := map[string]bool{}
	for _, ts := range types {
		known[ts.Name.Name] = true
	}
	var b strings.Builder
	b.WriteString("# Field reference: slipway.dev/v1alpha1\n\n")
	b.WriteString("Generated from the Go types in functions/api/v1alpha1 by `make docs`; a test fails when it is out of date.\n")
	b.WriteString("The same types give the JSON Schemas [schema/app.schema.json](../schema/app.schema.json) and [schema/platform.schema.json](../schema/platform.schema.json), for editors and other validators (`slipway schema app|platform` prints them).\n\n")
	writeKinds(&b)
	for _, ts := range types {
		fmt.Fprintf(&b, "## %s\n\n%s\n", ts.Name.Name, paragraph(docs[ts]))
		b.WriteString("| Field | Type | Description | Default | Example |\n|---|---|---|---|---|\n")
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			name, inline := jsonName(field)
			if name == "-" {
				continue
			}
			desc, def, example := splitDoc(field.Doc.Text())
			typ := typeName(field.Type, known)
			if inline {
				name, typ = inlineName(field.Type), "inline"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", name, typ, cell(desc), code(def), code(example))
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

func jsonName(f *ast.Field) (name string, inline bool) {
	tag := ""
	if f.Tag != nil {
		tag = reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" && len(f.Names) > 0 {
		name = f.Names[0].Name
	}
	return name, strings.Contains(opts, "inline") && name == ""
}

func inlineName(expr ast.Expr) string {
	switch typeString(expr) {
	case "metav1.TypeMeta":
		return "apiVersion`, `kind"
	case "corev1.Probe":
		return "(core/v1 Probe fields)"
	}
	return typeString(expr)
}

// splitDoc separates a field comment into its description and its
// "Default:" and "Example:" values. A value runs to the end of the comment
// or to the next marker, across lines.
func splitDoc(doc string) (desc, def, example string) {
	var descParts, defParts, exampleParts []string
	current := &descParts
	for _, line := range strings.Split(strings.TrimSpace(doc), "\n") {
		for {
			i, marker := markerIndex(line)
			if i < 0 {
				break
			}
			if text := strings.TrimSpace(line[:i]); text != "" {
				*current = append(*current, text)
			}
			current, line = &defParts, line[i+len(marker):]
			if marker == "Example: " {
				current = &exampleParts
			}
		}
		if line = strings.TrimSpace(line); line != "" {
			*current = append(*current, line)
		}
	}
	return strings.Join(descParts, " "), strings.Join(defParts, " "), strings.Join(exampleParts, " ")
}

// markerIndex finds the first "Default: " or "Example: " in a line.
func markerIndex(line string) (int, string) {
	d, e := strings.Index(line, "Default: "), strings.Index(line, "Example: ")
	switch {
	case d >= 0 && (e < 0 || d < e):
		return d, "Default: "
	case e >= 0:
		return e, "Example: "
	}
	return -1, ""
}

func typeName(expr ast.Expr, known map[string]bool) string {
	switch t := expr.(type) {
	case *ast.StarExpr:
		return typeName(t.X, known)
	case *ast.ArrayType:
		return "list of " + typeName(t.Elt, known)
	case *ast.MapType:
		if typeString(t.Value) == "json.RawMessage" {
			return "map of name to spec fields"
		}
		return "map of " + typeName(t.Key, known) + " to " + typeName(t.Value, known)
	case *ast.Ident:
		if known[t.Name] {
			return fmt.Sprintf("[%s](#%s)", t.Name, strings.ToLower(t.Name))
		}
		switch t.Name {
		case "int32", "int64":
			return "integer"
		case "bool":
			return "boolean"
		}
		return t.Name
	}
	switch s := typeString(expr); s {
	case "intstr.IntOrString":
		return "integer or string"
	case "corev1.Protocol", "corev1.ServiceType", "corev1.Capability":
		return "string"
	default:
		return strings.Replace(strings.Replace(s, "corev1.", "core/v1 ", 1), "metav1.", "meta/v1 ", 1)
	}
}

func typeString(expr ast.Expr) string {
	switch t := expr.(type) {
	case *ast.SelectorExpr:
		return typeString(t.X) + "." + t.Sel.Name
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return typeString(t.X)
	}
	return fmt.Sprintf("%T", expr)
}

func paragraph(doc string) string {
	return strings.Join(strings.Fields(doc), " ") + "\n"
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// writeKinds lists the kinds an App renders, in output order, from
// manifests.Kinds.
func writeKinds(b *strings.Builder) {
	b.WriteString("## Rendered objects\n\n")
	b.WriteString("What an App renders, in the order of the output (an App's objects follow each other in this order; Apps are sorted by namespace and name, after the input's other objects).\n\n")
	b.WriteString("| Kind | apiVersion | Rendered for | Eject file |\n|---|---|---|---|\n")
	for _, k := range manifests.Kinds {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", k.Kind, kindVersions(k), cell(k.What), code(k.File()))
	}
	b.WriteString("\n### Rendered once per Platform\n\n")
	b.WriteString("What a Platform renders itself, once, whatever Apps it is rendered with (not where the Argo CD plugin's platform parameter shares it with an App directory), before the Apps' objects, in this order, beside the Platform's file in `<platform name>.generated.yaml` (`<platform name>.<environment>.generated.yaml` for an environment). They are labelled `app.kubernetes.io/managed-by: slipway` like an App's, so a re-render replaces them.\n\n")
	b.WriteString("| Kind | apiVersion | Rendered for |\n|---|---|---|\n")
	for _, k := range manifests.PlatformKinds {
		fmt.Fprintf(b, "| %s | %s | %s |\n", k.Kind, kindVersions(k), cell(k.What))
	}
	b.WriteString("\n")
}

// kindVersions lists the apiVersions a kind may be rendered at, the
// default first.
func kindVersions(k manifests.Kind) string {
	versions := k.APIVersion()
	for _, v := range k.Versions[1:] {
		versions += ", " + k.Group + "/" + v
	}
	return versions
}
