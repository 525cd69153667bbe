// Package krm runs a KRM function: it reads a ResourceList within bounded
// size and nesting, runs a processor, writes the ResourceList with its
// results, and turns error results into a non-zero exit code.
package krm

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/filters"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/encode"
)

// Run runs p on the ResourceList read from stdin and returns the exit code.
func Run(p framework.ResourceListProcessor, stdin io.Reader, stdout, stderr io.Writer) int {
	data, err := ReadLimited(stdin, MaxInputBytes)
	if err == nil {
		err = CheckStructure(data)
	}
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	var out bytes.Buffer
	results, err := execute(p, data, &out)
	// The ResourceList is written even on error: it carries the results that
	// kpt shows. It holds no rendered objects then.
	if _, werr := stdout.Write(out.Bytes()); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		PrintError(stderr, err)
		return 1
	}
	// Warnings go to stderr as well: kustomize and Argo CD show stderr, not
	// the results of the ResourceList.
	for _, r := range results {
		fmt.Fprintf(stderr, "%s: %s\n", r.Severity, FormatResult(r))
	}
	return 0
}

// execute is framework.Execute with the input limits checked before the
// processor runs, and with an output writer whose memory does not grow with
// the size of the ResourceList (see encode.ReadWriterOutput).
func execute(p framework.ResourceListProcessor, data []byte, out *bytes.Buffer) (framework.Results, error) {
	rw := &kio.ByteReadWriter{Reader: bytes.NewReader(data), Writer: out, KeepReaderAnnotations: true}
	rl := framework.ResourceList{}
	var err error
	if rl.Items, err = rw.Read(); err != nil {
		return nil, fmt.Errorf("input: %s", YAMLError(err, data))
	}
	rl.FunctionConfig = rw.FunctionConfig
	limitsErr := CheckLimits(rl.Items, rl.FunctionConfig)
	// kyaml reads an "items" that is not a list as no items, or as the
	// entries of a map: say what is wrong with the field itself. It costs a
	// second parse, so it is done only when something is already wrong.
	if (len(rl.Items) == 0 || limitsErr != nil) && rw.WrappingKind != "" {
		if err := checkItemsField(data); err != nil {
			return nil, err
		}
	}
	if limitsErr != nil {
		return nil, limitsErr
	}
	// An item that is an alias ("- *other") is the object it repeats; as an
	// alias, every kyaml function would take it for an empty one.
	for _, item := range rl.Items {
		if item.YNode().Kind == yaml.AliasNode {
			encode.SelfContained([]*yaml.RNode{item})
		}
	}
	// Items from kpt and kustomize carry file annotations, in a legacy and a
	// current form that must be kept in step; a plain ResourceList has none,
	// and then only what the processor sets needs reconciling.
	var annotations map[string]map[string]string
	if len(withFileAnnotations(rl.Items)) > 0 {
		if annotations, err = kio.PreprocessResourcesForInternalAnnotationMigration(rl.Items); err != nil {
			return nil, err
		}
	}
	procErr := p.Process(&rl)
	if err := kio.ReconcileInternalAnnotations(withFileAnnotations(rl.Items), annotations); err != nil {
		return nil, err
	}
	if len(rl.Results) > 0 {
		b, err := yaml.Marshal(rl.Results)
		if err != nil {
			return nil, err
		}
		if rw.Results, err = yaml.Parse(string(b)); err != nil {
			return nil, err
		}
	}
	if rw.WrappingKind == "" {
		// A bare stream of objects is written back as one; each object is
		// its own document, so it needs no special writer.
		encode.SelfContained(rl.Items)
		if err := rw.Write(rl.Items); err != nil {
			return nil, err
		}
	} else if err := encode.ReadWriterOutput(out, rw, rl.Items); err != nil {
		return nil, err
	}
	return rl.Results, procErr
}

// YAMLError is the message of an error of kyaml's reader of data, without
// the name of kyaml's error type, which means nothing to the reader of the
// message. A key longer than YAML allows before a colon (1024 characters)
// gets the YAML parser's message for a colon where no key can be ("mapping
// values are not allowed in this context"): it is said instead.
func YAMLError(err error, data []byte) string {
	msg := strings.TrimPrefix(err.Error(), "MalformedYAMLError: ")
	m := syntaxError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	lines := bytes.Split(data, []byte("\n"))
	// The parser names the line of the colon, or, in a flow mapping, the
	// line before the one it gave up on.
	for _, n := range []int{line, line + 1} {
		if n < 1 || n > len(lines) {
			continue
		}
		if k := longestKey(string(lines[n-1])); k > maxKeyLength {
			return fmt.Sprintf("yaml: line %d: a key is %d characters long; YAML allows at most %d before a colon", n, k, maxKeyLength)
		}
	}
	return msg
}

// maxKeyLength is the longest key YAML reads before a colon (an implicit
// key), in characters.
const maxKeyLength = 1024

var syntaxError = regexp.MustCompile(`^yaml: line (\d+): (mapping values are not allowed in this context|did not find expected ',' or '}')$`)

// longestKey is the length, in characters, of the longest run of text
// before a colon of a line: a key as YAML counts it (quotes included),
// without indentation and sequence or explicit-key marks.
func longestKey(line string) int {
	longest, start := 0, 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '{' || c == ',' || c == '[':
			start = i + 1
		case c == ':' && (i+1 == len(line) || strings.IndexByte(" \t,}]", line[i+1]) >= 0):
			key := strings.TrimSpace(line[start:i])
			for strings.HasPrefix(key, "- ") || strings.HasPrefix(key, "? ") {
				key = strings.TrimSpace(key[2:])
			}
			longest = max(longest, utf8.RuneCountInString(key))
			start = i + 1
		}
	}
	return longest
}

// ReadLimited reads all of r, or fails when it holds more than limit bytes.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading input: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("input exceeds the limit of %d MiB", limit>>20)
	}
	return data, nil
}

// withFileAnnotations are the items that carry a kpt or kustomize
// annotation (see IsClientAnnotation):
// the only ones kio.ReconcileInternalAnnotations changes, and it costs a
// tenth of a large rendering when run on every rendered object.
func withFileAnnotations(items []*yaml.RNode) []*yaml.RNode {
	var out []*yaml.RNode
	for _, item := range items {
		annotations := item.Field(yaml.MetadataField)
		if annotations != nil {
			annotations = annotations.Value.Field(yaml.AnnotationsField)
		}
		if annotations == nil {
			continue
		}
		keys := annotations.Value.Content()
		for i := 0; i < len(keys); i += 2 {
			if IsClientAnnotation(keys[i].Value) {
				out = append(out, item)
				break
			}
		}
	}
	return out
}

// IsLocalConfig reports whether an object is marked
// config.kubernetes.io/local-config: "true": configuration of the
// package or build, which kpt and kustomize never apply to a cluster.
func IsLocalConfig(n *yaml.RNode) bool {
	return n.GetAnnotations()[filters.LocalConfigAnnotation] == "true"
}

// IsClientAnnotation reports whether an annotation key is one that kpt or
// kustomize set on the objects they pass to functions (file, index, id,
// local-config, the function of a config), rather than one of the object's
// own.
func IsClientAnnotation(key string) bool {
	for _, prefix := range []string{"internal.config.kubernetes.io/", "config.kubernetes.io/", "config.k8s.io/", "kustomize.config.k8s.io/"} {
		if strings.HasPrefix(key, prefix) {
			return true
		}
	}
	return false
}
