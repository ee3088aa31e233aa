# The two set-up commands: `make demo` runs cov on bundled fixtures, `make test` runs every test.
CARGO ?= cargo

.PHONY: demo test e2e build lint

build:
	$(CARGO) build --release --locked

demo: build
	./target/release/cov endpoints --spec fixtures/demo/openapi.json

test:
	$(CARGO) test --locked

# The real service under uvicorn and a real Locust run (needs python3 with venv).
e2e:
	tests/e2e/run.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings
