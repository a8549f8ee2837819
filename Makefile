# graphconform: the conformance suite for Microsoft Graph's "Update enrollmentConfigurationAssignment".
#
#   make run         the suite against the embedded mock (needs only Go)
#   make test        every test, with the race detector
#   make build       static binaries in bin/
#   make mock        the reference mock on 127.0.0.1:8080, seeded, for trying the CLI against a URL
#   make bench       benchmarks, and the wall time of one whole suite run against the embedded mock
#   make lint        gofmt and go vet
#   make examples    go vet and go test in each example module under examples/ (the SDK one compiles for minutes)
#   make docs-check  the committed features and fixtures are what the doc pages generate
#   make image       the graphmock container image

GO         ?= go
BIN        ?= bin
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS    := -s -w -X main.version=$(VERSION)
MOCK_ADDR  ?= 127.0.0.1:8080
MOCK_TOKEN ?= dev-token
MOCK_READ_TOKEN ?= dev-read-token
# Flags for `make run`, e.g. make run ARGS='--tags @must --format pretty'
ARGS       ?=
# testcontainers' reaper (Ryuk) is an image from a registry, and none is reachable here: every graphmock
# container is removed by the code that started it. testcontainers reads this once per process, from the
# environment, so it is set here for every command (graphmockcontainer refuses to run with it on and no image).
export TESTCONTAINERS_RYUK_DISABLED ?= true

.PHONY: run
run:
	$(GO) run ./cmd/graphconform $(ARGS)

.PHONY: test
test:
	$(GO) test -race ./...

.PHONY: build
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/graphconform ./cmd/graphconform
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/graphmock ./cmd/graphmock

.PHONY: mock
mock:
	@echo "graphmock on http://$(MOCK_ADDR)/v1.0 (token $(MOCK_TOKEN), read-only token $(MOCK_READ_TOKEN)); in another terminal:"
	@echo "  GRAPH_TOKEN=$(MOCK_TOKEN) GRAPH_READ_TOKEN=$(MOCK_READ_TOKEN) go run ./cmd/graphconform run --target http://$(MOCK_ADDR)/v1.0 --allow-writes"
	$(GO) run ./cmd/graphmock --addr $(MOCK_ADDR) --token $(MOCK_TOKEN) --read-token $(MOCK_READ_TOKEN) --seed

# BenchmarkSuite (bench_test.go) runs the whole feature set against the embedded mock once per iteration: its
# ns/op (and s/run) is the wall time of one suite run.
.PHONY: bench
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

.PHONY: lint
lint:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt -l: not formatted:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# Each directory under examples/ is a module of its own (its go.mod replaces graphconform with this checkout),
# so the root's ./... never builds it: it is tested here, in its own module. examples/sdkclient compiles
# Microsoft's Graph SDK, minutes on a cold build cache (see README, Examples), hence not part of make test.
EXAMPLES ?= $(patsubst %/go.mod,%,$(wildcard examples/*/go.mod))

.PHONY: examples
examples:
	@set -e; for d in $(EXAMPLES); do \
		echo "examples: $$d"; \
		(cd "$$d" && $(GO) vet ./... && $(GO) test -count=1 ./...); \
	done

.PHONY: clean
clean:
	rm -rf $(BIN)

# docs-check: regenerate the features and fixtures from the doc pages into a temporary directory and fail, with a
# diff, when what is committed differs (someone edited a generated file, or the generator changed without a
# regeneration). Hand-written files (*.conventions.feature, README.md, embed.go) are not generated and not compared.
# Regenerate with: go run ./cmd/graphconform gen $(DOCS_PAGES)
GRAPH_DOCS ?= ../shared/graph-docs
DOCS_PAGES ?= --doc $(GRAPH_DOCS)/update-enrollmentconfigurationassignment.seed.md --docs $(GRAPH_DOCS)/v1.0

.PHONY: docs-check
docs-check:
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	$(GO) run ./cmd/graphconform gen $(DOCS_PAGES) --out "$$tmp" || exit 2; \
	drift=0; for f in $$(cd "$$tmp" && find features fixtures -type f | LC_ALL=C sort); do \
		if [ ! -f "$$f" ]; then echo "docs-check: $$f is generated but not committed"; drift=1; \
		elif ! diff -u "$$f" "$$tmp/$$f"; then drift=1; fi; \
	done; \
	if [ $$drift -ne 0 ]; then echo "docs-check: committed files differ from the doc pages; regenerate with: go run ./cmd/graphconform gen $(DOCS_PAGES)"; exit 1; fi; \
	echo "docs-check: features and fixtures match the doc pages"

# image: the graphmock container image, FROM scratch plus the static binary (see
# graphmock/graphmockcontainer/Dockerfile, which the container module embeds). No base
# image can be pulled here, so the binary is compiled on the host and the build context is a temporary directory
# holding only it. Run it with: docker run --rm -p 127.0.0.1:8080:8080 -e GRAPHMOCK_TOKEN=dev-token $(IMAGE)
# The container tests do not need this target: graphmock/graphmockcontainer builds (or reuses) a content-tagged image.
IMAGE ?= graphconform/graphmock:latest

.PHONY: image
image:
	@ctx="$$(mktemp -d)"; trap 'rm -rf "$$ctx"' EXIT; \
	CGO_ENABLED=0 GOOS=linux $(GO) build -trimpath -buildvcs=false -ldflags '-s -w' -o "$$ctx/graphmock" ./cmd/graphmock && \
	docker build -f graphmock/graphmockcontainer/Dockerfile -t $(IMAGE) "$$ctx"

# docker-status: one line saying whether the container tests run here and, if not, why. It is a
# prerequisite of test because go test prints nothing of a skipped test without -v, and "make test" must say
# when the container tests were skipped (no Docker) rather than pass silently.
.PHONY: docker-status
docker-status:
	@$(GO) test -count=1 -run '^TestDocker$$' -v ./graphmock/graphmockcontainer 2>&1 | sed -n 's/^ *[A-Za-z_]*_test\.go:[0-9]*: //p'

test: docker-status
