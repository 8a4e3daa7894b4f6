#include "wasi/path.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace weft::wasi {

namespace {

constexpr int kMaxSymlinks = 32;

// Pushes the components of `path` onto `pending` so that the first
// component is popped first (pending is used as a stack).
void push_components(std::string_view path, std::vector<std::string>* pending) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) pending->push_back(std::move(*it));
}

// Reads the symlink `name` in `dir`: 0 with the target, EINVAL if it is not
// a symlink, or another errno.
int read_link(int dir, const std::string& name, std::string* target) {
  char buf[PATH_MAX];
  ssize_t n = ::readlinkat(dir, name.c_str(), buf, sizeof buf);
  if (n < 0) return errno;
  if (size_t(n) >= sizeof buf) return ENAMETOOLONG;
  target->assign(buf, size_t(n));
  return 0;
}

}  // namespace

Errno resolve_path(int base, std::string_view path, FinalLink final_link, ResolvedPath* out) {
  if (path.empty()) return err::noent;
  if (path.find('\0') != std::string_view::npos) return err::inval;
  if (path.front() == '/') return err::notcapable;

  std::vector<HostFd> opened;  // directories entered beneath `base`
  auto top = [&] { return opened.empty() ? base : opened.back().get(); };
  std::vector<std::string> pending;
  push_components(path, &pending);
  const bool trailing_slash = path.back() == '/';
  bool must_be_dir = trailing_slash && final_link != FinalLink::entry;
  const bool follow_final = final_link == FinalLink::follow || must_be_dir;
  int symlinks = 0;
  std::string final_name = ".";
  bool final_dotdot = false;

  while (!pending.empty()) {
    std::string c = std::move(pending.back());
    pending.pop_back();
    const bool last = pending.empty();
    if (c == ".") continue;
    if (c == "..") {
      if (opened.empty()) return err::notcapable;
      opened.pop_back();
      final_dotdot = last;
      continue;
    }
    if (last && !follow_final) {
      final_name = std::move(c);
      break;
    }
    int open_errno = 0;
    if (!last) {
      int fd = ::openat(top(), c.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) {
        opened.emplace_back(fd);
        continue;
      }
      open_errno = errno;
      // ENOTDIR or ELOOP: a file, or a symlink we expand ourselves.
      if (open_errno != ENOTDIR && open_errno != ELOOP) return errno_from_host(open_errno);
    }
    std::string target;
    int e = read_link(top(), c, &target);
    if (e == EINVAL || (last && e == ENOENT)) {
      // Not a symlink (or, finally, nothing yet: it may be created).
      if (!last) return errno_from_host(open_errno);
      final_name = std::move(c);
      break;
    }
    if (e != 0) return errno_from_host(e);
    if (++symlinks > kMaxSymlinks) return err::loop;
    if (target.empty()) return err::noent;
    if (target.front() == '/') return err::notcapable;
    if (last && target.back() == '/') must_be_dir = true;
    push_components(target, &pending);
  }

  if (must_be_dir && final_name != ".") {
    struct stat st;
    if (::fstatat(top(), final_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
      return err::notdir;
  }
  out->name = std::move(final_name);
  out->trailing_slash = trailing_slash;
  out->dotdot = final_dotdot;
  if (opened.empty()) {
    out->owned.reset();
    out->dir = base;
  } else {
    out->owned = std::move(opened.back());
    out->dir = out->owned.get();
  }
  return err::success;
}

}  // namespace weft::wasi
