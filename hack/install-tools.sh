#!/usr/bin/env bash
# Installs, idempotently, every tool the end-to-end tests run, pinned:
#   - kustomize and kube-score (go install into $TOOLS_BIN)
#   - podman and runc (Debian packages), used to build and run the function images
#   - time (GNU time, Debian package), for the peak memory that hack/bench.sh
#     reports; installed only when named: hack/install-tools.sh time
# kpt is expected on PATH (it is not go-installable at a pinned version); the
# e2e script prints the version it finds and fails clearly when it is missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
TOOLS_BIN=${TOOLS_BIN:-$root/bin/tools}
KUSTOMIZE_VERSION=${KUSTOMIZE_VERSION:-v5.8.2}
KUBE_SCORE_VERSION=${KUBE_SCORE_VERSION:-v1.20.0}
mkdir -p "$TOOLS_BIN"

log() { printf 'install-tools: %s\n' "$*" >&2; }

go_tool() { # name module version
  local name=$1 module=$2 version=$3 stamp="$TOOLS_BIN/.$1.version"
  if [[ -x $TOOLS_BIN/$name && -f $stamp && $(cat "$stamp") == "$version" ]]; then
    return
  fi
  log "go install $module@$version"
  GOBIN=$TOOLS_BIN go install "$module@$version"
  echo "$version" >"$stamp"
}

# apt_install WHAT PACKAGE...: installs Debian packages, which needs root.
apt_install() {
  local what=$1
  shift
  if [[ $(id -u) != 0 ]]; then
    log "$what missing; install as root: apt-get install -y $*"
    exit 1
  fi
  log "apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

want=${*:-kustomize kube-score podman}
for tool in $want; do
  case $tool in
  kustomize) go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" ;;
  kube-score) go_tool kube-score github.com/zegl/kube-score/cmd/kube-score "$KUBE_SCORE_VERSION" ;;
  podman)
    command -v podman >/dev/null && command -v runc >/dev/null || apt_install "podman and runc" podman runc
    ;;
  time)
    # GNU time, for the peak memory (maximum resident set size) that
    # hack/bench.sh reports.
    [[ -x /usr/bin/time ]] && /usr/bin/time -f '' true 2>/dev/null || apt_install "GNU time" time
    ;;
  *) log "unknown tool $tool"; exit 2 ;;
  esac
done
