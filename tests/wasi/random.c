/* Random numbers: getentropy fills buffers with unpredictable bytes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  unsigned char a[256], b[256];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  printf("getentropy a: %d\n", getentropy(a, sizeof a));
  printf("getentropy b: %d\n", getentropy(b, sizeof b));
  printf("a and b differ: %s\n", memcmp(a, b, sizeof a) != 0 ? "yes" : "no");
  int counts[256] = {0};
  unsigned char big[256];
  for (int round = 0; round < 64; ++round) {
    getentropy(big, sizeof big);
    for (size_t i = 0; i < sizeof big; ++i) counts[big[i]]++;
  }
  /* 16384 bytes: every value is expected 64 times; none should be missing. */
  int missing = 0;
  for (int v = 0; v < 256; ++v)
    if (counts[v] == 0) ++missing;
  printf("byte values never seen: %d\n", missing);
  printf("getentropy over 256 bytes fails: %s\n", getentropy(big, 257) != 0 ? "yes" : "no");
  return 0;
}
