# Wallboard. `make run` opens the GUI on the simulator; `make test` runs every test.
# Both install the Debian packages they need first (scripts/deps.sh).
export LANG ?= en_US.UTF-8
export GOFLAGS ?= -buildvcs=false
BIN := bin/wallboard

.PHONY: run build test vet deps deps-test screenshot clean

run: build
	./$(BIN) $(ARGS)

build: deps
	go build -o $(BIN) ./cmd/wallboard

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

vet: deps
	go vet ./...

# The pure-Go packages must build and test without cgo (DESIGN.md).
test: deps-test vet
	CGO_ENABLED=0 go test ./layouts/... ./datasources/... ./charts/... ./ui/...
	go test ./cmd/... ./tests/...

# docs/screenshot.png for the README, drawn by `wallboard render`.
screenshot: build
	./$(BIN) render --dashboard system_health --size 1920x1080 --out docs/screenshot.png

clean:
	rm -rf bin
