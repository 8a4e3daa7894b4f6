/* abort() is a trap under WASI: weft prints a backtrace to stderr and exits
 * with status 134, which is what a native abort() (SIGABRT) gives too.
 * TRAP
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void check_invariant(int value) {
  if (value != 0) abort();
}

int main(int argc, char** argv) {
  (void)argv;
  printf("before the trap\n");
  fflush(stdout);
  check_invariant(argc);
  printf("not reached\n");
  return 0;
}
