# The two set-up commands: `make demo` runs cov on bundled fixtures, `make test` runs every test.
# Both need nothing beyond the Rust toolchain.
CARGO ?= cargo
# cov as built by `cargo test` (the dev profile), so `make demo` after `make test` builds nothing.
COV ?= $(CARGO) run --quiet --locked --

.PHONY: demo test build lint bench

build:
	$(CARGO) build --release --locked

demo:
	$(COV) endpoints --spec fixtures/demo/openapi.json

test:
	$(CARGO) test --locked

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings

# Stage benchmarks (criterion), then whole-process `cov audit` at 1x, 10x, 100x and the scale target.
bench:
	$(CARGO) bench --locked --bench stages
	scripts/bench.sh
