#!/usr/bin/env bash
# Builds weft and runs every test: unit tests (GoogleTest), then the spec suite.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== tracked files (none over 5 MB)"
bash scripts/check_tree.sh
bash scripts/build.sh
echo "== unit tests"
build/weft_unit_tests --gtest_brief=1
echo "== spec suite (segmented stacks, the default)"
bash tests/spec/run
echo "== spec suite (copying stacks), both strategies with a 128-byte first segment so calls cross segments"
WEFT_WAST_FLAGS="--stack-growth=copying --initial-stack-size=128" bash tests/spec/run
WEFT_WAST_FLAGS="--stack-growth=segmented --initial-stack-size=128" bash tests/spec/run
echo "== spec suite with fuel (interrupt checks lowered into every loop and function)"
WEFT_WAST_FLAGS="--fuel=1000G" bash tests/spec/run
echo "== spec suite with the portable switch dispatch (-DWEFT_DISPATCH=switch)"
cmake -S . -B build-switch -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEFT_DISPATCH=switch -DWEFT_TESTS=OFF >/dev/null
ninja -C build-switch -j"$(nproc)" weft
WEFT_BIN=build-switch/weft bash tests/spec/run
echo "== spec suite with the clang-16 release build (both compilers' release builds are tested)"
bash scripts/deps.sh clang-16
cmake -S . -B build-clang -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-16 -DWEFT_TESTS=OFF >/dev/null
ninja -C build-clang -j"$(nproc)" weft
WEFT_BIN=build-clang/weft bash tests/spec/run
echo "== examples"
bash tests/examples/run
echo "== command line"
bash tests/cli/run
echo "== embedding (install into a temporary prefix, build examples/embed against it)"
bash tests/embed/run
echo "== WASI programs"
bash tests/wasi/run
# Sanitizer build (ASan+UBSan, compiled with clang-16 so that CI also holds clang to
# -Wall -Wextra -Werror) over the unit and spec tests, then each fuzz target for 60 s (docs/fuzzing.md).
bash scripts/sanitize.sh
bash tests/fuzz/run 60
