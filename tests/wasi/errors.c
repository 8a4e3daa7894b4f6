/* Error codes: each failing call reports the same errno as natively. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int main(void) {
  char buf[16];
  struct stat st;
  /* ENOENT */
  check("open missing.txt", open("missing.txt", O_RDONLY));
  check("open missing/dir/file", open("missing/dir/file", O_RDONLY));
  check("stat missing.txt", stat("missing.txt", &st));
  check("unlink missing.txt", unlink("missing.txt"));
  check("rmdir missing", rmdir("missing"));
  check("rename missing.txt x", rename("missing.txt", "x"));
  printf("fopen missing.txt: %s\n", fopen("missing.txt", "r") ? "opened" : errname(errno));
  printf("opendir missing: %s\n", opendir("missing") ? "opened" : errname(errno));

  /* EBADF */
  check("close 57", close(57));
  check("read 57", (int)read(57, buf, sizeof buf));
  check("write 57", (int)write(57, "x", 1));
  check("fstat 57", fstat(57, &st));
  check("lseek 57", (int)lseek(57, 0, SEEK_SET));
  int fd = open("file.txt", O_CREAT | O_WRONLY, 0644);
  close(fd);
  check("write after close", (int)write(fd, "x", 1));
  check("close after close", close(fd));

  /* EEXIST */
  check("open O_CREAT|O_EXCL existing", open("file.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
  check("mkdir dir", mkdir("dir", 0755));
  check("mkdir dir again", mkdir("dir", 0755));
  check("mkdir file.txt", mkdir("file.txt", 0755));
  check("link file.txt dir", link("file.txt", "dir"));

  /* ENOTDIR */
  check("open file.txt/x", open("file.txt/x", O_RDONLY));
  check("stat file.txt/x", stat("file.txt/x", &st));
  check("mkdir file.txt/sub", mkdir("file.txt/sub", 0755));
  check("open file.txt O_DIRECTORY", open("file.txt", O_RDONLY | O_DIRECTORY));
  printf("opendir file.txt: %s\n", opendir("file.txt") ? "opened" : errname(errno));
  check("rmdir file.txt", rmdir("file.txt"));
  check("rename dir file.txt", rename("dir", "file.txt"));

  /* EISDIR and ENOTEMPTY */
  check("open dir O_WRONLY", open("dir", O_WRONLY));
  check("unlink dir", unlink("dir"));
  check("rename file.txt dir", rename("file.txt", "dir"));
  fd = open("dir/inner.txt", O_CREAT | O_WRONLY, 0644);
  close(fd);
  check("rmdir dir (not empty)", rmdir("dir"));

  /* ESPIPE, EINVAL */
  fd = open("file.txt", O_RDONLY);
  check("lseek whence 99", (int)lseek(fd, 0, 99));
  check("lseek before start", (int)lseek(fd, -5, SEEK_SET));
  close(fd);
  return 0;
}
