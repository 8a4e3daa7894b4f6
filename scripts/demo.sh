#!/usr/bin/env bash
# Builds weft and runs the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo "fac(20) via examples/fac.wat:"
build/weft run --invoke fac examples/fac.wat 20
