#!/usr/bin/env bash
# Runs every native Go fuzz target for FUZZTIME each, a -fuzztime value:
#   hack/fuzz.sh 30s      # a duration: `make fuzz`
#   hack/fuzz.sh 3000x    # a number of executions: the CI smoke
# A failing input is written by `go test` to the target's
# testdata/fuzz/<FuzzName>/ directory; add it to the seed corpus once fixed.
#
# Why CI counts executions: with a duration, Go's fuzzing coordinator can
# report its own -fuzztime deadline as a failure ("context deadline
# exceeded", no failing input) when it is preempted as the deadline fires,
# which a loaded 2-core machine makes likely. A count never sets a deadline.
# For duration runs that bare signature is recognised, the target's corpus
# is replayed to show nothing reproducible was found, and the run goes on.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fuzztime=${1:-30s}
# A hanging input stops a count-limited run from ever finishing: bound each
# target by wall clock too (generous: a few thousand executions take ~10 s).
limit=${FUZZ_TIMEOUT:-600}

# Every Fuzz function, as "package-directory target". A package of a nested
# module (functions/internal/apiserver has its own go.mod) is tested from
# that module's directory: the root module does not contain it.
targets=$(grep -rl --include='*_test.go' '^func Fuzz' functions |
  xargs grep -h -o '^func Fuzz[A-Za-z0-9_]*' -H |
  sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)#\1 \2#' | sort -u)
[[ -n $targets ]] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# moduledir prints the directory of the module a package directory is in.
moduledir() {
  local dir=$1
  while [[ ! -f $dir/go.mod ]]; do dir=$(dirname "$dir"); done
  echo "$dir"
}

while read -r dir target; do
  mod=$(moduledir "$dir")
  rel=${dir#"$mod"}
  pkg=./${rel#/}
  echo "fuzz: $dir $target for $fuzztime" >&2
  # Build first, outside the wall-clock bound: a cold build of the API
  # server module (k8s.io/kubernetes, instrumented for fuzzing) takes
  # minutes on its own, and is no hang.
  (cd "$mod" && go test -c -o /dev/null "$pkg" -fuzz "^$target\$")
  if (cd "$mod" && timeout "$limit" go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime") 2>&1 | tee "$log"; then
    continue
  fi
  if [[ $fuzztime != *x ]] && grep -q 'context deadline exceeded' "$log" &&
    ! grep -q 'Failing input written' "$log"; then
    echo "fuzz: $target: Go's coordinator reported its own deadline; replaying the corpus" >&2
    (cd "$mod" && go test "$pkg" -run "^$target\$")
    continue
  fi
  echo "fuzz: $target failed" >&2
  exit 1
done <<<"$targets"
