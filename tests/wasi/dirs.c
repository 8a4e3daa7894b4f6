/* Directories: create, nest, list (sorted), stat, rename, remove. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

/* Prints a directory tree, entries sorted, with sizes of files. */
static void tree(const char* path, int depth) {
  DIR* d = opendir(path);
  if (!d) {
    printf("%*sopendir %s: %s\n", depth * 2, "", path, errname(errno));
    return;
  }
  char* names[128];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 128) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, compare);
  for (int i = 0; i < n; ++i) {
    char child[512];
    snprintf(child, sizeof child, "%s/%s", path, names[i]);
    struct stat st;
    if (lstat(child, &st) != 0) {
      printf("%*s%s: %s\n", depth * 2, "", names[i], errname(errno));
    } else if (S_ISDIR(st.st_mode)) {
      printf("%*s%s/\n", depth * 2, "", names[i]);
      tree(child, depth + 1);
    } else {
      printf("%*s%s (%lld bytes)\n", depth * 2, "", names[i], (long long)st.st_size);
    }
    free(names[i]);
  }
}

static void make_file(const char* path, int size) {
  FILE* f = fopen(path, "w");
  if (!f) {
    printf("fopen %s: %s\n", path, errname(errno));
    return;
  }
  for (int i = 0; i < size; ++i) fputc('a' + i % 26, f);
  fclose(f);
}

int main(void) {
  check("mkdir top", mkdir("top", 0755));
  check("mkdir top/a", mkdir("top/a", 0755));
  check("mkdir top/a/deep", mkdir("top/a/deep", 0755));
  check("mkdir top/b", mkdir("top/b", 0755));
  check("mkdir top/a (exists)", mkdir("top/a", 0755));
  make_file("top/readme.txt", 12);
  make_file("top/a/one.txt", 100);
  make_file("top/a/deep/two.txt", 2000);
  make_file("top/b/three.txt", 3);
  for (int i = 0; i < 40; ++i) {
    char name[64];
    snprintf(name, sizeof name, "top/b/file-with-a-long-name-%02d.dat", i);
    make_file(name, i);
  }
  printf("tree:\n");
  tree("top", 1);

  struct stat st;
  check("stat top/a", stat("top/a", &st));
  printf("top/a is a directory: %d\n", S_ISDIR(st.st_mode));

  /* Listing through a descriptor, and rewinding. */
  DIR* d = opendir("top/a");
  int first = 0, second = 0;
  while (readdir(d)) ++first;
  rewinddir(d);
  while (readdir(d)) ++second;
  closedir(d);
  printf("top/a entries: %d, after rewind: %d\n", first, second);

  /* Relative paths with . and .. inside the tree. */
  check("stat top/a/../b/./three.txt", stat("top/a/../b/./three.txt", &st));
  printf("size: %lld\n", (long long)st.st_size);

  check("rename top/a top/renamed", rename("top/a", "top/renamed"));
  check("rmdir top/renamed (not empty)", rmdir("top/renamed"));
  check("unlink top/renamed/deep/two.txt", unlink("top/renamed/deep/two.txt"));
  check("rmdir top/renamed/deep", rmdir("top/renamed/deep"));
  check("rmdir top/renamed/deep again", rmdir("top/renamed/deep"));
  printf("tree:\n");
  tree("top", 1);

  /* Remove everything below top/b. */
  d = opendir("top/b");
  struct dirent* e;
  int removed = 0;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[256];
    snprintf(path, sizeof path, "top/b/%s", e->d_name);
    if (unlink(path) == 0) ++removed;
  }
  closedir(d);
  printf("removed %d files from top/b\n", removed);
  check("rmdir top/b", rmdir("top/b"));
  printf("tree:\n");
  tree("top", 1);
  return 0;
}
