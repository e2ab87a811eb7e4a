# The two commands of the README: `make run` and `make test`. Each does the
# whole set-up on its own: Python 3.10 virtual environment, pinned
# dependencies (skipped when unchanged), training (skipped when unchanged).
SHELL := /bin/bash
VENV := .venv
RASA := $(VENV)/bin/rasa
PYTEST := $(VENV)/bin/python -m pytest
export RASA_TELEMETRY_ENABLED := false
# The pinned libraries' deprecation noise, silenced in this one place: `make
# run` prints what a person needs, and the warnings that matter (example
# contacts, files open to others, demo mode) are the project's own.
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning
# Reproducible training: the same commit makes the same decisions on every
# machine of this kind. Fixed thread counts (set here, not left to the
# machine; TRAIN_THREADS=n overrides both for a check) and a fixed hash seed;
# the seeds themselves are in config.yml. TensorFlow's deterministic ops
# (TF_DETERMINISTIC_OPS=1) are left off: they made training take twice as
# long, and what must repeat is the decisions (README: what does).
TRAIN_THREADS ?= 2
export TF_INTER_OP_PARALLELISM_THREADS := $(TRAIN_THREADS)
export TF_INTRA_OP_PARALLELISM_THREADS := $(TRAIN_THREADS)
export PYTHONHASHSEED := 0

.PHONY: run test setup model shell lint types validate test-unit test-fast test-nlu test-safety test-stories test-integration test-browser bench clean

run: setup model
	@scripts/serve.sh

setup:
	@scripts/setup.sh

model: setup
	@scripts/train.sh

# Undefined names, unused imports and the like, and the layout (ruff check and
# ruff format --check; ruff.toml). Seconds. `ruff format .` lays the code out.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Types of the project's own code (mypy; mypy.ini). Half a minute.
types: setup
	$(VENV)/bin/mypy

# The generated domain is checked, not regenerated: a stale one fails here.
validate: setup
	$(VENV)/bin/python -m bot domain --check
	$(RASA) data validate --domain domain --fail-on-warnings --quiet

# The fast tests: validators, dialogue decisions, store, actions. Seconds.
test-fast test-unit: setup
	$(PYTEST) -q tests/unit

test-nlu: model
	$(RASA) test nlu --nlu tests/nlu/heldout.yml --model models/current.tar.gz --out results/nlu --quiet
	$(VENV)/bin/python scripts/nlu_report.py results/nlu/intent_report.json

# Recall and false-escalation rate of the rule-based risk detector, by category.
test-safety: setup
	$(VENV)/bin/python scripts/safety_report.py

test-stories: model
	$(RASA) test core --stories tests/stories --model models/current.tar.gz --out results/core --fail-on-prediction-errors --quiet

test-integration: model
	$(PYTEST) -q tests/integration

# The widget in Debian's chromium (headless); screenshots go to results/screenshots.
test-browser: model
	$(PYTEST) -q tests/browser

test: setup lint types validate test-unit test-safety model test-nlu test-stories test-integration test-browser
	@echo "All tests passed."

# The load benchmark, not part of `make test` (about 5 minutes; README:
# Benchmark): our stack against a stock `rasa init` assistant, trained once
# into var/bench/stock. BENCH_ARGS="--quick" for a short smoke run,
# BENCH_ARGS="--profile var/bench/profile.json" adds a py-spy profile.
bench: model
	$(VENV)/bin/python -m bench $(BENCH_ARGS)

shell: setup model
	@mkdir -p logs; export ACTION_SERVER_SECRET=$$($(VENV)/bin/python -c "from bot.settings import action_secret; print(action_secret())"); \
	  $(VENV)/bin/python -m bot.action_server --port 5055 2>>logs/actions.log & \
	  pid=$$!; trap "kill $$pid" EXIT; \
	  $(RASA) shell --model models/current.tar.gz --endpoints endpoints.yml --quiet

clean:
	rm -rf models results logs
