# The two set-up commands: `make demo` runs cov on bundled fixtures, `make test` runs every test.
CARGO ?= cargo

.PHONY: demo test build lint

build:
	$(CARGO) build --release --locked

demo: build
	./target/release/cov endpoints --spec fixtures/demo/openapi.json

test:
	$(CARGO) test --locked

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings
