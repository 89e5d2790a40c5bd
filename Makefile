# Shortcuts for the commands of the README (run them inside .venv).
.PHONY: run test lint bench sample

run:
	streamlit run app.py

test:
	python -m pytest

lint:
	ruff check .
	ruff format --check .

bench:
	python bench/bench_read.py
	python bench/bench_ingest.py
	python bench/bench_indicators.py

sample:
	python scripts/make_sample.py
