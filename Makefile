# `make run` brings the app up with demo data as production serves it; `make dev` for coding;
# `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: run dev test venv lock bench clean-data

# `make run` serves as production does (gunicorn, DEBUG off); `make dev` autoreloads, DEBUG on.
run: $(INSTALLED)
	$(VENV)/bin/python scripts/devstack.py run

dev: $(INSTALLED)
	$(VENV)/bin/python scripts/devstack.py dev

test: $(INSTALLED)
	bash scripts/ensure-system-packages.sh
	$(VENV)/bin/python scripts/devstack.py test $(PYTEST_ARGS)

venv: $(INSTALLED)

# The virtualenv is rebuilt from the hashed lock whenever the lock or a pyproject changes. The
# app runs from this checkout; the linter is its own distribution (./speclint), installed
# editable without dependencies because the lock already pins them.
$(INSTALLED): requirements.lock pyproject.toml speclint/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Spec Review needs Python 3.11 (found " + sys.version.split()[0] + ")")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e ./speclint
	touch $@

# Regenerate the lock after editing pyproject.toml's dependencies.
lock: $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra app --extra dev --generate-hashes \
		--python-version 3.11 --universal --no-emit-package speclint -q -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra app --generate-hashes \
		--python-version 3.11 --universal --no-emit-package speclint -q -o requirements/app.lock

BENCHES := render_bench diff_bench sanitiser_bench lint_bench lint_corpus_report real_corpus_report spec_page_bench dashboard_bench load_bench reanchor_bench comments_bench search_bench api_bench oidc_bench image_bench metrics_bench

bench: $(INSTALLED)
	for name in $(BENCHES); do echo "== $$name"; $(VENV)/bin/python bench/$$name.py || exit 1; done

clean-data:
	$(VENV)/bin/python scripts/devdb.py stop || true
	rm -rf .data
