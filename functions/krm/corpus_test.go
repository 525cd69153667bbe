package krm_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/internal/golden"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// TestCorpus feeds each testdata/corpus/<case>/stdin.yaml to the render
// function as its whole stdin and compares stderr with errors.txt: one Go
// regular expression per line, matched in order against the lines of
// stderr, as many as there are. An empty errors.txt means the input is
// valid: exit code 0 and nothing on stderr. When a line expects an error
// ("^error"), the run must exit with code 1 and return no rendered object;
// otherwise (warnings only) it must succeed. "go test -update" rewrites
// errors.txt with the current stderr, each line quoted as an exact match.
func TestCorpus(t *testing.T) {
	cases := golden.Cases(t, "../../testdata/corpus")
	if len(cases) < 40 {
		t.Fatalf("the corpus has %d cases; it should keep at least 40", len(cases))
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			stdin, err := os.ReadFile(filepath.Join(dir, "stdin.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			checkRun(t, stdin, filepath.Join(dir, "errors.txt"))
		})
	}
}

func checkRun(t *testing.T, stdin []byte, errorsFile string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := krm.Run(generate.Processor{}, bytes.NewReader(stdin), &stdout, &stderr)
	lines := splitLines(stderr.String())
	if golden.Updating() {
		var b strings.Builder
		for _, l := range lines {
			b.WriteString("^" + regexp.QuoteMeta(l) + "$\n")
		}
		golden.Compare(t, errorsFile, []byte(b.String()))
		return
	}
	data, err := os.ReadFile(errorsFile)
	if err != nil {
		t.Fatalf("%v (run go test ./functions/krm -update to create it)", err)
	}
	patterns := splitLines(string(data))
	if len(patterns) == 0 {
		if code != 0 || len(lines) != 0 {
			t.Fatalf("want success and no stderr, got exit code %d and stderr:\n%s", code, stderr.String())
		}
		return
	}
	failure := false
	for _, p := range patterns {
		failure = failure || strings.HasPrefix(p, "^error")
	}
	if want := map[bool]int{true: 1, false: 0}[failure]; code != want {
		t.Errorf("want exit code %d, got %d", want, code)
	}
	if len(lines) != len(patterns) {
		t.Fatalf("want %d stderr lines, got %d:\n%s", len(patterns), len(lines), stderr.String())
	}
	for i, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			t.Fatalf("errors.txt line %d: %v", i+1, err)
		}
		if !re.MatchString(lines[i]) {
			t.Errorf("stderr line %d:\n  %s\ndoes not match\n  %s", i+1, lines[i], p)
		}
	}
	if n := renderedIn(t, stdout.Bytes()) - renderedIn(t, stdin); failure && n > 0 {
		t.Errorf("a failed run returned %d rendered objects", n)
	}
	if err := readsBack(stdout.Bytes()); err != nil {
		t.Error(err)
	}
}

// readsBack checks that output, if any, is YAML, and that each of its
// objects reads back alone, as kpt writes it to a file of its own: no alias
// names an anchor that is not in its object.
func readsBack(output []byte) error {
	if len(output) == 0 {
		return nil
	}
	items, err := (&kio.ByteReader{Reader: bytes.NewReader(output), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return fmt.Errorf("the output does not read back: %v\n%s", err, output)
	}
	for i, item := range items {
		text, err := item.String()
		if err == nil {
			_, err = yaml.Parse(text)
		}
		if err != nil {
			return fmt.Errorf("object %d of the output does not read back alone: %v\n%s", i, err, text)
		}
	}
	return nil
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// renderedIn counts the objects of a ResourceList that a rendering created;
// unreadable input counts none.
func renderedIn(t *testing.T, data []byte) int {
	t.Helper()
	items, err := (&kio.ByteReader{Reader: bytes.NewReader(data)}).Read()
	if err != nil {
		return 0
	}
	n := 0
	for _, item := range items {
		label, err := item.Pipe(yaml.Lookup("metadata", "labels", manifests.LabelManagedBy))
		if err == nil && label != nil && label.YNode().Value == manifests.ManagedBy {
			n++
		}
	}
	return n
}

// TestLimits checks the inputs too large to keep as files: each is refused
// with an error naming its limit.
func TestLimits(t *testing.T) {
	const header = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
	configMap := func(data string) string {
		return header + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {x: " + data + "}}\n"
	}
	list := func(n int) string { return "[" + strings.Repeat("1,", n) + "1]" }
	for _, tc := range []struct {
		name, want string
		input      func() string
	}{
		{"larger than MaxInputBytes", `^error: input exceeds the limit of 64 MiB$`, func() string {
			return configMap(`"` + strings.Repeat("x", krm.MaxInputBytes) + `"`)
		}},
		{"more separators than MaxSeparators", `^error: input holds \d+ YAML separators .* more than the limit of 2000000$`, func() string {
			return configMap(list(krm.MaxSeparators))
		}},
		{"more values than MaxItemNodes", `^error: input: items\[0\]: holds more than the limit of 250000 YAML values`, func() string {
			return configMap(list(krm.MaxItemNodes))
		}},
		{"deeper than MaxDepth", `^error: input: items\[0\]: nesting is deeper than the limit of 100 levels$`, func() string {
			return configMap(strings.Repeat("[", krm.MaxDepth+1) + strings.Repeat("]", krm.MaxDepth+1))
		}},
		{"deeper than the parser allows", `^error: input: .*exceeded max depth of 10000$`, func() string {
			return configMap(strings.Repeat("[", 10001) + strings.Repeat("]", 10001))
		}},
		{"one large string aliased 12,000 times", `^error: input: items\[0\]: the input's text exceeds the limit of 64 MiB \(aliases counted as what they repeat\)$`, func() string {
			var b strings.Builder
			b.WriteString(header + "- apiVersion: slipway.dev/v1alpha1\n  kind: App\n  metadata: {name: shop}\n  spec:\n    image: registry.example.com/shop:1.0.0\n    config:\n      data:\n")
			b.WriteString("        k0: &big " + strings.Repeat("x", 256<<10) + "\n")
			for i := 1; i < 12000; i++ {
				fmt.Fprintf(&b, "        k%d: *big\n", i)
			}
			return b.String()
		}},
		{"billion laughs", `^error: input: items\[0\]: holds more than the limit of 250000 YAML values`, func() string {
			var b strings.Builder
			b.WriteString(header + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    l0: &l0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n")
			for i := 1; i <= 30; i++ {
				fmt.Fprintf(&b, "    l%d: &l%d [*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
			}
			return b.String()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := krm.Run(generate.Processor{}, strings.NewReader(tc.input()), &stdout, &stderr); code != 1 {
				t.Errorf("want exit code 1, got %d", code)
			}
			if !regexp.MustCompile(tc.want).MatchString(strings.TrimSuffix(stderr.String(), "\n")) {
				t.Errorf("stderr %q does not match %s", stderr.String(), tc.want)
			}
			if stdout.Len() > 0 && renderedIn(t, stdout.Bytes()) > 0 {
				t.Error("a refused input returned rendered objects")
			}
		})
	}
}
