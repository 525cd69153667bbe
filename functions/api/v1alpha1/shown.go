package v1alpha1

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/slipway-dev/slipway/functions/internal/secretscan"
)

// maxShown is the longest value a message repeats whole.
const maxShown = 80

// shown is a string in a message: errors end up in CI and Argo CD logs, so
// a value that looks like a secret (by the detectors the secret warnings
// use) is described, never shown; and a value of the input (quoted, %q)
// that is long is shortened.
type shown string

func (s shown) Format(f fmt.State, verb rune) {
	value := string(s)
	if what := secretscan.InValue(value); what != "" {
		fmt.Fprintf(f, "a value that looks like %s (%d characters, not shown)", what, utf8.RuneCountInString(value))
		return
	}
	if verb != 'q' { // slipway's own text, such as a list of choices
		fmt.Fprint(f, value)
		return
	}
	if n := utf8.RuneCountInString(value); n > maxShown {
		fmt.Fprintf(f, "%s… (%d characters)", strconv.Quote(string([]rune(value)[:maxShown/2])), n)
		return
	}
	fmt.Fprint(f, strconv.Quote(value))
}
