# Images of the slipway functions and command: one static, shell-less,
# non-root image each, selected with --target (see docs/integrations.md):
#
#   podman build --target render     -t <repo>/render:<version> .
#   podman build --target eject      -t <repo>/eject:<version> .
#   podman build --target argocd-cmp -t <repo>/argocd-cmp:<version> .
#   podman build --target slipway    -t <repo>/slipway:<version> .
#
# hack/build-images.sh (make image) builds them from binaries built on the
# host, replacing the build stage with --build-context build=./dist.

# Pin this base by digest for releases (golang:1.26@sha256:...); the digest
# must be taken from the registry when the release is cut.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY functions/ functions/
COPY schema/ schema/
ARG VERSION=dev
ARG FUNCTIONS="render eject argocd-cmp"
RUN for fn in $FUNCTIONS slipway; do \
      out=/out/slipway-$fn; [ "$fn" = slipway ] && out=/out/slipway; \
      CGO_ENABLED=0 go build -trimpath \
        -ldflags "-s -w -X github.com/slipway-dev/slipway/functions/version.Version=${VERSION}" \
        -o "$out" ./functions/$fn || exit 1; \
    done

# kpt and kustomize start function containers with --user nobody, and the
# Argo CD sidecar runs as argocd (999): each needs a passwd entry.
FROM scratch AS base
ARG VERSION=dev
LABEL org.opencontainers.image.source="https://github.com/slipway-dev/slipway" \
      org.opencontainers.image.version="${VERSION}"
COPY hack/image/passwd /etc/passwd
COPY hack/image/group /etc/group
USER 65532:65532

# The KRM function: a ResourceList on stdin, the rendered one on stdout.
FROM base AS render
LABEL org.opencontainers.image.title="slipway-render"
COPY --from=build /out/slipway-render /usr/local/bin/slipway-render
ENTRYPOINT ["/usr/local/bin/slipway-render"]

# App to plain kustomize trees, as a KRM function (no arguments) or a
# command (podman run -v ...: slipway-eject -o DIR FILE...).
FROM base AS eject
LABEL org.opencontainers.image.title="slipway-eject"
COPY --from=build /out/slipway-eject /usr/local/bin/slipway-eject
ENTRYPOINT ["/usr/local/bin/slipway-eject"]

# The Argo CD Config Management Plugin sidecar: Argo CD replaces the
# entrypoint with argocd-cmp-server, which calls
# /usr/local/bin/slipway-argocd-cmp as plugin.yaml says.
FROM base AS argocd-cmp
LABEL org.opencontainers.image.title="slipway-argocd-cmp"
COPY --from=build /out/slipway-argocd-cmp /usr/local/bin/slipway-argocd-cmp
ENTRYPOINT ["/usr/local/bin/slipway-argocd-cmp"]

# The slipway command (slipway render, eject, ...), for CI jobs and machines
# without Go: podman run --rm -v "$PWD:/work:ro" -w /work
# <repo>/slipway:<version> render app.yaml
FROM base AS slipway
LABEL org.opencontainers.image.title="slipway"
COPY --from=build /out/slipway /usr/local/bin/slipway
ENTRYPOINT ["/usr/local/bin/slipway"]
