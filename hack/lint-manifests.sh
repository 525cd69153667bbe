#!/usr/bin/env bash
# Scores the rendered output of two Apps with kube-score (pinned by
# hack/install-tools.sh) and fails on any CRITICAL finding:
#   - minimal:       testdata/render/minimal/input.yaml, an App with nothing
#                    but an image: the defaults alone must be safe;
#   - everything-on: testdata/render/everything-on/input.yaml, every
#                    production field set.
# Both are rendered by the function binary itself (bin/slipway-render, built
# by `make build`). Every check skipped is listed below with its reason, and
# in docs/production.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
KUBE_SCORE=${KUBE_SCORE:-$root/bin/tools/kube-score}
RENDER=${RENDER:-$root/bin/slipway-render}

log() { printf 'lint-manifests: %s\n' "$*" >&2; }

[[ -x $KUBE_SCORE ]] || { log "kube-score not found at $KUBE_SCORE: run make tools"; exit 2; }
[[ -x $RENDER ]] || { log "slipway-render not found at $RENDER: run make build"; exit 2; }
log "$("$KUBE_SCORE" version 2>&1 | head -n 1)"

# Skipped for every App:
always=(
  # Images are pinned by tag or digest (validation refuses untagged images
  # and :latest), so the default pull policy, IfNotPresent, runs the intended
  # image; Always would make every pod start depend on the registry.
  container-image-pull-policy
  # Network policy belongs to the platform or the mesh (namespace-wide
  # NetworkPolicies, Istio AuthorizationPolicies); an App renders none.
  pod-networkpolicy
)
# Skipped for the minimal App only; the everything-on App is held to them:
minimal_only=(
  # Requests and limits are sized by the App or the Platform (resources);
  # slipway invents no numbers.
  container-resources
  container-ephemeral-storage-request-and-limit
  # Health endpoints are the app's own; without probes set there is no
  # endpoint slipway could know.
  pod-probes
  # The UID and GID are the image's; runAsNonRoot: true already refuses
  # root. security.runAsUser and runAsGroup pin them.
  container-security-context-user-group-id
  # The canary Service exists before any canary pod, so that routing always
  # has both destinations; it selects pods once canary.image is set.
  service-targets-pod
)

join() { local IFS=,; echo "$*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

score() { # name input ignores
  local name=$1 input=$2 ignores=$3 out=$tmp/$1.yaml
  "$RENDER" <"$input" >"$out" || { log "$name: rendering failed"; cat "$out" >&2; return 1; }
  grep -q '^kind: Deployment$' "$out" || { log "$name: the rendering has no Deployment"; return 1; }
  log "$name: kube-score score --ignore-test $ignores"
  if "$KUBE_SCORE" score --ignore-test "$ignores" "$out"; then
    log "$name: no CRITICAL finding"
  else
    log "$name: CRITICAL findings above"
    return 1
  fi
}

status=0
score minimal "$root/testdata/render/minimal/input.yaml" "$(join "${always[@]}" "${minimal_only[@]}")" || status=1
score everything-on "$root/testdata/render/everything-on/input.yaml" "$(join "${always[@]}")" || status=1
exit $status
