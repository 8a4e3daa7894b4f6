// Sandboxed path resolution. A guest path is resolved relative to a
// directory descriptor, one component at a time, without ever letting the
// kernel follow a symlink or "..": every intermediate directory is opened
// with O_NOFOLLOW, ".." pops the stack of directories opened so far (and
// fails at the starting directory), symlinks are read and expanded here, and
// absolute paths or absolute symlink targets are refused. So no path can
// name anything outside the starting directory's tree.
#pragma once

#include <string>
#include <string_view>

#include "wasi/abi.h"
#include "wasi/context.h"

namespace weft::wasi {

struct ResolvedPath {
  HostFd owned;      // the parent directory, when resolution opened one
  int dir = -1;      // the parent directory: owned, or the starting one
  std::string name;  // final component: no '/', never "..", "." for `dir` itself
  int dir_fd() const { return dir; }
  const char* c_name() const { return name.c_str(); }
};

// Resolves `path` beneath directory `base`. With `follow_final`, a symlink
// in the final position is expanded too; otherwise the final component is
// returned as is (the caller operates on the link). A trailing '/' requires a
// directory (and follows a final symlink). Errors: noent (empty path),
// notcapable (absolute path, escape through "..", absolute symlink),
// loop (too many symlinks), notdir, and host errors.
Errno resolve_path(int base, std::string_view path, bool follow_final, ResolvedPath* out);

}  // namespace weft::wasi
