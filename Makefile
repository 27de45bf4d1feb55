# shopdesk — see README.md.
SHELL  := /bin/bash
GO     ?= go
SHARED ?= $(abspath ../shared)
BIN    := $(CURDIR)/bin

# Tests and benchmarks use this Ollama and the tiny models in $(SHARED)/models.
TEST_ENV := SHOPDESK_OLLAMA_BIN=$(BIN)/ollama SHOPDESK_SHARED=$(SHARED)

.PHONY: run build ollama browser test bench bench-smoke fuzz vet clean

## run: provision Ollama and the models, load the demo shop, serve the API on 127.0.0.1:8080
run: build ollama
	$(BIN)/shopdesk serve --ollama-bin $(BIN)/ollama --pull --fallback-gguf $(SHARED)/models/stories260K.gguf \
		--ingest deploy/demo/knowledge --answer-mode faq_first --merchant "Harbor Lane Outfitters" --merchant-zh 港湾小径户外 --return-holiday 11-01..12-24:01-31 \
		--commerce-import customers=deploy/demo/commerce/customers.csv,orders=deploy/demo/commerce/orders.json,products=deploy/demo/knowledge/catalog/products.json \
		--widget-keys pk_demo_harbor_lane_0001 --widget-origins http://127.0.0.1:8080,http://localhost:8080 --demo-admin admin

## build: compile bin/shopdesk
build:
	$(GO) build -o $(BIN)/shopdesk ./cmd/shopdesk

## ollama: leave a working Ollama at bin/ollama (PATH's, or built from the Go module proxy)
ollama:
	deploy/ollama/install.sh $(BIN)

## browser: Chromium, a CJK font and axe-core for the browser tests
browser:
	deploy/browser/install.sh

## test: every test, including integration tests against a real Ollama and a real Chromium; the
## last line names the integration tests skipped (none when CI requires them)
## Tests that train a full model skip themselves under the race detector (it makes training take
## minutes) and run in a second pass without it.
SKIPPED := $(BIN)/skipped-tests.txt
TRAINING_TESTS := ^(TestGenerateReproducesShippedModel|TestRetrainGate|TestPoisonedRetrainIsRefused)$$
test: ollama browser vet
	@mkdir -p $(BIN); rm -f $(SKIPPED)
	@echo '$(TEST_ENV) $(GO) test -race -count=1 -timeout 25m ./...'
	@status=0; $(TEST_ENV) SHOPDESK_SKIPPED=$(SKIPPED) $(GO) test -race -count=1 -timeout 25m ./... || status=$$?; \
	echo '$(TEST_ENV) $(GO) test -count=1 -run '"'"'$(TRAINING_TESTS)'"'"' ./intent ./server'; \
	$(TEST_ENV) SHOPDESK_SKIPPED=$(SKIPPED) $(GO) test -count=1 -run '$(TRAINING_TESTS)' ./intent ./server || status=$$?; \
	if [ -s $(SKIPPED) ]; then \
		echo "skipped integration tests: $$(sort -u $(SKIPPED) | awk -F'\t' \
			'{ n[$$1] = n[$$1] (n[$$1] == "" ? "" : ", ") $$2 } END { for (r in n) { s = s (s == "" ? "" : "; ") n[r] " (" r ")" }; print s }')"; \
	else \
		echo "skipped integration tests: none"; \
	fi; \
	exit $$status

vet:
	$(GO) vet ./...

# Macro benchmarks do their own repetitions and run once; every other
# benchmark is a micro-benchmark that the testing package repeats.
MACRO_BENCH := ^Benchmark(KeywordIndexing|IngestWithEmbeddings|QueryLatency|TimeToModel|GatewayOverhead)$$

## bench: performance targets, measured against a baseline in the same run
bench: ollama
	$(TEST_ENV) $(GO) test -run '^$$' -bench . -skip '$(MACRO_BENCH)' -benchtime 2s -count 1 ./...
	$(TEST_ENV) $(GO) test -run '^$$' -bench '$(MACRO_BENCH)' -benchtime 1x -count 1 -timeout 60m ./...

## bench-smoke: every benchmark once, at small sizes (-short), so CI notices a broken one
bench-smoke: ollama
	$(TEST_ENV) $(GO) test -run '^$$' -bench . -short -benchtime 1x -count 1 ./...

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzChatRequest$$' -fuzztime $(FUZZTIME) ./server
	$(GO) test -run '^$$' -fuzz '^FuzzWidgetRequest$$' -fuzztime $(FUZZTIME) ./server
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./models
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./index/formats
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime $(FUZZTIME) ./index
	$(GO) test -run '^$$' -fuzz '^FuzzLog$$' -fuzztime $(FUZZTIME) ./index/flat
	$(GO) test -run '^$$' -fuzz '^FuzzParseExamples$$' -fuzztime $(FUZZTIME) ./intent
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./intent
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./textclass
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeLearned$$' -fuzztime $(FUZZTIME) ./sentiment
	$(GO) test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./mention
	$(GO) test -run '^$$' -fuzz '^FuzzKey$$' -fuzztime $(FUZZTIME) ./clientaddr
	$(GO) test -run '^$$' -fuzz '^FuzzResolve$$' -fuzztime $(FUZZTIME) ./catalog
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./curated
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./assistant/eval
	$(GO) test -run '^$$' -fuzz '^FuzzRedact$$' -fuzztime $(FUZZTIME) ./training

clean:
	rm -rf $(BIN)
