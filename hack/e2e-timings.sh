#!/usr/bin/env bash
# Whole-process time of one render of the example App through each real
# client, exec vs container: the median of RUNS runs (default 5) after one
# warm-up run, as a markdown table with the exact command. Needs what make e2e
# needs (tools, binaries and images).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
IMAGE_REPO=${IMAGE_REPO:-localhost/slipway}
VERSION=${VERSION:-dev}
RUNS=${RUNS:-5}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/hack/containers.conf}
export PATH=$root/bin:$root/bin/tools:$PATH
render_image=$IMAGE_REPO/render:$VERSION
cmp_image=$IMAGE_REPO/argocd-cmp:$VERSION

work=$(mktemp -d "${TMPDIR:-/tmp}/slipway-timings.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/shim" "$work/out"
printf '#!/bin/sh\nexec podman "$@"\n' >"$work/shim/docker"
chmod +x "$work/shim/docker"
cp -r examples/kpt "$work/kpt"
cp -r examples/argocd/app "$work/app"
chmod -R a+rX "$work"
{
  printf 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n'
  sed '/^#/d' examples/argocd/app/admin.yaml | sed -e 's/^/  /' -e '1s/^  /- /'
} >"$work/resourcelist.yaml"

# median_ms CMD...: runs CMD (output discarded; must succeed) RUNS times after
# a warm-up and prints the median wall time in milliseconds.
median_ms() {
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  local times=() start end
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

row() { # path mode shown-command command...
  local path=$1 mode=$2 shown=$3
  shift 3
  printf '| %s | %s | %s | `%s` |\n' "$path" "$mode" "$(median_ms "$@")" "$shown"
}

cmp_generate() { (cd "$work/app" && env -i PATH=/usr/bin:/bin ARGOCD_APP_NAMESPACE=shop "$root/bin/slipway-argocd-cmp" generate); }

echo "| path | mode | median ms (of $RUNS) | command |"
echo "|---|---|---|---|"
row "binary alone" exec "slipway-render <resourcelist.yaml" sh -c "slipway-render <$work/resourcelist.yaml"
row "podman run alone" container "podman run --rm -i --network none --user nobody $render_image <resourcelist.yaml" \
  sh -c "podman run --rm -i --network none --user nobody $render_image <$work/resourcelist.yaml"
row "kustomize build" exec "kustomize build --enable-alpha-plugins --enable-exec examples/kustomize/exec/base" \
  kustomize build --enable-alpha-plugins --enable-exec examples/kustomize/exec/base
row "kustomize build" container "PATH=<docker shim>:\$PATH kustomize build --enable-alpha-plugins examples/kustomize/container/base" \
  env PATH="$work/shim:$PATH" kustomize build --enable-alpha-plugins examples/kustomize/container/base
row "kpt fn render" exec "kpt fn render --allow-exec PKG" kpt fn render --allow-exec "$work/kpt"
cp -r "$work/kpt" "$work/kpt-image"
sed -i "s#- exec: slipway-render#- image: $render_image#" "$work/kpt-image/Kptfile"
row "kpt fn render" container "KPT_FN_RUNTIME=podman kpt fn render --image-pull-policy never PKG (Kptfile: image)" \
  env KPT_FN_RUNTIME=podman kpt fn render --image-pull-policy never "$work/kpt-image"
row "kpt fn eval" exec "kpt fn eval --exec bin/slipway-render PKG" kpt fn eval --exec "$root/bin/slipway-render" "$work/kpt"
row "kpt fn eval" container "KPT_FN_RUNTIME=podman kpt fn eval --image $render_image --image-pull-policy never PKG" \
  env KPT_FN_RUNTIME=podman kpt fn eval --image "$render_image" --image-pull-policy never "$work/kpt"
row "Argo CD CMP generate (as in the sidecar)" exec "cd APPDIR && slipway-argocd-cmp generate" cmp_generate
row "CMP generate, one podman run per call" container \
  "podman run --rm --network none --user 999:999 -v APPDIR:/app:ro -w /app --entrypoint /usr/local/bin/slipway-argocd-cmp $cmp_image generate" \
  podman run --rm --network none --user 999:999 -v "$work/app:/app:ro" -w /app \
  -e ARGOCD_APP_NAMESPACE=shop --entrypoint /usr/local/bin/slipway-argocd-cmp "$cmp_image" generate
