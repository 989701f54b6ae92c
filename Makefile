# toky-wasm. `make demo` and `make test` work on a fresh machine: both run `make setup` first.
PORT ?= 8080
SEED ?= 1
# `make fuzz`: seconds per fuzz target (two run at a time).
FUZZ_SECONDS ?= 120
# and, if set, executions per target (a target stops at whichever comes first).
FUZZ_RUNS ?=

.PHONY: setup build test demo demo-static bench mock fuzz docs clean

setup:
	@bash scripts/setup.sh

build: setup
	@bash scripts/build.sh

test: build
	@bash tests/run.sh

demo: build
	@cargo build --release -q -p toky-mock
	@echo "Open http://127.0.0.1:$(PORT)/  (Ctrl-C stops; ?backend=in-browser runs the page on toky-mock's npm package, no server)"
	@exec target/release/toky-mock --port $(PORT) --seed $(SEED) --www www --pkg pkg --mock-pkg mock/pkg

# The demo page as a static site in build/demo-static (no API: it runs on the in-browser toky-mock).
demo-static: build
	@bash scripts/demo-static.sh build/demo-static

bench: build
	@cargo build --release -q -p toky-mock
	@node bench/run.mjs
	@node bench/mock.mjs

# The API reference (TypeDoc over the shipped .d.ts) into build/docs; fails on an undocumented export.
docs: build
	@node_modules/.bin/typedoc --tsconfig tsconfig.typedoc.json
	@echo "API reference: build/docs/index.html"

# libFuzzer targets of the core (fuzz/, cargo-fuzz; installs cargo-fuzz if missing), then
# toky-mock's request pipeline (mock/fuzz/).
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) bash scripts/fuzz.sh
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_DIR=mock bash scripts/fuzz.sh

clean:
	rm -rf target build pkg/*.js pkg/*.cjs pkg/*.wasm pkg/*.d.ts pkg/*.d.cts pkg/*.tgz node_modules
	find mock/pkg -mindepth 1 ! -name package.json ! -name README.md -delete
