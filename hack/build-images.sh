#!/usr/bin/env bash
# Builds one image per function with podman from the top-level Dockerfile:
#   hack/build-images.sh REPO VERSION FUNCTION...
# tags REPO/FUNCTION:VERSION (e.g. localhost/slipway/render:dev); the
# FUNCTION "slipway" is the slipway command.
#
# The binaries come from bin/slipway-FUNCTION and bin/slipway (make build): they are staged in
# dist/out/ and replace the Dockerfile's golang build stage through
# --build-context build=dist, since no base image can be pulled here. Set
# FROM_SOURCE=1 to build inside the golang stage instead (needs a registry).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if (($# < 3)); then
  echo "usage: $0 REPO VERSION FUNCTION..." >&2
  exit 2
fi
repo=$1 version=$2
shift 2

# Our own podman settings; nothing outside the repository is edited.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/hack/containers.conf}
command -v podman >/dev/null || { echo "build-images: podman is missing; run make tools" >&2; exit 1; }

context=()
if [[ ${FROM_SOURCE:-} != 1 ]]; then
  rm -rf "$root/dist/out" && mkdir -p "$root/dist/out"
  for fn in "$@"; do
    bin=$root/bin/slipway-$fn
    [[ $fn == slipway ]] && bin=$root/bin/slipway
    [[ -x $bin ]] || { echo "build-images: $bin is missing; run make build" >&2; exit 1; }
    cp "$bin" "$root/dist/out/"
  done
  context=(--build-context "build=$root/dist")
fi

for fn in "$@"; do
  if ! grep -qE "^FROM .* AS $fn\$" "$root/Dockerfile"; then
    echo "build-images: the Dockerfile has no stage \"$fn\"; add one to ship it as an image" >&2
    exit 1
  fi
  image=$repo/$fn:$version
  echo "build-images: $image" >&2
  podman build --quiet "${context[@]}" --target "$fn" --build-arg "VERSION=$version" \
    -t "$image" -f "$root/Dockerfile" "$root" >/dev/null
done
