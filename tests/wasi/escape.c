/* Escape attempts: nothing outside the preopened directory can be read,
 * written, created, renamed or removed, whether through "..", absolute
 * paths or symlinks; descriptor rights are enforced. Natively most of these
 * would succeed, so the output is compared with escape.expected instead.
 * The run script puts secret.txt next to the sandbox directory.
 * SETUP: ln -s /etc abs_link && ln -s .. up_link && mkdir inner && ln -s ../../secret.txt inner/deep_link
 * EXPECT: escape.expected
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi/api.h>
#endif

#include "common.h"

static void try_read(const char* path) {
  errno = 0;
  int fd = open(path, O_RDONLY);
  if (fd >= 0) {
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("read %s: ESCAPED (%s)\n", path, buf);
    close(fd);
    return;
  }
  printf("read %s: %s\n", path, errname(errno));
}

int main(void) {
  struct stat st;
  try_read("../secret.txt");
  try_read("inner/../../secret.txt");
  try_read("./../secret.txt");
  try_read("up_link/secret.txt");
  try_read("inner/deep_link");
  try_read("abs_link/passwd");
  check("stat ../secret.txt", stat("../secret.txt", &st));
  check("stat up_link (follows)", stat("up_link", &st));
  check("lstat up_link (the link itself)", lstat("up_link", &st));
  check("stat abs_link", stat("abs_link", &st));
  printf("opendir ..: %s\n", opendir("..") ? "ESCAPED" : errname(errno));
  printf("opendir up_link: %s\n", opendir("up_link") ? "ESCAPED" : errname(errno));

  /* Writes, creation, renames and removal outside. */
  check("open ../created.txt O_CREAT", open("../created.txt", O_CREAT | O_WRONLY, 0644));
  check("open up_link/created.txt O_CREAT", open("up_link/created.txt", O_CREAT | O_WRONLY, 0644));
  check("open ../secret.txt O_WRONLY|O_TRUNC", open("../secret.txt", O_WRONLY | O_TRUNC));
  check("mkdir ../newdir", mkdir("../newdir", 0755));
  check("mkdir up_link/newdir", mkdir("up_link/newdir", 0755));
  check("unlink ../secret.txt", unlink("../secret.txt"));
  check("unlink up_link/secret.txt", unlink("up_link/secret.txt"));
  check("rename ../secret.txt stolen.txt", rename("../secret.txt", "stolen.txt"));
  FILE* f = fopen("mine.txt", "w");
  fputs("mine\n", f);
  fclose(f);
  check("rename mine.txt ../mine.txt", rename("mine.txt", "../mine.txt"));
  check("rename mine.txt up_link/mine.txt", rename("mine.txt", "up_link/mine.txt"));
  check("link ../secret.txt hard.txt", link("../secret.txt", "hard.txt"));
  check("link mine.txt ../hard.txt", link("mine.txt", "../hard.txt"));
  check("symlink /etc/passwd abs2 (absolute target)", symlink("/etc/passwd", "abs2"));
  check("symlink ../secret.txt rel_out (relative target)", symlink("../secret.txt", "rel_out"));
  try_read("rel_out");
  check("rmdir ..", rmdir(".."));
  check("truncate ../secret.txt", truncate("../secret.txt", 0));

#ifdef __wasi__
  /* The WASI calls themselves: absolute paths are refused, whatever libc
   * does with them (it maps "/x" into the preopen by name). */
  __wasi_fd_t fd = 0;
  __wasi_rights_t rights = __WASI_RIGHTS_FD_READ;
  printf("path_open(3, \"/etc/passwd\"): %s\n",
         __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "/etc/passwd", 0, rights, rights, 0, &fd) ==
                 __WASI_ERRNO_NOTCAPABLE
             ? "ENOTCAPABLE"
             : "other");
  printf("path_open(3, \"..\"): %s\n",
         __wasi_path_open(3, 0, "..", __WASI_OFLAGS_DIRECTORY, rights, rights, 0, &fd) == __WASI_ERRNO_NOTCAPABLE
             ? "ENOTCAPABLE"
             : "other");
  /* Rights: a read-only descriptor cannot write, seek-less rights cannot seek. */
  int ro = open("mine.txt", O_RDONLY);
  check("write to a read-only descriptor", (int)write(ro, "x", 1));
  __wasi_fdstat_t stat_buf;
  __wasi_fd_fdstat_get((__wasi_fd_t)ro, &stat_buf);
  printf("read-only descriptor has fd_write right: %s\n",
         (stat_buf.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no");
  __wasi_fd_fdstat_set_rights((__wasi_fd_t)ro, __WASI_RIGHTS_FD_READ, 0);
  check("lseek without the fd_seek right", (int)lseek(ro, 1, SEEK_SET));
  printf("regaining a dropped right: %s\n",
         __wasi_fd_fdstat_set_rights((__wasi_fd_t)ro, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0) ==
                 __WASI_ERRNO_NOTCAPABLE
             ? "ENOTCAPABLE"
             : "other");
  close(ro);
#endif

  /* What is in the sandbox now. */
  DIR* d = opendir(".");
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 64)
    if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
  closedir(d);
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j)
      if (strcmp(names[j], names[i]) < 0) {
        char* t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  printf("sandbox:");
  for (int i = 0; i < n; ++i) printf(" %s", names[i]);
  printf("\n");
  return 0;
}
