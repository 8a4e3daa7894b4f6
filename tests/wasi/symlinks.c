/* Symlinks and hard links inside the preopened directory: creating, reading,
 * following (or not), dangling links, link counts, utimes. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "common.h"

static void show_readlink(const char* path) {
  char buf[256];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n < 0) {
    printf("readlink %s: %s\n", path, errname(errno));
    return;
  }
  buf[n] = 0;
  printf("readlink %s: %s\n", path, buf);
}

static const char* kind(mode_t m) {
  return S_ISLNK(m) ? "symlink" : S_ISDIR(m) ? "directory" : S_ISREG(m) ? "file" : "other";
}

static void show_stats(const char* path) {
  struct stat st, lst;
  int a = stat(path, &st);
  int ea = errno;
  int b = lstat(path, &lst);
  printf("%s: stat %s, lstat %s\n", path, a == 0 ? kind(st.st_mode) : errname(ea),
         b == 0 ? kind(lst.st_mode) : errname(errno));
}

static void cat(const char* path) {
  char buf[128];
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("cat %s: %s\n", path, errname(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  buf[n < 0 ? 0 : n] = 0;
  close(fd);
  printf("cat %s: %s", path, buf);
}

int main(void) {
  mkdir("dir", 0755);
  mkdir("dir/sub", 0755);
  FILE* f = fopen("dir/sub/target.txt", "w");
  fputs("the target\n", f);
  fclose(f);

  check("symlink dir/sub/target.txt -> file_link", symlink("dir/sub/target.txt", "file_link"));
  check("symlink dir/sub -> dir_link", symlink("dir/sub", "dir_link"));
  check("symlink ../sub/target.txt -> dir/sub/rel_link", symlink("target.txt", "dir/sub/rel_link"));
  check("symlink ../.. chain", symlink("../dir_link/target.txt", "dir/up_link"));
  check("symlink nowhere -> dangling", symlink("nowhere", "dangling"));
  check("symlink again (exists)", symlink("x", "dangling"));

  show_readlink("file_link");
  show_readlink("dir_link");
  show_readlink("dir/up_link");
  show_readlink("dir/sub/target.txt");
  show_readlink("missing");

  show_stats("file_link");
  show_stats("dir_link");
  show_stats("dangling");
  show_stats("dir/up_link");

  cat("file_link");
  cat("dir_link/target.txt");
  cat("dir_link/rel_link");
  cat("dir/up_link");
  cat("dangling");
  check("open file_link O_NOFOLLOW", open("file_link", O_RDONLY | O_NOFOLLOW));

  /* Creating through a dangling link creates its target. */
  int fd = check("open dangling O_CREAT", open("dangling", O_CREAT | O_WRONLY, 0644));
  write(fd, "created through a link\n", 23);
  close(fd);
  cat("nowhere");

  /* Hard links share the inode and count. */
  check("link dir/sub/target.txt hard.txt", link("dir/sub/target.txt", "hard.txt"));
  struct stat a, b;
  stat("hard.txt", &a);
  stat("dir/sub/target.txt", &b);
  printf("same inode: %d, nlink: %d\n", a.st_ino == b.st_ino, (int)a.st_nlink);
  check("unlink hard.txt", unlink("hard.txt"));
  stat("dir/sub/target.txt", &b);
  printf("nlink after unlink: %d\n", (int)b.st_nlink);

  /* Timestamps. */
  struct timeval times[2] = {{1000000000, 0}, {1200000000, 500000}};
  check("utimes", utimes("dir/sub/target.txt", times));
  stat("file_link", &a);
  printf("atime %lld, mtime %lld.%06ld\n", (long long)a.st_atime, (long long)a.st_mtime,
         (long)(a.st_mtim.tv_nsec / 1000));

  /* Removing a link leaves its target. */
  check("unlink file_link", unlink("file_link"));
  check("unlink dir_link", unlink("dir_link"));
  cat("dir/sub/target.txt");
  check("rename dangling -> renamed_link", rename("dangling", "renamed_link"));
  show_readlink("renamed_link");
  return 0;
}
