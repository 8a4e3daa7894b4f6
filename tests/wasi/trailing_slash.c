/* Trailing slashes: a path ending in '/' names a directory (or a symlink to
 * one), so every call that would create or use a non-directory there fails
 * the way Linux fails it, and calls on directories accept it. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void make(const char* path) { close(open(path, O_CREAT | O_WRONLY, 0644)); }

static void exists(const char* path) {
  struct stat st;
  printf("  lstat %s: %s\n", path, lstat(path, &st) == 0 ? (S_ISDIR(st.st_mode) ? "directory" : S_ISLNK(st.st_mode) ? "symlink" : "file") : errname(errno));
}

int main(void) {
  make("file");
  mkdir("dir", 0755);
  symlink("dir", "dir_link");
  symlink("file", "file_link");
  symlink("nowhere", "dangling");

  /* The new path of link(): a missing name, a file, a directory. */
  check("link file new_link/", link("file", "new_link/"));
  exists("new_link");
  check("link file file/", link("file", "file/"));
  check("link file dir/", link("file", "dir/"));
  check("link file/ new_link", link("file/", "new_link"));
  check("link dir/ new_link", link("dir/", "new_link"));
  exists("new_link");

  /* The new path of symlink(). */
  check("symlink file new_sym/", symlink("file", "new_sym/"));
  exists("new_sym");
  check("symlink dir new_sym/", symlink("dir", "new_sym/"));
  exists("new_sym");
  check("symlink file file/", symlink("file", "file/"));
  check("symlink file dir/", symlink("file", "dir/"));
  check("symlink x dangling/", symlink("x", "dangling/"));

  /* open() */
  check("open new_file/ O_CREAT", open("new_file/", O_CREAT | O_WRONLY, 0644));
  exists("new_file");
  check("open file/ O_RDONLY", open("file/", O_RDONLY));
  check("open file_link/ O_RDONLY", open("file_link/", O_RDONLY));
  check("open file/ O_CREAT", open("file/", O_CREAT | O_WRONLY, 0644));
  check("open dangling/ O_CREAT", open("dangling/", O_CREAT | O_WRONLY, 0644));
  exists("nowhere");
  int fd = check("open dir/ O_RDONLY", open("dir/", O_RDONLY));
  close(fd);
  fd = check("open dir_link/ O_RDONLY", open("dir_link/", O_RDONLY));
  close(fd);
  check("open dir/ O_WRONLY", open("dir/", O_WRONLY));

  /* stat() and readlink() */
  struct stat st;
  check("stat file/", stat("file/", &st));
  check("lstat file_link/", lstat("file_link/", &st));
  check("lstat dir_link/", lstat("dir_link/", &st));
  printf("  lstat dir_link/ is a directory: %d\n", S_ISDIR(st.st_mode));
  check("stat missing/", stat("missing/", &st));
  char buf[64];
  check("readlink dir_link/", (int)readlink("dir_link/", buf, sizeof buf));
  check("readlink file_link/", (int)readlink("file_link/", buf, sizeof buf));

  /* unlink(), rmdir(), mkdir() */
  check("unlink file/", unlink("file/"));
  check("unlink file_link/", unlink("file_link/"));
  check("unlink dir/", unlink("dir/"));
  check("unlink dir_link/", unlink("dir_link/"));
  check("unlink missing/", unlink("missing/"));
  check("rmdir file/", rmdir("file/"));
  check("rmdir dir_link/", rmdir("dir_link/"));
  exists("dir");
  exists("dir_link");
  check("mkdir new_dir/", mkdir("new_dir/", 0755));
  exists("new_dir");
  check("mkdir file/", mkdir("file/", 0755));
  check("mkdir dangling/", mkdir("dangling/", 0755));
  check("rmdir new_dir/", rmdir("new_dir/"));
  exists("new_dir");

  /* rename() */
  check("rename file renamed/", rename("file", "renamed/"));
  exists("renamed");
  check("rename file/ renamed", rename("file/", "renamed"));
  check("rename file_link/ renamed", rename("file_link/", "renamed"));
  check("rename dir_link/ renamed", rename("dir_link/", "renamed"));
  exists("renamed");
  check("rename dir moved/", rename("dir", "moved/"));
  exists("moved");
  check("rename moved/ dir/", rename("moved/", "dir/"));
  exists("dir");
  check("rename dir file/", rename("dir", "file/"));
  exists("file");
  exists("dir");
  return 0;
}
