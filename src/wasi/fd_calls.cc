// fd_*: calls on open descriptors.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "wasi/calls.h"

namespace weft::wasi {

namespace {

// Translates a guest iovec array into host iovecs (at most IOV_MAX: a
// shorter transfer is a valid outcome of read and write).
Errno gather_iovecs(GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<struct iovec>* out) {
  count = std::min<uint32_t>(count, IOV_MAX);
  if (!mem.ok(iovs, uint64_t(count) * kIovecSize)) return err::fault;
  out->resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t buf = 0, len = 0;
    mem.load(iovs + i * kIovecSize, &buf);
    mem.load(iovs + i * kIovecSize + 4, &len);
    if (!mem.ok(buf, len)) return err::fault;
    (*out)[i].iov_base = mem.at(buf);
    (*out)[i].iov_len = len;
  }
  return err::success;
}

Errno host_result(int rc) { return rc == 0 ? Errno(err::success) : errno_from_host(errno); }

// fd lookup shorthand for the calls below; the _KIND form checks the
// descriptor's type first (WasiContext::Impl::lookup).
#define WEFT_WASI_FD(entry, fd, rights)                  \
  Errno lookup_error_ = err::success;                    \
  FdEntry* entry = ctx.impl().lookup(fd, rights, &lookup_error_); \
  if (!entry) return lookup_error_
#define WEFT_WASI_FD_KIND(entry, fd, rights, kind_error)             \
  Errno lookup_error_ = err::success;                                \
  FdEntry* entry = ctx.impl().lookup(fd, rights, &lookup_error_, kind_error); \
  if (!entry) return lookup_error_

// What POSIX says when a descriptor's type cannot do the call at all.
bool seekable(uint8_t type) { return rights_for_type(type) & right::fd_seek; }
Errno read_kind(uint8_t type) { return type == filetype::directory ? Errno(err::isdir) : Errno(err::success); }
// A directory is never open for writing.
Errno write_kind(uint8_t type) { return type == filetype::directory ? Errno(err::badf) : Errno(err::success); }
Errno pread_kind(uint8_t type) { return read_kind(type) ? read_kind(type) : seekable(type) ? Errno(0) : Errno(err::spipe); }
Errno pwrite_kind(uint8_t type) { return write_kind(type) ? write_kind(type) : seekable(type) ? Errno(0) : Errno(err::spipe); }
Errno seek_kind(uint8_t type) { return seekable(type) ? Errno(err::success) : Errno(err::spipe); }

Result<Errno> transfer(WasiContext& ctx, GuestMemory& mem, const uint64_t* a, bool write, bool positioned) {
  const uint32_t fd = arg32(a, 0), iovs = arg32(a, 1), count = arg32(a, 2);
  const uint64_t offset = positioned ? arg64(a, 3) : 0;
  const uint32_t result_ptr = arg32(a, positioned ? 4 : 3);
  uint64_t rights = write ? right::fd_write : right::fd_read;
  if (positioned) rights |= right::fd_seek;
  auto kind = positioned ? (write ? pwrite_kind : pread_kind) : (write ? write_kind : read_kind);
  WEFT_WASI_FD_KIND(e, fd, rights, kind);
  if (positioned && offset > uint64_t(INT64_MAX)) return err::inval;
  std::vector<struct iovec> iov;
  if (Errno g = gather_iovecs(mem, iovs, count, &iov)) return g;
  if (!mem.ok(result_ptr, 4)) return err::fault;
  ssize_t n;
  const int host = e->host.get();
  do {
    if (write)
      n = positioned ? ::pwritev(host, iov.data(), int(iov.size()), off_t(offset)) : ::writev(host, iov.data(), int(iov.size()));
    else
      n = positioned ? ::preadv(host, iov.data(), int(iov.size()), off_t(offset)) : ::readv(host, iov.data(), int(iov.size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno_from_host(errno);
  mem.store<uint32_t>(result_ptr, uint32_t(n));
  return err::success;
}

}  // namespace

Result<Errno> call_fd_read(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return transfer(ctx, mem, a, false, false);
}
Result<Errno> call_fd_write(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return transfer(ctx, mem, a, true, false);
}
Result<Errno> call_fd_pread(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return transfer(ctx, mem, a, false, true);
}
Result<Errno> call_fd_pwrite(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return transfer(ctx, mem, a, true, true);
}

namespace {

// fd_seek with a preview 1 whence value.
Errno seek(WasiContext& ctx, GuestMemory& mem, const uint64_t* a, uint32_t whence_v) {
  const uint32_t fd = arg32(a, 0), result_ptr = arg32(a, 3);
  const int64_t offset = int64_t(arg64(a, 1));
  // Asking for the position only needs fd_tell.
  uint64_t rights = (offset == 0 && whence_v == whence::cur) ? right::fd_tell : right::fd_seek;
  WEFT_WASI_FD_KIND(e, fd, rights, seek_kind);
  int how;
  switch (whence_v) {
    case whence::set: how = SEEK_SET; break;
    case whence::cur: how = SEEK_CUR; break;
    case whence::end: how = SEEK_END; break;
    default: return err::inval;
  }
  if (!mem.ok(result_ptr, 8)) return err::fault;
  off_t pos = ::lseek(e->host.get(), off_t(offset), how);
  if (pos < 0) return errno_from_host(errno);
  mem.store<uint64_t>(result_ptr, uint64_t(pos));
  return err::success;
}

Errno filestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a, Abi abi) {
  WEFT_WASI_FD(e, arg32(a, 0), right::fd_filestat_get);
  const uint32_t buf = arg32(a, 1);
  if (!mem.ok(buf, filestat_size(abi))) return err::fault;
  struct stat st;
  if (::fstat(e->host.get(), &st) != 0) return errno_from_host(errno);
  if (Errno w = write_filestat(mem, buf, st, abi)) return w;
  // stdio and sockets report the type the descriptor was given.
  mem.at(buf)[16] = e->type;
  return err::success;
}

}  // namespace

Result<Errno> call_fd_seek(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return seek(ctx, mem, a, arg32(a, 2));
}

Result<Errno> unstable_fd_seek(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  uint32_t whence_v;
  switch (arg32(a, 2)) {
    case snapshot0::whence::set: whence_v = whence::set; break;
    case snapshot0::whence::cur: whence_v = whence::cur; break;
    case snapshot0::whence::end: whence_v = whence::end; break;
    default: whence_v = arg32(a, 2); break;  // invalid in both numberings: EINVAL
  }
  return seek(ctx, mem, a, whence_v);
}

Result<Errno> call_fd_tell(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  WEFT_WASI_FD_KIND(e, arg32(a, 0), right::fd_tell, seek_kind);
  if (!mem.ok(arg32(a, 1), 8)) return err::fault;
  off_t pos = ::lseek(e->host.get(), 0, SEEK_CUR);
  if (pos < 0) return errno_from_host(errno);
  mem.store<uint64_t>(arg32(a, 1), uint64_t(pos));
  return err::success;
}

Result<Errno> call_fd_close(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  const uint32_t fd = arg32(a, 0);
  WEFT_WASI_FD(e, fd, 0);
  (void)e;
  ctx.impl().fds[fd].reset();
  return err::success;
}

namespace {
// fsync(2) of a socket is EINVAL.
Errno sync_kind(uint8_t type) { return is_socket(type) ? Errno(err::inval) : Errno(err::success); }
// posix_fadvise(2) of a pipe or socket is ESPIPE.
Errno advise_kind(uint8_t type) {
  return (rights_for_type(type) & right::fd_advise) ? Errno(err::success) : Errno(err::spipe);
}
// posix_fallocate(2): a directory is not open for writing, a pipe cannot
// seek, and other non-files have no blocks.
Errno allocate_kind(uint8_t type) {
  switch (type) {
    case filetype::regular_file: return err::success;
    case filetype::directory: return err::badf;
    case filetype::unknown: return err::spipe;  // FIFOs
    default: return err::nodev;
  }
}
// ftruncate(2) of anything but a regular file is EINVAL.
Errno truncate_kind(uint8_t type) { return type == filetype::regular_file ? Errno(err::success) : Errno(err::inval); }
}  // namespace

Result<Errno> call_fd_sync(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD_KIND(e, arg32(a, 0), right::fd_sync, sync_kind);
  return host_result(::fsync(e->host.get()));
}

Result<Errno> call_fd_datasync(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD_KIND(e, arg32(a, 0), right::fd_datasync, sync_kind);
  return host_result(::fdatasync(e->host.get()));
}

Result<Errno> call_fd_advise(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD_KIND(e, arg32(a, 0), right::fd_advise, advise_kind);
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  const uint32_t advice = arg32(a, 3);
  if (advice >= std::size(kAdvice)) return err::inval;
  const uint64_t offset = arg64(a, 1), len = arg64(a, 2);
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX)) return err::inval;
  // Advice is a hint: descriptors it does not apply to accept it too.
  if (e->type != filetype::regular_file) return err::success;
  int rc = ::posix_fadvise(e->host.get(), off_t(offset), off_t(len), kAdvice[advice]);
  return rc == 0 ? Errno(err::success) : errno_from_host(rc);
}

Result<Errno> call_fd_allocate(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD_KIND(e, arg32(a, 0), right::fd_allocate, allocate_kind);
  const uint64_t offset = arg64(a, 1), len = arg64(a, 2);
  if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset) return err::inval;
  int rc = ::posix_fallocate(e->host.get(), off_t(offset), off_t(len));
  return rc == 0 ? Errno(err::success) : errno_from_host(rc);
}

Result<Errno> call_fd_fdstat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  WEFT_WASI_FD(e, arg32(a, 0), 0);
  const uint32_t buf = arg32(a, 1);
  if (!mem.ok(buf, kFdstatSize)) return err::fault;
  int fl = ::fcntl(e->host.get(), F_GETFL);
  if (fl < 0) return errno_from_host(errno);
  uint16_t flags = 0;
  if (fl & O_APPEND) flags |= fdflag::append;
  if (fl & O_NONBLOCK) flags |= fdflag::nonblock;
  if ((fl & O_SYNC) == O_SYNC) flags |= fdflag::sync | fdflag::rsync;
  else if (fl & O_DSYNC) flags |= fdflag::dsync;
  uint8_t out[kFdstatSize] = {};
  out[0] = e->type;
  std::memcpy(out + 2, &flags, 2);
  std::memcpy(out + 8, &e->rights_base, 8);
  std::memcpy(out + 16, &e->rights_inheriting, 8);
  std::memcpy(mem.at(buf), out, sizeof out);
  return err::success;
}

Result<Errno> call_fd_fdstat_set_flags(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD(e, arg32(a, 0), right::fd_fdstat_set_flags);
  const uint32_t flags = arg32(a, 1);
  if (flags & ~fdflag::all) return err::inval;
  // Linux can only change O_APPEND and O_NONBLOCK on an open descriptor.
  if (flags & (fdflag::dsync | fdflag::rsync | fdflag::sync)) return err::notsup;
  int fl = ::fcntl(e->host.get(), F_GETFL);
  if (fl < 0) return errno_from_host(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflag::append) fl |= O_APPEND;
  if (flags & fdflag::nonblock) fl |= O_NONBLOCK;
  return host_result(::fcntl(e->host.get(), F_SETFL, fl));
}

Result<Errno> call_fd_fdstat_set_rights(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD(e, arg32(a, 0), 0);
  const uint64_t base = arg64(a, 1), inheriting = arg64(a, 2);
  // Rights can only be dropped.
  if ((base & ~e->rights_base) || (inheriting & ~e->rights_inheriting)) return err::notcapable;
  e->rights_base = base;
  e->rights_inheriting = inheriting;
  return err::success;
}

Result<Errno> call_fd_filestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return filestat_get(ctx, mem, a, Abi::preview1);
}

Result<Errno> unstable_fd_filestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return filestat_get(ctx, mem, a, Abi::snapshot0);
}

Result<Errno> call_fd_filestat_set_size(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD_KIND(e, arg32(a, 0), right::fd_filestat_set_size, truncate_kind);
  const uint64_t size = arg64(a, 1);
  if (size > uint64_t(INT64_MAX)) return err::inval;
  return host_result(::ftruncate(e->host.get(), off_t(size)));
}

Result<Errno> call_fd_filestat_set_times(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  WEFT_WASI_FD(e, arg32(a, 0), right::fd_filestat_set_times);
  struct timespec ts[2];
  if (!make_timespecs(arg64(a, 1), arg64(a, 2), arg32(a, 3), ts)) return err::inval;
  return host_result(::futimens(e->host.get(), ts));
}

Result<Errno> call_fd_prestat_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  WEFT_WASI_FD(e, arg32(a, 0), 0);
  if (!e->preopen) return err::badf;
  const uint32_t buf = arg32(a, 1);
  if (!mem.ok(buf, kPrestatSize)) return err::fault;
  uint8_t out[kPrestatSize] = {};
  out[0] = kPreopenDir;
  uint32_t len = uint32_t(e->preopen->size());
  std::memcpy(out + 4, &len, 4);
  std::memcpy(mem.at(buf), out, sizeof out);
  return err::success;
}

Result<Errno> call_fd_prestat_dir_name(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  WEFT_WASI_FD(e, arg32(a, 0), 0);
  if (!e->preopen) return err::badf;
  const uint32_t buf = arg32(a, 1), len = arg32(a, 2);
  if (len < e->preopen->size()) return err::nametoolong;
  if (!mem.ok(buf, e->preopen->size())) return err::fault;
  std::memcpy(mem.at(buf), e->preopen->data(), e->preopen->size());
  return err::success;
}

Result<Errno> call_fd_renumber(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  const uint32_t from = arg32(a, 0), to = arg32(a, 1);
  {
    WEFT_WASI_FD(src, from, 0);
    (void)src;
  }
  {
    WEFT_WASI_FD(dst, to, 0);
    (void)dst;
  }
  if (from == to) return err::success;
  auto& fds = ctx.impl().fds;
  fds[to] = std::move(fds[from]);
  return err::success;
}

// ---- fd_readdir ---------------------------------------------------------------

namespace {

uint8_t filetype_from_dirent(int dir, const struct dirent* d) {
  switch (d->d_type) {
    case DT_BLK: return filetype::block_device;
    case DT_CHR: return filetype::character_device;
    case DT_DIR: return filetype::directory;
    case DT_REG: return filetype::regular_file;
    case DT_SOCK: return filetype::socket_stream;
    case DT_LNK: return filetype::symbolic_link;
    case DT_FIFO: return filetype::unknown;
    default: {
      struct stat st;
      if (::fstatat(dir, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return filetype::unknown;
      return filetype_from_mode(st.st_mode);
    }
  }
}

Errno take_snapshot(FdEntry* e) {
  int fd = ::openat(e->host.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_from_host(errno);
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    int saved = errno;
    ::close(fd);
    return errno_from_host(saved);
  }
  e->dir_entries.clear();
  errno = 0;
  while (const struct dirent* d = ::readdir(dir)) {
    e->dir_entries.push_back({d->d_name, uint64_t(d->d_ino), filetype_from_dirent(::dirfd(dir), d)});
    errno = 0;
  }
  int saved = errno;
  ::closedir(dir);
  if (saved != 0) return errno_from_host(saved);
  e->dir_snapshot_taken = true;
  return err::success;
}

}  // namespace

Result<Errno> call_fd_readdir(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  WEFT_WASI_FD_KIND(e, arg32(a, 0), right::fd_readdir, require_directory);
  const uint32_t buf = arg32(a, 1), buf_len = arg32(a, 2), result_ptr = arg32(a, 4);
  const uint64_t cookie = arg64(a, 3);
  if (!mem.ok(buf, buf_len) || !mem.ok(result_ptr, 4)) return err::fault;
  if (cookie == 0 || !e->dir_snapshot_taken) {
    if (Errno s = take_snapshot(e)) return s;
  }
  // Entries from `cookie` on, each a dirent header and its name; the last
  // one may be cut off (the guest sees the buffer full and asks again).
  uint32_t used = 0;
  for (uint64_t i = cookie; i < e->dir_entries.size() && used < buf_len; ++i) {
    const DirEntryInfo& d = e->dir_entries[i];
    uint8_t header[kDirentSize] = {};
    const uint64_t next = i + 1;
    const uint32_t namlen = uint32_t(d.name.size());
    std::memcpy(header, &next, 8);
    std::memcpy(header + 8, &d.ino, 8);
    std::memcpy(header + 16, &namlen, 4);
    header[20] = d.type;
    uint32_t n = std::min<uint32_t>(kDirentSize, buf_len - used);
    std::memcpy(mem.at(buf + used), header, n);
    used += n;
    n = std::min<uint32_t>(namlen, buf_len - used);
    std::memcpy(mem.at(buf + used), d.name.data(), n);
    used += n;
  }
  mem.store<uint32_t>(result_ptr, used);
  return err::success;
}

}  // namespace weft::wasi
