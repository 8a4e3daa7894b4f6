#!/usr/bin/env bash
# Builds weft and runs two bundled examples, saying what each shows:
# lightweight threads scheduled with stack switching
# (examples/scheduler-switch.wast) and a plain function call from the
# command line (examples/fac.wat).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

cat <<'TEXT'

== 1. Green threads on first-class stacks (examples/scheduler-switch.wast)
Three threads run as continuations, each on its own small engine-owned stack.
Thread 1 takes 3 steps, thread 2 takes 1, thread 3 takes 2. After every step
a thread hands the processor straight to the next one in the queue with the
`switch` instruction (one stack switch, no trip through the scheduler). When a
thread ends, the scheduler loop resumes whoever is next. weft runs the script
with `build/weft wast`; each line below is one thing the program printed:
TEXT
# The script prints id*10+step for each step and -1 when a thread ends; say so.
build/weft wast examples/scheduler-switch.wast | awk '
  /^-1 : i32$/ { print "  a thread finished; the scheduler loop resumes the next one"; next }
  /^[0-9]+ : i32$/ { n = $1 + 0; printf "  thread %d, step %d\n", int(n / 10), n % 10; next }
  /^examples\/.*passed/ { next }
  /passed, 0 failed$/ { print "  (the wast runner: " $1 " commands of the script passed, none failed)"; next }
  { print }'

cat <<'TEXT'

== 2. Calling an exported function from the shell (examples/fac.wat)
`weft run --invoke NAME FILE ARGS...` instantiates a module, parses ARGS by the
export's parameter types and prints each result. Here, the factorial of 20:
TEXT
echo "  \$ build/weft run --invoke fac examples/fac.wat 20"
echo "  $(build/weft run --invoke fac examples/fac.wat 20)"

cat <<'TEXT'

More: README.md (the CLI, WASI programs, limits), examples/ (generators, actors,
async/await), `build/weft help`, and scripts/test.sh for the whole test suite.
TEXT
