# The two set-up commands: `make demo` runs cov on bundled fixtures, `make test` runs every test.
# Both need nothing beyond the Rust toolchain, except the end-to-end part of
# `make test` (`make e2e`), which needs python3 with venv (.ci/run installs it).
CARGO ?= cargo
# cov as built by `cargo test` (the dev profile), so `make demo` after `make test` builds nothing.
COV ?= $(CARGO) run --quiet --locked --

.PHONY: demo test e2e build lint bench

build:
	$(CARGO) build --release --locked

demo:
	$(COV) endpoints --spec fixtures/demo/openapi.json
	@# Static and runtime coverage of the Bookshop service with a recorded Locust run (exit 1: gaps).
	$(COV) audit --spec fixtures/e2e/openapi.json --routers fixtures/e2e/app \
		--locustfile fixtures/e2e/locustfile.py --stats fixtures/e2e/bookshop_stats.csv || [ $$? -eq 1 ]

test:
	$(CARGO) test --locked
	$(MAKE) e2e

# The real service under uvicorn and a real Locust run (needs python3 with venv).
e2e:
	tests/e2e/run.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings

# Stage benchmarks (criterion), then whole-process `cov audit` at 1x, 10x, 100x and the scale target.
bench:
	$(CARGO) bench --locked --bench stages
	scripts/bench.sh
