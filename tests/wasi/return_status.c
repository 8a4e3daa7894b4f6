/* Returning from main sets the exit status; a large value is truncated to
 * its low 8 bits like a native exit status.
 * ARGS: 300
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  int status = argc > 1 ? atoi(argv[1]) : 0;
  printf("returning %d\n", status);
  return status;
}
