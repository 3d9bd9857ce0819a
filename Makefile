# Rapport: the two commands of the set-up contract, and a few more.
#   make demo   install what is missing, build, run the built-in demo (writes report.html)
#   make test   install what is missing, build, run the whole test suite (CTest)
#   make eval   build, run the evaluation protocols on ../shared/data, write docs/EVALUATION.md
#   make bench  build, run every benchmark (bench/all.sh: the kernels and the machine's bounds,
#               the end-to-end driver at BENCH_SIZES events, the peers, import and incremental
#               scoring, the web service under load, rapport-mpi at MPI_EVENTS) and write the
#               results into docs/BENCHMARKS.md
PRESET ?= release
BUILD  := build
JOBS   ?= $(shell nproc)

.PHONY: all deps build demo test eval fuzz bench clean format

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

demo: build
	./$(BUILD)/rapport demo --db demo.db --report report.html

test: build
	ctest --preset $(PRESET) -j $(JOBS)

eval: build
	./$(BUILD)/rapport eval all --data ../shared/data --markdown docs/EVALUATION.md

BENCH_SIZES ?= 1000000 10000000
MPI_EVENTS ?= 10000000
bench: build
	BENCH_SIZES="$(BENCH_SIZES)" MPI_EVENTS="$(MPI_EVENTS)" bash bench/all.sh $(BUILD)

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) --target fuzzers
	bash scripts/run-fuzzers.sh build-fuzz/fuzz $(or $(FUZZ_SECONDS),60)

clean:
	rm -rf $(BUILD) build-fuzz

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')
