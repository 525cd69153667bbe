# slipway: KRM functions that expand an App into Kubernetes manifests.
# `make help` lists the targets.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

FUNCTIONS := render eject argocd-cmp
VERSION ?= dev
IMAGE_REPO ?= localhost/slipway
TOOLS_BIN := $(CURDIR)/bin/tools
# Test-only modules of their own, kept out of the function binaries' go.mod:
# the API server's validation (k8s.io/kubernetes), and Prometheus' rule-file
# checks and rule evaluation (github.com/prometheus/prometheus).
# `go test ./...` at the root skips them.
APISERVER_MODULE := functions/internal/apiserver
PROMRULES_MODULE := functions/internal/promrules
GO_BUILD := CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X github.com/slipway-dev/slipway/functions/version.Version=$(VERSION)"

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build the slipway command and the function binaries into bin/.
	@$(GO_BUILD) -o bin/slipway ./functions/slipway
	@for fn in $(FUNCTIONS); do $(GO_BUILD) -o bin/slipway-$$fn ./functions/$$fn; done

.PHONY: test
test: ## Run the unit, golden and eject tests (the eject tests run the pinned kustomize), the API server's checks of every rendering, and Prometheus' checks and evaluation of the rendered rules.
	hack/install-tools.sh kustomize
	go test ./...
	cd $(APISERVER_MODULE) && go test ./...
	cd $(PROMRULES_MODULE) && go test ./...

.PHONY: race
race: ## Run the tests of the packages that render and write on every CPU under the race detector.
	go test -race ./functions/krm ./functions/encode ./functions/generate ./functions/manifests

.PHONY: golden
golden: ## Rewrite the golden files from the current output (UPDATE=1 hack/e2e.sh does the examples'); review the diff.
	go test ./... -update

.PHONY: docs
docs: ## Regenerate docs/reference.md and schema/{app,platform}.schema.json from the API's Go types.
	go test ./functions/internal/apidocs -update

.PHONY: lint
lint: ## Check formatting and vet.
	@test -z "$$(gofmt -l functions hack schema)" || { gofmt -l functions hack schema; echo "gofmt needed"; exit 1; }
	go vet ./...
	cd $(APISERVER_MODULE) && go vet ./...
	cd $(PROMRULES_MODULE) && go vet ./...

.PHONY: tools
tools: ## Install the pinned tools the end-to-end tests run (kustomize, kube-score, podman).
	hack/install-tools.sh

.PHONY: image
image: build ## Build the function and slipway images with podman from the Dockerfile, using the binaries in bin/.
	hack/build-images.sh $(IMAGE_REPO) $(VERSION) $(FUNCTIONS) slipway

.PHONY: e2e
e2e: tools build image ## Run every real-client path: kustomize (exec, container), kpt (render, eval), Argo CD CMP.
	hack/e2e.sh

.PHONY: lint-manifests
lint-manifests: tools build ## Score the rendered examples with kube-score (no CRITICAL findings allowed).
	hack/lint-manifests.sh

.PHONY: bench
bench: build ## Benchmark in-process stages and whole-process runs against kustomize; prints a table and ratios.
	hack/bench.sh

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZTIME each (default 30s).
	hack/fuzz.sh $${FUZZTIME:-30s}

.PHONY: verify
verify: ## Everything CI runs (.ci/run): lint, test, race, e2e, lint-manifests, a fuzz smoke.
	bash .ci/run
