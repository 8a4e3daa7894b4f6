// Internals shared by the WASI host functions: the descriptor table, guest
// memory access, host error translation.
#pragma once

#include <sys/stat.h>
#include <time.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wasi/abi.h"
#include "wasi/wasi.h"

namespace weft::wasi {

// An owned host file descriptor.
class HostFd {
 public:
  HostFd() = default;
  explicit HostFd(int fd) : fd_(fd) {}
  HostFd(HostFd&& o) noexcept : fd_(o.release()) {}
  HostFd& operator=(HostFd&& o) noexcept;
  HostFd(const HostFd&) = delete;
  HostFd& operator=(const HostFd&) = delete;
  ~HostFd() { reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { int f = fd_; fd_ = -1; return f; }
  void reset();

 private:
  int fd_ = -1;
};

// One directory entry of a readdir snapshot.
struct DirEntryInfo {
  std::string name;
  uint64_t ino = 0;
  uint8_t type = filetype::unknown;
};

struct FdEntry {
  HostFd host;
  uint8_t type = filetype::unknown;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  std::optional<std::string> preopen;  // guest name of a preopened directory
  // fd_readdir reads the whole directory when a listing starts (cookie 0)
  // and serves later cookies from this snapshot, so cookies stay stable.
  std::vector<DirEntryInfo> dir_entries;
  bool dir_snapshot_taken = false;
};

// The most descriptors a guest may hold at once.
constexpr uint32_t kMaxFds = 1u << 14;

struct WasiContext::Impl {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::vector<std::unique_ptr<FdEntry>> fds;  // index = guest fd; null = free

  // The entry of `fd` if it is open and holds all of `rights`; otherwise
  // sets *error to badf / notcapable and returns null.
  FdEntry* lookup(uint32_t fd, uint64_t rights, Errno* error);
  // The same, but first `kind_error(type)` (0 when the call suits the
  // descriptor's type) reports a descriptor that could never do the call
  // with the errno POSIX gives (notdir, notsock, isdir, spipe, ...), so that
  // notcapable only means rights that were dropped or never granted.
  FdEntry* lookup(uint32_t fd, uint64_t rights, Errno* error, Errno (*kind_error)(uint8_t type));
  // Installs an entry at the lowest free fd; nullopt if the table is full.
  std::optional<uint32_t> insert(std::unique_ptr<FdEntry> entry);
};

// Bounds-checked little-endian access to the guest's linear memory during
// one host call (the memory cannot grow while a host function runs).
class GuestMemory {
 public:
  explicit GuestMemory(Memory* m) : base_(m ? m->data : nullptr), size_(m ? m->size_bytes : 0) {}
  bool ok(uint64_t ptr, uint64_t len) const { return ptr <= size_ && len <= size_ - ptr; }
  uint8_t* at(uint64_t ptr) const { return base_ + ptr; }

  template <typename T>
  bool load(uint64_t ptr, T* out) const {
    if (!ok(ptr, sizeof(T))) return false;
    std::memcpy(out, base_ + ptr, sizeof(T));
    return true;
  }
  template <typename T>
  bool store(uint64_t ptr, T v) {
    if (!ok(ptr, sizeof(T))) return false;
    std::memcpy(base_ + ptr, &v, sizeof(T));
    return true;
  }
  // A guest string (ptr, len) as a view into guest memory.
  bool string(uint64_t ptr, uint64_t len, std::string_view* out) const {
    if (!ok(ptr, len)) return false;
    *out = std::string_view(reinterpret_cast<const char*>(base_ + ptr), len);
    return true;
  }

 private:
  uint8_t* base_;
  uint64_t size_;
};

// Translates a host errno value.
Errno errno_from_host(int host_errno);
// The WASI file type of a host st_mode.
uint8_t filetype_from_mode(unsigned mode);
// The size of a filestat structure in `abi`.
constexpr uint32_t filestat_size(Abi abi) { return abi == Abi::snapshot0 ? snapshot0::kFilestatSize : kFilestatSize; }
// Writes a filestat structure in `abi`'s layout at `ptr` (caller checked
// bounds); overflow if the link count does not fit snapshot 0's u32.
Errno write_filestat(GuestMemory& mem, uint32_t ptr, const struct stat& st, Abi abi);
// Converts WASI timestamps and fstflags into utimensat/futimens times;
// false for contradictory flags.
bool make_timespecs(uint64_t atim, uint64_t mtim, uint32_t fst_flags, struct timespec out[2]);
// The host clock of a WASI clock id; false for an unknown id.
bool host_clock(uint32_t id, clockid_t* out);
// Rights a descriptor of the given type may hold.
uint64_t rights_for_type(uint8_t type);
// Kind checks for WasiContext::Impl::lookup.
inline bool is_socket(uint8_t type) { return type == filetype::socket_stream || type == filetype::socket_dgram; }
inline Errno require_directory(uint8_t type) { return type == filetype::directory ? Errno(err::success) : Errno(err::notdir); }
inline Errno require_socket(uint8_t type) { return is_socket(type) ? Errno(err::success) : Errno(err::notsock); }

// Host call arguments: i32 slots carry their value in the low half.
inline uint32_t arg32(const uint64_t* a, int i) { return uint32_t(a[i]); }
inline uint64_t arg64(const uint64_t* a, int i) { return a[i]; }

}  // namespace weft::wasi
