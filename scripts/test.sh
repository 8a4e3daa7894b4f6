#!/usr/bin/env bash
# Builds weft and runs every test: unit tests (GoogleTest), then the spec suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo "== unit tests"
build/weft_unit_tests --gtest_brief=1
echo "== spec suite"
bash tests/spec/run
echo "== examples"
bash tests/examples/run
echo "== WASI programs"
bash tests/wasi/run
# Sanitizer build (ASan+UBSan) over the unit and spec tests, then each fuzz target for 60 s (docs/fuzzing.md).
bash scripts/sanitize.sh
bash tests/fuzz/run 60
