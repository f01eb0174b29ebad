# seq: the commands a user and CI run. `make demo` and `make test` work from a fresh clone with
# only Node and npm installed: every target installs what is missing first.

SOURCES := $(shell find lib -name '*.ts') package.json
STAMP := node_modules/.seq-installed

.PHONY: install build typecheck test demo bench clean

install: $(STAMP)

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: dist/.built

dist/.built: $(STAMP) $(SOURCES)
	npm run --silent build
	@touch $@

typecheck: $(STAMP)
	npx tsc -p .

RESULTS := node_modules/.seq-test-results.json

test: build typecheck
	npx vitest run --reporter=default --reporter=json --outputFile=$(RESULTS)
	@node -e "const r = require('./$(RESULTS)'); console.log(r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed' + (r.numPendingTests ? ', ' + r.numPendingTests + ' skipped' : ''))"

demo: build
	@bash examples/demo.sh

# Start-up and throughput against node and jq, as ratios measured in one run.
bench: build
	npx tsx test/bench/bench.ts $(BENCH_ARGS)

clean:
	rm -rf dist node_modules/.seq-installed
