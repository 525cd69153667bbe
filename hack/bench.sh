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
# Each timing is the median of RUNS runs (default 5) with its spread
# (min-max); kustomize at N=1000 runs once, bounded by KUSTOMIZE_TIMEOUT
# seconds (default 60, to keep the run within about 3 minutes): it is slow
# and superlinear; a run that exceeds it is reported as ">60000". Peak memory is GNU
# time's maximum resident set size, the largest over the runs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${RUNS:-5}
KUSTOMIZE_TIMEOUT=${KUSTOMIZE_TIMEOUT:-60}
SIZES=(1 100 1000)
render=$root/bin/slipway-render
kustomize=$root/bin/tools/kustomize

slipway=$root/bin/slipway

if [[ ${ONLY:-} == check ]]; then
  hack/install-tools.sh time
else
  hack/install-tools.sh kustomize time
fi
[[ -x $slipway ]] || { echo "bench: $slipway is missing: run make build" >&2; exit 1; }
[[ ${ONLY:-} == check ]] || [[ -x $render ]] || { echo "bench: $render is missing: run make bench" >&2; exit 1; }
[[ ${ONLY:-} == check ]] || command -v kpt >/dev/null || { echo "bench: kpt is not on PATH" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/appgen" ./functions/internal/appgen/cmd/appgen
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/noopfn" ./functions/internal/noopfn

# measure NAME RUNS CMD...: runs CMD (stdin from $IN, stdout to $OUT) RUNS
# times; records "median min max peak_kb" in $work/NAME.
measure() {
  local name=$1 runs=$2 ms=() peak=0 i start end rss rc
  shift 2
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    rc=0
    /usr/bin/time -f %M -o "$work/rss" "$@" <"${IN:-/dev/null}" >"${OUT:-/dev/null}" 2>"$work/stderr" || rc=$?
    if ((rc == 124)) && [[ ${1:-} == timeout ]]; then
      echo timeout >"$work/res.$name"
      return
    elif ((rc != 0)); then
      echo "bench: $name failed:" >&2; cat "$work/stderr" >&2; exit 1
    fi
    end=$(date +%s%N)
    ms+=("$(((end - start) / 1000))")
    rss=$(tail -n1 "$work/rss")
    ((rss > peak)) && peak=$rss
  done
  printf '%s\n' "${ms[@]}" | sort -n | awk -v peak="$peak" '{v[NR] = $1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f %d\n", m / 1000, v[1] / 1000, v[NR] / 1000, peak}' >"$work/res.$name"
}

# check_row times slipway check on a monorepo of 5,000 Apps in 1,000
# directories, one file per App.
check_row() {
  "$work/appgen" -n 5000 -dirs 1000 -tree "$work/monorepo"
  echo "bench: timing slipway check, 5000 Apps in 1000 directories" >&2
  measure check "$RUNS" "$slipway" check "$work/monorepo"
}

if [[ ${ONLY:-} == check ]]; then
  check_row
  echo
  echo "slipway check benchmark: $(nproc) cores, $(go env GOOS)/$(go env GOARCH), runs=$RUNS, $(date -u +%Y-%m-%d)"
  printf '%-44s %12s %20s %10s\n' "command" "median ms" "min-max ms" "peak MB"
  read -r med lo hi peak <"$work/res.check"
  printf '%-44s %12s %20s %10.1f\n' "slipway check, 5000 Apps in 1000 dirs" "$med" "$lo-$hi" "$(echo "$peak / 1024" | bc -l)"
  exit 0
fi

for n in "${SIZES[@]}"; do
  "$work/appgen" -n "$n" >"$work/in$n.yaml"
  "$render" <"$work/in$n.yaml" >"$work/out$n.yaml"
  "$work/appgen" -rendered <"$work/out$n.yaml" >"$work/expanded$n.yaml"
  echo "bench: N=$n: $(wc -c <"$work/in$n.yaml") input bytes, $(grep -c '^kind:' "$work/expanded$n.yaml") rendered objects, $(wc -c <"$work/out$n.yaml") output bytes" >&2
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
  IN=$work/out$n.yaml measure "floor$n" "$RUNS" "$work/noopfn"
  if [[ $n == 1000 ]]; then
    measure "kustomize$n" 1 timeout "$KUSTOMIZE_TIMEOUT" "$kustomize" build "$work/plain$n"
  else
    measure "kustomize$n" "$RUNS" "$kustomize" build "$work/plain$n"
    measure "kexec$n" "$RUNS" "$kustomize" build --enable-alpha-plugins --enable-exec "$work/kexec$n"
    measure "kpt$n" "$RUNS" kpt fn eval "$work/kpt$n" --exec "$render" --output stdout
  fi
done
check_row
measure kgen "$RUNS" "$kustomize" build --enable-alpha-plugins --enable-exec "$work/kgen"
# An exec generator that kustomize silently dropped would be fast and empty.
"$kustomize" build --enable-alpha-plugins --enable-exec "$work/kgen" | grep -q '^kind: Deployment' ||
  { echo "bench: kustomize exec generator produced no Deployment" >&2; exit 1; }

row() { # label file
  local f=$work/res.$2
  if [[ ! -s $f ]]; then printf '%-44s %12s\n' "$1" "-"; return; fi
  if [[ $(cat "$f") == timeout ]]; then printf '%-44s %12s\n' "$1" ">${KUSTOMIZE_TIMEOUT}000.0"; return; fi
  read -r med lo hi peak <"$f"
  printf '%-44s %12s %20s %10.1f\n' "$1" "$med" "$lo-$hi" "$(echo "$peak / 1024" | bc -l)"
}
med() { awk '{print $1}' "$work/res.$1"; }

echo
echo "slipway whole-process benchmark: $(nproc) cores, $(go env GOOS)/$(go env GOARCH), runs=$RUNS, $(date -u +%Y-%m-%d)"
printf '%-44s %12s %20s %10s\n' "command" "median ms" "min-max ms" "peak MB"
for n in "${SIZES[@]}"; do
  row "ours: slipway-render, N=$n" "ours$n"
  row "floor: no-op KRM function, N=$n output" "floor$n"
  row "kustomize build, plain, N=$n$([[ $n == 1000 ]] && echo ' (1 run)')" "kustomize$n"
  [[ $n != 1000 ]] && row "kustomize exec transformer (ours), N=$n" "kexec$n"
  [[ $n != 1000 ]] && row "kpt fn eval --exec (ours), N=$n" "kpt$n"
done
row "kustomize exec generator (ours), 1 App" kgen
row "slipway check, 5000 Apps in 1000 dirs" check

echo
awk -v o1="$(med ours1)" -v o100="$(med ours100)" -v o1000="$(med ours1000)" \
  -v f100="$(med floor100)" -v f1000="$(med floor1000)" -v k100="$(med kustomize100)" 'BEGIN {
  printf "ours / kustomize plain at N=100:   %.2f   (target <= 0.25)\n", o100 / k100
  printf "ours / no-op floor at N=100:       %.2f   (target <= 1.5)\n", o100 / f100
  printf "ours / no-op floor at N=1000:      %.2f   (target <= 1.5)\n", o1000 / f1000
  # least-squares line through (N, ms)
  n = 3; sx = 1 + 100 + 1000; sy = o1 + o100 + o1000
  sxx = 1 + 100 * 100 + 1000 * 1000; sxy = o1 + 100 * o100 + 1000 * o1000
  slope = (n * sxy - sx * sy) / (n * sxx - sx * sx); icpt = (sy - slope * sx) / n
  printf "time vs N, least-squares fit:      %.3f ms per App + %.1f ms\n", slope, icpt
  printf "per-App cost, N=100 vs N=1000:     %.2f ms vs %.2f ms (ratio %.2f; 1.00 is linear)\n", (o100 - o1) / 99, (o1000 - o1) / 999, ((o1000 - o1) / 999) / ((o100 - o1) / 99)
}'
