#!/usr/bin/env bash
# Builds weft and runs the bundled examples: a lightweight-thread scheduler on
# stack switching (examples/scheduler-switch.wast) and factorial (examples/fac.wat).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
echo "== examples/scheduler-switch.wast (threads as continuations, switch)"
build/weft wast examples/scheduler-switch.wast
echo "== fac(20) via examples/fac.wat"
build/weft run --invoke fac examples/fac.wat 20
