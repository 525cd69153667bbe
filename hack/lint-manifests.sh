#!/usr/bin/env bash
# Scores the rendered output of golden cases with kube-score (pinned by
# hack/install-tools.sh) and fails on any CRITICAL finding:
#   - minimal:       an App with nothing but an image: the defaults alone
#                    must be safe;
#   - everything-on: every production field set;
#   - rails, sidecar-proxy, statefulset, worker-only: workers, jobs and cron
#                    jobs, init containers and native sidecars, volumes and
#                    claims, a StatefulSet, an App without ports.
# Each case is testdata/render/<case>/input.yaml, rendered by the function
# binary itself (bin/slipway-render, built by `make build`), and each of its
# environments by the Argo CD plugin binary (bin/slipway-argocd-cmp, with
# ARGOCD_ENV_ENVIRONMENT), which selects one without a function config.
# Every check skipped is listed below with its reason, and in
# docs/production.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
KUBE_SCORE=${KUBE_SCORE:-$root/bin/tools/kube-score}
RENDER=${RENDER:-$root/bin/slipway-render}
CMP=${CMP:-$root/bin/slipway-argocd-cmp}

log() { printf 'lint-manifests: %s\n' "$*" >&2; }

[[ -x $KUBE_SCORE ]] || { log "kube-score not found at $KUBE_SCORE: run make tools"; exit 2; }
[[ -x $RENDER && -x $CMP ]] || { log "slipway-render or slipway-argocd-cmp not found in bin/: run make build"; exit 2; }
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
# Skipped for the Apps that do not set what the check asks for; the
# everything-on App sets all of it and is held to every check.
#
# Requests and limits are sized by the App or the Platform (resources);
# slipway invents no numbers. minimal and worker-only's serving process set
# none. (The CPU limit alone, see --ignore-container-cpu-limit below.)
resources=container-resources
# Ephemeral storage is sized by the App too; only everything-on sets it.
ephemeral=container-ephemeral-storage-request-and-limit
# Health endpoints are the app's own; without probes set there is no
# endpoint slipway could know.
probes=pod-probes
# The UID and GID are the image's; runAsNonRoot: true already refuses
# root. security.runAsUser and runAsGroup pin them.
uid=container-security-context-user-group-id
# The canary Service exists before any canary pod, so that routing always
# has both destinations; it selects pods once canary.image is set.
canary_service=service-targets-pod

# case | environments | checks skipped | kube-score flags
cases=(
  "minimal       |      | $resources $ephemeral $probes $uid $canary_service |"
  "everything-on |      |                                                     |"
  "rails         | prod | $ephemeral $uid $canary_service                    | --ignore-container-cpu-limit"
  "sidecar-proxy |      | $ephemeral $probes $uid                            | --ignore-container-cpu-limit"
  "statefulset   | prod | $ephemeral $probes $uid                            | --ignore-container-cpu-limit"
  "worker-only   |      | $resources $ephemeral $uid                         |"
  "nodeport      |      | $resources $ephemeral $probes $uid $canary_service |"
  "mesh-routing  | prod | $resources $ephemeral $probes $uid $canary_service |"
  "allow-from    |      | $resources $ephemeral $probes $uid $canary_service |"
  "slo           |      | $resources $ephemeral $probes $uid $canary_service |"
  "autoscaling-keda |   | $ephemeral $probes $uid $canary_service            | --ignore-container-cpu-limit"
)
# --ignore-container-cpu-limit: rails, sidecar-proxy and statefulset request
# CPU and limit memory, but set no CPU limit: the App's choice (a CPU limit
# throttles a process even while the node has idle CPU; the request is its
# guaranteed share). Every other part of container-resources still applies.

join() { local IFS=,; echo "$*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

score() { # name file ignores flags...
  local name=$1 out=$2 ignores=$3
  shift 3
  grep -qE '^kind: (Deployment|StatefulSet)$' "$out" || { log "$name: the rendering has no workload"; return 1; }
  log "$name: kube-score score --ignore-test $ignores $*"
  if "$KUBE_SCORE" score --ignore-test "$ignores" "$@" "$out"; then
    log "$name: no CRITICAL finding"
  else
    log "$name: CRITICAL findings above"
    return 1
  fi
}

status=0
for row in "${cases[@]}"; do
  IFS='|' read -r name envs skips flags <<<"$row"
  read -r name <<<"$name"
  read -ra envs <<<"$envs"
  read -ra skips <<<"$skips"
  read -ra flags <<<"$flags"
  input=$root/testdata/render/$name/input.yaml
  ignores=$(join "${always[@]}" "${skips[@]}")
  if "$RENDER" <"$input" >"$tmp/$name.yaml"; then
    score "$name" "$tmp/$name.yaml" "$ignores" "${flags[@]}" || status=1
  else
    log "$name: rendering failed"
    cat "$tmp/$name.yaml" >&2
    status=1
  fi
  for env in "${envs[@]}"; do
    mkdir -p "$tmp/$name.$env.in"
    cp "$input" "$tmp/$name.$env.in/"
    if (cd "$tmp/$name.$env.in" && ARGOCD_ENV_ENVIRONMENT=$env "$CMP" generate) >"$tmp/$name.$env.yaml" 2>"$tmp/$name.$env.err"; then
      score "$name ($env)" "$tmp/$name.$env.yaml" "$ignores" "${flags[@]}" || status=1
    else
      log "$name ($env): rendering failed"
      cat "$tmp/$name.$env.err" >&2
      status=1
    fi
  done
done
exit $status
