// poll_oneoff: waits for clock timeouts and descriptor readiness.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <vector>

#include "wasi/calls.h"

namespace weft::wasi {

namespace {

uint64_t now_ns(clockid_t c) {
  struct timespec ts;
  ::clock_gettime(c, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

struct Event {
  uint64_t userdata = 0;
  Errno error = err::success;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

struct Waiter {
  uint64_t userdata = 0;
  uint8_t type = 0;
  uint64_t deadline = 0;  // clock: monotonic ns
  int pollfd_index = -1;  // fd_read / fd_write
  uint8_t filetype = 0;
};

// Bytes readable without blocking, as far as the host can tell.
uint64_t readable_bytes(int fd, uint8_t type) {
  if (type == filetype::regular_file) {
    struct stat st;
    off_t pos = ::lseek(fd, 0, SEEK_CUR);
    if (::fstat(fd, &st) != 0 || pos < 0) return 0;
    return st.st_size > pos ? uint64_t(st.st_size - pos) : 0;
  }
  int n = 0;
  if (::ioctl(fd, FIONREAD, &n) != 0 || n < 0) return 0;
  return uint64_t(n);
}

Errno poll_oneoff(WasiContext& ctx, GuestMemory& mem, const uint64_t* a, Abi abi) {
  const uint32_t in = arg32(a, 0), out = arg32(a, 1), nsubs = arg32(a, 2), result_ptr = arg32(a, 3);
  // Snapshot 0's clock subscription starts with an 8-byte identifier.
  const uint32_t sub_size = abi == Abi::snapshot0 ? snapshot0::kSubscriptionSize : kSubscriptionSize;
  const uint32_t clock_at = abi == Abi::snapshot0 ? 24 : 16;
  if (nsubs == 0) return err::inval;
  if (!mem.ok(in, uint64_t(nsubs) * sub_size) || !mem.ok(out, uint64_t(nsubs) * kEventSize) ||
      !mem.ok(result_ptr, 4))
    return err::fault;

  std::vector<Event> ready;     // events known before waiting
  std::vector<Waiter> waiters;  // subscriptions to wait on
  std::vector<struct pollfd> pollfds;
  const uint64_t start = now_ns(CLOCK_MONOTONIC);
  for (uint32_t i = 0; i < nsubs; ++i) {
    const uint32_t s = in + i * sub_size;
    uint64_t userdata = 0;
    uint8_t tag = 0;
    mem.load(s, &userdata);
    mem.load(s + 8, &tag);
    if (tag == eventtype::clock) {
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      mem.load(s + clock_at, &id);
      mem.load(s + clock_at + 8, &timeout);
      mem.load(s + clock_at + 24, &flags);
      clockid_t clock;
      if (!host_clock(id, &clock)) {
        ready.push_back({userdata, err::inval, tag, 0, 0});
        continue;
      }
      uint64_t relative = timeout;
      if (flags & kSubclockAbstime) {
        uint64_t now = now_ns(clock);
        relative = timeout > now ? timeout - now : 0;
      }
      Waiter w;
      w.userdata = userdata;
      w.type = tag;
      w.deadline = relative > UINT64_MAX - start ? UINT64_MAX : start + relative;
      waiters.push_back(w);
    } else if (tag == eventtype::fd_read || tag == eventtype::fd_write) {
      uint32_t fd = 0;
      mem.load(s + 16, &fd);
      Errno e = err::success;
      FdEntry* entry = ctx.impl().lookup(fd, right::poll_fd_readwrite, &e);
      if (!entry) {
        ready.push_back({userdata, e, tag, 0, 0});
        continue;
      }
      Waiter w;
      w.userdata = userdata;
      w.type = tag;
      w.pollfd_index = int(pollfds.size());
      w.filetype = entry->type;
      pollfds.push_back({entry->host.get(), short(tag == eventtype::fd_read ? POLLIN : POLLOUT), 0});
      waiters.push_back(w);
    } else {
      return err::inval;
    }
  }

  std::vector<Event> events = ready;
  while (true) {
    // The nearest clock deadline bounds the wait; known events mean no wait.
    std::optional<uint64_t> deadline;
    for (const Waiter& w : waiters)
      if (w.type == eventtype::clock) deadline = std::min(deadline.value_or(UINT64_MAX), w.deadline);
    struct timespec ts;
    struct timespec* timeout = nullptr;
    if (!events.empty()) {
      ts = {0, 0};
      timeout = &ts;
    } else if (deadline) {
      uint64_t now = now_ns(CLOCK_MONOTONIC);
      uint64_t left = *deadline > now ? *deadline - now : 0;
      ts.tv_sec = time_t(std::min<uint64_t>(left / 1000000000ull, uint64_t(INT32_MAX)));
      ts.tv_nsec = long(left % 1000000000ull);
      timeout = &ts;
    }
    int n = ::ppoll(pollfds.data(), pollfds.size(), timeout, nullptr);
    if (n < 0 && errno != EINTR) return errno_from_host(errno);
    const uint64_t now = now_ns(CLOCK_MONOTONIC);
    for (const Waiter& w : waiters) {
      if (w.type == eventtype::clock) {
        if (now >= w.deadline) events.push_back({w.userdata, err::success, w.type, 0, 0});
        continue;
      }
      const struct pollfd& p = pollfds[size_t(w.pollfd_index)];
      if (n <= 0 || p.revents == 0) continue;
      Event ev{w.userdata, err::success, w.type, 0, 0};
      if (p.revents & POLLNVAL) {
        ev.error = err::badf;
      } else {
        if (p.revents & POLLHUP) ev.flags |= kEventFdReadwriteHangup;
        if (w.type == eventtype::fd_read) ev.nbytes = readable_bytes(p.fd, w.filetype);
      }
      events.push_back(ev);
    }
    if (!events.empty()) break;
  }

  for (size_t i = 0; i < events.size(); ++i) {
    uint8_t buf[kEventSize] = {};
    std::memcpy(buf, &events[i].userdata, 8);
    std::memcpy(buf + 8, &events[i].error, 2);
    buf[10] = events[i].type;
    std::memcpy(buf + 16, &events[i].nbytes, 8);
    std::memcpy(buf + 24, &events[i].flags, 2);
    std::memcpy(mem.at(out + i * kEventSize), buf, sizeof buf);
  }
  mem.store<uint32_t>(result_ptr, uint32_t(events.size()));
  return err::success;
}

}  // namespace

Result<Errno> call_poll_oneoff(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return poll_oneoff(ctx, mem, a, Abi::preview1);
}

Result<Errno> unstable_poll_oneoff(WasiContext& ctx, GuestMemory& mem, const uint64_t* a) {
  return poll_oneoff(ctx, mem, a, Abi::snapshot0);
}

}  // namespace weft::wasi
