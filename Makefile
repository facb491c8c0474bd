# Testimonio: two commands on a fresh Debian machine with Python 3.11.
#   make demo   set up .venv, build a demo instance in .demo/ and say where to look
#   make test   set up .venv with dev extras; ruff, mypy and the whole test suite
#               (SQLite, then PostgreSQL at 127.0.0.1:5432 when it answers; with CI=true
#               a PostgreSQL that does not answer fails the run instead of being skipped)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.spark-installed
DEMO_HOME := $(CURDIR)/.demo
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# Debian packages the tests need (installed only when missing: naming an installed
# package in apt-get install would upgrade it). Java runs Spark in local mode; tesseract with
# its Spanish data reads scanned declarations; DejaVu draws redacted copies in any Latin script;
# postgresql-client: pg_dump and pg_restore for `testimonio backup` and `restore` on PostgreSQL;
# poppler-utils: pdftoppm and pdftotext, with which the report tests read the PDFs they make;
# gettext: xgettext, with which `make messages` and the translation test extract the strings.
# npm installs axe-core for the accessibility browser test (below): Debian's `npm` package is
# installed only when no npm is on the PATH (this machine's nodejs package brings its own,
# and apt refuses Debian's npm beside it).
# libharfbuzz-subset0: WeasyPrint subsets fonts with it (without it, a DeprecationWarning that
# the test settings turn into an error).
APT_PACKAGES := chromium default-jre-headless tesseract-ocr tesseract-ocr-spa fonts-dejavu-core libharfbuzz-subset0 \
  postgresql-client poppler-utils gettext

.PHONY: demo test test-postgres test-fast lint typecheck docs messages system-packages serve clean axe

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	$(BIN)/python -m testimonio.web.catalogues
	touch $(STAMP)

# Splink on Spark (the spark marker's tests) for make test only: the demo does not need it.
$(SPARK_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[spark]'
	touch $(SPARK_STAMP)

# axe-core for the accessibility browser test (tests/e2e/test_accessibility.py), from the npm
# registry into .cache/axe (out of git); `npm install` again only when the version line changes.
AXE_VERSION := 4
AXE_STAMP := .cache/axe/.installed-$(AXE_VERSION)
$(AXE_STAMP): | system-packages
	npm install --prefix .cache/axe --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	touch $(AXE_STAMP)

axe: $(AXE_STAMP)

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi; \
	if ! command -v npm >/dev/null 2>&1; then \
	  echo "Installing Debian packages: npm"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	fi

demo: $(STAMP)
	TESTIMONIO_HOME=$(DEMO_HOME) $(BIN)/testimonio demo
	@echo "Start the web app with:  TESTIMONIO_HOME=$(DEMO_HOME) $(BIN)/testimonio serve"

serve: $(STAMP)
	TESTIMONIO_HOME=$(DEMO_HOME) $(BIN)/testimonio serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy's Django plugin imports the settings, which need a secret key: give it a throwaway one.
typecheck: $(STAMP)
	TESTIMONIO_HOME=$(CURDIR)/.mypy_cache TESTIMONIO_SECRET_KEY=mypy-only $(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m testimonio.cli.reference > docs/cli.md

# Gather the web app's strings into the Spanish catalogue (new ones with an empty msgstr, to be
# translated), then compile it. Needs gettext's xgettext (docs/translation.md).
WEB_DIR := src/testimonio/web
messages: $(STAMP)
	cd $(WEB_DIR) && TESTIMONIO_HOME=$(CURDIR)/.mypy_cache TESTIMONIO_SECRET_KEY=messages-only \
	  DJANGO_SETTINGS_MODULE=testimonio.web.settings $(CURDIR)/$(BIN)/django-admin makemessages \
	  --locale es --no-obsolete --add-location file --ignore 'formats/*'
	$(BIN)/python -m testimonio.web.catalogues

test: $(STAMP) $(SPARK_STAMP) $(AXE_STAMP) system-packages lint typecheck
	$(BIN)/pytest -n auto
	$(MAKE) --no-print-directory test-postgres

# The database tests again on PostgreSQL. Skipped when no server answers, except under CI=true,
# where a silent skip would hide that PostgreSQL was never tested.
test-postgres: $(STAMP)
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL answers at $(POSTGRES_URL): running the database tests on it"; \
	  DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -n 2 -m "not slow" tests/web; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL does not answer at $(POSTGRES_URL): under CI=true that is a FAILURE"; \
	  exit 1; \
	else \
	  echo "PostgreSQL does not answer at $(POSTGRES_URL): SKIPPING the PostgreSQL run"; \
	fi

test-fast: $(STAMP)
	$(BIN)/pytest -n auto -m "not slow"

clean:
	rm -rf $(VENV) $(DEMO_HOME) .mypy_cache .ruff_cache .pytest_cache .cache/axe
