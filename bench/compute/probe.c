/* Not a benchmark: a trivial module the runner uses to find out whether an
   engine runs WASI commands (or can call the bare export). */
#include "bench.h"

BENCH_EXPORT uint64_t bench_run(void) { return (uint64_t)bench_input(0x5eed) * 0x100000001ull; }
