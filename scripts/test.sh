#!/usr/bin/env bash
# Builds weft and runs every test: unit tests (GoogleTest), then the spec suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo "== unit tests"
build/weft_unit_tests --gtest_brief=1
echo "== spec suite"
bash tests/spec/run
