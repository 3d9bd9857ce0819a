# Rapport: the two commands of the set-up contract, and a few more.
#   make demo   install what is missing, build, run the built-in demo (writes report.html)
#   make test   install what is missing, build, run the whole test suite (CTest)
#   make eval   build, run the evaluation protocols on ../shared/data, write docs/EVALUATION.md
#   make bench  build, run the kernel benchmarks, the end-to-end driver (BENCH_SIZES events),
#               the web service load test and rapport-mpi with 1, 2 and 4 ranks (MPI_EVENTS)
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
	./$(BUILD)/bench/kernels_bench --benchmark_min_time=1
	bash bench/end_to_end.sh $(BUILD) $(BENCH_SIZES)
	bash bench/serve_load.sh $(BUILD)
	bash bench/mpi_scale.sh $(BUILD) $(MPI_EVENTS) 1 2 4

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) --target fuzzers
	bash scripts/run-fuzzers.sh build-fuzz/fuzz $(or $(FUZZ_SECONDS),60)

clean:
	rm -rf $(BUILD) build-fuzz

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')
