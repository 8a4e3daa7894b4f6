// path_*: file system calls on paths beneath a directory descriptor. Every
// path goes through resolve_path (wasi/path.h); the final operation uses the
// *at() call with the resolved parent and a single name, never following a
// symlink itself.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/calls.h"
#include "wasi/path.h"

namespace weft::wasi {

namespace {

// Reads the guest path (ptr, len) and resolves it beneath the directory
// `fd`, which must hold `rights`.
Errno resolve_guest_path(WasiContext& ctx, GuestMemory& mem, uint32_t fd, uint64_t rights, uint32_t path_ptr,
                         uint32_t path_len, bool follow, ResolvedPath* out) {
  Errno e = err::success;
  FdEntry* dir = ctx.impl().lookup(fd, rights, &e);
  if (!dir) return e;
  if (dir->type != filetype::directory) return err::notdir;
  std::string_view path;
  if (!mem.string(path_ptr, path_len, &path)) return err::fault;
  return resolve_path(dir->host.get(), path, follow, out);
}

Errno host_result(int rc) { return rc == 0 ? Errno(err::success) : errno_from_host(errno); }

}  // namespace

Result<Errno> call_path_create_directory(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_create_directory, arg32(a, 1), arg32(a, 2),
                               false, &p);
  if (e) return e;
  return host_result(::mkdirat(p.dir, p.c_name(), 0777));
}

Result<Errno> call_path_filestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t flags = arg32(a, 1), buf = arg32(a, 4);
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_filestat_get, arg32(a, 2), arg32(a, 3),
                               flags & kLookupSymlinkFollow, &p);
  if (e) return e;
  if (!mem.ok(buf, kFilestatSize)) return err::fault;
  struct stat st;
  if (::fstatat(p.dir, p.c_name(), &st, AT_SYMLINK_NOFOLLOW) != 0) return errno_from_host(errno);
  write_filestat(mem, buf, st);
  return err::success;
}

Result<Errno> call_path_filestat_set_times(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t flags = arg32(a, 1);
  struct timespec ts[2];
  if (!make_timespecs(arg64(a, 4), arg64(a, 5), uint16_t(arg32(a, 6)), ts)) return err::inval;
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_filestat_set_times, arg32(a, 2), arg32(a, 3),
                               flags & kLookupSymlinkFollow, &p);
  if (e) return e;
  return host_result(::utimensat(p.dir, p.c_name(), ts, AT_SYMLINK_NOFOLLOW));
}

Result<Errno> call_path_link(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath from, to;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_link_source, arg32(a, 2), arg32(a, 3),
                               arg32(a, 1) & kLookupSymlinkFollow, &from);
  if (e) return e;
  e = resolve_guest_path(ctx, mem, arg32(a, 4), right::path_link_target, arg32(a, 5), arg32(a, 6), false, &to);
  if (e) return e;
  return host_result(::linkat(from.dir, from.c_name(), to.dir, to.c_name(), 0));
}

Result<Errno> call_path_open(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t dirfd = arg32(a, 0), lookup = arg32(a, 1);
  const uint16_t oflags = uint16_t(arg32(a, 4));
  // Bits beyond the defined rights mean nothing; drop them.
  const uint64_t want_base = arg64(a, 5) & right::all;
  const uint64_t want_inheriting = arg64(a, 6) & right::all;
  const uint16_t fdflags = uint16_t(arg32(a, 7));
  const uint32_t result_ptr = arg32(a, 8);

  uint64_t needed = right::path_open;
  if (oflags & oflag::creat) needed |= right::path_create_file;
  if (oflags & oflag::trunc) needed |= right::path_filestat_set_size;
  Errno e = err::success;
  FdEntry* parent = ctx.impl().lookup(dirfd, needed, &e);
  if (!parent) return e;
  if ((want_base & ~parent->rights_inheriting) || (want_inheriting & ~parent->rights_inheriting))
    return err::notcapable;
  if (!mem.ok(result_ptr, 4)) return err::fault;

  ResolvedPath p;
  e = resolve_guest_path(ctx, mem, dirfd, needed, arg32(a, 2), arg32(a, 3), lookup & kLookupSymlinkFollow, &p);
  if (e) return e;

  int flags = O_CLOEXEC | O_NOFOLLOW;
  if (oflags & oflag::creat) flags |= O_CREAT;
  if (oflags & oflag::excl) flags |= O_EXCL;
  if (oflags & oflag::trunc) flags |= O_TRUNC;
  const bool read = want_base & (right::fd_read | right::fd_readdir);
  const bool write = (want_base & (right::fd_write | right::fd_datasync | right::fd_allocate |
                                   right::fd_filestat_set_size)) ||
                     (fdflags & fdflag::append);
  if (oflags & oflag::directory) {
    flags |= O_RDONLY | O_DIRECTORY;
  } else if (write) {
    flags |= read ? O_RDWR : O_WRONLY;
  } else {
    flags |= O_RDONLY;
  }
  if (fdflags & fdflag::append) flags |= O_APPEND;
  if (fdflags & fdflag::dsync) flags |= O_DSYNC;
  if (fdflags & fdflag::nonblock) flags |= O_NONBLOCK;
  if (fdflags & fdflag::rsync) flags |= O_RSYNC;
  if (fdflags & fdflag::sync) flags |= O_SYNC;

  int fd = ::openat(p.dir, p.c_name(), flags, 0666);
  if (fd < 0) return errno_from_host(errno);
  HostFd host(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return errno_from_host(errno);
  auto entry = std::make_unique<FdEntry>();
  entry->host = std::move(host);
  entry->type = filetype_from_mode(st.st_mode);
  entry->rights_base = want_base & rights_for_type(entry->type);
  entry->rights_inheriting = want_inheriting & parent->rights_inheriting;
  auto guest_fd = ctx.impl().insert(std::move(entry));
  if (!guest_fd) return err::nfile;
  mem.store<uint32_t>(result_ptr, *guest_fd);
  return err::success;
}

Result<Errno> call_path_readlink(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t buf = arg32(a, 3), buf_len = arg32(a, 4), result_ptr = arg32(a, 5);
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_readlink, arg32(a, 1), arg32(a, 2), false, &p);
  if (e) return e;
  if (!mem.ok(buf, buf_len) || !mem.ok(result_ptr, 4)) return err::fault;
  char target[4096];
  ssize_t n = ::readlinkat(p.dir, p.c_name(), target, sizeof target);
  if (n < 0) return errno_from_host(errno);
  // Like readlink(2): a short buffer truncates.
  uint32_t copied = uint32_t(std::min<ssize_t>(n, ssize_t(buf_len)));
  std::memcpy(mem.at(buf), target, copied);
  mem.store<uint32_t>(result_ptr, copied);
  return err::success;
}

Result<Errno> call_path_remove_directory(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_remove_directory, arg32(a, 1), arg32(a, 2),
                               false, &p);
  if (e) return e;
  return host_result(::unlinkat(p.dir, p.c_name(), AT_REMOVEDIR));
}

Result<Errno> call_path_rename(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath from, to;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_rename_source, arg32(a, 1), arg32(a, 2), false,
                               &from);
  if (e) return e;
  e = resolve_guest_path(ctx, mem, arg32(a, 3), right::path_rename_target, arg32(a, 4), arg32(a, 5), false, &to);
  if (e) return e;
  return host_result(::renameat(from.dir, from.c_name(), to.dir, to.c_name()));
}

Result<Errno> call_path_symlink(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  std::string_view target;
  if (!mem.string(arg32(a, 0), arg32(a, 1), &target)) return err::fault;
  if (target.find('\0') != std::string_view::npos) return err::inval;
  // An absolute target could never be followed inside the sandbox.
  if (!target.empty() && target.front() == '/') return err::perm;
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 2), right::path_symlink, arg32(a, 3), arg32(a, 4), false, &p);
  if (e) return e;
  return host_result(::symlinkat(std::string(target).c_str(), p.dir, p.c_name()));
}

Result<Errno> call_path_unlink_file(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_unlink_file, arg32(a, 1), arg32(a, 2), false, &p);
  if (e) return e;
  return host_result(::unlinkat(p.dir, p.c_name(), 0));
}

}  // namespace weft::wasi
