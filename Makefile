# Everyday commands; CMake does the building.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The benchmark corpus (never copied into the repository), and fuzzing time
# per target for `make fuzz` and for the short run inside `make test`.
CORPUS ?= ../shared/data/corpus/saudinewsnet/dataset
BENCH_FLAGS ?=
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 10

.PHONY: all deps build run test clean bench sanitize fuzz fuzz-smoke
all: build

deps:
	@sh scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/khabar analyze --pretty examples/article.txt

# The tests, then the same tests under ASan + UBSan (build-asan), then a
# short run of every fuzz target (build-fuzz).
test: build
	@sh scripts/install-deps.sh --browser
	cd $(BUILD) && ctest --output-on-failure
	@JOBS=$(JOBS) sh scripts/sanitize.sh
	@JOBS=$(JOBS) sh scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS)

sanitize: deps
	@JOBS=$(JOBS) sh scripts/sanitize.sh

fuzz-smoke:
	@JOBS=$(JOBS) sh scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS)

fuzz:
	@JOBS=$(JOBS) sh scripts/fuzz.sh $(FUZZ_SECONDS)

# Speed and memory on SaudiNewsNet (docs/bench.md); e.g. BENCH_FLAGS="--runs 3".
bench: build
	@sh bench/corpus.sh $(BUILD) $(CORPUS) $(BENCH_FLAGS)

clean:
	rm -rf $(BUILD) build-*
