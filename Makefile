# seq: the commands a user and CI run. `make demo` and `make test` work from a fresh clone with
# only Node and npm installed: every target installs what is missing first.

SOURCES := $(shell find lib -name '*.ts' -o -name '*.json') package.json
STAMP := node_modules/.seq-installed

.PHONY: install build typecheck lint format test stress demo bench bench-team prices clean report skills-rank skill-trend skill-report role-breakdown tools-rank mcp-tools tokens tokens-by-day tokens-by-model sessions slowest-sessions section-audit occurrences

install: $(STAMP)

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: dist/.built

dist/.built: $(STAMP) $(SOURCES) scripts/build.ts $(wildcard bin/seq*)
	npm run --silent build
	@touch $@

typecheck: $(STAMP)
	npx tsc -p .

# Biome: its recommended lint rules and the formatter's layout (biome.json); warnings fail too.
lint: $(STAMP)
	npx biome check --error-on-warnings

# Lays out every file as `make lint` wants it.
format: $(STAMP)
	npx biome format --write

RESULTS := node_modules/.seq-test-results.json

test: build typecheck
	npx vitest run --reporter=default --reporter=json --outputFile=$(RESULTS)
	@node -e "const r = require('./$(RESULTS)'); console.log(r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed' + (r.numPendingTests ? ', ' + r.numPendingTests + ' skipped' : ''))"

# The heavy variants, on a new seed at each run: 1,200 SIGKILLs of seq-record, 20,000 fuzzed logs, 200 spellings of every log, 100,000 files, a 2 GB transcript.
stress: build
	SEQ_SEED=random SEQ_STRESS=1 SEQ_STRESS_KILLS=1200 SEQ_FUZZ_RUNS=20000 SEQ_SPELLING_RUNS=200 npx vitest run test/cli/faults.test.ts test/unit/fuzz.test.ts test/unit/serializations.test.ts test/cli/load.test.ts

demo: build
	@bash examples/demo.sh

# Start-up and throughput against node and jq, as ratios measured in one run.
# SIZE=1G: the 1.1 GB corpus and a 1 GB single transcript (several minutes).
bench: build
	npx tsx test/bench/bench.ts $(if $(filter 1G,$(SIZE)),--sessions 10000 --single-mb 1000) $(BENCH_ARGS)

# The price table, from the price snapshots beside the project and lib/prices/extra.json (docs/costs.md).
PRICING ?= ../shared/pricing
prices: $(STAMP)
	npx tsx scripts/prices.ts \
	  --litellm $(PRICING)/litellm-claude.json "LiteLLM, as embedded in ccusage 19.0.3 (shared/pricing/litellm-claude.json)" \
	  --litellm $(PRICING)/litellm-openai.json "LiteLLM, as embedded in @ccusage/codex 18.0.11 (shared/pricing/litellm-openai.json)" \
	  --models-dev $(PRICING)/models-dev-pricing.json "models.dev, as in ccusage 20 at 5816e640 (shared/pricing/models-dev-pricing.json)" \
	  --extra lib/prices/extra.json > lib/prices/table.json.tmp && mv lib/prices/table.json.tmp lib/prices/table.json

# A simulated team: 50 generated machines pushed into one ClickHouse (chdb behind its HTTP interface), team queries timed as machines join.
bench-team: build
	npx tsx test/bench/team.ts $(BENCH_ARGS)

# Reports. ROOT: session files or folders (default: this machine's Codex and Claude Code logs);
# SKILLS_DIR: where skills are (default ~/.codex/skills...); ARGS: more options (--since 2026-01-01).
#   make report ROOT=~/.codex/sessions OUT=reports SKILLS=tk,fix SECTIONS="Contract,Proof"
#   make tokens ARGS="--since 2026-11-01"
ROOT ?=
OUT ?= reports
ARGS ?=
SEQ = ./bin/seq
COMMON = $(ROOT) $(if $(SKILLS_DIR),--skills-dir $(SKILLS_DIR)) $(ARGS)

# One file per report, and the bundle as Markdown and JSON; each file is replaced only when its report succeeds.
# Every report is tried even when one fails (a log that cannot be read); then the status is 1.
report: build
	@mkdir -p $(OUT); status=0; \
	run() { echo "$$*"; "$$@" || status=1; }; \
	run $(SEQ) skills-rank $(COMMON) --output $(OUT)/skills-rank.txt; \
	run $(SEQ) skills-rank $(COMMON) --format csv --output $(OUT)/skills-rank.csv; \
	run $(SEQ) role-breakdown $(COMMON) --output $(OUT)/role-breakdown.txt; \
	run $(SEQ) query --spec @specs/tools-rank.json $(COMMON) --output $(OUT)/tools-rank.txt; \
	run $(SEQ) token-usage $(COMMON) --output $(OUT)/token-usage.txt; \
	run $(SEQ) token-usage $(COMMON) --format json --output $(OUT)/token-usage.json; \
	run $(SEQ) query --spec @specs/tokens-by-model.json $(COMMON) --output $(OUT)/tokens-by-model.txt; \
	run $(SEQ) query --spec @specs/sessions-top-tokens.json $(COMMON) --output $(OUT)/sessions-top-tokens.txt; \
	run $(SEQ) occurrence-export $(COMMON) --output $(OUT)/occurrences.jsonl; \
	$(if $(SECTIONS),run $(SEQ) section-audit $(COMMON) --sections "$(SECTIONS)" --output $(OUT)/section-audit.txt;) \
	run $(SEQ) report-bundle $(COMMON) $(if $(SKILLS),--skills $(SKILLS)) $(if $(SECTIONS),--sections "$(SECTIONS)") --format markdown --output $(OUT)/report.md; \
	run $(SEQ) report-bundle $(COMMON) $(if $(SKILLS),--skills $(SKILLS)) $(if $(SECTIONS),--sections "$(SECTIONS)") --output $(OUT)/report.json; \
	echo "reports written to $(OUT)/"; exit $$status

skills-rank: build
	@$(SEQ) skills-rank $(COMMON)
skill-trend: build
	@$(SEQ) skill-trend --skill "$(SKILL)" $(COMMON)
skill-report: build
	@$(SEQ) skill-report --skill "$(SKILL)" $(if $(SECTIONS),--sections "$(SECTIONS)") $(COMMON)
role-breakdown: build
	@$(SEQ) role-breakdown $(COMMON)
section-audit: build
	@$(SEQ) section-audit --sections "$(SECTIONS)" $(COMMON)
occurrences: build
	@$(SEQ) occurrence-export $(COMMON)
tools-rank: build
	@$(SEQ) query --spec @specs/tools-rank.json $(COMMON)
mcp-tools: build
	@$(SEQ) query --spec @specs/mcp-tools-rank.json $(COMMON)
tokens: build
	@$(SEQ) token-usage $(COMMON)
tokens-by-day: build
	@$(SEQ) query --spec @specs/tokens-by-day.json $(COMMON)
tokens-by-model: build
	@$(SEQ) query --spec @specs/tokens-by-model.json $(COMMON)
sessions: build
	@$(SEQ) query --spec @specs/sessions-top-tokens.json $(COMMON)
slowest-sessions: build
	@$(SEQ) query --spec @specs/slowest-sessions.json $(COMMON)

clean:
	rm -rf dist node_modules/.seq-installed
