package krm

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
)

// FormatResult is the one-line form of a result, as printed on stderr:
// "[file: ]Kind [namespace/]name: field.path: message". The result itself
// keeps the parts apart (file, resourceRef, field), which is how kpt shows it.
func FormatResult(r *framework.Result) string {
	var parts []string
	if r.File != nil && r.File.Path != "" {
		parts = append(parts, r.File.Path)
	}
	if ref := r.ResourceRef; ref != nil {
		name := ref.Name
		if name == "" {
			name = "(unnamed)"
		}
		if ref.Namespace != "" {
			name = ref.Namespace + "/" + name
		}
		// A name is user input: one with a line break or another control
		// character is quoted, so that every result stays one line.
		if strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
			name = strconv.Quote(name)
		}
		parts = append(parts, strings.TrimSpace(ref.Kind+" "+name))
	}
	if r.Field != nil && r.Field.Path != "" {
		parts = append(parts, r.Field.Path)
	}
	return strings.Join(append(parts, oneLine(r.Message)), ": ")
}

// lineBreak is a line break, the colon before it if any, and the
// indentation after it.
var lineBreak = regexp.MustCompile(`(:?)\s*\n\s*`)

// oneLine joins the lines of a message (such as the YAML decoder's list of
// errors): after a colon with a space, otherwise with "; ".
func oneLine(msg string) string {
	return lineBreak.ReplaceAllStringFunc(strings.TrimSpace(msg), func(m string) string {
		if strings.HasPrefix(m, ":") {
			return ": "
		}
		return "; "
	})
}

// PrintError writes err to w: each result of a framework.Results on a line
// of its own, prefixed with its severity; any other error as it is.
func PrintError(w io.Writer, err error) {
	var results framework.Results
	if !errors.As(err, &results) {
		fmt.Fprintln(w, "error:", err)
		return
	}
	for _, r := range results {
		fmt.Fprintf(w, "%s: %s\n", r.Severity, FormatResult(r))
	}
}
