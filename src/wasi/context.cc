// The WASI context: descriptor table, preopens, host error translation,
// arguments and environment.
#include "wasi/context.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/calls.h"

namespace weft::wasi {

HostFd& HostFd::operator=(HostFd&& o) noexcept {
  if (this != &o) {
    reset();
    fd_ = o.release();
  }
  return *this;
}

void HostFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

FdEntry* WasiContext::Impl::lookup(uint32_t fd, uint64_t rights, Errno* error) {
  if (fd >= fds.size() || !fds[fd]) {
    *error = err::badf;
    return nullptr;
  }
  FdEntry* e = fds[fd].get();
  if ((e->rights_base & rights) != rights) {
    *error = err::notcapable;
    return nullptr;
  }
  return e;
}

FdEntry* WasiContext::Impl::lookup(uint32_t fd, uint64_t rights, Errno* error, Errno (*kind_error)(uint8_t)) {
  FdEntry* e = lookup(fd, 0, error);
  if (!e) return nullptr;
  if (Errno k = kind_error(e->type)) {
    *error = k;
    return nullptr;
  }
  return lookup(fd, rights, error);
}

std::optional<uint32_t> WasiContext::Impl::insert(std::unique_ptr<FdEntry> entry) {
  for (uint32_t i = 0; i < fds.size(); ++i) {
    if (!fds[i]) {
      fds[i] = std::move(entry);
      return i;
    }
  }
  if (fds.size() >= kMaxFds) return std::nullopt;
  fds.push_back(std::move(entry));
  return uint32_t(fds.size() - 1);
}

Errno errno_from_host(int e) {
  switch (e) {
    case 0: return err::success;
    case E2BIG: return err::toobig;
    case EACCES: return err::acces;
    case EADDRINUSE: return err::addrinuse;
    case EADDRNOTAVAIL: return err::addrnotavail;
    case EAFNOSUPPORT: return err::afnosupport;
    case EAGAIN: return err::again;
    case EALREADY: return err::already;
    case EBADF: return err::badf;
    case EBADMSG: return err::badmsg;
    case EBUSY: return err::busy;
    case ECANCELED: return err::canceled;
    case ECHILD: return err::child;
    case ECONNABORTED: return err::connaborted;
    case ECONNREFUSED: return err::connrefused;
    case ECONNRESET: return err::connreset;
    case EDEADLK: return err::deadlk;
    case EDESTADDRREQ: return err::destaddrreq;
    case EDOM: return err::dom;
    case EDQUOT: return err::dquot;
    case EEXIST: return err::exist;
    case EFAULT: return err::fault;
    case EFBIG: return err::fbig;
    case EHOSTUNREACH: return err::hostunreach;
    case EIDRM: return err::idrm;
    case EILSEQ: return err::ilseq;
    case EINPROGRESS: return err::inprogress;
    case EINTR: return err::intr;
    case EINVAL: return err::inval;
    case EIO: return err::io;
    case EISCONN: return err::isconn;
    case EISDIR: return err::isdir;
    case ELOOP: return err::loop;
    case EMFILE: return err::mfile;
    case EMLINK: return err::mlink;
    case EMSGSIZE: return err::msgsize;
    case EMULTIHOP: return err::multihop;
    case ENAMETOOLONG: return err::nametoolong;
    case ENETDOWN: return err::netdown;
    case ENETRESET: return err::netreset;
    case ENETUNREACH: return err::netunreach;
    case ENFILE: return err::nfile;
    case ENOBUFS: return err::nobufs;
    case ENODEV: return err::nodev;
    case ENOENT: return err::noent;
    case ENOEXEC: return err::noexec;
    case ENOLCK: return err::nolck;
    case ENOLINK: return err::nolink;
    case ENOMEM: return err::nomem;
    case ENOMSG: return err::nomsg;
    case ENOPROTOOPT: return err::noprotoopt;
    case ENOSPC: return err::nospc;
    case ENOSYS: return err::nosys;
    case ENOTCONN: return err::notconn;
    case ENOTDIR: return err::notdir;
    case ENOTEMPTY: return err::notempty;
    case ENOTRECOVERABLE: return err::notrecoverable;
    case ENOTSOCK: return err::notsock;
    case ENOTSUP: return err::notsup;  // == EOPNOTSUPP on Linux
    case ENOTTY: return err::notty;
    case ENXIO: return err::nxio;
    case EOVERFLOW: return err::overflow;
    case EOWNERDEAD: return err::ownerdead;
    case EPERM: return err::perm;
    case EPIPE: return err::pipe;
    case EPROTO: return err::proto;
    case EPROTONOSUPPORT: return err::protonosupport;
    case EPROTOTYPE: return err::prototype;
    case ERANGE: return err::range;
    case EROFS: return err::rofs;
    case ESPIPE: return err::spipe;
    case ESRCH: return err::srch;
    case ESTALE: return err::stale;
    case ETIMEDOUT: return err::timedout;
    case ETXTBSY: return err::txtbsy;
    case EXDEV: return err::xdev;
    default: return err::io;
  }
}

uint8_t filetype_from_mode(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFBLK: return filetype::block_device;
    case S_IFCHR: return filetype::character_device;
    case S_IFDIR: return filetype::directory;
    case S_IFREG: return filetype::regular_file;
    case S_IFSOCK: return filetype::socket_stream;
    case S_IFLNK: return filetype::symbolic_link;
    default: return filetype::unknown;  // FIFOs included: WASI has no pipe type
  }
}

namespace {
uint64_t ns_of(const struct timespec& ts) { return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec); }
}  // namespace

Errno write_filestat(GuestMemory& mem, uint32_t ptr, const struct stat& st, Abi abi) {
  uint8_t buf[kFilestatSize] = {};
  auto put64 = [&](uint32_t off, uint64_t v) { std::memcpy(buf + off, &v, 8); };
  put64(0, uint64_t(st.st_dev));
  put64(8, uint64_t(st.st_ino));
  buf[16] = filetype_from_mode(st.st_mode);
  // Snapshot 0 has a u32 nlink at 20, and every later field 8 bytes earlier.
  uint32_t at = 24;
  if (abi == Abi::snapshot0) {
    if (uint64_t(st.st_nlink) > UINT32_MAX) return err::overflow;
    const uint32_t nlink = uint32_t(st.st_nlink);
    std::memcpy(buf + 20, &nlink, 4);
  } else {
    put64(at, uint64_t(st.st_nlink));
    at += 8;
  }
  put64(at, uint64_t(st.st_size));
  put64(at + 8, ns_of(st.st_atim));
  put64(at + 16, ns_of(st.st_mtim));
  put64(at + 24, ns_of(st.st_ctim));
  std::memcpy(mem.at(ptr), buf, filestat_size(abi));
  return err::success;
}

bool make_timespecs(uint64_t atim, uint64_t mtim, uint32_t flags, struct timespec out[2]) {
  if (flags & ~fstflag::all) return false;
  if ((flags & fstflag::atim) && (flags & fstflag::atim_now)) return false;
  if ((flags & fstflag::mtim) && (flags & fstflag::mtim_now)) return false;
  auto one = [](uint64_t t, bool set, bool now, struct timespec* ts) {
    if (now) {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_NOW;
    } else if (set) {
      ts->tv_sec = time_t(t / 1000000000ull);
      ts->tv_nsec = long(t % 1000000000ull);
    } else {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_OMIT;
    }
  };
  one(atim, flags & fstflag::atim, flags & fstflag::atim_now, &out[0]);
  one(mtim, flags & fstflag::mtim, flags & fstflag::mtim_now, &out[1]);
  return true;
}

uint64_t rights_for_type(uint8_t type) {
  switch (type) {
    case filetype::directory: return kDirRights;
    case filetype::regular_file: return kFileRights;
    case filetype::socket_stream:
    case filetype::socket_dgram: return kSocketRights;
    default: return kStreamRights;
  }
}

// ---- WasiContext ------------------------------------------------------------

WasiContext::WasiContext() : impl_(std::make_unique<Impl>()) {}
WasiContext::~WasiContext() = default;

namespace {

// A stdio entry: a duplicate of the host descriptor, with the rights of its
// actual type (a redirected stdin may be a regular file).
Result<std::unique_ptr<FdEntry>> stdio_entry(int host_fd) {
  auto e = std::make_unique<FdEntry>();
  int fd = ::fcntl(host_fd, F_DUPFD_CLOEXEC, 3);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    // A closed stdio stream stays closed for the guest.
    if (fd >= 0) ::close(fd);
    return std::unique_ptr<FdEntry>();
  }
  e->host = HostFd(fd);
  e->type = filetype_from_mode(st.st_mode);
  e->rights_base = rights_for_type(e->type);
  if (e->type == filetype::directory) e->rights_base = kStreamRights;
  e->rights_inheriting = 0;
  return e;
}

}  // namespace

Result<std::unique_ptr<WasiContext>> WasiContext::create(const WasiConfig& config) {
  std::unique_ptr<WasiContext> ctx(new WasiContext());
  Impl& impl = *ctx->impl_;
  impl.args = config.args;
  impl.env = config.env;
  for (int host : {config.stdin_fd, config.stdout_fd, config.stderr_fd}) {
    WEFT_TRY(auto e, stdio_entry(host));
    impl.fds.push_back(std::move(e));
  }
  for (const Preopen& p : config.preopens) {
    int fd = ::open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
      return make_error(ErrorKind::io, "cannot open directory " + p.host_path + ": " + std::strerror(errno));
    auto e = std::make_unique<FdEntry>();
    e->host = HostFd(fd);
    e->type = filetype::directory;
    e->rights_base = kDirRights;
    e->rights_inheriting = kDirRights | kFileRights;
    e->preopen = p.guest_path;
    impl.fds.push_back(std::move(e));
  }
  return ctx;
}

uint32_t WasiContext::add_socket(int host_fd) {
  auto e = std::make_unique<FdEntry>();
  e->host = HostFd(host_fd);
  int sock_type = 0;
  socklen_t len = sizeof sock_type;
  bool dgram = ::getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &sock_type, &len) == 0 && sock_type == SOCK_DGRAM;
  e->type = dgram ? filetype::socket_dgram : filetype::socket_stream;
  e->rights_base = kSocketRights;
  e->rights_inheriting = kSocketRights;
  // Sockets go after every existing descriptor, so that the preopens stay
  // contiguous from fd 3 (libc scans them until the first gap).
  impl_->fds.push_back(std::move(e));
  return uint32_t(impl_->fds.size() - 1);
}

// ---- args and environment ---------------------------------------------------

namespace {

// argv/environ layout: an array of pointers at `ptrs`, the NUL-terminated
// strings one after another at `buf`.
Errno write_strings(GuestMemory& mem, const std::vector<std::string>& strs, uint32_t ptrs, uint32_t buf) {
  uint64_t total = 0;
  for (const std::string& s : strs) total += s.size() + 1;
  if (!mem.ok(ptrs, uint64_t(strs.size()) * 4) || !mem.ok(buf, total)) return err::fault;
  uint64_t at = buf;
  for (size_t i = 0; i < strs.size(); ++i) {
    mem.store<uint32_t>(ptrs + i * 4, uint32_t(at));
    std::memcpy(mem.at(at), strs[i].data(), strs[i].size());
    mem.at(at)[strs[i].size()] = 0;
    at += strs[i].size() + 1;
  }
  return err::success;
}

Errno write_sizes(GuestMemory& mem, const std::vector<std::string>& strs, uint32_t count_ptr, uint32_t size_ptr) {
  uint64_t total = 0;
  for (const std::string& s : strs) total += s.size() + 1;
  if (total > UINT32_MAX) return err::overflow;
  if (!mem.store<uint32_t>(count_ptr, uint32_t(strs.size()))) return err::fault;
  if (!mem.store<uint32_t>(size_ptr, uint32_t(total))) return err::fault;
  return err::success;
}

}  // namespace

Result<Errno> call_args_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return write_strings(mem, ctx.impl().args, arg32(a, 0), arg32(a, 1));
}

Result<Errno> call_args_sizes_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return write_sizes(mem, ctx.impl().args, arg32(a, 0), arg32(a, 1));
}

Result<Errno> call_environ_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return write_strings(mem, ctx.impl().env, arg32(a, 0), arg32(a, 1));
}

Result<Errno> call_environ_sizes_get(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return write_sizes(mem, ctx.impl().env, arg32(a, 0), arg32(a, 1));
}

}  // namespace weft::wasi
