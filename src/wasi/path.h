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

// What resolve_path does with the final component when it is a symlink.
enum class FinalLink {
  keep,    // the call acts on the link itself; a trailing '/' still expands it
  follow,  // expanded (LOOKUPFLAGS_SYMLINK_FOLLOW)
  // The call creates, removes or renames this entry: never expanded, not
  // even with a trailing '/', which is only reported (as Linux does for
  // mkdir, unlink, rmdir, rename and the new path of link and symlink).
  entry,
};

struct ResolvedPath {
  HostFd owned;      // the parent directory, when resolution opened one
  int dir = -1;      // the parent directory: owned, or the starting one
  std::string name;  // final component: no '/', never "..", "." for `dir` itself
  bool trailing_slash = false;  // the guest path ended in '/'
  bool dotdot = false;          // the last component was ".." (name is ".")
  int dir_fd() const { return dir; }
  const char* c_name() const { return name.c_str(); }
};

// Resolves `path` beneath directory `base`; `final_link` says whether a
// symlink in the final position is expanded. Except for FinalLink::entry, a
// trailing '/' requires a directory (notdir otherwise) and expands a final
// symlink. Errors: noent (empty path), notcapable (absolute path, escape
// through "..", absolute symlink), loop (too many symlinks), notdir, and host
// errors.
Errno resolve_path(int base, std::string_view path, FinalLink final_link, ResolvedPath* out);

}  // namespace weft::wasi
