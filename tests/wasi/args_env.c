/* Arguments and the environment.
 * ARGS: alpha "beta gamma" --flag= "" "ünï çødé"
 * ENV: GREETING=hello EMPTY= PATHLIKE=/a:/b:/c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  /* argv[0] is the program's path, which differs between the two runs. */
  for (int i = 1; i < argc; ++i) printf("argv[%d]=[%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
  if (argv[argc] != NULL) printf("argv is not NULL-terminated\n");
  const char* names[] = {"GREETING", "EMPTY", "PATHLIKE", "MISSING"};
  for (int i = 0; i < 4; ++i) {
    const char* v = getenv(names[i]);
    printf("%s=%s\n", names[i], v ? v : "(unset)");
  }
  size_t n = 0;
  while (environ[n]) ++n;
  char** sorted = malloc(n * sizeof *sorted);
  memcpy(sorted, environ, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, compare);
  printf("%zu variables:\n", n);
  for (size_t i = 0; i < n; ++i) printf("  %s\n", sorted[i]);
  free(sorted);
  setenv("ADDED", "yes", 1);
  unsetenv("GREETING");
  printf("after setenv/unsetenv: ADDED=%s GREETING=%s\n", getenv("ADDED"), getenv("GREETING") ? "set" : "(unset)");
  return 0;
}
