// Package check checks a tree of Apps and their Platform as a whole: each
// App rendered as `slipway render` renders it, in every environment, and,
// across directories, what no single rendering sees: a host, a NodePort or
// an object of one identity in two Apps, and Secrets a namespace uses that
// no App of it produces.
package check

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
	"github.com/slipway-dev/slipway/functions/generate"
	"github.com/slipway-dev/slipway/functions/internal/parallel"
	"github.com/slipway-dev/slipway/functions/krm"
	"github.com/slipway-dev/slipway/functions/stream"
)

// Severities of a finding.
const (
	Error   = "error"
	Warning = "warning"
)

// Finding is one problem: a result of an App's rendering, or a clash
// between Apps (then the message names the other App's file).
type Finding struct {
	Severity string `json:"severity"`
	// File is the file of the object, as the tree's path gives it.
	File string `json:"file,omitempty"`
	// Object is the object the finding is about: "App namespace/name".
	Object string `json:"object,omitempty"`
	// Field is the path of the field in the object.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Environment is the environment in which it was found; empty for the
	// base.
	Environment string `json:"environment"`
}

// Options select what is checked.
type Options struct {
	// Platform is the file of the Platform; empty finds it in the tree.
	Platform string
	// Environment is the one environment to check; empty checks the base
	// and every environment an App or the Platform defines.
	Environment string
}

// Report is what a check found.
type Report struct {
	Findings []Finding
	// Apps counts the Apps of the tree.
	Apps int
	// Environments are those checked, in order; "" is the base.
	Environments []string
}

// Errors counts the findings of severity error.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

// unit is an App of the tree (or another slipway object, which its
// rendering reports on) and what it is rendered with.
type unit struct {
	node *yaml.RNode
	file string
	// fixed is set when the App or the Platform is annotated with an
	// environment: the App is rendered in that one only, named by label.
	fixed bool
	label string
	// envs are the environments the App or the Platform defines.
	envs []string
}

// Tree checks the Apps under root, a directory read recursively (hidden
// files and directories, and kustomization files, are skipped). The error
// is for a tree that cannot be read at all; everything else is a finding.
func Tree(root string, opts Options) (*Report, error) {
	t, err := load(root, opts.Platform)
	if err != nil {
		return nil, err
	}
	report := &Report{Apps: len(t.units)}
	findings := t.findings
	var platformEnvs []string
	if t.platform != nil {
		platformEnvs = environmentsOf(t.platform)
	}
	known := map[string]bool{}
	for _, u := range t.units {
		u.envs = mergeSorted(environmentsOf(u.node), platformEnvs)
		if env, ok := annotation(u.node); ok {
			u.fixed, u.label = true, env
		} else if t.platform != nil {
			if env, ok := annotation(t.platform); ok {
				u.fixed, u.label = true, env
			}
		}
		for _, e := range u.envs {
			known[e] = true
		}
		if u.fixed {
			known[u.label] = true
		}
	}
	if opts.Environment != "" {
		report.Environments = []string{opts.Environment}
		if !known[opts.Environment] {
			names := make([]string, 0, len(known))
			for e := range known {
				names = append(names, e)
			}
			sort.Strings(names)
			findings = append(findings, Finding{Severity: Error, Environment: opts.Environment,
				Message: v1alpha1.UnknownEnvironment(opts.Environment, names).Error()})
		}
	} else {
		report.Environments = []string{""}
		for e := range known {
			if e != "" {
				report.Environments = append(report.Environments, e)
			}
		}
		sort.Strings(report.Environments[1:])
	}

	// Every rendering to make: the unit's own environment, or the base for
	// an environment it does not define (it is deployed there as its base,
	// as `slipway render -e ENV` of a directory renders it).
	type task struct {
		unit  int
		env   string // rendered with
		label string // reported as
		r     *rendering
	}
	var tasks []*task
	for i, u := range t.units {
		switch {
		case u.fixed:
			if opts.Environment == "" || opts.Environment == u.label {
				tasks = append(tasks, &task{unit: i, env: opts.Environment, label: u.label})
			}
		case opts.Environment != "":
			env := opts.Environment
			if !slices.Contains(u.envs, env) {
				env = ""
			}
			tasks = append(tasks, &task{unit: i, env: env, label: opts.Environment})
		default:
			tasks = append(tasks, &task{unit: i, label: ""})
			for _, e := range u.envs {
				tasks = append(tasks, &task{unit: i, env: e, label: e})
			}
		}
	}
	from := "slipway check, which checks every environment"
	if opts.Environment != "" {
		from = "--environment"
	}
	parallel.ForEach(len(tasks), func(i int) {
		tk := tasks[i]
		tk.r = render(t.units[tk.unit], t.platform, generate.Options{Environment: tk.env, EnvironmentFrom: from}, tk.label)
	})

	// What each environment deploys: per unit, its rendering there.
	byEnv := map[string][]*rendering{}
	own := map[string]map[int]*rendering{} // label -> unit -> rendering
	for _, tk := range tasks {
		findings = append(findings, tk.r.findings...)
		if own[tk.label] == nil {
			own[tk.label] = map[int]*rendering{}
		}
		own[tk.label][tk.unit] = tk.r
	}
	for _, env := range report.Environments {
		for i, u := range t.units {
			r := own[env][i]
			if r == nil && !u.fixed {
				r = own[""][i] // not defined there: deployed as its base
			}
			if r != nil && r.app != nil {
				byEnv[env] = append(byEnv[env], r)
			}
		}
		findings = append(findings, across(byEnv[env], env)...)
	}
	report.Findings = order(findings, report.Environments)
	return report, nil
}

// tree is what load read.
type tree struct {
	units    []*unit
	platform *yaml.RNode
	findings []Finding
}

// load reads every YAML file under root and sorts out the Apps and the
// Platform.
func load(root, platformFile string) (*tree, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", root)
	}
	var files []string
	skip := ""
	if platformFile != "" {
		if skip, err = filepath.Abs(platformFile); err != nil {
			return nil, err
		}
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(name)
		if d.IsDir() || (ext != ".yaml" && ext != ".yml") || slices.Contains(stream.KustomizationFiles, name) {
			return nil
		}
		if abs, err := filepath.Abs(p); err == nil && abs == skip {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	read := make([][]*yaml.RNode, len(files))
	errs := make([]error, len(files))
	parallel.ForEach(len(files), func(i int) {
		read[i], errs[i] = krm.NewFileReader().ReadFile(files[i], files[i])
	})

	t := &tree{}
	platformFrom := ""
	if platformFile != "" {
		nodes, err := krm.NewFileReader().ReadFile(platformFile, platformFile)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			if v1alpha1.InGroup(n.GetApiVersion()) && n.GetKind() == v1alpha1.KindPlatform {
				if t.platform != nil {
					return nil, fmt.Errorf("%s: holds more than one Platform", platformFile)
				}
				t.platform = n
			}
		}
		if t.platform == nil {
			return nil, fmt.Errorf("%s: holds no Platform (apiVersion %s)", platformFile, v1alpha1.APIVersion)
		}
		platformFrom = platformFile + " (--platform)"
	}
	for i, nodes := range read {
		if errs[i] != nil {
			t.findings = append(t.findings, Finding{Severity: Error, File: files[i],
				Message: strings.TrimPrefix(errs[i].Error(), files[i]+": ")})
			continue
		}
		for _, n := range nodes {
			if !v1alpha1.InGroup(n.GetApiVersion()) {
				continue
			}
			if n.GetKind() != v1alpha1.KindPlatform {
				t.units = append(t.units, &unit{node: n, file: files[i]})
				continue
			}
			if t.platform != nil {
				t.findings = append(t.findings, Finding{Severity: Error, File: files[i], Object: describeNode(n),
					Message: fmt.Sprintf("a tree has one Platform, and %s is already the Platform", platformFrom)})
				continue
			}
			t.platform = n
			platformFrom = files[i] + ": " + describeNode(n)
		}
	}
	return t, nil
}

// rendering is what check keeps of one App rendered in one environment.
type rendering struct {
	file     string
	env      string
	app      *v1alpha1.App // nil when the App is invalid
	objects  []krm.Identity
	produced []string // the Secrets its ExternalSecrets create
	findings []Finding
}

// render renders one App with the Platform, as `slipway render` does.
func render(u *unit, platform *yaml.RNode, opts generate.Options, label string) *rendering {
	items := []*yaml.RNode{u.node}
	if platform != nil {
		items = []*yaml.RNode{platform, u.node}
	}
	r := &rendering{file: u.file, env: label}
	exp, results := generate.Expand(items, nil, opts)
	for _, res := range results {
		r.findings = append(r.findings, fromResult(res, label))
	}
	if exp == nil || len(exp.Apps) != 1 {
		return r
	}
	a := exp.Apps[0]
	r.app = a.App
	for _, obj := range a.Objects {
		id := krm.IdentityOfNode(obj)
		r.objects = append(r.objects, id)
		if id.Group == "external-secrets.io" && id.Kind == "ExternalSecret" {
			target, _ := obj.GetString("spec.target.name")
			r.produced = append(r.produced, or(target, id.Name))
		}
	}
	return r
}

func fromResult(res *framework.Result, env string) Finding {
	f := Finding{Severity: Error, Message: res.Message, Environment: env}
	switch res.Severity {
	case framework.Warning:
		f.Severity = Warning
	case framework.Info:
		f.Severity = "info"
	}
	if res.File != nil {
		f.File = res.File.Path
	}
	if ref := res.ResourceRef; ref != nil {
		f.Object = describe(ref.Kind, ref.Namespace, ref.Name)
	}
	if res.Field != nil {
		f.Field = res.Field.Path
	}
	return f
}

// order sorts the findings by environment, then file, keeping the order
// within a file, and drops repeats (a Platform's problem is found with
// every App).
func order(findings []Finding, envs []string) []Finding {
	rank := map[string]int{}
	for i, e := range envs {
		rank[e] = i
	}
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if rank[a.Environment] != rank[b.Environment] {
			return rank[a.Environment] < rank[b.Environment]
		}
		return a.File < b.File
	})
	seen := map[Finding]bool{}
	out := findings[:0]
	for _, f := range findings {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// environmentsOf lists the environments an App or Platform defines.
func environmentsOf(n *yaml.RNode) []string {
	envs, err := n.Pipe(yaml.Lookup("spec", "environments"))
	if err != nil || envs == nil || envs.YNode().Kind != yaml.MappingNode {
		return nil
	}
	names, _ := envs.Fields()
	sort.Strings(names)
	return names
}

// annotation reads the annotation that selects an object's environment.
func annotation(n *yaml.RNode) (string, bool) {
	env, ok := n.GetAnnotations()[generate.AnnotationEnvironment]
	return env, ok
}

func mergeSorted(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func describeNode(n *yaml.RNode) string {
	return describe(n.GetKind(), n.GetNamespace(), n.GetName())
}

func describe(kind, namespace, name string) string {
	if name == "" {
		name = "(unnamed)"
	}
	if namespace != "" {
		name = namespace + "/" + name
	}
	return kind + " " + name
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
