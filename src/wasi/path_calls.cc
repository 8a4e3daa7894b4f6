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
                         uint32_t path_len, FinalLink final_link, ResolvedPath* out) {
  Errno e = err::success;
  FdEntry* dir = ctx.impl().lookup(fd, rights, &e, require_directory);
  if (!dir) return e;
  std::string_view path;
  if (!mem.string(path_ptr, path_len, &path)) return err::fault;
  return resolve_path(dir->host.get(), path, final_link, out);
}

FinalLink final_link_of(uint32_t lookupflags) {
  return (lookupflags & kLookupSymlinkFollow) ? FinalLink::follow : FinalLink::keep;
}

Errno host_result(int rc) { return rc == 0 ? Errno(err::success) : errno_from_host(errno); }

// lstat of a resolved entry: 0, or the host errno.
int entry_stat(const ResolvedPath& p, struct stat* st) {
  return ::fstatat(p.dir, p.c_name(), st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
}

// A new name ending in '/' (link, symlink) cannot be created: Linux says
// EEXIST if something is there and ENOENT otherwise.
Errno new_name_with_slash(const ResolvedPath& p) {
  struct stat st;
  return entry_stat(p, &st) == 0 ? err::exist : err::noent;
}

}  // namespace

Result<Errno> call_path_create_directory(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_create_directory, arg32(a, 1), arg32(a, 2),
                               FinalLink::entry, &p);
  if (e) return e;
  return host_result(::mkdirat(p.dir, p.c_name(), 0777));
}

namespace {

Errno path_filestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a, Abi abi) {
  const uint32_t flags = arg32(a, 1), buf = arg32(a, 4);
  if (flags & ~kLookupFlagsAll) return err::inval;
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_filestat_get, arg32(a, 2), arg32(a, 3),
                               final_link_of(flags), &p);
  if (e) return e;
  if (!mem.ok(buf, filestat_size(abi))) return err::fault;
  struct stat st;
  if (::fstatat(p.dir, p.c_name(), &st, AT_SYMLINK_NOFOLLOW) != 0) return errno_from_host(errno);
  return write_filestat(mem, buf, st, abi);
}

}  // namespace

Result<Errno> call_path_filestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return path_filestat_get(ctx, mem, a, Abi::preview1);
}

Result<Errno> unstable_path_filestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return path_filestat_get(ctx, mem, a, Abi::snapshot0);
}

Result<Errno> call_path_filestat_set_times(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t flags = arg32(a, 1);
  if (flags & ~kLookupFlagsAll) return err::inval;
  struct timespec ts[2];
  if (!make_timespecs(arg64(a, 4), arg64(a, 5), arg32(a, 6), ts)) return err::inval;
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_filestat_set_times, arg32(a, 2), arg32(a, 3),
                               final_link_of(flags), &p);
  if (e) return e;
  return host_result(::utimensat(p.dir, p.c_name(), ts, AT_SYMLINK_NOFOLLOW));
}

Result<Errno> call_path_link(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t flags = arg32(a, 1);
  if (flags & ~kLookupFlagsAll) return err::inval;
  ResolvedPath from, to;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_link_source, arg32(a, 2), arg32(a, 3),
                               final_link_of(flags), &from);
  if (e) return e;
  e = resolve_guest_path(ctx, mem, arg32(a, 4), right::path_link_target, arg32(a, 5), arg32(a, 6),
                         FinalLink::entry, &to);
  if (e) return e;
  if (to.trailing_slash) return new_name_with_slash(to);
  return host_result(::linkat(from.dir, from.c_name(), to.dir, to.c_name(), 0));
}

Result<Errno> call_path_open(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t dirfd = arg32(a, 0), lookup = arg32(a, 1);
  const uint32_t oflags = arg32(a, 4);
  // Bits beyond the defined rights mean nothing; drop them.
  const uint64_t want_base = arg64(a, 5) & right::all;
  const uint64_t want_inheriting = arg64(a, 6) & right::all;
  const uint32_t fdflags = arg32(a, 7);
  const uint32_t result_ptr = arg32(a, 8);

  uint64_t needed = right::path_open;
  if (oflags & oflag::creat) needed |= right::path_create_file;
  if (oflags & oflag::trunc) needed |= right::path_filestat_set_size;
  Errno e = err::success;
  FdEntry* parent = ctx.impl().lookup(dirfd, needed, &e, require_directory);
  if (!parent) return e;
  if ((lookup & ~kLookupFlagsAll) || (oflags & ~oflag::all) || (fdflags & ~fdflag::all)) return err::inval;
  // Creating a directory is path_create_directory's job (Linux: EINVAL).
  if ((oflags & oflag::creat) && (oflags & oflag::directory)) return err::inval;
  if ((want_base & ~parent->rights_inheriting) || (want_inheriting & ~parent->rights_inheriting))
    return err::notcapable;
  if (!mem.ok(result_ptr, 4)) return err::fault;

  std::string_view path;
  if (!mem.string(arg32(a, 2), arg32(a, 3), &path)) return err::fault;
  ResolvedPath p;
  if ((oflags & oflag::creat) && !path.empty() && path.back() == '/') {
    // Linux refuses to create a file under a name ending in '/', whatever
    // is there: EISDIR (once the parent directories resolve).
    e = resolve_path(parent->host.get(), path, FinalLink::entry, &p);
    return e ? e : Errno(err::isdir);
  }
  // O_CREAT | O_EXCL never follows a final symlink: one that is there, even
  // dangling, means the name exists (EEXIST from openat's O_NOFOLLOW).
  const bool exclusive = (oflags & oflag::creat) && (oflags & oflag::excl);
  e = resolve_path(parent->host.get(), path, exclusive ? FinalLink::keep : final_link_of(lookup), &p);
  if (e) return e;

  int flags = O_CLOEXEC | O_NOFOLLOW;
  if (oflags & oflag::creat) flags |= O_CREAT;
  if (oflags & oflag::excl) flags |= O_EXCL;
  if (oflags & oflag::trunc) flags |= O_TRUNC;
  if (oflags & oflag::directory) flags |= O_DIRECTORY;
  const bool read = want_base & (right::fd_read | right::fd_readdir);
  const bool write = (want_base & (right::fd_write | right::fd_datasync | right::fd_allocate |
                                   right::fd_filestat_set_size)) ||
                     (fdflags & fdflag::append);
  // The kernel judges the access mode with O_DIRECTORY too: a directory
  // asked for with write rights is EISDIR, a file asked for as a directory
  // ENOTDIR, as natively.
  if (write) {
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
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_readlink, arg32(a, 1), arg32(a, 2),
                               FinalLink::keep, &p);
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
                               FinalLink::entry, &p);
  if (e) return e;
  // Linux: removing "x/.." is ENOTEMPTY (x is in it), "x/." is EINVAL. A
  // trailing '/' changes nothing: rmdir of a symlink is ENOTDIR anyway.
  if (p.dotdot) return err::notempty;
  return host_result(::unlinkat(p.dir, p.c_name(), AT_REMOVEDIR));
}

Result<Errno> call_path_rename(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath from, to;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_rename_source, arg32(a, 1), arg32(a, 2),
                               FinalLink::entry, &from);
  if (e) return e;
  e = resolve_guest_path(ctx, mem, arg32(a, 3), right::path_rename_target, arg32(a, 4), arg32(a, 5),
                         FinalLink::entry, &to);
  if (e) return e;
  if (from.trailing_slash || to.trailing_slash) {
    // Only a directory (not a symlink to one) may be renamed with a '/'.
    struct stat st;
    if (int host = entry_stat(from, &st)) return errno_from_host(host);
    if (!S_ISDIR(st.st_mode)) return err::notdir;
  }
  return host_result(::renameat(from.dir, from.c_name(), to.dir, to.c_name()));
}

Result<Errno> call_path_symlink(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  std::string_view target;
  if (!mem.string(arg32(a, 0), arg32(a, 1), &target)) return err::fault;
  if (target.find('\0') != std::string_view::npos) return err::inval;
  // An absolute target could never be followed inside the sandbox.
  if (!target.empty() && target.front() == '/') return err::perm;
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 2), right::path_symlink, arg32(a, 3), arg32(a, 4),
                               FinalLink::entry, &p);
  if (e) return e;
  if (p.trailing_slash) return new_name_with_slash(p);
  return host_result(::symlinkat(std::string(target).c_str(), p.dir, p.c_name()));
}

Result<Errno> call_path_unlink_file(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  ResolvedPath p;
  Errno e = resolve_guest_path(ctx, mem, arg32(a, 0), right::path_unlink_file, arg32(a, 1), arg32(a, 2),
                               FinalLink::entry, &p);
  if (e) return e;
  if (p.trailing_slash) {
    // "name/" must be a directory: anything else there is ENOTDIR (and a
    // directory is EISDIR, as without the slash).
    struct stat st;
    if (entry_stat(p, &st) == 0 && !S_ISDIR(st.st_mode)) return err::notdir;
  }
  return host_result(::unlinkat(p.dir, p.c_name(), 0));
}

}  // namespace weft::wasi
