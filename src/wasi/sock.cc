// sock_*: calls on preopened sockets (WasiContext::add_socket) and the
// connections accepted from them.
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <vector>

#include "wasi/calls.h"

namespace weft::wasi {

namespace {

Errno socket_entry(WasiContext& ctx, uint32_t fd, uint64_t rights, FdEntry** out) {
  Errno e = err::success;
  // Not a socket at all is ENOTSOCK, before any rights are looked at.
  FdEntry* entry = ctx.impl().lookup(fd, rights, &e, require_socket);
  if (!entry) return e;
  *out = entry;
  return err::success;
}

Errno gather(GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<struct iovec>* out) {
  count = std::min<uint32_t>(count, IOV_MAX);
  if (!mem.ok(iovs, uint64_t(count) * kIovecSize)) return err::fault;
  out->resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t buf = 0, len = 0;
    mem.load(iovs + i * kIovecSize, &buf);
    mem.load(iovs + i * kIovecSize + 4, &len);
    if (!mem.ok(buf, len)) return err::fault;
    (*out)[i] = {mem.at(buf), len};
  }
  return err::success;
}

}  // namespace

Result<Errno> call_sock_accept(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t fd = arg32(a, 0), result_ptr = arg32(a, 2);
  const uint16_t flags = uint16_t(arg32(a, 1));
  if (flags & ~fdflag::nonblock) return err::inval;
  FdEntry* listener = nullptr;
  if (Errno e = socket_entry(ctx, fd, right::sock_accept, &listener)) return e;
  if (!mem.ok(result_ptr, 4)) return err::fault;
  int conn;
  do {
    conn = ::accept4(listener->host.get(), nullptr, nullptr,
                     SOCK_CLOEXEC | ((flags & fdflag::nonblock) ? SOCK_NONBLOCK : 0));
  } while (conn < 0 && errno == EINTR);
  if (conn < 0) return errno_from_host(errno);
  auto entry = std::make_unique<FdEntry>();
  entry->host = HostFd(conn);
  entry->type = filetype::socket_stream;
  entry->rights_base = kSocketRights & ~right::sock_accept;
  entry->rights_inheriting = 0;
  auto guest_fd = ctx.impl().insert(std::move(entry));
  if (!guest_fd) return err::nfile;
  mem.store<uint32_t>(result_ptr, *guest_fd);
  return err::success;
}

Result<Errno> call_sock_recv(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t fd = arg32(a, 0), iovs = arg32(a, 1), count = arg32(a, 2);
  const uint16_t ri_flags = uint16_t(arg32(a, 3));
  const uint32_t size_ptr = arg32(a, 4), oflags_ptr = arg32(a, 5);
  FdEntry* s = nullptr;
  if (Errno e = socket_entry(ctx, fd, right::fd_read, &s)) return e;
  if (ri_flags & ~(kRecvPeek | kRecvWaitall)) return err::inval;
  std::vector<struct iovec> iov;
  if (Errno e = gather(mem, iovs, count, &iov)) return e;
  if (!mem.ok(size_ptr, 4) || !mem.ok(oflags_ptr, 2)) return err::fault;
  struct msghdr msg = {};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  int host_flags = 0;
  if (ri_flags & kRecvPeek) host_flags |= MSG_PEEK;
  if (ri_flags & kRecvWaitall) host_flags |= MSG_WAITALL;
  ssize_t n;
  do n = ::recvmsg(s->host.get(), &msg, host_flags);
  while (n < 0 && errno == EINTR);
  if (n < 0) return errno_from_host(errno);
  mem.store<uint32_t>(size_ptr, uint32_t(n));
  mem.store<uint16_t>(oflags_ptr, (msg.msg_flags & MSG_TRUNC) ? kRecvDataTruncated : 0);
  return err::success;
}

Result<Errno> call_sock_send(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  const uint32_t fd = arg32(a, 0), iovs = arg32(a, 1), count = arg32(a, 2), result_ptr = arg32(a, 4);
  FdEntry* s = nullptr;
  if (Errno e = socket_entry(ctx, fd, right::fd_write, &s)) return e;
  if (arg32(a, 3) != 0) return err::inval;  // no siflags are defined
  std::vector<struct iovec> iov;
  if (Errno e = gather(mem, iovs, count, &iov)) return e;
  if (!mem.ok(result_ptr, 4)) return err::fault;
  struct msghdr msg = {};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  ssize_t n;
  do n = ::sendmsg(s->host.get(), &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) return errno_from_host(errno);
  mem.store<uint32_t>(result_ptr, uint32_t(n));
  return err::success;
}

Result<Errno> call_sock_shutdown(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  const uint32_t fd = arg32(a, 0), how = arg32(a, 1);
  FdEntry* s = nullptr;
  if (Errno e = socket_entry(ctx, fd, right::sock_shutdown, &s)) return e;
  int host_how;
  switch (how) {
    case kShutRd: host_how = SHUT_RD; break;
    case kShutWr: host_how = SHUT_WR; break;
    case kShutRd | kShutWr: host_how = SHUT_RDWR; break;
    default: return err::inval;
  }
  if (::shutdown(s->host.get(), host_how) != 0) return errno_from_host(errno);
  return err::success;
}

}  // namespace weft::wasi
