# One entry point for people and CI. `make run` and `make test` are the README's two commands.
# The local .venv is created on first use and reused after. `make run` installs the package and
# what running it needs; `make test` adds the test tools (the `test` extra). Each step is redone
# when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# The languages besides English (workshop_lib/i18n/languages.csv) and where their catalogs are.
TRANSLATED := $(shell awk -F, 'NR > 1 && $$1 != "en" { print $$1 }' workshop_lib/i18n/languages.csv)
LOCALE := workshop_lib/locale

.PHONY: run test test-fast notebooks charts translations bench clean

$(RUN_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "Python 3.11 or newer is needed (tried '$(PYTHON)'); set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

run: $(RUN_STAMP)  ## set up, then execute the agenda into build/demo/
	$(BIN)/workshop run

test: $(TEST_STAMP)  ## set up, then run every test: lint, library, data, notebooks, browser, hub
	bash .ci/ensure-system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest --nbval --nbval-current-env tests notebooks

test-fast: $(TEST_STAMP)  ## library and data tests only (no notebook runs, browser, hub or database)
	$(BIN)/python -m pytest -m "not notebooks and not e2e and not postgres"

notebooks: $(RUN_STAMP)  ## rebuild the translated notebooks, re-execute all, strip volatile metadata
	$(BIN)/python -m workshop_lib.i18n.notebooks $(TRANSLATED)
	$(BIN)/python -m workshop_lib.trainer.notebook_hygiene --execute notebooks/*.ipynb \
	  $(foreach lang,$(TRANSLATED),notebooks/$(lang)/*.ipynb)

translations: $(RUN_STAMP)  ## extract interface strings, update each catalog, compile them (Babel)
	$(BIN)/pybabel extract --no-location --sort-output --project=tipsom-workshop \
	  -F babel.cfg -k N_ -o $(LOCALE)/workshop.pot workshop_lib
	$(foreach lang,$(TRANSLATED),$(BIN)/pybabel update --no-fuzzy-matching -D workshop \
	  -i $(LOCALE)/workshop.pot -d $(LOCALE) -l $(lang);)
	$(BIN)/pybabel compile -D workshop -d $(LOCALE) --statistics

charts: $(RUN_STAMP)  ## redraw the committed fact charts (data/charts/*.svg) after a data change
	$(BIN)/python -m workshop_lib.facts.charts

bench: $(TEST_STAMP)  ## performance figures (not part of the tests)
	$(BIN)/python benchmarks/agenda_vs_floor.py
	$(BIN)/python benchmarks/import_time.py
	$(BIN)/python benchmarks/report_scaling.py
	$(BIN)/python benchmarks/export_scaling.py
	$(BIN)/python benchmarks/dashboard_scaling.py
	$(BIN)/python benchmarks/kernel_memory.py
	$(BIN)/python -m benchmarks.live_refresh
	$(BIN)/python -m benchmarks.report_postgres

clean:
	rm -rf build .pytest_cache
