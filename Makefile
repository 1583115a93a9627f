.PHONY: demo test setup lint bench
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
setup:
	bash scripts/setup.sh
lint:
	.venv/bin/ruff check keguan tests && .venv/bin/ruff format --check keguan tests
bench:
	bash scripts/bench.sh
