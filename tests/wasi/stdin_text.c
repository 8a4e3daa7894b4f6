/* Standard input: line, word and byte counts, and the lines reversed.
 * STDIN: stdin_text.input
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char* lines[256];
  size_t nlines = 0, bytes = 0, words = 0;
  char buf[1024];
  while (nlines < 256 && fgets(buf, sizeof buf, stdin)) {
    size_t len = strlen(buf);
    bytes += len;
    int in_word = 0;
    for (size_t i = 0; i < len; ++i) {
      if (isspace((unsigned char)buf[i])) in_word = 0;
      else if (!in_word) { in_word = 1; ++words; }
    }
    if (len && buf[len - 1] == '\n') buf[--len] = 0;
    lines[nlines++] = strdup(buf);
  }
  printf("%zu lines, %zu words, %zu bytes\n", nlines, words, bytes);
  for (size_t i = nlines; i-- > 0;) {
    size_t len = strlen(lines[i]);
    for (size_t j = 0; j < len / 2; ++j) {
      char t = lines[i][j];
      lines[i][j] = lines[i][len - 1 - j];
      lines[i][len - 1 - j] = t;
    }
    printf("%zu: %s\n", i + 1, lines[i]);
    free(lines[i]);
  }
  /* At end of input, read returns 0 and getchar EOF. */
  char c;
  printf("read at eof: %zd\n", read(0, &c, 1));
  printf("getchar at eof: %d\n", getchar() == EOF);
  return 0;
}
