# Two commands on a fresh machine: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench lint validate messages compile graph clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@ $(STAMP)

## run: start the bot (Telegram when TELEGRAM_BOT_TOKEN is set, else the console chat)
run: $(STAMP)
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(PY) -m bot run; else $(PY) -m bot chat; fi

## test: validate the knowledge base, then run the whole test suite
test: $(TEST_STAMP)
	$(PY) -m bot validate
	$(PY) -m pytest

## bench: print speed and memory figures with their targets
bench: $(TEST_STAMP)
	$(PY) -m bench

lint: $(TEST_STAMP)
	$(PY) -m ruff check .

validate: $(STAMP)
	$(PY) -m bot validate --stale 180

## messages: extract interface strings and update the ru/kk/en catalogues
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location \
	  --sort-output --project kzwork -o locales/messages.pot bot dialogs
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching \
	  --ignore-obsolete

## compile: write .mo files (the bot itself compiles the .po files in memory at start)
compile: $(STAMP)
	$(VENV)/bin/pybabel compile -d locales -D messages --statistics

graph: $(STAMP)
	@$(PY) -m bot graph

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
