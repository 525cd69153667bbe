#!/usr/bin/env bash
# Whole-process benchmark of slipway-render (bin/, built by `make bench`),
# against the alternatives, on this machine, in one run:
#   ours      bin/slipway-render on N generated Apps in a ResourceList on stdin
#   floor     a no-op KRM function on the same reader and writer
#             (functions/internal/noopfn), fed our output: read + write only
#   kustomize `kustomize build` of the same N Apps' rendered objects, kept as
#             plain resources (what hand-written manifests cost to read/write)
#   kust-exec our function as a kustomize exec generator (1 App) and exec
#             transformer (N Apps)
#   kpt-exec  `kpt fn eval --exec` of our function over N Apps
#   check     bin/slipway check of a generated monorepo: 5,000 Apps in 1,000
#             directories (target: under 5 s and 500 MB); ONLY=check runs
#             this row alone
#   import    bin/slipway import of the objects N Apps render (N = 100 and
#             1000), back into N Apps; ONLY=import runs these rows alone
#   worst     our function on each worst case under the input limits
#             (functions/internal/worstcase), RUNS_WORST runs (default 3)
# N is 1, 100, 1000, 2000 and 5000 for ours, up to 1000 for the floor (the
# output of more Apps is more YAML than the input limits let a function read
# back), 1 and 100 for the clients (kustomize reads plain objects at N=1000
# too). Each timing is
# the median of RUNS runs (default 5) with its spread (min-max); kustomize
# at N=1000 runs once, bounded by KUSTOMIZE_TIMEOUT seconds (default 60):
# it is slow and superlinear; a run that exceeds it is reported as
# ">60000". Peak memory is GNU time's maximum resident set size, the
# largest over the runs. Time and peak memory per App are reported for
# every N, and the ratio of the time per App at N=5000 to that at N=1000.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${RUNS:-5}
RUNS_WORST=${RUNS_WORST:-3}
KUSTOMIZE_TIMEOUT=${KUSTOMIZE_TIMEOUT:-60}
SIZES=(1 100 1000 2000 5000)
CLIENT_SIZES=(1 100)
render=$root/bin/slipway-render
kustomize=$root/bin/tools/kustomize

slipway=$root/bin/slipway

if [[ ${ONLY:-} == check || ${ONLY:-} == import ]]; then
  hack/install-tools.sh time
else
  hack/install-tools.sh kustomize time
fi
[[ -x $slipway ]] || { echo "bench: $slipway is missing: run make build" >&2; exit 1; }
[[ ${ONLY:-} == check ]] || [[ -x $render ]] || { echo "bench: $render is missing: run make bench" >&2; exit 1; }
[[ -n ${ONLY:-} ]] || command -v kpt >/dev/null || { echo "bench: kpt is not on PATH" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/appgen" ./functions/internal/appgen/cmd/appgen
go build -o "$work/worstcase" ./functions/internal/worstcase/cmd/worstcase
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/noopfn" ./functions/internal/noopfn

# measure NAME RUNS CMD...: runs CMD (stdin from $IN, stdout to $OUT) RUNS
# times; records "median min max peak_kb cpu_median" in $work/NAME (times in
# ms; CPU is user + system time, which other load on the machine does not
# inflate as it does elapsed time).
measure() {
  local name=$1 runs=$2 ms=() cpu=() peak=0 i start end rss rc
  shift 2
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    rc=0
    /usr/bin/time -f '%M %U %S' -o "$work/rss" "$@" <"${IN:-/dev/null}" >"${OUT:-/dev/null}" 2>"$work/stderr" || rc=$?
    if ((rc == 124)) && [[ ${1:-} == timeout ]]; then
      echo timeout >"$work/res.$name"
      return
    elif ((rc != 0 && rc != ${EXPECT_RC:-0})); then
      echo "bench: $name failed:" >&2; cat "$work/stderr" >&2; exit 1
    fi
    end=$(date +%s%N)
    ms+=("$(((end - start) / 1000))")
    read -r rss user sys < <(tail -n1 "$work/rss")
    ((rss > peak)) && peak=$rss
    cpu+=("$(echo "($user + $sys) * 1000" | bc -l)")
  done
  cpu_median=$(printf '%s\n' "${cpu[@]}" | sort -n | awk '{v[NR] = $1} END {
    printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
  printf '%s\n' "${ms[@]}" | sort -n | awk -v peak="$peak" -v cpu="$cpu_median" '{v[NR] = $1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f %d %s\n", m / 1000, v[1] / 1000, v[NR] / 1000, peak, cpu}' >"$work/res.$name"
}

# check_row times slipway check on a monorepo of 5,000 Apps in 1,000
# directories, one file per App.
check_row() {
  "$work/appgen" -n 5000 -dirs 1000 -tree "$work/monorepo"
  echo "bench: timing slipway check, 5000 Apps in 1000 directories" >&2
  measure check "$RUNS" "$slipway" check "$work/monorepo"
}

row() { # label file
  local f=$work/res.$2
  if [[ ! -s $f ]]; then printf '%-44s %12s\n' "$1" "-"; return; fi
  if [[ $(cat "$f") == timeout ]]; then printf '%-44s %12s\n' "$1" ">${KUSTOMIZE_TIMEOUT}000.0"; return; fi
  read -r med lo hi peak cpu <"$f"
  printf '%-44s %12s %20s %10.1f %10s\n' "$1" "$med" "$lo-$hi" "$(echo "$peak / 1024" | bc -l)" "$cpu"
}
# import_rows times slipway import of the objects that 100 and 1000 Apps
# render, kept as plain manifests.
import_rows() {
  for n in 100 1000; do
    "$work/appgen" -n "$n" >"$work/imp-in$n.yaml"
    "$render" <"$work/imp-in$n.yaml" | "$work/appgen" -rendered >"$work/imp$n.yaml"
    echo "bench: timing slipway import of $(grep -c '^kind:' "$work/imp$n.yaml") objects of $n Apps" >&2
    measure "import$n" "$RUNS" "$slipway" import "$work/imp$n.yaml"
  done
}
import_table() {
  row "slipway import, objects of 100 Apps" import100
  row "slipway import, objects of 1000 Apps" import1000
}
if [[ ${ONLY:-} == import ]]; then
  import_rows
  echo
  echo "slipway import benchmark: $(nproc) cores, $(go env GOOS)/$(go env GOARCH), runs=$RUNS, $(date -u +%Y-%m-%d)"
  printf '%-44s %12s %20s %10s %10s\n' "command" "median ms" "min-max ms" "peak MB" "CPU ms"
  import_table
  exit 0
fi
if [[ ${ONLY:-} == check ]]; then
  check_row
  echo
  echo "slipway check benchmark: $(nproc) cores, $(go env GOOS)/$(go env GOARCH), runs=$RUNS, $(date -u +%Y-%m-%d)"
  printf '%-44s %12s %20s %10s %10s\n' "command" "median ms" "min-max ms" "peak MB" "CPU ms"
  row "slipway check, 5000 Apps in 1000 dirs" check
import_table
  exit 0
fi

for n in "${SIZES[@]}"; do
  "$work/appgen" -n "$n" >"$work/in$n.yaml"
  "$render" <"$work/in$n.yaml" >"$work/out$n.yaml"
  "$work/appgen" -rendered <"$work/out$n.yaml" >"$work/expanded$n.yaml"
  echo "bench: N=$n: $(wc -c <"$work/in$n.yaml") input bytes, $(grep -c '^kind:' "$work/expanded$n.yaml") rendered objects, $(wc -c <"$work/out$n.yaml") output bytes" >&2
  ((n > 1000)) && continue
  # plain kustomization of the expanded objects
  mkdir -p "$work/plain$n"
  cp "$work/expanded$n.yaml" "$work/plain$n/resources.yaml"
  printf 'resources:\n- resources.yaml\n' >"$work/plain$n/kustomization.yaml"
  # our function as a kustomize exec transformer over the N Apps
  mkdir -p "$work/kexec$n"
  "$work/appgen" -n "$n" -stream >"$work/kexec$n/apps.yaml"
  cat >"$work/kexec$n/fn.yaml" <<FN
apiVersion: v1
kind: ConfigMap
metadata:
  name: slipway-render
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: $render
FN
  printf 'resources:\n- apps.yaml\ntransformers:\n- fn.yaml\n' >"$work/kexec$n/kustomization.yaml"
  mkdir -p "$work/kpt$n"
  cp "$work/kexec$n/apps.yaml" "$work/kpt$n/apps.yaml"
done

# kustomize exec generator: one App as the generator's config.
mkdir -p "$work/kgen"
cat >"$work/kgen/app.yaml" <<APP
apiVersion: slipway.dev/v1alpha1
kind: App
metadata:
  name: shop
  namespace: web
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: $render
spec:
  image: registry.example.com/shop:1.0.0
  routing:
    hosts: [shop.example.com]
APP
printf 'generators:\n- app.yaml\n' >"$work/kgen/kustomization.yaml"

for n in "${SIZES[@]}"; do
  echo "bench: timing N=$n" >&2
  IN=$work/in$n.yaml measure "ours$n" "$RUNS" "$render"
  # The output of more than about 2,500 Apps holds more YAML than the
  # input limits let a function read back (MaxSeparators).
  ((n <= 1000)) && IN=$work/out$n.yaml measure "floor$n" "$RUNS" "$work/noopfn"
  if [[ $n == 1000 ]]; then
    measure "kustomize$n" 1 timeout "$KUSTOMIZE_TIMEOUT" "$kustomize" build "$work/plain$n"
  elif [[ " ${CLIENT_SIZES[*]} " == *" $n "* ]]; then
    measure "kustomize$n" "$RUNS" "$kustomize" build "$work/plain$n"
    measure "kexec$n" "$RUNS" "$kustomize" build --enable-alpha-plugins --enable-exec "$work/kexec$n"
    measure "kpt$n" "$RUNS" kpt fn eval "$work/kpt$n" --exec "$render" --output stdout
  fi
done
worst=$("$work/worstcase" | cut -f1)
for c in $worst; do
  echo "bench: timing worst case $c" >&2
  "$work/worstcase" "$c" >"$work/worst-$c.yaml"
  expect=0
  "$render" <"$work/worst-$c.yaml" >/dev/null 2>&1 || expect=$?
  IN=$work/worst-$c.yaml EXPECT_RC=$expect measure "worst-$c" "$RUNS_WORST" "$render"
done
check_row
import_rows
measure kgen "$RUNS" "$kustomize" build --enable-alpha-plugins --enable-exec "$work/kgen"
# An exec generator that kustomize silently dropped would be fast and empty.
"$kustomize" build --enable-alpha-plugins --enable-exec "$work/kgen" | grep -q '^kind: Deployment' ||
  { echo "bench: kustomize exec generator produced no Deployment" >&2; exit 1; }

med() { awk '{print $1}' "$work/res.$1"; }
cpu() { awk '{print $5}' "$work/res.$1"; }

echo
echo "slipway whole-process benchmark: $(nproc) cores, $(go env GOOS)/$(go env GOARCH), runs=$RUNS, $(date -u +%Y-%m-%d)"
printf '%-44s %12s %20s %10s %10s\n' "command" "median ms" "min-max ms" "peak MB" "CPU ms"
for n in "${SIZES[@]}"; do
  row "ours: slipway-render, N=$n" "ours$n"
  ((n <= 1000)) && row "floor: no-op KRM function, N=$n output" "floor$n"
  ((n <= 1000)) && row "kustomize build, plain, N=$n$([[ $n == 1000 ]] && echo ' (1 run)')" "kustomize$n"
  if [[ " ${CLIENT_SIZES[*]} " == *" $n "* ]]; then
    row "kustomize exec transformer (ours), N=$n" "kexec$n"
    row "kpt fn eval --exec (ours), N=$n" "kpt$n"
  fi
done
row "kustomize exec generator (ours), 1 App" kgen
row "slipway check, 5000 Apps in 1000 dirs" check

echo
echo "ours per App (CPU is user + system time; peak memory includes the process's ~12 MB at start)"
printf '%-8s %10s %10s %10s %10s %10s %10s\n' "N" "median ms" "ms/App" "min ms/App" "CPU ms/App" "peak MB" "KB/App"
for n in "${SIZES[@]}"; do
  read -r med lo _ peak cpu <"$work/res.ours$n"
  printf '%-8s %10s %10.3f %10.3f %10.3f %10.1f %10.1f\n' "$n" "$med" "$(echo "$med / $n" | bc -l)" "$(echo "$lo / $n" | bc -l)" \
    "$(echo "$cpu / $n" | bc -l)" "$(echo "$peak / 1024" | bc -l)" "$(echo "$peak / $n" | bc -l)"
done

echo
echo "worst cases under the input limits (functions/internal/worstcase), runs=$RUNS_WORST"
printf '%-44s %12s %20s %10s %10s\n' "input" "median ms" "min-max ms" "peak MB" "CPU ms"
for c in $worst; do
  row "$c ($(($(wc -c <"$work/worst-$c.yaml") / 1024)) KB)" "worst-$c"
done

echo
awk -v c1000="$(cpu ours1000)" -v c5000="$(cpu ours5000)" -v o1="$(med ours1)" -v o100="$(med ours100)" -v o1000="$(med ours1000)" -v o2000="$(med ours2000)" -v o5000="$(med ours5000)" \
  -v f100="$(med floor100)" -v f1000="$(med floor1000)" -v k100="$(med kustomize100)" 'BEGIN {
  printf "ours, 1 App:                       %.1f ms   (target < 20)\n", o1
  printf "ours, 1000 Apps:                   %.1f ms   (target < 1000)\n", o1000
  printf "ours / kustomize plain at N=100:   %.2f   (target <= 0.25)\n", o100 / k100
  printf "ours / no-op floor at N=100:       %.2f   (target <= 1.5)\n", o100 / f100
  printf "ours / no-op floor at N=1000:      %.2f   (target <= 1.5)\n", o1000 / f1000
  # least-squares line through (N, ms)
  split("1 100 1000 2000 5000", xs, " "); ys[1] = o1; ys[2] = o100; ys[3] = o1000; ys[4] = o2000; ys[5] = o5000
  for (i = 1; i <= 5; i++) { sx += xs[i]; sy += ys[i]; sxx += xs[i] * xs[i]; sxy += xs[i] * ys[i] }
  slope = (5 * sxy - sx * sy) / (5 * sxx - sx * sx); icpt = (sy - slope * sx) / 5
  printf "time vs N, least-squares fit:      %.3f ms per App + %.1f ms\n", slope, icpt
  printf "time per App, N=5000 vs N=1000:    %.3f ms vs %.3f ms (ratio %.2f; target <= 1.25)\n", o5000 / 5000, o1000 / 1000, (o5000 / 5000) / (o1000 / 1000)
  printf "CPU per App, N=5000 vs N=1000:     %.3f ms vs %.3f ms (ratio %.2f)\n", c5000 / 5000, c1000 / 1000, (c5000 / 5000) / (c1000 / 1000)
}'
