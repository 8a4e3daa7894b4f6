/* Calls on descriptors of the wrong kind: reading or writing a directory,
 * directory calls on a file, opening a directory for writing. Each fails
 * with the errno Linux gives, not with a capability error. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
  char buf[16];
  mkdir("dir", 0755);
  close(open("dir/inside", O_CREAT | O_WRONLY, 0644));
  int file = open("file", O_CREAT | O_RDWR, 0644);
  write(file, "contents", 8);

  /* Opening a directory with write access, or a file as a directory. */
  check("open dir O_RDWR|O_DIRECTORY", open("dir", O_RDWR | O_DIRECTORY));
  check("open dir O_WRONLY|O_DIRECTORY", open("dir", O_WRONLY | O_DIRECTORY));
  check("open dir O_RDWR", open("dir", O_RDWR));
  check("open dir O_RDONLY|O_TRUNC", open("dir", O_RDONLY | O_TRUNC));
  check("open file O_RDONLY|O_DIRECTORY", open("file", O_RDONLY | O_DIRECTORY));
  check("open file O_RDWR|O_DIRECTORY", open("file", O_RDWR | O_DIRECTORY));
  check("open missing O_RDWR|O_DIRECTORY", open("missing", O_RDWR | O_DIRECTORY));
  int fd = check("open dir O_RDONLY|O_DIRECTORY", open("dir", O_RDONLY | O_DIRECTORY));
  close(fd);

  /* I/O on a directory descriptor. */
  int dir = check("open dir O_RDONLY", open("dir", O_RDONLY));
  check("read dir", (int)read(dir, buf, sizeof buf));
  check("pread dir", (int)pread(dir, buf, sizeof buf, 0));
  check("write dir", (int)write(dir, "x", 1));
  check("pwrite dir", (int)pwrite(dir, "x", 1, 0));
  check("ftruncate dir", ftruncate(dir, 0));
  printf("posix_fallocate dir: %s\n", errname(posix_fallocate(dir, 0, 10)));
  check("fsync dir", fsync(dir));
  check("openat dir inside", fd = openat(dir, "inside", O_RDONLY));
  close(fd);

  /* Directory calls on a file descriptor. */
  check("openat file x", openat(file, "x", O_RDONLY));
  check("openat file x O_CREAT", openat(file, "x", O_CREAT | O_WRONLY, 0644));
  check("mkdirat file x", mkdirat(file, "x", 0755));
  check("unlinkat file x", unlinkat(file, "x", 0));
  struct stat st;
  check("fstatat file x", fstatat(file, "x", &st, 0));
  printf("fdopendir file: %s\n", fdopendir(file) ? "opened" : errname(errno));

  /* A read-only file cannot be written, a write-only one not read. */
  int ro = open("file", O_RDONLY);
  check("write O_RDONLY", (int)write(ro, "x", 1));
  check("pwrite O_RDONLY", (int)pwrite(ro, "x", 1, 0));
  int wo = open("file", O_WRONLY);
  check("read O_WRONLY", (int)read(wo, buf, sizeof buf));
  check("pread O_WRONLY", (int)pread(wo, buf, sizeof buf, 0));

  /* Bad offsets and whence values. */
  check("pread offset -1", (int)pread(file, buf, sizeof buf, -1));
  check("lseek to -1", (int)lseek(file, -1, SEEK_SET));
  check("lseek end -100", (int)lseek(file, -100, SEEK_END));
  printf("lseek end +100: %lld\n", (long long)lseek(file, 100, SEEK_END));
  check("ftruncate -1", ftruncate(file, -1));
  printf("posix_fadvise advice 99: %s\n", errname(posix_fadvise(file, 0, 0, 99)));
  printf("posix_fallocate len 0: %s\n", errname(posix_fallocate(file, 0, 0)));
  printf("posix_fallocate offset -1: %s\n", errname(posix_fallocate(file, -1, 1)));
  check("close file", close(file));
  check("close file again", close(file));
  return 0;
}
