#!/usr/bin/env bash
# Builds weft with clang-16, AddressSanitizer and UndefinedBehaviorSanitizer into
# build-asan/ (or $WEFT_ASAN_BUILD) and runs the unit tests and the whole spec
# suite with it. Fails on any test failure and on any sanitizer report
# (reports are collected in build-asan/sanitizer-reports/, so that a leak
# found at exit, after a script has passed, still counts).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh clang-16 libclang-rt-16-dev || exit 1
build="${WEFT_ASAN_BUILD:-build-asan}"
# clang-16, so that CI builds the whole tree with both compilers under -Werror.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEFT_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++-16 \
  >/dev/null || exit 1
start=$SECONDS
${WEFT_BUILD_LOCK:+flock "$WEFT_BUILD_LOCK"} ninja -C "$build" -j"$(nproc)" || exit 1
echo "sanitizer build: $((SECONDS - start)) s"

reports="$PWD/$build/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"

status=0
echo "== unit tests (ASan+UBSan)"
start=$SECONDS
timeout 600 "$build/weft_unit_tests" --gtest_brief=1 || status=1
echo "unit tests: $((SECONDS - start)) s"
echo "== spec suite (ASan+UBSan)"
start=$SECONDS
WEFT_BIN="$build/weft" bash tests/spec/run || status=1
echo "spec suite: $((SECONDS - start)) s"

shopt -s nullglob
found=("$reports"/*)
if [ ${#found[@]} -gt 0 ]; then
  echo "== sanitizer reports: ${#found[@]}"
  for r in "${found[@]}"; do echo "-- $r"; head -40 "$r"; done
  status=1
fi
[ "$status" -eq 0 ] && echo "sanitizer build: unit tests and spec suite clean"
exit "$status"
