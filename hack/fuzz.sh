#!/usr/bin/env bash
# Runs every native Go fuzz target for DURATION each (default 30s):
#   hack/fuzz.sh 10s      # the CI smoke
# A failing input is written by `go test` to the target's
# testdata/fuzz/<FuzzName>/ directory; add it to the seed corpus once fixed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
duration=${1:-30s}

# Every Fuzz function of the module, as "package target".
targets=$(grep -rl --include='*_test.go' '^func Fuzz' functions |
  xargs grep -h -o '^func Fuzz[A-Za-z0-9_]*' -H |
  sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)#./\1 \2#' | sort -u)
[[ -n $targets ]] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }

while read -r pkg target; do
  echo "fuzz: $pkg $target for $duration" >&2
  go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$duration"
done <<<"$targets"
