/* Path calls at their edges: O_EXCL on anything existing, "." and "..",
 * removing what cannot be removed, renames onto and into directories, hard
 * links to directories, readlink into short buffers. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void make(const char* path, const char* text) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

static void kind(const char* path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    printf("  %s: %s\n", path, errname(errno));
    return;
  }
  printf("  %s: %s\n", path, S_ISDIR(st.st_mode) ? "directory" : S_ISLNK(st.st_mode) ? "symlink" : "file");
}

int main(void) {
  struct stat st;
  char buf[64];
  make("file", "file contents");
  make("other", "other contents");
  mkdir("dir", 0755);
  mkdir("dir/sub", 0755);
  mkdir("empty", 0755);
  mkdir("full", 0755);
  make("full/x", "x");
  symlink("nowhere", "dangling");
  symlink("file", "file_link");
  /* (Empty paths are in wasi_calls_test.cc: wasi-libc turns "" into ".".) */

  /* O_CREAT | O_EXCL fails on anything already there and follows nothing. */
  check("open file O_CREAT|O_EXCL", open("file", O_CREAT | O_EXCL | O_WRONLY, 0644));
  check("open dir O_CREAT|O_EXCL", open("dir", O_CREAT | O_EXCL | O_WRONLY, 0644));
  check("open dangling O_CREAT|O_EXCL", open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
  kind("nowhere");
  check("open file_link O_CREAT|O_EXCL", open("file_link", O_CREAT | O_EXCL | O_WRONLY, 0644));
  check("open file_link O_NOFOLLOW", open("file_link", O_RDONLY | O_NOFOLLOW));
  int fd = check("open dir/sub/.. O_RDONLY", open("dir/sub/..", O_RDONLY));
  close(fd);

  /* Removing. */
  check("rmdir full (not empty)", rmdir("full"));
  check("rmdir file", rmdir("file"));
  check("rmdir file_link", rmdir("file_link"));
  check("rmdir .", rmdir("."));
  check("rmdir dir/.", rmdir("dir/."));
  check("rmdir dir/sub/..", rmdir("dir/sub/.."));
  check("unlink dir", unlink("dir"));
  check("unlink dir/sub/..", unlink("dir/sub/.."));
  check("unlink dangling", unlink("dangling"));
  kind("dangling");
  check("unlink missing/file", unlink("missing/file"));
  check("unlink file/x", unlink("file/x"));

  /* Renaming. */
  check("rename file dir (onto a directory)", rename("file", "dir"));
  check("rename dir file (onto a file)", rename("dir", "file"));
  check("rename empty full (onto non-empty)", rename("empty", "full"));
  check("rename dir dir/sub/inside (into itself)", rename("dir", "dir/sub/inside"));
  check("rename dir dir (itself)", rename("dir", "dir"));
  check("rename file file (itself)", rename("file", "file"));
  check("rename other file (replaces)", rename("other", "file"));
  kind("other");
  check("rename empty dir/sub (onto empty directory)", rename("empty", "dir/sub"));
  kind("empty");
  kind("dir/sub");
  check("rename missing x", rename("missing", "x"));
  check("rename file missing/x", rename("file", "missing/x"));
  check("rename file_link moved_link", rename("file_link", "moved_link"));
  kind("moved_link");
  check("rename . x", rename(".", "x"));
  check("rename dir/sub/.. x", rename("dir/sub/..", "x"));

  /* Hard links. */
  check("link dir dir_hard", link("dir", "dir_hard"));
  check("link missing x", link("missing", "x"));
  check("link file moved_link (exists)", link("file", "moved_link"));
  check("link file missing/x", link("file", "missing/x"));
  check("link moved_link hard_to_link", link("moved_link", "hard_to_link"));
  kind("hard_to_link");

  /* readlink: a short buffer truncates, as POSIX readlink does. */
  symlink("a/rather/long/target/name", "long_link");
  memset(buf, '.', sizeof buf);
  int n = (int)readlink("long_link", buf, 6);
  printf("readlink long_link into 6 bytes: %d \"%.8s\"\n", n, buf);
  n = (int)readlink("long_link", buf, sizeof buf);
  printf("readlink long_link: %d \"%.*s\"\n", n, n > 0 ? n : 0, buf);
  check("readlink file (not a link)", (int)readlink("file", buf, sizeof buf));
  check("readlink missing", (int)readlink("missing", buf, sizeof buf));
  check("readlink dir", (int)readlink("dir", buf, sizeof buf));

  /* symlink: names that exist, and the empty target. */
  check("symlink x file (exists)", symlink("x", "file"));
  check("symlink x dir (exists)", symlink("x", "dir"));
  check("symlink \"\" empty_target", symlink("", "empty_target"));
  check("symlink x missing/y", symlink("x", "missing/y"));

  /* mkdir */
  check("mkdir file", mkdir("file", 0755));
  check("mkdir moved_link", mkdir("moved_link", 0755));
  check("mkdir .", mkdir(".", 0755));
  check("mkdir missing/sub", mkdir("missing/sub", 0755));
  return 0;
}
