/* exit() runs atexit handlers, flushes stdio and sets the exit status. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: first registered, runs last\n"); }
static void second(void) { printf("atexit: second registered, runs first\n"); }

int main(void) {
  atexit(first);
  atexit(second);
  printf("buffered output, no newline yet...");
  fprintf(stderr, "to stderr\n");
  exit(42);
}
