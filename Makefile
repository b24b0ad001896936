# The two commands: `make run` (service on SQLite with a local Rasa) and `make test` (the whole suite).
.PHONY: setup run test lint fuzz lock clean

setup:
	@bash scripts/setup.sh

run: setup
	@.venv/bin/python -m scripts.run

test: setup
	@.venv/bin/ruff check app tests bench scripts migrations dialogs/addons
	@.venv/bin/python -m pytest -q -ra $(PYTEST_ARGS)

lint:
	@.venv/bin/ruff check app tests bench scripts migrations dialogs/addons

fuzz: setup
	@.venv/bin/python bench/fuzz_api.py --examples $(or $(EXAMPLES),300)

lock:
	@bash scripts/lock.sh

clean:
	rm -rf var test-output .pytest_cache
