package main

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/slipway-dev/slipway/functions/generate"
)

// The plugin parameters: the environment, and the Platform's file, a path
// from the repository's root (the plugin receives the whole repository, so
// every App directory can share one Platform).
const (
	paramEnvironment = "environment"
	paramPlatform    = "platform"
)

// paramDefaults are the defaults examples/argocd/plugin.yaml announces. Argo
// CD sends only the parameters a user set, never an announced default, so
// they are applied here.
var paramDefaults = map[string]string{
	paramEnvironment: "",
	paramPlatform:    "",
}

// Environment variables set by Argo CD for a plugin: the Application's
// plugin parameters (as JSON, and one PARAM_<NAME> per string parameter),
// its plugin.env entries (prefixed ARGOCD_ENV_) and its destination
// namespace.
const (
	envParameters     = "ARGOCD_APP_PARAMETERS"
	envParamEnv       = "PARAM_ENVIRONMENT"
	envPluginEnv      = "ARGOCD_ENV_ENVIRONMENT"
	envAppNamespace   = "ARGOCD_APP_NAMESPACE"
	envParamPlatform  = "PARAM_PLATFORM"
	envPluginPlatform = "ARGOCD_ENV_PLATFORM"
	envSourcePath     = "ARGOCD_APP_SOURCE_PATH"
	parametersExample = `[{"name":"environment","string":"prod"}]`
)

// parameter is one entry of ARGOCD_APP_PARAMETERS.
type parameter struct {
	Name   string            `json:"name"`
	String *string           `json:"string,omitempty"`
	Array  []string          `json:"array,omitempty"`
	Map    map[string]string `json:"map,omitempty"`
}

// options reads the rendering options from the plugin's environment. The
// environment may be given as the "environment" parameter or as the plugin
// env entry ENVIRONMENT; when both are given they must agree.
func options(getenv func(string) string) (generate.Options, error) {
	opts := generate.Options{
		Environment:      paramDefaults[paramEnvironment],
		DefaultNamespace: getenv(envAppNamespace),
	}
	params, err := parseParameters(getenv(envParameters))
	if err != nil {
		return opts, err
	}
	type setting struct{ value, from string }
	var set []setting
	if v, ok := params[paramEnvironment]; ok {
		set = append(set, setting{v, envParameters + ` "` + paramEnvironment + `"`})
	}
	if v := getenv(envParamEnv); v != "" {
		set = append(set, setting{v, envParamEnv})
	}
	if v := getenv(envPluginEnv); v != "" {
		set = append(set, setting{v, envPluginEnv})
	}
	for _, s := range set[min(1, len(set)):] {
		if s.value != set[0].value {
			return opts, fmt.Errorf("the environment is %q by %s but %q by %s; set it once", set[0].value, set[0].from, s.value, s.from)
		}
	}
	if len(set) > 0 {
		opts.Environment, opts.EnvironmentFrom = set[0].value, set[0].from
	}
	return opts, nil
}

// parseParameters decodes ARGOCD_APP_PARAMETERS into string values, and
// refuses unknown parameters so that a misspelt one does not silently
// render the default.
func parseParameters(raw string) (map[string]string, error) {
	values := map[string]string{}
	if strings.TrimSpace(raw) == "" {
		return values, nil
	}
	var params []parameter
	if err := json.Unmarshal([]byte(raw), &params); err != nil {
		return nil, fmt.Errorf("%s: not a JSON list of parameters like %s: %v", envParameters, parametersExample, err)
	}
	for i, p := range params {
		at := fmt.Sprintf("%s: [%d]", envParameters, i)
		if _, known := paramDefaults[p.Name]; !known {
			return nil, fmt.Errorf("%s.name: unknown parameter %q; known: %s", at, p.Name, strings.Join(knownParameters(), ", "))
		}
		if p.String == nil || p.Array != nil || p.Map != nil {
			return nil, fmt.Errorf("%s: parameter %q takes a string", at, p.Name)
		}
		values[p.Name] = *p.String
	}
	return values, nil
}

func knownParameters() []string {
	names := make([]string, 0, len(paramDefaults))
	for name := range paramDefaults {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// platformFile is the Platform's file the plugin parameter "platform" (or
// the plugin env entry PLATFORM) names, as a path from dir, the App's
// directory: the parameter is a path from the repository's root, which is
// dir without the Application's source path. Empty when none is named.
func platformFile(dir string, getenv func(string) string) (string, error) {
	params, err := parseParameters(getenv(envParameters))
	if err != nil {
		return "", err
	}
	file := params[paramPlatform]
	for _, v := range []string{getenv(envParamPlatform), getenv(envPluginPlatform)} {
		if v != "" && file != "" && v != file {
			return "", fmt.Errorf("the platform is %q and %q: set it once", file, v)
		}
		if v != "" {
			file = v
		}
	}
	if file == "" {
		return "", nil
	}
	clean := path.Clean(file)
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("platform %q must be a path inside the repository, from its root", file)
	}
	up := 0
	if source := path.Clean(getenv(envSourcePath)); source != "." && source != "" {
		up = strings.Count(source, "/") + 1
	}
	return filepath.Join(append([]string{dir}, append(slices.Repeat([]string{".."}, up), filepath.FromSlash(clean))...)...), nil
}
