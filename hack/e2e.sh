#!/usr/bin/env bash
# End-to-end tests of every way users run slipway, with the real clients and
# the images built from our Dockerfile:
#   - kustomize build: the App as an exec and as a container generator, in a
#     base and in an overlay; the --enable-exec caveat (kustomize, kubectl)
#   - kpt fn render (exec, image): file naming, idempotence, removal, errors
#   - kpt fn eval (exec, image)
#   - Argo CD: the plugin's generate and discover commands run the way
#     argocd-cmp-server runs them (host binary, and in our sidecar image as
#     user 999), the exec alternative's kustomize flags, the install components
#   - the slipway command: slipway render of every example, on the host and
#     in its image; exit codes; every binary answers --help without waiting
#   - eject: kpt fn eval (exec, image) and the CLI, each overlay built by kustomize
#   - examples/rails (workers, jobs, volumes): the Argo CD plugin (base and
#     prod, host and image), kustomize's exec generator, kpt fn render
#   - examples/monorepo (one Platform, three Apps, two environments): kustomize
#     (transformer), kpt (render, eval), the Argo CD plugin, slipway render
# Each output is compared with the file checked in beside its example, and the
# outputs of all paths with each other as normalised objects: the same App
# gives the same objects everywhere.
#
#   make e2e               tools, binaries and images first, then this script
#   hack/e2e.sh            the same (sets them up itself when not run by make)
#   UPDATE=1 hack/e2e.sh   rewrite the checked-in outputs; review the diff
#
# A path that cannot run prints SKIPPED and the reason; with CI=true a skip
# fails the run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
IMAGE_REPO=${IMAGE_REPO:-localhost/slipway}
VERSION=${VERSION:-dev}
UPDATE=${UPDATE:-}
KUSTOMIZE_VERSION=${KUSTOMIZE_VERSION:-v5.8.2}
# Our podman settings, for podman and for the clients that start it.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/hack/containers.conf}
# bin/ first: the Kptfile runs slipway-render from PATH; bin/tools holds the
# pinned kustomize.
export PATH=$root/bin:$root/bin/tools:$PATH

ok() { printf 'ok      %s\n' "$*"; }
fail() {
  printf 'FAIL    %s\n' "$*" >&2
  exit 1
}
skipped=0
skip() {
  if [[ ${CI:-} == true ]]; then
    fail "$1: cannot run ($2), and CI=true allows no skipped path"
  fi
  printf 'SKIPPED %s: %s\n' "$1" "$2"
  skipped=$((skipped + 1))
}
have() { command -v "$1" >/dev/null 2>&1; }

# --- setup -------------------------------------------------------------------
if [[ -z ${MAKELEVEL:-} ]]; then # not run by make e2e, which does this first
  hack/install-tools.sh kustomize
  # Without podman (not root, no apt) the container paths are SKIPPED below.
  hack/install-tools.sh podman || true
  make -s build
  if have podman; then make -s image; fi
fi
[[ -x bin/tools/kustomize ]] || fail "bin/tools/kustomize is missing: run make tools"
kversion=$(kustomize version)
[[ $kversion == "$KUSTOMIZE_VERSION" ]] || fail "kustomize is $kversion, want $KUSTOMIZE_VERSION: run make tools"
for bin in slipway slipway-render slipway-eject slipway-argocd-cmp; do
  [[ -x bin/$bin ]] || fail "bin/$bin is missing: run make build"
done
images=(render eject argocd-cmp slipway)
containers=yes
if ! have podman; then
  containers="podman is not installed (make tools installs it as root)"
else
  for image in "${images[@]}"; do
    podman image exists "$IMAGE_REPO/$image:$VERSION" ||
      containers="the images $IMAGE_REPO/{render,eject,argocd-cmp,slipway}:$VERSION are missing (make image)"
  done
fi
kpt=yes
have kpt || kpt="kpt is not on PATH (install kpt 1.0.0-beta.56 or later)"
echo "e2e: kustomize $kversion, kpt $(kpt version 2>/dev/null || echo missing), $(podman --version 2>/dev/null || echo 'podman missing')"

work=$(mktemp -d "${TMPDIR:-/tmp}/slipway-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/normalize" ./hack/normalize
norm() { "$work/normalize" "$@"; }

# golden NAME ACTUAL EXPECTED: ACTUAL equals the checked-in EXPECTED
# (rewritten first with UPDATE=1).
golden() {
  if [[ $UPDATE == 1 ]] && ! cmp -s "$2" "$3"; then
    cp "$2" "$3"
    echo "updated $3"
  fi
  if ! diff -u "$3" "$2" >"$work/diff"; then
    head -60 "$work/diff" >&2
    fail "$1: output differs from $3 (UPDATE=1 hack/e2e.sh rewrites it; review the diff)"
  fi
}

# same NAME A B: the files A and B hold the same objects.
same() {
  norm "$2" >"$work/a.norm" || fail "$1: $2 does not parse as objects"
  norm "$3" >"$work/b.norm" || fail "$1: $3 does not parse as objects"
  if ! diff -u "$work/a.norm" "$work/b.norm" >"$work/diff"; then
    head -60 "$work/diff" >&2
    fail "$1: $2 and $3 hold different objects"
  fi
}

# clean NAME FILE: a rendered output is not empty and holds neither the App
# nor the annotations functions and clients use among themselves.
clean() {
  [[ -s $2 ]] || fail "$1: empty output (an exec generator without --enable-exec is dropped silently)"
  if grep -nE '(config\.kubernetes\.io|config\.k8s\.io)/' "$2" >&2; then
    fail "$1: output keeps function or internal annotations"
  fi
  if grep -nE '^apiVersion: slipway\.dev/' "$2" >&2; then
    fail "$1: output holds an App or Platform"
  fi
}

# samedir NAME A B: two directories hold the same files with the same bytes.
samedir() {
  if ! diff -ru "$2" "$3" >"$work/diff"; then
    head -60 "$work/diff" >&2
    fail "$1"
  fi
}

# --- kustomize -------------------------------------------------------------
K=(kustomize build --enable-alpha-plugins --enable-exec)
"${K[@]}" examples/kustomize/exec/base >"$work/k-exec-base.yaml"
clean "kustomize exec base" "$work/k-exec-base.yaml"
golden "kustomize exec base" "$work/k-exec-base.yaml" examples/kustomize/base.expected.yaml
ok "kustomize exec: base"
# From another directory: each exec path resolves against its kustomization.
(cd "$work" && "${K[@]}" "$root/examples/kustomize/exec/overlays/prod") >"$work/k-exec-overlay.yaml"
clean "kustomize exec overlay" "$work/k-exec-overlay.yaml"
golden "kustomize exec overlay" "$work/k-exec-overlay.yaml" examples/kustomize/overlay.expected.yaml
ok "kustomize exec: overlay using the base, built from another directory"

# The caveat the docs warn about: without --enable-exec the generator is
# dropped and the build succeeds with nothing in it.
kustomize build --enable-alpha-plugins examples/kustomize/exec/base >"$work/k-noexec.yaml" ||
  fail "kustomize without --enable-exec failed; docs/integrations.md says it succeeds silently"
[[ ! -s $work/k-noexec.yaml ]] || fail "kustomize without --enable-exec rendered objects; update docs/integrations.md"
ok "kustomize without --enable-exec: exit 0 and empty output, as documented"
if have kubectl; then
  kubectl kustomize --enable-alpha-plugins examples/kustomize/exec/base >"$work/kubectl.yaml" 2>"$work/kubectl.err" ||
    fail "kubectl kustomize failed: $(cat "$work/kubectl.err")"
  [[ ! -s $work/kubectl.yaml ]] || fail "kubectl kustomize rendered objects; update docs/integrations.md"
  ok "kubectl kustomize ($(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p')): cannot exec, empty output, as documented"
else
  skip "kubectl kustomize caveat" "kubectl is not installed"
fi

if [[ $containers == yes ]]; then
  # kustomize has no runtime switch: it runs `docker run ...`.
  mkdir -p "$work/shim"
  printf '#!/bin/sh\nexec podman "$@"\n' >"$work/shim/docker"
  chmod +x "$work/shim/docker"
  PATH=$work/shim:$PATH kustomize build --enable-alpha-plugins examples/kustomize/container/base >"$work/k-ctr-base.yaml"
  PATH=$work/shim:$PATH kustomize build --enable-alpha-plugins examples/kustomize/container/overlays/prod >"$work/k-ctr-overlay.yaml"
  golden "kustomize container base" "$work/k-ctr-base.yaml" examples/kustomize/base.expected.yaml
  golden "kustomize container overlay" "$work/k-ctr-overlay.yaml" examples/kustomize/overlay.expected.yaml
  ok "kustomize container: base and overlay, identical to exec"
else
  skip "kustomize container" "$containers"
fi

# Argo CD alternative (b): the repo-server's kustomize with argocd-cm's build
# options and the binary at an absolute path.
options=$(sed -n 's/^ *kustomize.buildOptions: *//p' examples/argocd/exec/argocd-cm-patch.yaml)
mkdir -p "$work/argocd-exec"
cp examples/kustomize/exec/base/* "$work/argocd-exec/"
sed -i "s#path: .*slipway-render#path: $root/bin/slipway-render#" "$work/argocd-exec/app.yaml"
# shellcheck disable=SC2086 # the options are words
kustomize build $options "$work/argocd-exec" >"$work/argocd-exec.yaml"
golden "argocd exec alternative" "$work/argocd-exec.yaml" examples/kustomize/base.expected.yaml
ok "Argo CD exec alternative: kustomize build $options"

# --- kpt -------------------------------------------------------------------
# pkg NAME: a fresh copy of the kpt example without its generated files.
pkg() {
  rm -rf "${work:?}/$1" && cp -r examples/kpt "$work/$1" && rm -f "$work/$1"/*.generated.yaml
  echo "$work/$1"
}
if [[ $kpt == yes ]]; then
  p=$(pkg render)
  (cd "$work" && kpt fn render --allow-exec "$p" >"$work/kpt.log" 2>&1) || { cat "$work/kpt.log" >&2; fail "kpt fn render (exec)"; }
  [[ -f $p/admin.generated.yaml ]] || fail "kpt fn render: no admin.generated.yaml beside admin.yaml: $(ls "$p")"
  clean "kpt fn render" "$p/admin.generated.yaml"
  golden "kpt fn render (exec)" "$p/admin.generated.yaml" examples/kpt/admin.generated.yaml
  samedir "kpt fn render changed files other than admin.generated.yaml" examples/kpt "$p"
  cp -r "$p" "$work/render-1"
  kpt fn render --allow-exec "$p" >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn render, second run"; }
  samedir "kpt fn render is not idempotent: a second render changed the package" "$work/render-1" "$p"
  ok "kpt fn render (exec): admin.generated.yaml beside admin.yaml; a second render changes nothing"
  rm "$p/admin.yaml"
  kpt fn render --allow-exec "$p" >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn render after removing the App"; }
  [[ ! -e $p/admin.generated.yaml ]] || fail "kpt fn render kept admin.generated.yaml after admin.yaml was removed"
  [[ $(ls "$p") == Kptfile ]] || fail "kpt fn render after removing the App left: $(ls "$p")"
  ok "kpt fn render (exec): removing the App removes admin.generated.yaml"

  p=$(pkg eval-exec)
  kpt fn eval "$p" --exec "$root/bin/slipway-render" >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn eval --exec"; }
  samedir "kpt fn eval --exec differs from the checked-in package" examples/kpt "$p"
  ok "kpt fn eval --exec: same files as kpt fn render"

  # Environment through the function config: -- environment=prod.
  p=$(pkg eval-prod)
  kpt fn eval "$p" --exec "$root/bin/slipway-render" -- environment=prod >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn eval -- environment=prod"; }
  [[ ! -e $p/admin.generated.yaml ]] || fail "kpt fn eval -- environment=prod kept the base's admin.generated.yaml"
  cp "$p/admin.prod.generated.yaml" "$work/kpt-prod.yaml"
  kpt fn eval "$p" --exec "$root/bin/slipway-render" >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn eval of the base after prod"; }
  cmp -s "$p/admin.prod.generated.yaml" "$work/kpt-prod.yaml" || fail "kpt fn eval of the base changed admin.prod.generated.yaml"
  cmp -s "$p/admin.generated.yaml" examples/kpt/admin.generated.yaml || fail "kpt fn eval of the base after prod: admin.generated.yaml differs from the checked-in one"
  ok "kpt fn eval --exec -- environment=prod writes admin.prod.generated.yaml (the base's file replaced); the base rendered again sits beside it"

  # The annotation slipway.dev/environment selects it too, in a Kptfile
  # pipeline; a function config that disagrees with it is an error.
  p=$(pkg render-annotated)
  sed -i 's#^  annotations:$#  annotations:\n    slipway.dev/environment: prod#' "$p/admin.yaml"
  kpt fn render --allow-exec "$p" >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn render of an App annotated prod"; }
  same "kpt fn render of an App annotated prod and kpt fn eval -- environment=prod" "$p/admin.prod.generated.yaml" "$work/kpt-prod.yaml"
  if kpt fn eval "$p" --exec "$root/bin/slipway-render" -- environment=dev >"$work/kpt.log" 2>&1; then
    fail "kpt fn eval -- environment=dev of an App annotated prod exited 0"
  fi
  grep -q 'conflicts with the environment "dev"' "$work/kpt.log" || { cat "$work/kpt.log" >&2; fail "kpt: no conflict reported"; }
  ok "kpt fn render: the annotation slipway.dev/environment: prod renders prod; -- environment=dev against it is an error"

  # Errors: non-zero exit, the package untouched, and a result with the
  # field path and the file.
  p=$(pkg bad)
  cp examples/kpt/admin.generated.yaml "$p/"
  sed -i 's/^  replicas: 2/  replicaz: 2/' "$p/admin.yaml"
  cp -r "$p" "$work/bad-before"
  rc=0
  kpt fn render --allow-exec "$p" --results-dir "$work/results" >"$work/kpt.log" 2>&1 || rc=$?
  ((rc != 0)) || fail "kpt fn render of a bad App exited 0"
  grep -q 'path: spec.replicaz' "$work/results/results.yaml" || { cat "$work/results/results.yaml" >&2; fail "kpt results lack the field path spec.replicaz"; }
  grep -q 'path: admin.yaml' "$work/results/results.yaml" || fail "kpt results lack the file admin.yaml"
  grep -q 'spec.replicaz' "$work/kpt.log" || fail "kpt's output does not show the field path"
  samedir "kpt fn render of a bad App changed the package" "$work/bad-before" "$p"
  ok "kpt fn render of a bad App: exit $rc, result with field spec.replicaz and file admin.yaml, package unchanged"

  if [[ $containers == yes ]]; then
    export KPT_FN_RUNTIME=podman
    p=$(pkg render-image)
    sed -i "s#- exec: slipway-render#- image: $IMAGE_REPO/render:$VERSION#" "$p/Kptfile"
    grep -q "image: $IMAGE_REPO/render:$VERSION" "$p/Kptfile" || fail "could not switch the Kptfile to the image"
    kpt fn render "$p" --image-pull-policy never >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn render (image)"; }
    golden "kpt fn render (image)" "$p/admin.generated.yaml" examples/kpt/admin.generated.yaml
    ok "kpt fn render (image $IMAGE_REPO/render:$VERSION, podman)"

    p=$(pkg eval-image)
    kpt fn eval "$p" --image "$IMAGE_REPO/render:$VERSION" --image-pull-policy never >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "kpt fn eval --image"; }
    samedir "kpt fn eval --image differs from the checked-in package" examples/kpt "$p"
    ok "kpt fn eval --image (podman): same files as kpt fn render"

    p=$(pkg bad-image)
    sed -i 's/^  replicas: 2/  replicaz: 2/' "$p/admin.yaml"
    if kpt fn eval "$p" --image "$IMAGE_REPO/render:$VERSION" --image-pull-policy never --results-dir "$work/results-image" >"$work/kpt.log" 2>&1; then
      fail "kpt fn eval --image of a bad App exited 0"
    fi
    grep -q 'path: spec.replicaz' "$work/results-image/results.yaml" || fail "kpt fn eval --image: results lack the field path"
    ok "kpt fn eval --image of a bad App: non-zero exit, result with field spec.replicaz"
    unset KPT_FN_RUNTIME
  else
    skip "kpt fn render/eval (image)" "$containers"
  fi
else
  skip "kpt fn render/eval" "$kpt"
fi

# --- Argo CD plugin --------------------------------------------------------
# The commands plugin.yaml runs, as words.
plugin_command() {
  sed -n "/^ *$1:$/,/command:/s/^ *command: \[\(.*\)\]/\1/p" examples/argocd/cmp/plugin.yaml | sed 's/, */ /g'
}
read -ra generate_cmd <<<"$(plugin_command generate)"
read -ra discover_cmd <<<"$(plugin_command find)"
[[ ${generate_cmd[0]:-} == /usr/local/bin/slipway-argocd-cmp && ${discover_cmd[0]:-} == /usr/local/bin/slipway-argocd-cmp ]] ||
  fail "plugin.yaml: unexpected commands: generate ${generate_cmd[*]}, discover ${discover_cmd[*]}"

# appcopy DIR: the app directory as argocd-cmp-server receives it: a fresh
# copy whose files have lost their mode bits.
appcopy() {
  local dst
  dst=$(mktemp -d "$work/cmp.XXXXXX")
  cp -r "$1"/. "$dst"/
  find "$dst" -type f -exec chmod 0644 {} +
  find "$dst" -type d -exec chmod 0755 {} +
  echo "$dst"
}

# The environment argocd-cmp-server gives the command: its own (the
# sidecar's) plus the Application's. Extra NAME=VALUE words follow.
cmp_env=(
  ARGOCD_APP_NAME=admin ARGOCD_APP_NAMESPACE=shop ARGOCD_APP_PROJECT_NAME=default
  ARGOCD_APP_REVISION=4f2c1d0e9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d ARGOCD_APP_SOURCE_PATH=examples/argocd/app
  ARGOCD_APP_SOURCE_REPO_URL=https://github.com/slipway-dev/slipway.git ARGOCD_APP_SOURCE_TARGET_REVISION=main
  KUBE_VERSION=1.32.4 KUBE_API_VERSIONS=v1,apps/v1,policy/v1,networking.istio.io/v1,external-secrets.io/v1
)
sidecar_env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/argocd)

# cmp_host DIR OUT [NAME=VALUE...]: run generate with the host binary, cwd =
# a copy of DIR, only the CMP environment. Exit code in $rc.
cmp_host() {
  local dir out=$2
  dir=$(appcopy "$1")
  shift 2
  rc=0
  (cd "$dir" && env -i "${sidecar_env[@]}" "${cmp_env[@]}" "$@" "$root/bin/slipway-argocd-cmp" "${generate_cmd[@]:1}") >"$out" 2>"$out.err" || rc=$?
}

# cmp_image DIR OUT [NAME=VALUE...]: the same in our sidecar image, as
# argocd (999), calling the binary by plugin.yaml's absolute path.
cmp_image() {
  local dir out=$2 envs=()
  dir=$(appcopy "$1")
  shift 2
  for e in "${cmp_env[@]}" "$@"; do envs+=(-e "$e"); done
  rc=0
  podman run --rm --network none --user 999:999 --read-only -v "$dir:/tmp/_cmp_server/app:ro" -w /tmp/_cmp_server/app \
    "${envs[@]}" --entrypoint "${generate_cmd[0]}" "$IMAGE_REPO/argocd-cmp:$VERSION" "${generate_cmd[@]:1}" >"$out" 2>"$out.err" || rc=$?
}

cmp_host examples/argocd/app "$work/cmp.yaml"
((rc == 0)) || fail "CMP generate exited $rc: $(cat "$work/cmp.yaml.err")"
clean "CMP generate" "$work/cmp.yaml"
golden "CMP generate" "$work/cmp.yaml" examples/argocd/app.expected.yaml
ok "CMP generate (cwd = copy of examples/argocd/app, CMP environment): parsed as objects"
cmp_host examples/argocd/app "$work/cmp-prod.yaml" 'ARGOCD_APP_PARAMETERS=[{"name":"environment","string":"prod"}]' PARAM_ENVIRONMENT=prod
((rc == 0)) || fail "CMP generate with environment=prod exited $rc: $(cat "$work/cmp-prod.yaml.err")"
golden "CMP generate, environment prod" "$work/cmp-prod.yaml" examples/argocd/app.prod.expected.yaml
cmp_host examples/argocd/app "$work/cmp-prod-env.yaml" ARGOCD_ENV_ENVIRONMENT=prod
same "CMP: plugin parameter and ARGOCD_ENV_ENVIRONMENT" "$work/cmp-prod.yaml" "$work/cmp-prod-env.yaml"
ok "CMP generate: environment prod by parameter (ARGOCD_APP_PARAMETERS, PARAM_ENVIRONMENT) and by ARGOCD_ENV_ENVIRONMENT"
annotated=$(mktemp -d "$work/annotated-app.XXXXXX")
sed 's#^  labels:$#  annotations: {slipway.dev/environment: prod}\n  labels:#' examples/argocd/app/admin.yaml >"$annotated/admin.yaml"
cmp_host "$annotated" "$work/cmp-annotated.yaml"
((rc == 0)) || fail "CMP generate of an App annotated prod exited $rc: $(cat "$work/cmp-annotated.yaml.err")"
golden "CMP generate of an App annotated prod" "$work/cmp-annotated.yaml" examples/argocd/app.prod.expected.yaml
cmp_host "$annotated" "$work/cmp-annotated-dev.yaml" PARAM_ENVIRONMENT=dev
((rc == 1)) && grep -q 'conflicts with the environment "dev" selected by PARAM_ENVIRONMENT' "$work/cmp-annotated-dev.yaml.err" ||
  fail "CMP generate with environment dev of an App annotated prod: exit $rc, $(cat "$work/cmp-annotated-dev.yaml.err")"
ok "CMP generate: the annotation slipway.dev/environment: prod renders prod; a parameter against it is an error"
if [[ $kpt == yes ]]; then
  same "CMP prod and kpt fn eval -- environment=prod" "$work/cmp-prod.yaml" "$work/kpt-prod.yaml"
fi
cmp_host examples/kpt "$work/cmp-kpt.yaml"
((rc == 0)) || fail "CMP generate on the kpt package exited $rc: $(cat "$work/cmp-kpt.yaml.err")"
same "CMP on the kpt package (generated file re-rendered, not duplicated)" "$work/cmp-kpt.yaml" examples/kpt/admin.generated.yaml
ok "CMP generate on the kpt package: the earlier rendering replaced, not duplicated"

bad=$(mktemp -d "$work/bad-app.XXXXXX")
sed 's/^  replicas: 2/  replicaz: 2/' examples/argocd/app/admin.yaml >"$bad/admin.yaml"
cmp_host "$bad" "$work/cmp-bad.yaml"
((rc != 0)) || fail "CMP generate of a bad App exited 0"
[[ ! -s $work/cmp-bad.yaml ]] || fail "CMP generate of a bad App printed to stdout"
grep -q 'admin.yaml: App shop/admin: spec.replicaz' "$work/cmp-bad.yaml.err" || fail "CMP error lacks file and field path: $(cat "$work/cmp-bad.yaml.err")"
ok "CMP generate of a bad App: exit $rc, empty stdout, stderr: $(grep -m1 spec.replicaz "$work/cmp-bad.yaml.err")"

if [[ $containers == yes ]]; then
  cmp_image examples/argocd/app "$work/cmp-image.yaml"
  ((rc == 0)) || fail "CMP generate in the sidecar image exited $rc: $(cat "$work/cmp-image.yaml.err")"
  golden "CMP generate in the sidecar image" "$work/cmp-image.yaml" examples/argocd/app.expected.yaml
  ok "CMP generate in $IMAGE_REPO/argocd-cmp:$VERSION as user 999, read-only: same output"
else
  skip "CMP generate in the sidecar image" "$containers"
fi

# discover: matches exactly the directories holding an App at top level,
# except kustomizations (kustomize renders those itself).
for case in "examples/argocd/app yes" "examples/kpt yes" "examples/kustomize/exec/base no" \
  "examples/kustomize/exec/overlays/prod no" "examples/argocd no" "examples/argocd/cmp no" "examples/kustomize no"; do
  read -r dir want <<<"$case"
  copy=$(appcopy "$dir")
  found=$(cd "$copy" && env -i "${sidecar_env[@]}" "${cmp_env[@]}" "$root/bin/slipway-argocd-cmp" "${discover_cmd[@]:1}") ||
    fail "CMP discover failed in $dir"
  got=no
  [[ -z $found ]] || got=yes
  [[ $got == "$want" ]] || fail "CMP discover in $dir: matched=$got, want $want (output: $found)"
  ok "CMP discover $dir: match=$got${found:+ ($(echo "$found" | tr '\n' ' '))}"
done

# The install components, applied to stand-ins for Argo CD's own objects.
mkdir -p "$work/install"
cat >"$work/install/argocd.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: argocd-repo-server}
  template:
    metadata:
      labels: {app.kubernetes.io/name: argocd-repo-server}
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd
      volumes:
        - name: var-files
          emptyDir: {}
        - name: plugins
          emptyDir: {}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
EOF
examples=$(realpath --relative-to "$work/install" "$root/examples") # kustomize refuses absolute paths here
cat >"$work/install/kustomization.yaml" <<EOF
namespace: argocd
resources: [argocd.yaml]
components:
  - $examples/argocd/cmp
  - $examples/argocd/exec
EOF
kustomize build "$work/install" >"$work/install.yaml" || fail "kustomize build of the Argo CD components"
golden "Argo CD install components" "$work/install.yaml" examples/argocd/install.expected.yaml
ok "Argo CD components (plugin sidecar, exec alternative) build on argocd-repo-server and argocd-cm"

# --- the slipway command -------------------------------------------------------
# slipway render prints the manifests alone, byte for byte what the checked-in
# outputs hold, and the same objects as every other path.
slipway render examples/quickstart/app.yaml >"$work/cli-quickstart.yaml"
clean "slipway render" "$work/cli-quickstart.yaml"
golden "slipway render (README quick start)" "$work/cli-quickstart.yaml" examples/quickstart/rendered/base.yaml
slipway render - <examples/quickstart/app.yaml >"$work/cli-stdin.yaml"
golden "slipway render - (stdin)" "$work/cli-stdin.yaml" examples/quickstart/rendered/base.yaml
for env in base dev prod; do
  flags=()
  [[ $env == base ]] || flags=(-e "$env")
  slipway render "${flags[@]}" examples/platform-team >"$work/cli-team-$env.yaml"
  golden "slipway render ${flags[*]} examples/platform-team" "$work/cli-team-$env.yaml" "examples/platform-team/rendered/$env.yaml"
done
ok "slipway render: the quick start (file and stdin) and the platform-team example (base, dev, prod) equal their rendered/ files"
slipway render examples/argocd/app >"$work/cli-argocd.yaml"
golden "slipway render examples/argocd/app" "$work/cli-argocd.yaml" examples/argocd/app.expected.yaml
slipway render --environment prod examples/argocd/app >"$work/cli-argocd-prod.yaml"
golden "slipway render --environment prod examples/argocd/app" "$work/cli-argocd-prod.yaml" examples/argocd/app.prod.expected.yaml
slipway render examples/kpt >"$work/cli-kpt.yaml"
same "slipway render of the kpt package (its earlier rendering replaced)" "$work/cli-kpt.yaml" examples/kpt/admin.generated.yaml
slipway render examples/kustomize/exec/base >"$work/cli-kustomize.yaml"
same "slipway render and kustomize build of the same App" "$work/cli-kustomize.yaml" examples/kustomize/base.expected.yaml
ok "slipway render: the Argo CD app (base, prod) byte for byte as the plugin; the kpt and kustomize examples, the same objects"

# The environment annotation of the kustomize overlay's App is honoured here
# too, and a flag that disagrees with it is an error.
slipway render examples/kustomize/exec/overlays/prod/worker.yaml >"$work/cli-worker.yaml"
grep -q '^  replicas: 3$' "$work/cli-worker.yaml" || fail "slipway render ignored the App's slipway.dev/environment: prod"
rc=0
slipway render -e dev examples/kustomize/exec/overlays/prod/worker.yaml >"$work/cli-conflict.yaml" 2>"$work/cli-conflict.err" || rc=$?
((rc == 1)) && [[ ! -s $work/cli-conflict.yaml ]] || fail "slipway render -e dev of an App annotated prod: exit $rc, want 1 and no output"
grep -q 'metadata.annotations\[slipway.dev/environment\]: "prod" conflicts with the environment "dev" selected by --environment' "$work/cli-conflict.err" ||
  fail "slipway render -e dev of an App annotated prod: $(cat "$work/cli-conflict.err")"
ok "slipway render: the annotation slipway.dev/environment selects prod; -e dev against it is an error (exit 1, nothing on stdout)"

# Exit codes: 1 for invalid input, with nothing on stdout; 2 for usage.
sed 's/^  replicas: 2/  replicaz: 2/' examples/argocd/app/admin.yaml >"$work/bad-admin.yaml"
rc=0
slipway render "$work/bad-admin.yaml" >"$work/cli-bad.yaml" 2>"$work/cli-bad.err" || rc=$?
((rc == 1)) && [[ ! -s $work/cli-bad.yaml ]] || fail "slipway render of a bad App: exit $rc, want 1 and no output"
grep -q "bad-admin.yaml: App shop/admin: spec.replicaz: unknown field" "$work/cli-bad.err" || fail "slipway render error lacks file and path: $(cat "$work/cli-bad.err")"
rc=0
slipway render --bogus examples/quickstart/app.yaml >/dev/null 2>&1 || rc=$?
((rc == 2)) || fail "slipway render --bogus exited $rc, want 2"
ok "slipway render: a bad App exits 1 with the file and field on stderr, a bad flag exits 2"

# No binary waits on stdin when asked for help or given a file; the KRM
# functions still run as kpt and kustomize call them (above). Stdin is a
# pipe that never ends: a binary that reads it is stopped by timeout.
mkfifo "$work/stdin"
exec 3<>"$work/stdin"
for bin in slipway slipway-render slipway-eject slipway-argocd-cmp; do
  timeout 10 "$bin" --help <"$work/stdin" >"$work/help.txt" 2>&1 || fail "$bin --help failed or waited: $(cat "$work/help.txt")"
  [[ $(timeout 10 "$bin" --version <"$work/stdin") == "$VERSION" ]] || fail "$bin --version does not print $VERSION"
done
rc=0
timeout 10 slipway-render examples/quickstart/app.yaml <"$work/stdin" >/dev/null 2>&1 || rc=$?
((rc == 2)) || fail "slipway-render app.yaml exited $rc, want 2 (usage), without waiting on stdin"
exec 3>&-
ok "every binary answers --help and --version without reading stdin; slipway-render FILE is a usage error (exit 2)"
slipway schema app | cmp -s - schema/app.schema.json || fail "slipway schema app differs from schema/app.schema.json"
slipway schema platform | cmp -s - schema/platform.schema.json || fail "slipway schema platform differs from schema/platform.schema.json"
ok "slipway schema app|platform prints schema/{app,platform}.schema.json"

if [[ $containers == yes ]]; then
  podman run --rm --network none -v "$root/examples:/work:ro" -w /work "$IMAGE_REPO/slipway:$VERSION" \
    render quickstart/app.yaml >"$work/cli-image.yaml"
  golden "slipway render in $IMAGE_REPO/slipway:$VERSION" "$work/cli-image.yaml" examples/quickstart/rendered/base.yaml
  ok "slipway render in the image $IMAGE_REPO/slipway:$VERSION: the same output"
else
  skip "slipway image" "$containers"
fi

# --- eject -------------------------------------------------------------------
# The eject function writes each App's kustomize tree into a kpt package; the
# real kustomize build of the base and of every overlay gives the objects that
# rendering the App for that environment gives. The CLI writes the same tree.
if [[ $kpt == yes ]]; then
  pkg=$work/eject
  mkdir -p "$pkg"
  cp examples/platform-team/platform.yaml examples/platform-team/admin.yaml "$pkg/"
  printf 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: eject\n  annotations:\n    config.kubernetes.io/local-config: "true"\n' >"$pkg/Kptfile"
  kpt fn eval "$pkg" --exec "$root/bin/slipway-eject" >"$work/eject.log" 2>&1 || {
    cat "$work/eject.log" >&2
    fail "kpt fn eval --exec slipway-eject"
  }
  for env in base dev prod; do
    dir=$pkg/admin/overlays/$env
    [[ $env == base ]] && dir=$pkg/admin/base
    kustomize build "$dir" >"$work/eject-$env.yaml" || fail "kustomize build of the ejected $env"
    same "ejected $env" "$work/eject-$env.yaml" "examples/platform-team/rendered/$env.yaml"
  done
  cp -r "$pkg" "$work/eject-again"
  kpt fn eval "$work/eject-again" --exec "$root/bin/slipway-eject" >/dev/null 2>&1 || fail "a second eject"
  samedir "a second eject changed the package" "$pkg" "$work/eject-again"
  slipway-eject -o "$work/eject-cli" examples/platform-team/platform.yaml examples/platform-team/admin.yaml 2>/dev/null ||
    fail "slipway-eject -o DIR FILE..."
  for f in $(cd "$pkg" && find admin -type f | sort); do
    cmp -s "$work/eject-cli/$f" "$pkg/$f" || { diff -u "$work/eject-cli/$f" "$pkg/$f" >&2; fail "eject CLI and kpt wrote different $f"; }
  done
  ok "kpt fn eval --exec slipway-eject: kustomize build of base, dev and prod equals rendering them; a second eject changes nothing; the CLI writes the same tree"
  if [[ $containers == yes ]]; then
    cp -r examples/platform-team "$work/eject-image"
    cp "$pkg/Kptfile" "$work/eject-image/"
    rm -rf "$work/eject-image/rendered"
    KPT_FN_RUNTIME=podman kpt fn eval "$work/eject-image" --image "$IMAGE_REPO/eject:$VERSION" --image-pull-policy never >/dev/null 2>&1 ||
      fail "kpt fn eval --image $IMAGE_REPO/eject:$VERSION"
    samedir "eject image and exec wrote different trees" "$pkg/admin" "$work/eject-image/admin"
    ok "kpt fn eval --image (podman) slipway-eject: the same tree"
  else
    skip "eject image" "$containers"
  fi
else
  skip "eject through kpt" "$kpt"
fi

# --- import --------------------------------------------------------------------
# slipway import writes each import case's checked-in Apps, report and
# unplaced objects; the imported Apps, declared as kustomize generators,
# render through the real kustomize to what slipway render gives them.
for case in testdata/import/*/; do
  name=$(basename "$case")
  slipway import -o "$work/import-$name" "$case/input" 2>/dev/null || fail "slipway import -o DIR $case/input"
  samedir "slipway import of $name differs from ${case}output" "${case}output" "$work/import-$name"
done
k=$work/import-kustomize
cp -r "$work/import-istio-eso-mixed" "$k"
apps=()
for f in "$k"/coconala-admin*.yaml; do
  sed -i "s#^metadata:\$#metadata:\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: $root/bin/slipway-render#" "$f"
  apps+=("$(basename "$f")")
done
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ngenerators: [%s]\nresources: [unplaced.yaml]\n' "$(IFS=,; echo "${apps[*]}")" >"$k/kustomization.yaml"
"${K[@]}" "$k" >"$work/import-kustomize.yaml" || fail "kustomize build of the imported Apps"
clean "kustomize build of the imported Apps" "$work/import-kustomize.yaml"
slipway render "$work/import-istio-eso-mixed" >"$work/import-render.yaml" || fail "slipway render of the imported Apps"
same "the imported Apps: kustomize exec and slipway render" "$work/import-kustomize.yaml" "$work/import-render.yaml"
ok "slipway import: every import case writes its output/; the imported Apps render through kustomize exec as through slipway render"
if [[ $containers == yes ]]; then
  podman run --rm --network none -v "$root/testdata/import/helm-chart/input:/work:ro" -w /work "$IMAGE_REPO/slipway:$VERSION" \
    import . >"$work/import-image.yaml" 2>/dev/null || fail "slipway import in the image"
  slipway import testdata/import/helm-chart/input >"$work/import-host.yaml" 2>/dev/null
  cmp -s "$work/import-image.yaml" "$work/import-host.yaml" || fail "slipway import in the image differs from the host's"
  ok "slipway import in the image $IMAGE_REPO/slipway:$VERSION: the host's output"
else
  skip "slipway import in the image" "$containers"
fi

# --- examples/rails ----------------------------------------------------------
# A Rails service (web, worker, a PreSync migration, a cron job, secret and
# emptyDir volumes, downward env, a prod environment) through every client:
# the Argo CD plugin renders the base and prod, kustomize's exec generator
# the base, and kpt fn render the prod package (its Kptfile sets the
# environment). The App is in three files, one per client: their specs must
# be the same, so that comparing the outputs compares the clients.
rails=examples/rails
for f in kustomize/admin.yaml kpt/admin.yaml; do
  if ! diff -u <(sed -n '/^spec:/,$p' "$rails/admin.yaml") <(sed -n '/^spec:/,$p' "$rails/$f") >"$work/diff"; then
    head -40 "$work/diff" >&2
    fail "rails: $rails/$f and $rails/admin.yaml hold different specs"
  fi
done
ok "rails: admin.yaml, kustomize/admin.yaml and kpt/admin.yaml hold the same spec"

rails_env=(ARGOCD_APP_NAME=admin ARGOCD_APP_NAMESPACE=backend "ARGOCD_APP_SOURCE_PATH=$rails")
cmp_host "$rails" "$work/rails-cmp.yaml" "${rails_env[@]}"
((rc == 0)) || fail "rails: CMP generate exited $rc: $(cat "$work/rails-cmp.yaml.err")"
clean "rails: CMP generate" "$work/rails-cmp.yaml"
golden "rails: CMP generate" "$work/rails-cmp.yaml" "$rails/rendered/base.yaml"
cmp_host "$rails" "$work/rails-cmp-prod.yaml" "${rails_env[@]}" 'ARGOCD_APP_PARAMETERS=[{"name":"environment","string":"prod"}]' PARAM_ENVIRONMENT=prod
((rc == 0)) || fail "rails: CMP generate with environment=prod exited $rc: $(cat "$work/rails-cmp-prod.yaml.err")"
clean "rails: CMP generate, environment prod" "$work/rails-cmp-prod.yaml"
golden "rails: CMP generate, environment prod" "$work/rails-cmp-prod.yaml" "$rails/rendered/prod.yaml"
ok "rails: CMP generate in a copy of $rails: rendered/base.yaml, and rendered/prod.yaml with the parameter environment=prod"
if [[ $containers == yes ]]; then
  cmp_image "$rails" "$work/rails-cmp-image.yaml" "${rails_env[@]}" ARGOCD_ENV_ENVIRONMENT=prod
  ((rc == 0)) || fail "rails: CMP generate in the sidecar image exited $rc: $(cat "$work/rails-cmp-image.yaml.err")"
  golden "rails: CMP generate in the sidecar image, environment prod" "$work/rails-cmp-image.yaml" "$rails/rendered/prod.yaml"
  ok "rails: CMP generate in $IMAGE_REPO/argocd-cmp:$VERSION as user 999, ARGOCD_ENV_ENVIRONMENT=prod: rendered/prod.yaml"
else
  skip "rails: CMP generate in the sidecar image" "$containers"
fi
for case in "$rails yes" "$rails/kustomize no"; do
  read -r dir want <<<"$case"
  copy=$(appcopy "$dir")
  found=$(cd "$copy" && env -i "${sidecar_env[@]}" "${cmp_env[@]}" "$root/bin/slipway-argocd-cmp" "${discover_cmd[@]:1}") ||
    fail "CMP discover failed in $dir"
  got=no
  [[ -z $found ]] || got=yes
  [[ $got == "$want" ]] || fail "CMP discover in $dir: matched=$got, want $want (output: $found)"
done
ok "rails: CMP discover matches $rails (admin.yaml), not its kustomization"

"${K[@]}" "$rails/kustomize" >"$work/rails-kustomize.yaml"
clean "rails: kustomize exec" "$work/rails-kustomize.yaml"
golden "rails: kustomize exec" "$work/rails-kustomize.yaml" "$rails/rendered/base.kustomize.yaml"
same "rails: kustomize exec and CMP" "$work/rails-kustomize.yaml" "$work/rails-cmp.yaml"
ok "rails: kustomize build --enable-alpha-plugins --enable-exec $rails/kustomize: rendered/base.kustomize.yaml, the CMP's objects"

if [[ $kpt == yes ]]; then
  p=$work/rails-kpt
  rm -rf "$p" && cp -r "$rails/kpt" "$p" && rm -f "$p"/*.generated.yaml
  (cd "$work" && kpt fn render --allow-exec "$p" >"$work/kpt.log" 2>&1) || { cat "$work/kpt.log" >&2; fail "rails: kpt fn render (exec)"; }
  clean "rails: kpt fn render" "$p/admin.prod.generated.yaml"
  golden "rails: kpt fn render (exec)" "$p/admin.prod.generated.yaml" "$rails/kpt/admin.prod.generated.yaml"
  samedir "rails: kpt fn render changed files other than admin.prod.generated.yaml" "$rails/kpt" "$p"
  cmp -s "$p/admin.prod.generated.yaml" "$rails/rendered/prod.yaml" || {
    diff -u "$rails/rendered/prod.yaml" "$p/admin.prod.generated.yaml" | head -60 >&2
    fail "rails: kpt's prod package and the CMP's prod rendering differ"
  }
  cp -r "$p" "$work/rails-kpt-1"
  kpt fn render --allow-exec "$p" >"$work/kpt.log" 2>&1 || { cat "$work/kpt.log" >&2; fail "rails: kpt fn render, second run"; }
  samedir "rails: kpt fn render is not idempotent: a second render changed the package" "$work/rails-kpt-1" "$p"
  ok "rails: kpt fn render --allow-exec $rails/kpt (Kptfile: environment prod): admin.prod.generated.yaml, the bytes of rendered/prod.yaml; a second render changes nothing"
else
  skip "rails: kpt fn render" "$kpt"
fi

# --- examples/monorepo ------------------------------------------------------
# One Platform (with its tenants and Argo CD Applications), three Apps of
# two teams, two environments: kustomize (the Platform and slipway as a
# transformer), kpt (the Kptfile at the root), the Argo CD plugin (one
# Application per App directory, parameter platform, plus the Platform's
# own file that kpt wrote) and the slipway command render the same objects.
mono=examples/monorepo
mono_apps=(teams/storefront/shop teams/storefront/cart teams/search/indexer)
for env in staging prod; do
  PATH="$root/bin:$PATH" "${K[@]}" "$mono/environments/$env" >"$work/mono-k-$env.yaml"
  clean "monorepo: kustomize, $env" "$work/mono-k-$env.yaml"
  : >"$work/mono-cmp-$env.yaml"
  for app in "${mono_apps[@]}"; do
    rc=0
    (cd "$mono/$app" && env -i "${sidecar_env[@]}" "${cmp_env[@]}" "ARGOCD_APP_SOURCE_PATH=$mono/$app" \
      "PARAM_ENVIRONMENT=$env" "PARAM_PLATFORM=$mono/platform/platform.yaml" \
      "$root/bin/slipway-argocd-cmp" "${generate_cmd[@]:1}") >"$work/mono-cmp.yaml" 2>"$work/mono-cmp.err" || rc=$?
    ((rc == 0)) || fail "monorepo: CMP generate of $app, $env exited $rc: $(cat "$work/mono-cmp.err")"
    clean "monorepo: CMP generate of $app, $env" "$work/mono-cmp.yaml"
    { cat "$work/mono-cmp.yaml"; echo ---; } >>"$work/mono-cmp-$env.yaml"
  done
  (cd "$mono" && "$root/bin/slipway" render -e "$env" platform "${mono_apps[@]}") >"$work/mono-cli-$env.yaml"
  clean "monorepo: slipway render, $env" "$work/mono-cli-$env.yaml"
  same "monorepo: kustomize and slipway render, $env" "$work/mono-k-$env.yaml" "$work/mono-cli-$env.yaml"
  grep -q 'image: registry.acme.example/' "$work/mono-k-$env.yaml" || fail "monorepo: $env images lack the Platform's imageRegistry"
  grep -q '^kind: AppProject' "$work/mono-k-$env.yaml" || fail "monorepo: $env output lacks the tenants' AppProjects"
done
"$root/bin/slipway" check "$mono" >"$work/mono-check.txt" 2>&1 || { cat "$work/mono-check.txt" >&2; fail "monorepo: slipway check"; }
# The rendered Applications ask the plugin for exactly the runs above: each
# App directory, in each environment, with the Platform's file.
awk '
/^---/ { if (app && path) print path, env, plat; app = 0; path = env = plat = want = "" }
/^kind: Application$/ { app = 1 }
app && /^    path: / { path = $2 }
app && /- name: environment$/ { want = "env" }
app && /- name: platform$/ { want = "plat" }
app && /^        string: / { if (want == "env") env = $2; else if (want == "plat") plat = $2; want = "" }
END { if (app && path) print path, env, plat }' "$work/mono-k-prod.yaml" | sort -u >"$work/mono-apps.txt"
for app in "${mono_apps[@]}"; do
  for env in prod staging; do echo "$mono/$app $env $mono/platform/platform.yaml"; done
done | sort >"$work/mono-apps-want.txt"
diff -u "$work/mono-apps-want.txt" "$work/mono-apps.txt" >&2 || fail "monorepo: the Applications' source paths and plugin parameters are not the plugin runs above"
if [[ $kpt == yes ]]; then
  # The Kptfile renders prod, an eval staging, into one package: each
  # environment's files beside the other's.
  p=$work/mono-kpt
  rm -rf "$p" && cp -r "$mono" "$p"
  (cd "$work" && kpt fn render --allow-exec "$p" >"$work/kpt.log" 2>&1) || { cat "$work/kpt.log" >&2; fail "monorepo: kpt fn render"; }
  (cd "$work" && kpt fn eval --exec "$root/bin/slipway-render" "$p" -- environment=staging >"$work/kpt.log" 2>&1) ||
    { cat "$work/kpt.log" >&2; fail "monorepo: kpt fn eval -- environment=staging"; }
  for env in staging prod; do
    : >"$work/mono-kpt-$env.yaml"
    for app in "${mono_apps[@]}"; do
      f=$p/$app/${app##*/}.$env.generated.yaml
      [[ -f $f ]] || fail "monorepo: kpt left no $app/${app##*/}.$env.generated.yaml: $(ls "$p/$app")"
      clean "monorepo: kpt, $app, $env" "$f"
      { cat "$f"; echo ---; } >>"$work/mono-kpt-$env.yaml"
    done
    f=$p/platform/acme.$env.generated.yaml
    [[ -f $f ]] || fail "monorepo: kpt left no platform/acme.$env.generated.yaml: $(ls "$p/platform")"
    clean "monorepo: kpt, the Platform, $env" "$f"
    cat "$f" >>"$work/mono-kpt-$env.yaml"
    same "monorepo: kustomize and kpt, $env" "$work/mono-k-$env.yaml" "$work/mono-kpt-$env.yaml"
    # Argo CD: an Application per App through the plugin, and one for
    # the Platform's own file.
    cat "$work/mono-cmp-$env.yaml" "$f" >"$work/mono-argocd-$env.yaml"
    same "monorepo: kustomize and the plugin's Apps with the Platform's file, $env" "$work/mono-k-$env.yaml" "$work/mono-argocd-$env.yaml"
  done
  # The plugin and slipway render on the rendered package: the files of
  # earlier renderings are replaced, whichever environment they hold.
  app=teams/storefront/shop
  (cd "$p/$app" && env -i "${sidecar_env[@]}" "${cmp_env[@]}" "ARGOCD_APP_SOURCE_PATH=$app" PARAM_ENVIRONMENT=prod \
    "PARAM_PLATFORM=platform/platform.yaml" "$root/bin/slipway-argocd-cmp" "${generate_cmd[@]:1}") >"$work/mono-cmp-kpt.yaml" 2>"$work/mono-cmp.err" ||
    fail "monorepo: CMP generate in the kpt-rendered package: $(cat "$work/mono-cmp.err")"
  same "monorepo: CMP in the kpt-rendered package and kpt, prod" "$work/mono-cmp-kpt.yaml" "$p/$app/shop.prod.generated.yaml"
  (cd "$p" && "$root/bin/slipway" render -e staging platform "${mono_apps[@]}") >"$work/mono-cli-kpt.yaml"
  same "monorepo: slipway render of the kpt-rendered package and kpt, staging" "$work/mono-cli-kpt.yaml" "$work/mono-kpt-staging.yaml"
  "$root/bin/slipway" check "$p" >"$work/mono-check.txt" 2>&1 || { cat "$work/mono-check.txt" >&2; fail "monorepo: slipway check of the kpt-rendered package"; }
  ok "monorepo: kpt fn render (prod) and kpt fn eval (staging) into one package: <app>.<env>.generated.yaml and acme.<env>.generated.yaml side by side, the objects of kustomize, and of the plugin's Apps with the Platform's file; the plugin, slipway render and check read that package"
else
  skip "monorepo: kpt" "$kpt"
fi
ok "monorepo: every App, the tenants and the Applications in staging and prod, the same objects through kustomize (transformer) and slipway render; the CMP (parameter platform) renders each App as its rendered Application asks; slipway check passes"

# --- every path, the same objects --------------------------------------------
same "kustomize and CMP" "$work/k-exec-base.yaml" "$work/cmp.yaml"
same "kustomize and the checked-in kpt rendering" "$work/k-exec-base.yaml" examples/kpt/admin.generated.yaml
ok "kustomize (exec, container), kpt (render, eval; exec, image) and the CMP give the same objects"

# --- images ------------------------------------------------------------------
if [[ $containers == yes ]]; then
  for fn in "${images[@]}"; do
    image=$IMAGE_REPO/$fn:$VERSION
    bin=slipway-$fn
    [[ $fn == slipway ]] && bin=slipway
    config=$(podman image inspect --format '{{.Config.User}} {{json .Config.Entrypoint}}' "$image")
    [[ $config == "65532:65532 [\"/usr/local/bin/$bin\"]" ]] || fail "$image: user and entrypoint are $config"
    if podman run --rm --network none --entrypoint /bin/sh "$image" -c true >/dev/null 2>&1; then
      fail "$image has a shell"
    fi
  done
  ok "images: user 65532:65532, entrypoint /usr/local/bin/slipway-<function> (slipway for the command), no shell"
else
  skip "image checks" "$containers"
fi

if ((skipped > 0)); then
  echo "e2e: passed, with $skipped path(s) SKIPPED (see above)"
else
  echo "e2e: passed, every path run"
fi
