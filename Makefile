# The two commands a newcomer needs: `make run` (app on the bundled sample data) and `make test` (whole suite).
.PHONY: run test lint bench sample i18n

run:
	scripts/setup.sh
	.venv/bin/streamlit run app.py

test:
	scripts/setup.sh dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

sample:
	.venv/bin/python scripts/make_sample_data.py

bench:
	.venv/bin/python benchmarks/ingest.py

# Translation catalogs (Babel): extract every t()/translate()/N_() literal, merge into each .po, compile the .mo files.
i18n:
	.venv/bin/python scripts/i18n.py
