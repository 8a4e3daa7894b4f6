// The fixture of the WASI host-function tests (wasi_calls_test.cc,
// wasi_errors_test.cc, wasi_unstable_test.cc): a context with a preopened
// scratch directory at fd 3, stdout into a file, one page of guest memory,
// and helpers to call the functions and read and write that memory.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "binary/decoder.h"
#include "text/script.h"
#include "validate/validator.h"
#include "wasi/calls.h"
#include "wasi_test_util.h"

namespace weft::testing {

using wasi::Errno;
namespace err = wasi::err;
namespace right = wasi::right;
namespace fs = std::filesystem;

constexpr uint32_t kRootFd = 3;

class WasiCallsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    out_path = dir.base() + "/stdout.txt";
    int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(out_fd, 0);
    wasi::WasiConfig config;
    config.args = {"prog", "one", "two words"};
    config.env = {"A=1", "HOME=/nowhere"};
    config.preopens.push_back({dir.root(), "/sandbox"});
    config.stdout_fd = out_fd;
    auto c = wasi::WasiContext::create(config);
    ::close(out_fd);
    ASSERT_TRUE(c.ok()) << c.error().to_string();
    ctx = std::move(c.value());
    MemoryType mt;
    mt.limits.min = 1;
    memory = store.new_memory(mt);
    ASSERT_NE(memory, nullptr);
    ctx->bind_memory(memory);
  }

  using CallFn = Result<Errno> (*)(wasi::WasiContext&, wasi::GuestMemory&, const uint64_t*);
  Errno call(CallFn fn, std::vector<uint64_t> args) {
    wasi::GuestMemory mem(memory);
    auto r = fn(*ctx, mem, args.data());
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : Errno(0xffff);
  }
  // Guest memory helpers: data at fixed addresses.
  uint32_t put(uint32_t addr, const std::string& s) {
    std::memcpy(memory->data + addr, s.data(), s.size());
    return addr;
  }
  std::string get(uint32_t addr, uint32_t len) { return std::string(reinterpret_cast<char*>(memory->data + addr), len); }
  template <typename T>
  T load(uint32_t addr) {
    T v;
    std::memcpy(&v, memory->data + addr, sizeof v);
    return v;
  }
  template <typename T>
  void store_at(uint32_t addr, T v) {
    std::memcpy(memory->data + addr, &v, sizeof v);
  }

  // path_open beneath `dirfd`; the new fd, or ~0u with *error set.
  uint32_t open(const std::string& path, uint16_t oflags, uint64_t rights, Errno* error = nullptr,
                uint32_t dirfd = kRootFd, uint32_t lookup = wasi::kLookupSymlinkFollow, uint16_t fdflags = 0) {
    put(1000, path);
    Errno e = call(wasi::call_path_open,
                   {dirfd, lookup, 1000, path.size(), oflags, rights, rights, fdflags, 2000});
    if (error) *error = e;
    return e == err::success ? load<uint32_t>(2000) : ~0u;
  }
  // fd_write / fd_read of one buffer at address 3000.
  Errno write(uint32_t fd, const std::string& data, uint32_t* n = nullptr) {
    put(3000, data);
    store_at<uint32_t>(100, 3000);
    store_at<uint32_t>(104, uint32_t(data.size()));
    Errno e = call(wasi::call_fd_write, {fd, 100, 1, 108});
    if (n) *n = load<uint32_t>(108);
    return e;
  }
  Errno read(uint32_t fd, uint32_t len, std::string* out) {
    store_at<uint32_t>(100, 3000);
    store_at<uint32_t>(104, len);
    Errno e = call(wasi::call_fd_read, {fd, 100, 1, 108});
    if (e == err::success) *out = get(3000, load<uint32_t>(108));
    return e;
  }

  ScratchDir dir;
  std::string out_path;
  Engine engine;
  Store store{engine};
  Memory* memory = nullptr;
  std::unique_ptr<wasi::WasiContext> ctx;
};

// Writes a clock subscription at `addr`.
inline void clock_subscription(uint8_t* mem, uint32_t addr, uint64_t userdata, uint64_t timeout_ns) {
  std::memset(mem + addr, 0, wasi::kSubscriptionSize);
  std::memcpy(mem + addr, &userdata, 8);
  mem[addr + 8] = wasi::eventtype::clock;
  uint32_t id = wasi::clockid::monotonic;
  std::memcpy(mem + addr + 16, &id, 4);
  std::memcpy(mem + addr + 24, &timeout_ns, 8);
}

inline Result<std::shared_ptr<const Module>> compile(TypeRegistry& types, const char* wat) {
  WEFT_TRY(std::vector<uint8_t> bytes, parse_wat(wat));
  WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
  WEFT_CHECK(validate_module(types, *m));
  return std::shared_ptr<const Module>(std::move(m));
}

}  // namespace weft::testing
