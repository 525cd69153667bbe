// Package secretscan recognises values that look like secrets: credentials
// by their shape (keys, tokens, URLs with a password), and literal values of
// variables or keys whose name says they are secret. The renderer warns
// about them, and no error message shows one.
package secretscan

import (
	"regexp"
	"strings"
)

// nameWords are the words of a name (split at "_", "-", "." and between a
// lower-case and an upper-case letter) that mark its value as secret.
var nameWords = []string{"PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIALS"}

// notSecretSuffixes mark names that say where a secret is, not what it is.
var notSecretSuffixes = []string{"_FILE", "_PATH", "_DIR", "_NAME", "_URL_PATH", "_ENABLED", "_HEADER"}

// shapes are the shapes of values that are keys or credentials whatever
// their name.
var shapes = []struct {
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
	{"a URL with a password", regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:[^/\s@$]+@`)},
	{"HTTP credentials", regexp.MustCompile(`(?i)\b(basic|bearer)\s+[A-Za-z0-9+/._~-]{8,}=*`)},
}

// onlyReferences matches values made of $(VAR) references alone: they copy
// another variable, which is checked on its own.
var onlyReferences = regexp.MustCompile(`^(\$\([A-Za-z_][A-Za-z0-9_.-]*\))+$`)

// InValue says what secret a value holds by its shape alone, or "".
func InValue(value string) string {
	for _, s := range shapes {
		if s.re.MatchString(value) {
			return s.what
		}
	}
	return ""
}

// Why says why the literal value of a variable or key looks like a secret,
// or returns "" when it does not.
func Why(name, value string) string {
	if strings.TrimSpace(value) == "" || onlyReferences.MatchString(value) {
		return ""
	}
	if what := InValue(value); what != "" {
		return "the value looks like " + what
	}
	upper := strings.ToUpper(strings.NewReplacer("-", "_", ".", "_", "/", "_").Replace(camelWords.ReplaceAllString(name, "${1}_${2}")))
	for _, s := range notSecretSuffixes {
		if strings.HasSuffix(upper, s) {
			return ""
		}
	}
	padded := "_" + upper + "_"
	for _, w := range nameWords {
		if strings.Contains(padded, "_"+w+"_") || strings.Contains(padded, "_"+w+"S_") {
			return "the name contains " + w
		}
	}
	return ""
}

// camelWords finds the boundaries of camelCase words ("dbPassword").
var camelWords = regexp.MustCompile(`([a-z0-9])([A-Z])`)
