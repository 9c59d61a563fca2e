# Wallboard. The README's commands are scripts/run and scripts/test (no make
# needed on a fresh machine); these targets are shorthands for developers.
BIN := bin/wallboard

.PHONY: run test build screenshot clean

run:
	scripts/run $(ARGS)

test:
	scripts/test

build:
	scripts/deps.sh build
	go build -o $(BIN) ./cmd/wallboard

# docs/screenshot.png for the README, drawn by `wallboard render`.
screenshot: build
	LANG=en_US.UTF-8 ./$(BIN) render --dashboard system_health --size 1920x1080 --out docs/screenshot.png

clean:
	rm -rf bin
