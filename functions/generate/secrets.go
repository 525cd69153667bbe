package generate

import (
	"fmt"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// An App only references secrets (secretKeyRef, externalSecrets); a literal
// env value that looks like one ends up in plain text in Git and in every
// rendered manifest. secretWarnings finds such values and reports each as a
// warning, with its field path but never the value itself.

// secretNameParts are the parts of an env var name (split at "_", "-" and
// ".") that mark its value as secret.
var secretNameWords = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIALS"}

// notSecretSuffixes mark names that say where a secret is, not what it is.
var notSecretSuffixes = []string{"_FILE", "_PATH", "_DIR", "_NAME", "_URL_PATH", "_ENABLED", "_HEADER"}

// secretValues are shapes of values that are keys or credentials whatever
// their variable is called.
var secretValues = []struct {
	what string
	re   *regexp.Regexp
}{
	{"an AWS access key ID", regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"a PEM private key or certificate", regexp.MustCompile(`-----BEGIN [A-Z0-9 ]+-----`)},
	{"a GitHub token", regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{30,}`)},
	{"a Slack token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
	{"a Google API key", regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}`)},
	{"a Stripe secret key", regexp.MustCompile(`\b[rs]k_live_[0-9A-Za-z]{16,}`)},
	{"a JSON Web Token", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.`)},
	{"a URL with a password", regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@$]+@`)},
}

// onlyReferences matches values made of $(VAR) references alone: they copy
// another variable, which is checked on its own.
var onlyReferences = regexp.MustCompile(`^(\$\([A-Za-z_][A-Za-z0-9_.-]*\))+$`)

// secretWarnings returns a warning for every literal env value of the Apps
// that looks like a secret.
func secretWarnings(apps []*RenderedApp) framework.Results {
	var results framework.Results
	for _, a := range apps {
		var warnings []v1alpha1.FieldError
		for i, e := range a.App.Spec.Env {
			if e.Value == nil {
				continue
			}
			if why := looksSecret(e.Name, *e.Value); why != "" {
				warnings = append(warnings, v1alpha1.FieldError{
					Path: field.NewPath("spec", "env").Index(i).Child("value").String(),
					Detail: fmt.Sprintf("%s has a literal value that looks like a secret (%s): it would be stored in plain text in Git "+
						"and in the rendered manifests; keep it in the secret store and reference it with secretKeyRef", e.Name, why),
				})
			}
		}
		for _, r := range a.source.results(warnings) {
			r.Severity = framework.Warning
			results = append(results, r)
		}
	}
	return results
}

// looksSecret says why a literal env value looks like a secret, or returns
// "" when it does not.
func looksSecret(name, value string) string {
	if strings.TrimSpace(value) == "" || onlyReferences.MatchString(value) {
		return ""
	}
	for _, v := range secretValues {
		if v.re.MatchString(value) {
			return "the value looks like " + v.what
		}
	}
	upper := strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(name))
	for _, s := range notSecretSuffixes {
		if strings.HasSuffix(upper, s) {
			return ""
		}
	}
	padded := "_" + upper + "_"
	for _, w := range secretNameWords {
		if strings.Contains(padded, "_"+w+"_") || strings.Contains(padded, "_"+w+"S_") {
			return "the name contains " + w
		}
	}
	return ""
}
