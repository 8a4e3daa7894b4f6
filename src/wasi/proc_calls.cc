// Clocks, random numbers, process exit and signals, scheduling.
#include <sched.h>
#include <sys/random.h>
#include <time.h>

#include <cerrno>
#include <csignal>
#include <iterator>
#include <string>

#include "wasi/calls.h"

namespace weft::wasi {

bool host_clock(uint32_t id, clockid_t* out) {
  switch (id) {
    case clockid::realtime: *out = CLOCK_REALTIME; return true;
    case clockid::monotonic: *out = CLOCK_MONOTONIC; return true;
    case clockid::process_cputime: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case clockid::thread_cputime: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

Result<Errno> call_clock_res_get(WasiContext&, GuestMemory& mem, const uint64_t* a) {
  clockid_t clock;
  if (!host_clock(arg32(a, 0), &clock)) return err::inval;
  struct timespec ts;
  if (::clock_getres(clock, &ts) != 0) return errno_from_host(errno);
  if (!mem.store<uint64_t>(arg32(a, 1), uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec)))
    return err::fault;
  return err::success;
}

Result<Errno> call_clock_time_get(WasiContext&, GuestMemory& mem, const uint64_t* a) {
  clockid_t clock;
  if (!host_clock(arg32(a, 0), &clock)) return err::inval;
  // The precision argument is a hint; the host clocks are read exactly.
  struct timespec ts;
  if (::clock_gettime(clock, &ts) != 0) return errno_from_host(errno);
  if (!mem.store<uint64_t>(arg32(a, 2), uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec)))
    return err::fault;
  return err::success;
}

Result<Errno> call_random_get(WasiContext&, GuestMemory& mem, const uint64_t* a) {
  const uint32_t buf = arg32(a, 0), len = arg32(a, 1);
  if (!mem.ok(buf, len)) return err::fault;
  uint32_t done = 0;
  while (done < len) {
    ssize_t n = ::getrandom(mem.at(buf + done), len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_from_host(errno);
    }
    done += uint32_t(n);
  }
  return err::success;
}

Result<Errno> call_proc_exit(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  const uint32_t code = arg32(a, 0);
  ctx.set_exit_code(code);
  return make_error(ErrorKind::exit, "exit status " + std::to_string(code));
}

namespace {

// $signal: none, hup, int, quit, ill, trap, abrt, bus, fpe, kill, usr1, segv,
// usr2, pipe, alrm, term, chld, cont, stop, tstp, ttin, ttou, urg, xcpu,
// xfsz, vtalrm, prof, winch, poll, pwr, sys.
constexpr const char* kSignalNames[] = {
    "none", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
    "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
    "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGPOLL", "SIGPWR", "SIGSYS"};
// The host signal number of each, for the conventional 128+n exit status.
constexpr int kHostSignals[] = {0,       SIGHUP,  SIGINT,  SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
                                SIGFPE,  SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
                                SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG,  SIGXCPU,
                                SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGPOLL, SIGPWR, SIGSYS};
static_assert(std::size(kSignalNames) == std::size(kHostSignals));

}  // namespace

// A guest cannot have signal handlers, so a raised signal takes its default
// action: ignored (none, chld, cont, urg, winch; stop signals are treated as
// ignored too) or the program ends with status 128 + the host signal number.
Result<Errno> call_proc_raise(WasiContext& ctx, GuestMemory&, const uint64_t* a) {
  const uint32_t sig = arg32(a, 0);
  if (sig >= std::size(kSignalNames)) return err::inval;
  const int host = kHostSignals[sig];
  if (host == 0 || host == SIGCHLD || host == SIGCONT || host == SIGURG || host == SIGWINCH || host == SIGSTOP ||
      host == SIGTSTP || host == SIGTTIN || host == SIGTTOU)
    return err::success;
  ctx.set_exit_code(uint32_t(128 + host));
  return make_error(ErrorKind::exit, std::string("terminated by ") + kSignalNames[sig]);
}

Result<Errno> call_sched_yield(WasiContext&, GuestMemory&, const uint64_t*) {
  ::sched_yield();
  return err::success;
}

}  // namespace weft::wasi
