/* Files: create, write, read, seek, truncate, stat, rename, unlink, append,
 * positioned I/O and stdio streams. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void show_file(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    printf("  %s: cannot open: %s\n", path, errname(errno));
    return;
  }
  char buf[256];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  printf("  %s (%zu bytes): ", path, n);
  for (size_t i = 0; i < n; ++i) {
    if (buf[i] >= 32 && buf[i] < 127) putchar(buf[i]);
    else printf("\\x%02x", (unsigned char)buf[i]);
  }
  putchar('\n');
}

static void show_stat(const char* path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("  stat %s: %s\n", path, errname(errno));
    return;
  }
  printf("  stat %s: %s, size %lld, nlink %d\n", path,
         S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "directory" : "other", (long long)st.st_size,
         (int)st.st_nlink);
}

int main(void) {
  /* Create and write with the POSIX calls. */
  int fd = check("open data.bin O_CREAT|O_WRONLY|O_TRUNC", open("data.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644));
  const char* text = "Hello, WASI file system!\n";
  printf("write: %zd\n", write(fd, text, strlen(text)));
  printf("lseek(0, SEEK_CUR): %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("lseek(7, SEEK_SET): %lld\n", (long long)lseek(fd, 7, SEEK_SET));
  printf("write: %zd\n", write(fd, "wasi", 4));
  printf("lseek(-2, SEEK_END): %lld\n", (long long)lseek(fd, -2, SEEK_END));
  printf("write: %zd\n", write(fd, "?\n", 2));
  /* A write past the end leaves a hole of zero bytes. */
  printf("lseek(30, SEEK_SET): %lld\n", (long long)lseek(fd, 30, SEEK_SET));
  printf("write: %zd\n", write(fd, "end", 3));
  check("close", close(fd));
  show_file("data.bin");
  show_stat("data.bin");

  /* Read it back in pieces. */
  fd = check("open data.bin O_RDONLY", open("data.bin", O_RDONLY));
  char buf[64];
  ssize_t n = read(fd, buf, 5);
  printf("read 5: %zd [%.*s]\n", n, (int)n, buf);
  printf("lseek(-3, SEEK_END): %lld\n", (long long)lseek(fd, -3, SEEK_END));
  n = read(fd, buf, sizeof buf);
  printf("read rest: %zd [%.*s]\n", n, (int)n, buf);
  printf("read at end: %zd\n", read(fd, buf, sizeof buf));
  n = pread(fd, buf, 4, 7);
  printf("pread 4 at 7: %zd [%.*s]\n", n, (int)n, buf);
  printf("position after pread: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  struct stat st;
  check("fstat", fstat(fd, &st));
  printf("fstat size: %lld, regular: %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  check("close", close(fd));

  /* Read/write with pwrite, then truncate (shorter and longer). */
  fd = check("open data.bin O_RDWR", open("data.bin", O_RDWR));
  printf("pwrite: %zd\n", pwrite(fd, "HELLO", 5, 0));
  check("ftruncate 12", ftruncate(fd, 12));
  show_file("data.bin");
  check("ftruncate 16", ftruncate(fd, 16));
  show_stat("data.bin");
  check("close", close(fd));
  check("truncate 3", truncate("data.bin", 3));
  show_file("data.bin");

  /* Append mode. */
  fd = check("open log.txt O_APPEND", open("log.txt", O_CREAT | O_WRONLY | O_APPEND, 0644));
  write(fd, "one\n", 4);
  lseek(fd, 0, SEEK_SET);
  write(fd, "two\n", 4);
  close(fd);
  FILE* f = fopen("log.txt", "a");
  fprintf(f, "three %d\n", 3);
  fclose(f);
  show_file("log.txt");

  /* stdio: formatted writing, line reading, ftell/fseek/rewind. */
  f = fopen("table.txt", "w+");
  for (int i = 1; i <= 5; ++i) fprintf(f, "%d squared is %d, root %.4f\n", i, i * i, (double)i / 3.0);
  printf("ftell after writing: %ld\n", ftell(f));
  rewind(f);
  char line[128];
  int count = 0;
  while (fgets(line, sizeof line, f)) {
    if (++count == 3) printf("third line: %s", line);
  }
  printf("lines: %d, feof: %d\n", count, feof(f) != 0);
  fseek(f, -9, SEEK_END);
  printf("fgets after fseek: %s", fgets(line, sizeof line, f));
  fclose(f);

  /* Rename over an existing file, then unlink. */
  check("rename table.txt -> data.bin", rename("table.txt", "data.bin"));
  show_stat("table.txt");
  show_stat("data.bin");
  check("unlink data.bin", unlink("data.bin"));
  check("unlink data.bin again", unlink("data.bin"));
  check("unlink log.txt", unlink("log.txt"));
  check("access log.txt", access("log.txt", F_OK));

  /* A larger file written and read in blocks. */
  f = fopen("big.dat", "wb");
  unsigned long sum_written = 0;
  for (int i = 0; i < 200000; ++i) {
    unsigned char c = (unsigned char)(i * 7 + i / 256);
    sum_written += c;
    fputc(c, f);
  }
  fclose(f);
  f = fopen("big.dat", "rb");
  unsigned long sum_read = 0;
  size_t total = 0;
  unsigned char block[4096];
  while ((n = (ssize_t)fread(block, 1, sizeof block, f)) > 0) {
    total += (size_t)n;
    for (ssize_t i = 0; i < n; ++i) sum_read += block[i];
  }
  fclose(f);
  printf("big.dat: %zu bytes, checksum %s\n", total, sum_read == sum_written ? "matches" : "differs");
  unlink("big.dat");
  return 0;
}
