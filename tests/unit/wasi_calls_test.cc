// The WASI host functions, called directly with arguments and a guest memory,
// and end to end through WAT command modules.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <vector>

#include "binary/decoder.h"
#include "text/script.h"
#include "validate/validator.h"
#include "wasi/calls.h"
#include "wasi_test_util.h"

namespace weft::testing {
namespace {

using wasi::Errno;
namespace err = wasi::err;
namespace right = wasi::right;
namespace fs = std::filesystem;

constexpr uint32_t kRootFd = 3;

class WasiCalls : public ::testing::Test {
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

TEST_F(WasiCalls, ArgsAndEnvironment) {
  ASSERT_EQ(call(wasi::call_args_sizes_get, {10, 14}), err::success);
  EXPECT_EQ(load<uint32_t>(10), 3u);
  EXPECT_EQ(load<uint32_t>(14), uint32_t(5 + 4 + 10));
  ASSERT_EQ(call(wasi::call_args_get, {100, 200}), err::success);
  EXPECT_EQ(load<uint32_t>(100), 200u);
  EXPECT_EQ(get(load<uint32_t>(104), 4), std::string("one\0", 4));
  EXPECT_EQ(get(load<uint32_t>(108), 10), std::string("two words\0", 10));
  ASSERT_EQ(call(wasi::call_environ_sizes_get, {10, 14}), err::success);
  EXPECT_EQ(load<uint32_t>(10), 2u);
  ASSERT_EQ(call(wasi::call_environ_get, {100, 200}), err::success);
  EXPECT_EQ(get(load<uint32_t>(104), 14), std::string("HOME=/nowhere\0", 14));
  // Out-of-bounds pointers are reported, never written.
  EXPECT_EQ(call(wasi::call_args_get, {65530, 200}), err::fault);
  EXPECT_EQ(call(wasi::call_args_sizes_get, {65535, 14}), err::fault);
  EXPECT_EQ(call(wasi::call_environ_get, {100, 65530}), err::fault);
  EXPECT_EQ(call(wasi::call_environ_sizes_get, {10, 65533}), err::fault);
  EXPECT_EQ(call(wasi::call_random_get, {500, 0}), err::success);
}

TEST_F(WasiCalls, Preopens) {
  ASSERT_EQ(call(wasi::call_fd_prestat_get, {kRootFd, 10}), err::success);
  EXPECT_EQ(load<uint8_t>(10), wasi::kPreopenDir);
  EXPECT_EQ(load<uint32_t>(14), 8u);
  ASSERT_EQ(call(wasi::call_fd_prestat_dir_name, {kRootFd, 20, 8}), err::success);
  EXPECT_EQ(get(20, 8), "/sandbox");
  EXPECT_EQ(call(wasi::call_fd_prestat_dir_name, {kRootFd, 20, 4}), err::nametoolong);
  EXPECT_EQ(call(wasi::call_fd_prestat_get, {1, 10}), err::badf);   // stdout: not a preopen
  EXPECT_EQ(call(wasi::call_fd_prestat_get, {4, 10}), err::badf);   // the end of the preopens
}

TEST_F(WasiCalls, StdoutWrite) {
  uint32_t n = 0;
  ASSERT_EQ(write(1, "hello\n", &n), err::success);
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(ScratchDir::read(out_path), "hello\n");
}

TEST_F(WasiCalls, CreateWriteSeekReadStat) {
  const uint64_t rw = right::fd_read | right::fd_write | right::fd_seek | right::fd_tell |
                      right::fd_filestat_get | right::fd_filestat_set_size;
  Errno e;
  uint32_t fd = open("notes.txt", wasi::oflag::creat | wasi::oflag::excl, rw, &e);
  ASSERT_EQ(e, err::success);
  EXPECT_EQ(fd, 4u);  // the lowest free descriptor
  ASSERT_EQ(write(fd, "0123456789"), err::success);
  EXPECT_EQ(ScratchDir::read(dir.in_root("notes.txt")), "0123456789");
  ASSERT_EQ(call(wasi::call_fd_seek, {fd, uint64_t(-4), wasi::whence::cur, 40}), err::success);
  EXPECT_EQ(load<uint64_t>(40), 6u);
  std::string got;
  ASSERT_EQ(read(fd, 100, &got), err::success);
  EXPECT_EQ(got, "6789");
  ASSERT_EQ(call(wasi::call_fd_tell, {fd, 40}), err::success);
  EXPECT_EQ(load<uint64_t>(40), 10u);
  ASSERT_EQ(call(wasi::call_fd_filestat_set_size, {fd, 3}), err::success);
  ASSERT_EQ(call(wasi::call_fd_filestat_get, {fd, 200}), err::success);
  EXPECT_EQ(load<uint8_t>(216), wasi::filetype::regular_file);
  EXPECT_EQ(load<uint64_t>(232), 3u);  // size
  // The same file by path.
  put(1000, "notes.txt");
  ASSERT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 0, 1000, 9, 300}), err::success);
  EXPECT_EQ(load<uint64_t>(332), 3u);
  EXPECT_EQ(load<uint64_t>(308), load<uint64_t>(208));  // same inode
  // Exclusive creation of an existing file.
  open("notes.txt", wasi::oflag::creat | wasi::oflag::excl, rw, &e);
  EXPECT_EQ(e, err::exist);
  ASSERT_EQ(call(wasi::call_fd_close, {fd}), err::success);
  EXPECT_EQ(call(wasi::call_fd_close, {fd}), err::badf);
  EXPECT_EQ(write(fd, "x"), err::badf);
}

TEST_F(WasiCalls, PositionedReadWrite) {
  ScratchDir::write(dir.in_root("p.txt"), "abcdef");
  uint32_t fd = open("p.txt", 0, right::fd_read | right::fd_write | right::fd_seek);
  ASSERT_NE(fd, ~0u);
  put(3000, "XY");
  store_at<uint32_t>(100, 3000);
  store_at<uint32_t>(104, 2);
  ASSERT_EQ(call(wasi::call_fd_pwrite, {fd, 100, 1, 2, 108}), err::success);
  EXPECT_EQ(load<uint32_t>(108), 2u);
  store_at<uint32_t>(104, 3);
  ASSERT_EQ(call(wasi::call_fd_pread, {fd, 100, 1, 1, 108}), err::success);
  EXPECT_EQ(get(3000, load<uint32_t>(108)), "bXY");
  EXPECT_EQ(ScratchDir::read(dir.in_root("p.txt")), "abXYef");
}

TEST_F(WasiCalls, RightsAreEnforced) {
  ScratchDir::write(dir.in_root("r.txt"), "read me");
  uint32_t fd = open("r.txt", 0, right::fd_read);
  ASSERT_NE(fd, ~0u);
  std::string got;
  ASSERT_EQ(read(fd, 100, &got), err::success);
  EXPECT_EQ(got, "read me");
  EXPECT_EQ(write(fd, "x"), err::notcapable);
  EXPECT_EQ(call(wasi::call_fd_seek, {fd, 0, wasi::whence::set, 40}), err::notcapable);
  // Rights can be dropped, never regained.
  ASSERT_EQ(call(wasi::call_fd_fdstat_set_rights, {fd, 0, 0}), err::success);
  EXPECT_EQ(read(fd, 100, &got), err::notcapable);
  EXPECT_EQ(call(wasi::call_fd_fdstat_set_rights, {fd, right::fd_read, 0}), err::notcapable);
  // A directory whose inheriting rights lack fd_write cannot hand it out.
  ASSERT_EQ(call(wasi::call_fd_fdstat_get, {kRootFd, 200}), err::success);
  const uint64_t base = load<uint64_t>(208), inheriting = load<uint64_t>(216);
  EXPECT_EQ(load<uint8_t>(200), wasi::filetype::directory);
  ASSERT_EQ(call(wasi::call_fd_fdstat_set_rights, {kRootFd, base, inheriting & ~right::fd_write}), err::success);
  Errno e;
  open("r.txt", 0, right::fd_write, &e);
  EXPECT_EQ(e, err::notcapable);
  // And without path_create_directory, mkdir is refused.
  ASSERT_EQ(call(wasi::call_fd_fdstat_set_rights, {kRootFd, base & ~right::path_create_directory, 0}),
            err::success);
  put(1000, "newdir");
  EXPECT_EQ(call(wasi::call_path_create_directory, {kRootFd, 1000, 6}), err::notcapable);
  EXPECT_FALSE(fs::exists(dir.in_root("newdir")));
}

TEST_F(WasiCalls, EscapesFailWithNotCapable) {
  Errno e;
  open("../secret", 0, right::fd_read, &e);
  EXPECT_EQ(e, err::notcapable);
  open(dir.base() + "/secret", 0, right::fd_read, &e);
  EXPECT_EQ(e, err::notcapable);
  fs::create_directory_symlink("..", dir.in_root("up"));
  open("up/secret", 0, right::fd_read, &e);
  EXPECT_EQ(e, err::notcapable);
  put(1000, "../escaped");
  EXPECT_EQ(call(wasi::call_path_create_directory, {kRootFd, 1000, 10}), err::notcapable);
  put(1100, "/tmp/x");
  put(1200, "link");
  EXPECT_EQ(call(wasi::call_path_symlink, {1100, 6, kRootFd, 1200, 4}), err::perm);
  put(1300, "up/secret");
  put(1400, "stolen");
  EXPECT_EQ(call(wasi::call_path_rename, {kRootFd, 1300, 9, kRootFd, 1400, 6}), err::notcapable);
  EXPECT_EQ(call(wasi::call_path_link, {kRootFd, 0, 1300, 9, kRootFd, 1400, 6}), err::notcapable);
  EXPECT_EQ(call(wasi::call_path_unlink_file, {kRootFd, 1300, 9}), err::notcapable);
  EXPECT_EQ(ScratchDir::read(dir.base() + "/secret"), "secret\n");
  EXPECT_FALSE(fs::exists(dir.base() + "/escaped"));
}

TEST_F(WasiCalls, DirectoriesAndReaddir) {
  put(1000, "sub");
  ASSERT_EQ(call(wasi::call_path_create_directory, {kRootFd, 1000, 3}), err::success);
  EXPECT_EQ(call(wasi::call_path_create_directory, {kRootFd, 1000, 3}), err::exist);
  for (const char* name : {"sub/alpha", "sub/beta", "sub/gamma-with-a-long-name"})
    ScratchDir::write(dir.in_root(name), "x");
  uint32_t fd = open("sub", wasi::oflag::directory, right::fd_readdir);
  ASSERT_NE(fd, ~0u);
  // Read with a buffer too small for everything, continuing from cookies.
  std::map<std::string, uint8_t> seen;
  uint64_t cookie = 0;
  for (int round = 0; round < 20; ++round) {
    const uint32_t buf_len = 64;
    ASSERT_EQ(call(wasi::call_fd_readdir, {fd, 4000, buf_len, cookie, 40}), err::success);
    uint32_t used = load<uint32_t>(40), at = 0;
    while (at + wasi::kDirentSize <= used) {
      uint64_t next = load<uint64_t>(4000 + at);
      uint32_t namlen = load<uint32_t>(4000 + at + 16);
      if (at + wasi::kDirentSize + namlen > used) break;  // cut off: ask again from here
      seen[get(4000 + at + wasi::kDirentSize, namlen)] = load<uint8_t>(4000 + at + 20);
      cookie = next;
      at += wasi::kDirentSize + namlen;
    }
    if (used < buf_len) break;
  }
  EXPECT_EQ(seen.size(), 5u);  // . .. and three files
  EXPECT_EQ(seen["alpha"], wasi::filetype::regular_file);
  EXPECT_EQ(seen["gamma-with-a-long-name"], wasi::filetype::regular_file);
  EXPECT_EQ(seen["."], wasi::filetype::directory);
  // Removing: a non-empty directory, then its files and itself.
  EXPECT_EQ(call(wasi::call_path_remove_directory, {kRootFd, 1000, 3}), err::notempty);
  put(1100, "sub/alpha");
  EXPECT_EQ(call(wasi::call_path_unlink_file, {kRootFd, 1100, 9}), err::success);
  EXPECT_EQ(call(wasi::call_path_unlink_file, {kRootFd, 1100, 9}), err::noent);
  EXPECT_EQ(call(wasi::call_path_unlink_file, {kRootFd, 1000, 3}), err::isdir);
  // A file is not a directory.
  uint32_t file = open("sub/beta", 0, right::fd_read);
  EXPECT_EQ(call(wasi::call_fd_readdir, {file, 4000, 100, 0, 40}), err::notdir);
  put(1200, "sub/beta/x");
  EXPECT_EQ(call(wasi::call_path_create_directory, {kRootFd, 1200, 10}), err::notdir);
}

TEST_F(WasiCalls, RenameLinkSymlinkReadlink) {
  ScratchDir::write(dir.in_root("old"), "content");
  put(1000, "old");
  put(1100, "new");
  ASSERT_EQ(call(wasi::call_path_rename, {kRootFd, 1000, 3, kRootFd, 1100, 3}), err::success);
  EXPECT_EQ(ScratchDir::read(dir.in_root("new")), "content");
  put(1200, "hard");
  ASSERT_EQ(call(wasi::call_path_link, {kRootFd, 0, 1100, 3, kRootFd, 1200, 4}), err::success);
  put(1300, "soft");
  ASSERT_EQ(call(wasi::call_path_symlink, {1100, 3, kRootFd, 1300, 4}), err::success);
  ASSERT_EQ(call(wasi::call_path_readlink, {kRootFd, 1300, 4, 1400, 100, 40}), err::success);
  EXPECT_EQ(get(1400, load<uint32_t>(40)), "new");
  // Through the link (followed) and on the link itself (not followed).
  ASSERT_EQ(call(wasi::call_path_filestat_get, {kRootFd, wasi::kLookupSymlinkFollow, 1300, 4, 300}), err::success);
  EXPECT_EQ(load<uint8_t>(316), wasi::filetype::regular_file);
  EXPECT_EQ(load<uint64_t>(324), 2u);  // two hard links
  ASSERT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 0, 1300, 4, 300}), err::success);
  EXPECT_EQ(load<uint8_t>(316), wasi::filetype::symbolic_link);
  Errno e;
  open("soft", 0, right::fd_read, &e, kRootFd, /*lookup=*/0);
  EXPECT_EQ(e, err::loop);
  EXPECT_NE(open("soft", 0, right::fd_read), ~0u);
}

TEST_F(WasiCalls, SetTimes) {
  ScratchDir::write(dir.in_root("t"), "");
  put(1000, "t");
  const uint64_t atim = 1000000000ull * 1000000 + 5, mtim = 1000000000ull * 2000000 + 7;
  ASSERT_EQ(call(wasi::call_path_filestat_set_times,
                 {kRootFd, 0, 1000, 1, atim, mtim, wasi::fstflag::atim | wasi::fstflag::mtim}),
            err::success);
  ASSERT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 0, 1000, 1, 300}), err::success);
  EXPECT_EQ(load<uint64_t>(340), atim);
  EXPECT_EQ(load<uint64_t>(348), mtim);
  EXPECT_EQ(call(wasi::call_path_filestat_set_times,
                 {kRootFd, 0, 1000, 1, 0, 0, wasi::fstflag::mtim | wasi::fstflag::mtim_now}),
            err::inval);
}

TEST_F(WasiCalls, RenumberAndFdstat) {
  ScratchDir::write(dir.in_root("a"), "A");
  ScratchDir::write(dir.in_root("b"), "B");
  uint32_t a = open("a", 0, right::fd_read), b = open("b", 0, right::fd_read);
  ASSERT_EQ(call(wasi::call_fd_renumber, {a, b}), err::success);
  std::string got;
  ASSERT_EQ(read(b, 10, &got), err::success);
  EXPECT_EQ(got, "A");
  EXPECT_EQ(read(a, 10, &got), err::badf);
  EXPECT_EQ(call(wasi::call_fd_renumber, {b, 77}), err::badf);
  ASSERT_EQ(call(wasi::call_fd_fdstat_set_flags, {b, wasi::fdflag::nonblock}), err::notcapable);
  uint32_t c = open("a", 0, right::fd_read | right::fd_fdstat_set_flags);
  ASSERT_EQ(call(wasi::call_fd_fdstat_set_flags, {c, wasi::fdflag::append}), err::success);
  ASSERT_EQ(call(wasi::call_fd_fdstat_get, {c, 200}), err::success);
  EXPECT_EQ(load<uint16_t>(202), wasi::fdflag::append);
}

TEST_F(WasiCalls, ClocksAndRandom) {
  ASSERT_EQ(call(wasi::call_clock_time_get, {wasi::clockid::monotonic, 1, 40}), err::success);
  uint64_t t0 = load<uint64_t>(40);
  ASSERT_EQ(call(wasi::call_clock_time_get, {wasi::clockid::monotonic, 1, 40}), err::success);
  EXPECT_GE(load<uint64_t>(40), t0);
  ASSERT_EQ(call(wasi::call_clock_time_get, {wasi::clockid::realtime, 1, 40}), err::success);
  EXPECT_GT(load<uint64_t>(40), 1600000000ull * 1000000000ull);
  for (uint32_t id : {0u, 1u, 2u, 3u}) {
    ASSERT_EQ(call(wasi::call_clock_res_get, {id, 40}), err::success);
    EXPECT_GT(load<uint64_t>(40), 0u);
  }
  EXPECT_EQ(call(wasi::call_clock_time_get, {9, 1, 40}), err::inval);
  std::memset(memory->data + 500, 0, 64);
  ASSERT_EQ(call(wasi::call_random_get, {500, 64}), err::success);
  EXPECT_NE(get(500, 64), std::string(64, '\0'));
  EXPECT_EQ(call(wasi::call_random_get, {65500, 64}), err::fault);
}

// path_open: the access mode with oflags::directory is judged like POSIX
// open(2) (a directory with write rights is EISDIR), bad flags are EINVAL.
TEST_F(WasiCalls, OpenFlagsAndModes) {
  fs::create_directory(dir.in_root("sub"));
  ScratchDir::write(dir.in_root("f"), "x");
  fs::create_symlink("nowhere", dir.in_root("dangling"));
  const uint16_t directory = wasi::oflag::directory;
  Errno e;
  open("sub", directory, right::fd_read | right::fd_write, &e);
  EXPECT_EQ(e, err::isdir);
  open("sub", directory, right::fd_write, &e);
  EXPECT_EQ(e, err::isdir);
  open("sub", directory, right::fd_readdir, &e, kRootFd, 0, wasi::fdflag::append);
  EXPECT_EQ(e, err::isdir);
  open("sub", 0, right::fd_write, &e);
  EXPECT_EQ(e, err::isdir);
  open("f", directory, right::fd_read, &e);
  EXPECT_EQ(e, err::notdir);
  open("f", directory, right::fd_read | right::fd_write, &e);
  EXPECT_EQ(e, err::notdir);
  const uint32_t d = open("sub", directory, right::fd_readdir | right::path_open, &e);
  EXPECT_EQ(e, err::success);
  ASSERT_EQ(call(wasi::call_fd_fdstat_get, {d, 200}), err::success);
  EXPECT_EQ(load<uint8_t>(200), wasi::filetype::directory);
  // Undefined flag bits, and creating a directory with path_open.
  open("f", 0x10, right::fd_read, &e);
  EXPECT_EQ(e, err::inval);
  open("f", 0, right::fd_read, &e, kRootFd, 0, 0x20);
  EXPECT_EQ(e, err::inval);
  open("f", 0, right::fd_read, &e, kRootFd, 2);
  EXPECT_EQ(e, err::inval);
  open("newdir", wasi::oflag::creat | directory, right::fd_read, &e);
  EXPECT_EQ(e, err::inval);
  EXPECT_FALSE(fs::exists(dir.in_root("newdir")));
  // A name ending in '/' is never created as a file.
  open("new/", wasi::oflag::creat, right::fd_write, &e);
  EXPECT_EQ(e, err::isdir);
  EXPECT_FALSE(fs::exists(dir.in_root("new")));
  open("dangling/", wasi::oflag::creat, right::fd_write, &e);
  EXPECT_EQ(e, err::isdir);
  EXPECT_FALSE(fs::exists(dir.in_root("nowhere")));
  open("missing/new/", wasi::oflag::creat, right::fd_write, &e);
  EXPECT_EQ(e, err::noent);
  // O_EXCL: anything already there, a dangling symlink included.
  open("f", wasi::oflag::creat | wasi::oflag::excl, right::fd_write, &e);
  EXPECT_EQ(e, err::exist);
  open("sub", wasi::oflag::creat | wasi::oflag::excl, right::fd_write, &e);
  EXPECT_EQ(e, err::exist);
  open("dangling", wasi::oflag::creat | wasi::oflag::excl, right::fd_write, &e);
  EXPECT_EQ(e, err::exist);
  EXPECT_FALSE(fs::exists(dir.in_root("nowhere")));
  // Empty paths, NUL bytes, out-of-bounds paths and results.
  open("", 0, right::fd_read, &e);
  EXPECT_EQ(e, err::noent);
  open(std::string("f\0x", 3), 0, right::fd_read, &e);
  EXPECT_EQ(e, err::inval);
  EXPECT_EQ(call(wasi::call_path_open, {kRootFd, 0, 65530, 10, 0, right::fd_read, 0, 0, 2000}), err::fault);
  put(1000, "created");
  EXPECT_EQ(call(wasi::call_path_open,
                 {kRootFd, 0, 1000, 7, wasi::oflag::creat, right::fd_write, 0, 0, 65534}),
            err::fault);
  EXPECT_FALSE(fs::exists(dir.in_root("created")));
}

// An empty path names nothing: ENOENT from every path call (wasi-libc
// itself turns "" into ".", so the C tests cannot see this).
TEST_F(WasiCalls, EmptyPathsAreNoent) {
  ScratchDir::write(dir.in_root("f"), "x");
  put(1000, "f");
  EXPECT_EQ(call(wasi::call_path_create_directory, {kRootFd, 1000, 0}), err::noent);
  EXPECT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 0, 1000, 0, 300}), err::noent);
  EXPECT_EQ(call(wasi::call_path_filestat_set_times, {kRootFd, 0, 1000, 0, 0, 0, 0}), err::noent);
  EXPECT_EQ(call(wasi::call_path_open, {kRootFd, 0, 1000, 0, 0, right::fd_read, 0, 0, 2000}), err::noent);
  EXPECT_EQ(call(wasi::call_path_open, {kRootFd, 0, 1000, 0, wasi::oflag::creat, right::fd_write, 0, 0, 2000}),
            err::noent);
  EXPECT_EQ(call(wasi::call_path_readlink, {kRootFd, 1000, 0, 1400, 100, 40}), err::noent);
  EXPECT_EQ(call(wasi::call_path_remove_directory, {kRootFd, 1000, 0}), err::noent);
  EXPECT_EQ(call(wasi::call_path_unlink_file, {kRootFd, 1000, 0}), err::noent);
  EXPECT_EQ(call(wasi::call_path_rename, {kRootFd, 1000, 0, kRootFd, 1000, 1}), err::noent);
  EXPECT_EQ(call(wasi::call_path_rename, {kRootFd, 1000, 1, kRootFd, 1000, 0}), err::noent);
  EXPECT_EQ(call(wasi::call_path_link, {kRootFd, 0, 1000, 0, kRootFd, 1000, 1}), err::noent);
  EXPECT_EQ(call(wasi::call_path_link, {kRootFd, 0, 1000, 1, kRootFd, 1000, 0}), err::noent);
  EXPECT_EQ(call(wasi::call_path_symlink, {1000, 1, kRootFd, 1000, 0}), err::noent);
  EXPECT_EQ(ScratchDir::read(dir.in_root("f")), "x");
}

// readlink: a short buffer truncates (as readlink(2); the WASI docs say so
// too); a non-link is EINVAL; out-of-bounds buffers are EFAULT.
TEST_F(WasiCalls, ReadlinkEdges) {
  fs::create_symlink("a/long/target", dir.in_root("link"));
  ScratchDir::write(dir.in_root("f"), "x");
  put(1000, "link");
  ASSERT_EQ(call(wasi::call_path_readlink, {kRootFd, 1000, 4, 1400, 6, 40}), err::success);
  EXPECT_EQ(load<uint32_t>(40), 6u);
  EXPECT_EQ(get(1400, 6), "a/long");
  ASSERT_EQ(call(wasi::call_path_readlink, {kRootFd, 1000, 4, 1400, 0, 40}), err::success);
  EXPECT_EQ(load<uint32_t>(40), 0u);
  EXPECT_EQ(call(wasi::call_path_readlink, {kRootFd, 1000, 4, 65530, 100, 40}), err::fault);
  EXPECT_EQ(call(wasi::call_path_readlink, {kRootFd, 1000, 4, 1400, 100, 65534}), err::fault);
  put(1000, "f");
  EXPECT_EQ(call(wasi::call_path_readlink, {kRootFd, 1000, 1, 1400, 100, 40}), err::inval);
  put(1000, "missing");
  EXPECT_EQ(call(wasi::call_path_readlink, {kRootFd, 1000, 7, 1400, 100, 40}), err::noent);
}

// fd_readdir cookies: any cookie from a listing may be resumed, a cookie
// past the end gives nothing, and a listing may start at a cookie other
// than 0.
TEST_F(WasiCalls, ReaddirCookies) {
  fs::create_directory(dir.in_root("d"));
  ScratchDir::write(dir.in_root("d/one"), "");
  const uint32_t fd = open("d", wasi::oflag::directory, right::fd_readdir);
  ASSERT_NE(fd, ~0u);
  ASSERT_EQ(call(wasi::call_fd_readdir, {fd, 4000, 1000, 0, 40}), err::success);
  const uint32_t all = load<uint32_t>(40);
  EXPECT_EQ(all, 3 * wasi::kDirentSize + 1 + 2 + 3);  // ".", "..", "one"
  ASSERT_EQ(call(wasi::call_fd_readdir, {fd, 4000, 1000, 3, 40}), err::success);
  EXPECT_EQ(load<uint32_t>(40), 0u);
  ASSERT_EQ(call(wasi::call_fd_readdir, {fd, 4000, 1000, 1000000, 40}), err::success);
  EXPECT_EQ(load<uint32_t>(40), 0u);
  ASSERT_EQ(call(wasi::call_fd_readdir, {fd, 4000, 1000, 2, 40}), err::success);
  EXPECT_EQ(load<uint32_t>(40), wasi::kDirentSize + load<uint32_t>(4016));
  EXPECT_EQ(load<uint64_t>(4000), 3u);  // d_next of the last entry
  // A fresh descriptor resumed at cookie 1 lists the rest.
  const uint32_t fresh = open("d", wasi::oflag::directory, right::fd_readdir);
  ASSERT_EQ(call(wasi::call_fd_readdir, {fresh, 4000, 1000, 1, 40}), err::success);
  EXPECT_LT(load<uint32_t>(40), all);
  EXPECT_GT(load<uint32_t>(40), 2 * wasi::kDirentSize);
  // A buffer smaller than one header is filled (the guest sees it full).
  ASSERT_EQ(call(wasi::call_fd_readdir, {fd, 4000, 10, 0, 40}), err::success);
  EXPECT_EQ(load<uint32_t>(40), 10u);
  EXPECT_EQ(call(wasi::call_fd_readdir, {fd, 65530, 100, 0, 40}), err::fault);
  EXPECT_EQ(call(wasi::call_fd_readdir, {fd, 4000, 100, 0, 65534}), err::fault);
}

// Arguments outside their enumerations or flag sets are EINVAL.
TEST_F(WasiCalls, InvalidArgumentValues) {
  ScratchDir::write(dir.in_root("f"), "data");
  const uint64_t all_file = right::fd_read | right::fd_write | right::fd_seek | right::fd_advise |
                            right::fd_allocate | right::fd_fdstat_set_flags | right::fd_filestat_set_size |
                            right::fd_filestat_set_times;
  const uint32_t fd = open("f", 0, all_file);
  ASSERT_NE(fd, ~0u);
  EXPECT_EQ(call(wasi::call_fd_seek, {fd, 0, 3, 40}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_seek, {fd, uint64_t(-1), wasi::whence::set, 40}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_seek, {fd, 0, wasi::whence::set, 65533}), err::fault);
  EXPECT_EQ(call(wasi::call_fd_advise, {fd, 0, 0, 6}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_advise, {fd, 0, 0, 0}), err::success);
  EXPECT_EQ(call(wasi::call_fd_allocate, {fd, uint64_t(INT64_MAX), 2}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_filestat_set_size, {fd, uint64_t(-1)}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_fdstat_set_flags, {fd, 0x20}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_fdstat_set_flags, {fd, wasi::fdflag::sync}), err::notsup);
  EXPECT_EQ(call(wasi::call_fd_filestat_set_times, {fd, 0, 0, 0x10}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_filestat_set_times, {fd, 0, 0, wasi::fstflag::atim | wasi::fstflag::atim_now}),
            err::inval);
  store_at<uint32_t>(100, 3000);
  store_at<uint32_t>(104, 4);
  EXPECT_EQ(call(wasi::call_fd_pread, {fd, 100, 1, uint64_t(-1), 108}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_pwrite, {fd, 100, 1, uint64_t(-1), 108}), err::inval);
  store_at<uint32_t>(104, 70000);  // past the end of memory
  EXPECT_EQ(call(wasi::call_fd_read, {fd, 100, 1, 108}), err::fault);
  EXPECT_EQ(call(wasi::call_fd_write, {fd, 100, 1, 108}), err::fault);
  EXPECT_EQ(call(wasi::call_fd_read, {fd, 65535, 1, 108}), err::fault);
  put(1000, "f");
  EXPECT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 2, 1000, 1, 300}), err::inval);
  EXPECT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 0, 1000, 1, 65500}), err::fault);
  EXPECT_EQ(call(wasi::call_path_filestat_set_times, {kRootFd, 0, 1000, 1, 0, 0, 0x10}), err::inval);
  EXPECT_EQ(call(wasi::call_path_link, {kRootFd, 2, 1000, 1, kRootFd, 1000, 1}), err::inval);
  EXPECT_EQ(call(wasi::call_clock_res_get, {4, 40}), err::inval);
  EXPECT_EQ(call(wasi::call_clock_time_get, {4, 0, 40}), err::inval);
  EXPECT_EQ(call(wasi::call_clock_time_get, {wasi::clockid::realtime, 0, 65532}), err::fault);
  EXPECT_EQ(call(wasi::call_clock_res_get, {wasi::clockid::realtime, 65532}), err::fault);
  wasi::GuestMemory mem(memory);
  uint64_t sig = 31;  // past $signal's last value
  auto raised = wasi::call_proc_raise(*ctx, mem, &sig);
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised.value(), err::inval);
  EXPECT_FALSE(ctx->exit_code().has_value());
}

// Descriptor table edge cases: renumbering, closing preopens, prestat.
TEST_F(WasiCalls, RenumberCloseAndPrestatEdges) {
  ScratchDir::write(dir.in_root("a"), "A");
  const uint32_t a = open("a", 0, right::fd_read);
  ASSERT_NE(a, ~0u);
  EXPECT_EQ(call(wasi::call_fd_renumber, {a, a}), err::success);  // onto itself: nothing happens
  std::string got;
  ASSERT_EQ(read(a, 10, &got), err::success);
  EXPECT_EQ(call(wasi::call_fd_renumber, {99, a}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_renumber, {a, 99}), err::badf);  // the target must be open
  EXPECT_EQ(call(wasi::call_fd_renumber, {99, 99}), err::badf);
  // A preopen can be closed like any descriptor; then it is gone.
  EXPECT_EQ(call(wasi::call_fd_close, {kRootFd}), err::success);
  EXPECT_EQ(call(wasi::call_fd_prestat_get, {kRootFd, 10}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_close, {kRootFd}), err::badf);
  put(1000, "a");
  EXPECT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 0, 1000, 1, 300}), err::badf);
  // The lowest free number is reused.
  EXPECT_EQ(call(wasi::call_fd_renumber, {a, 2}), err::success);
  EXPECT_EQ(call(wasi::call_fd_prestat_get, {99, 10}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_prestat_dir_name, {0, 20, 8}), err::badf);
}

// Writes a clock subscription at `addr`.
void clock_subscription(uint8_t* mem, uint32_t addr, uint64_t userdata, uint64_t timeout_ns) {
  std::memset(mem + addr, 0, wasi::kSubscriptionSize);
  std::memcpy(mem + addr, &userdata, 8);
  mem[addr + 8] = wasi::eventtype::clock;
  uint32_t id = wasi::clockid::monotonic;
  std::memcpy(mem + addr + 16, &id, 4);
  std::memcpy(mem + addr + 24, &timeout_ns, 8);
}

TEST_F(WasiCalls, PollSleepsForClockSubscriptions) {
  clock_subscription(memory->data, 1000, 11, 10000000000ull);  // 10 s
  clock_subscription(memory->data, 1048, 22, 5000000);         // 5 ms: fires first
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(call(wasi::call_poll_oneoff, {1000, 2000, 2, 40}), err::success);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, std::chrono::milliseconds(5));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  ASSERT_EQ(load<uint32_t>(40), 1u);
  EXPECT_EQ(load<uint64_t>(2000), 22u);
  EXPECT_EQ(load<uint16_t>(2008), err::success);
  EXPECT_EQ(load<uint8_t>(2010), wasi::eventtype::clock);
  EXPECT_EQ(call(wasi::call_poll_oneoff, {1000, 2000, 0, 40}), err::inval);
}

// Subscriptions that cannot be waited on become error events at once; a
// bad event type fails the whole call.
TEST_F(WasiCalls, PollErrorEvents) {
  clock_subscription(memory->data, 1000, 1, 10000000000ull);  // 10 s: must not be waited for
  std::memset(memory->data + 1048, 0, 2 * wasi::kSubscriptionSize);
  memory->data[1048] = 2;
  memory->data[1048 + 8] = wasi::eventtype::fd_read;
  const uint32_t bad_fd = 99;
  std::memcpy(memory->data + 1048 + 16, &bad_fd, 4);
  ScratchDir::write(dir.in_root("f"), "x");
  const uint32_t no_poll = open("f", 0, right::fd_read);  // without poll_fd_readwrite
  memory->data[1096] = 3;
  memory->data[1096 + 8] = wasi::eventtype::fd_write;
  std::memcpy(memory->data + 1096 + 16, &no_poll, 4);
  ASSERT_EQ(call(wasi::call_poll_oneoff, {1000, 2000, 3, 40}), err::success);
  ASSERT_EQ(load<uint32_t>(40), 2u);
  EXPECT_EQ(load<uint64_t>(2000), 2u);
  EXPECT_EQ(load<uint16_t>(2008), err::badf);
  EXPECT_EQ(load<uint8_t>(2010), wasi::eventtype::fd_read);
  EXPECT_EQ(load<uint64_t>(2032), 3u);
  EXPECT_EQ(load<uint16_t>(2040), err::notcapable);
  memory->data[1048 + 8] = 3;  // no such event type
  EXPECT_EQ(call(wasi::call_poll_oneoff, {1000, 2000, 2, 40}), err::inval);
  EXPECT_EQ(call(wasi::call_poll_oneoff, {1000, 65536 - 32, 2, 40}), err::fault);
  EXPECT_EQ(call(wasi::call_poll_oneoff, {1000, 2000, 1, 65534}), err::fault);
}

TEST_F(WasiCalls, PollReportsReadableDescriptors) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  uint32_t fd = ctx->add_socket(sv[0]);
  clock_subscription(memory->data, 1000, 1, 5000000000ull);  // 5 s: must not be waited for
  std::memset(memory->data + 1048, 0, wasi::kSubscriptionSize);
  memory->data[1048] = 2;  // userdata
  memory->data[1048 + 8] = wasi::eventtype::fd_read;
  std::memcpy(memory->data + 1048 + 16, &fd, 4);
  ASSERT_EQ(::write(sv[1], "ping", 4), 4);
  ASSERT_EQ(call(wasi::call_poll_oneoff, {1000, 2000, 2, 40}), err::success);
  ASSERT_EQ(load<uint32_t>(40), 1u);
  EXPECT_EQ(load<uint64_t>(2000), 2u);
  EXPECT_EQ(load<uint8_t>(2010), wasi::eventtype::fd_read);
  EXPECT_EQ(load<uint64_t>(2016), 4u);  // bytes available
  ::close(sv[1]);
}

TEST_F(WasiCalls, Sockets) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  uint32_t fd = ctx->add_socket(sv[0]);
  EXPECT_EQ(fd, 4u);
  put(3000, "hello");
  store_at<uint32_t>(100, 3000);
  store_at<uint32_t>(104, 5);
  ASSERT_EQ(call(wasi::call_sock_send, {fd, 100, 1, 0, 108}), err::success);
  EXPECT_EQ(load<uint32_t>(108), 5u);
  char buf[8] = {};
  ASSERT_EQ(::read(sv[1], buf, sizeof buf), 5);
  EXPECT_STREQ(buf, "hello");
  ASSERT_EQ(::write(sv[1], "reply", 5), 5);
  store_at<uint32_t>(100, 3100);
  store_at<uint32_t>(104, 64);
  ASSERT_EQ(call(wasi::call_sock_recv, {fd, 100, 1, wasi::kRecvPeek, 108, 112}), err::success);
  ASSERT_EQ(call(wasi::call_sock_recv, {fd, 100, 1, 0, 108, 112}), err::success);
  EXPECT_EQ(get(3100, load<uint32_t>(108)), "reply");
  EXPECT_EQ(load<uint16_t>(112), 0u);
  ASSERT_EQ(call(wasi::call_sock_shutdown, {fd, wasi::kShutWr}), err::success);
  EXPECT_EQ(::read(sv[1], buf, sizeof buf), 0);  // end of stream
  EXPECT_EQ(call(wasi::call_sock_shutdown, {fd, 7}), err::inval);
  EXPECT_EQ(call(wasi::call_sock_shutdown, {fd, 0}), err::inval);
  EXPECT_EQ(call(wasi::call_sock_accept, {fd, 2, 40}), err::inval);  // only nonblock is allowed
  EXPECT_EQ(call(wasi::call_sock_send, {fd, 100, 1, 1, 108}), err::inval);  // no siflags exist
  EXPECT_EQ(call(wasi::call_sock_recv, {fd, 100, 1, 4, 108, 112}), err::inval);
  // Out-of-bounds iovecs and results.
  EXPECT_EQ(call(wasi::call_sock_send, {fd, 65532, 1, 0, 108}), err::fault);
  EXPECT_EQ(call(wasi::call_sock_recv, {fd, 100, 1, 0, 108, 65535}), err::fault);
  ::close(sv[1]);
}

// The sock_* calls on a descriptor that is not a socket say ENOTSOCK, as
// POSIX does, not ENOTCAPABLE (a directory or file has no socket rights).
TEST_F(WasiCalls, SocketCallsOnNonSockets) {
  ScratchDir::write(dir.in_root("f"), "x");
  const uint32_t file = open("f", 0, right::fd_read | right::fd_write);
  ASSERT_NE(file, ~0u);
  store_at<uint32_t>(100, 3000);
  store_at<uint32_t>(104, 4);
  for (uint32_t fd : {kRootFd, file, 1u}) {
    EXPECT_EQ(call(wasi::call_sock_shutdown, {fd, wasi::kShutWr}), err::notsock) << fd;
    EXPECT_EQ(call(wasi::call_sock_shutdown, {fd, wasi::kShutRd | wasi::kShutWr}), err::notsock) << fd;
    EXPECT_EQ(call(wasi::call_sock_accept, {fd, 0, 40}), err::notsock) << fd;
    EXPECT_EQ(call(wasi::call_sock_send, {fd, 100, 1, 0, 108}), err::notsock) << fd;
    EXPECT_EQ(call(wasi::call_sock_recv, {fd, 100, 1, 0, 108, 112}), err::notsock) << fd;
  }
  EXPECT_EQ(call(wasi::call_sock_shutdown, {99, wasi::kShutWr}), err::badf);
  EXPECT_EQ(call(wasi::call_sock_accept, {99, 0, 40}), err::badf);
  // A socket whose right was dropped is the capability case.
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  const uint32_t sock = ctx->add_socket(sv[0]);
  ASSERT_EQ(call(wasi::call_fd_fdstat_set_rights, {sock, right::fd_read, 0}), err::success);
  EXPECT_EQ(call(wasi::call_sock_shutdown, {sock, wasi::kShutWr}), err::notcapable);
  ::close(sv[1]);
}

// Calls that the descriptor's type can never do fail with POSIX's errno
// (checked before rights); rights the type could hold but the descriptor
// lacks are ENOTCAPABLE.
TEST_F(WasiCalls, WrongKindOfDescriptor) {
  ScratchDir::write(dir.in_root("f"), "data");
  const uint32_t file = open("f", 0, right::fd_read | right::fd_write | right::fd_seek);
  ASSERT_NE(file, ~0u);
  std::string got;
  // A directory: read is EISDIR, write EBADF (it is never open for writing).
  EXPECT_EQ(read(kRootFd, 10, &got), err::isdir);
  EXPECT_EQ(write(kRootFd, "x"), err::badf);
  store_at<uint32_t>(100, 3000);
  store_at<uint32_t>(104, 4);
  EXPECT_EQ(call(wasi::call_fd_pread, {kRootFd, 100, 1, 0, 108}), err::isdir);
  EXPECT_EQ(call(wasi::call_fd_pwrite, {kRootFd, 100, 1, 0, 108}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_filestat_set_size, {kRootFd, 0}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_allocate, {kRootFd, 0, 10}), err::badf);
  // WASI directories are read with fd_readdir cookies, never seeked.
  EXPECT_EQ(call(wasi::call_fd_seek, {kRootFd, 0, wasi::whence::set, 40}), err::spipe);
  EXPECT_EQ(call(wasi::call_fd_tell, {kRootFd, 40}), err::spipe);
  // A file is not a directory, for fd_readdir and every path_* call.
  EXPECT_EQ(call(wasi::call_fd_readdir, {file, 4000, 100, 0, 40}), err::notdir);
  Errno e;
  open("x", 0, right::fd_read, &e, file);
  EXPECT_EQ(e, err::notdir);
  put(1000, "x");
  EXPECT_EQ(call(wasi::call_path_create_directory, {file, 1000, 1}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_unlink_file, {file, 1000, 1}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_remove_directory, {file, 1000, 1}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_filestat_get, {file, 0, 1000, 1, 300}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_readlink, {file, 1000, 1, 1400, 100, 40}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_symlink, {1000, 1, file, 1000, 1}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_rename, {file, 1000, 1, kRootFd, 1000, 1}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_rename, {kRootFd, 1000, 1, file, 1000, 1}), err::notdir);
  EXPECT_EQ(call(wasi::call_path_link, {kRootFd, 0, 1000, 1, file, 1000, 1}), err::notdir);
  // Sockets: no positions, no fsync.
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  const uint32_t sock = ctx->add_socket(sv[0]);
  EXPECT_EQ(call(wasi::call_fd_seek, {sock, 1, wasi::whence::set, 40}), err::spipe);
  EXPECT_EQ(call(wasi::call_fd_tell, {sock, 40}), err::spipe);
  EXPECT_EQ(call(wasi::call_fd_pread, {sock, 100, 1, 0, 108}), err::spipe);
  EXPECT_EQ(call(wasi::call_fd_pwrite, {sock, 100, 1, 0, 108}), err::spipe);
  EXPECT_EQ(call(wasi::call_fd_sync, {sock}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_datasync, {sock}), err::inval);
  EXPECT_EQ(call(wasi::call_fd_advise, {sock, 0, 0, 0}), err::spipe);
  EXPECT_EQ(call(wasi::call_fd_allocate, {sock, 0, 1}), err::nodev);
  EXPECT_EQ(call(wasi::call_fd_filestat_set_size, {sock, 0}), err::inval);
  ::close(sv[1]);
  // A file opened without rights it could have: ENOTCAPABLE.
  EXPECT_EQ(call(wasi::call_fd_filestat_set_size, {file, 0}), err::notcapable);
  EXPECT_EQ(call(wasi::call_fd_tell, {file, 40}), err::notcapable);
  EXPECT_EQ(call(wasi::call_fd_allocate, {file, 0, 1}), err::notcapable);
  // Bad descriptors come first of all.
  EXPECT_EQ(call(wasi::call_fd_readdir, {99, 4000, 100, 0, 40}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_seek, {99, 0, wasi::whence::set, 40}), err::badf);
  EXPECT_EQ(call(wasi::call_path_create_directory, {99, 1000, 1}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_fdstat_get, {99, 200}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_filestat_get, {99, 200}), err::badf);
  EXPECT_EQ(call(wasi::call_fd_sync, {99}), err::badf);
}

TEST_F(WasiCalls, AcceptOnPreopenedListener) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  struct sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  uint32_t fd = ctx->add_socket(listener);
  ASSERT_EQ(call(wasi::call_fd_fdstat_get, {fd, 200}), err::success);
  EXPECT_EQ(load<uint8_t>(200), wasi::filetype::socket_stream);
  // Nothing pending: accept on a non-blocking listener says so.
  ASSERT_EQ(call(wasi::call_fd_fdstat_set_flags, {fd, wasi::fdflag::nonblock}), err::success);
  EXPECT_EQ(call(wasi::call_sock_accept, {fd, 0, 40}), err::again);
  int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::write(client, "over tcp", 8), 8);
  // The flags given to sock_accept are the new connection's.
  ASSERT_EQ(call(wasi::call_sock_accept, {fd, wasi::fdflag::nonblock, 40}), err::success);
  uint32_t conn = load<uint32_t>(40);
  EXPECT_NE(conn, fd);
  ASSERT_EQ(call(wasi::call_fd_fdstat_get, {conn, 200}), err::success);
  EXPECT_EQ(load<uint16_t>(202), wasi::fdflag::nonblock);
  std::string got;
  ASSERT_EQ(read(conn, 64, &got), err::success);  // fd_read works on sockets too
  EXPECT_EQ(got, "over tcp");
  // The connection cannot accept.
  EXPECT_EQ(call(wasi::call_sock_accept, {conn, 0, 40}), err::notcapable);
  ::close(client);
}

TEST_F(WasiCalls, ProcExitAndRaise) {
  wasi::GuestMemory mem(memory);
  uint64_t code = 42;
  auto r = wasi::call_proc_exit(*ctx, mem, &code);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exit);
  EXPECT_EQ(ctx->exit_code(), 42u);
  uint64_t sig = 16;  // SIGCHLD: ignored
  auto ignored = wasi::call_proc_raise(*ctx, mem, &sig);
  ASSERT_TRUE(ignored.ok());
  sig = 15;  // SIGTERM
  auto term = wasi::call_proc_raise(*ctx, mem, &sig);
  ASSERT_FALSE(term.ok());
  EXPECT_EQ(ctx->exit_code(), uint32_t(128 + SIGTERM));
  EXPECT_EQ(call(wasi::call_sched_yield, {}), err::success);
}

// ---- end to end ----------------------------------------------------------------

Result<std::shared_ptr<const Module>> compile(TypeRegistry& types, const char* wat) {
  WEFT_TRY(std::vector<uint8_t> bytes, parse_wat(wat));
  WEFT_TRY(std::unique_ptr<Module> m, decode_module(std::move(bytes)));
  WEFT_CHECK(validate_module(types, *m));
  return std::shared_ptr<const Module>(std::move(m));
}

TEST_F(WasiCalls, CommandWritesAndExits) {
  auto m = compile(engine.types(), R"(
    (module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "hi from wasm\n")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 13))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (call $proc_exit (i32.const 7))
        (unreachable)))
  )");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto status = wasi::run_command(store, m.value(), *ctx);
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_EQ(status.value(), 7u);
  EXPECT_EQ(ScratchDir::read(out_path), "hi from wasm\n");
}

TEST_F(WasiCalls, CommandReturningExitsZeroAndTrapsHaveBacktraces) {
  auto ok = compile(engine.types(), R"((module (memory (export "memory") 1) (func (export "_start"))))");
  ASSERT_TRUE(ok.ok());
  auto status = wasi::run_command(store, ok.value(), *ctx);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status.value(), 0u);

  auto trap = compile(engine.types(), R"(
    (module
      (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
      (func $deep (drop (call $yield)) (unreachable))
      (func (export "_start") (call $deep)))
  )");
  ASSERT_TRUE(trap.ok());
  auto failed = wasi::run_command(store, trap.value(), *ctx);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::trap);
  EXPECT_EQ(failed.error().message, "unreachable");
  EXPECT_NE(failed.error().backtrace.find("deep"), std::string::npos) << failed.error().backtrace;
}

TEST_F(WasiCalls, LinkingChecksNamesAndSignatures) {
  auto unknown = compile(engine.types(), R"(
    (module (import "wasi_snapshot_preview1" "no_such_call" (func)) (func (export "_start"))))");
  ASSERT_TRUE(unknown.ok());
  auto r = wasi::run_command(store, unknown.value(), *ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
  auto wrong = compile(engine.types(), R"(
    (module (import "wasi_snapshot_preview1" "fd_close" (func (param i64) (result i32))) (func (export "_start"))))");
  ASSERT_TRUE(wrong.ok());
  r = wasi::run_command(store, wrong.value(), *ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
  auto other = compile(engine.types(), R"((module (import "env" "f" (func)) (func (export "_start"))))");
  ASSERT_TRUE(other.ok());
  r = wasi::run_command(store, other.value(), *ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("\"env\" \"f\""), std::string::npos);
}

// ---- wasi_unstable (snapshot 0) -------------------------------------------------

// The calls whose layout changed in preview 1, called directly.
TEST_F(WasiCalls, UnstableLayouts) {
  ScratchDir::write(dir.in_root("data.txt"), "0123456789");
  const uint32_t fd = open("data.txt", 0, right::fd_read | right::fd_seek | right::fd_tell | right::fd_filestat_get);
  ASSERT_NE(fd, ~0u);
  // whence: cur = 0, end = 1, set = 2.
  ASSERT_EQ(call(wasi::unstable_fd_seek, {fd, uint64_t(-3), wasi::snapshot0::whence::end, 40}), err::success);
  EXPECT_EQ(load<uint64_t>(40), 7u);
  ASSERT_EQ(call(wasi::unstable_fd_seek, {fd, 2, wasi::snapshot0::whence::set, 40}), err::success);
  EXPECT_EQ(load<uint64_t>(40), 2u);
  ASSERT_EQ(call(wasi::unstable_fd_seek, {fd, 1, wasi::snapshot0::whence::cur, 40}), err::success);
  EXPECT_EQ(load<uint64_t>(40), 3u);
  EXPECT_EQ(call(wasi::unstable_fd_seek, {fd, 0, 3, 40}), err::inval);
  // filestat: 56 bytes, nlink a u32 at 20, size at 24; nothing written past.
  std::memset(memory->data + 200, 0xee, 80);
  ASSERT_EQ(call(wasi::unstable_fd_filestat_get, {fd, 200}), err::success);
  EXPECT_EQ(load<uint8_t>(216), wasi::filetype::regular_file);
  EXPECT_EQ(load<uint32_t>(220), 1u);
  EXPECT_EQ(load<uint64_t>(224), 10u);
  EXPECT_GT(load<uint64_t>(240), 1600000000ull * 1000000000ull);  // mtim
  EXPECT_EQ(load<uint64_t>(256), 0xeeeeeeeeeeeeeeeeull);
  EXPECT_EQ(call(wasi::unstable_fd_filestat_get, {fd, 65536 - 56}), err::success);
  EXPECT_EQ(call(wasi::unstable_fd_filestat_get, {fd, 65536 - 55}), err::fault);
  put(1000, "data.txt");
  std::memset(memory->data + 300, 0xee, 80);
  ASSERT_EQ(call(wasi::unstable_path_filestat_get, {kRootFd, 0, 1000, 8, 300}), err::success);
  EXPECT_EQ(load<uint64_t>(308), load<uint64_t>(208));  // same inode
  EXPECT_EQ(load<uint64_t>(324), 10u);
  EXPECT_EQ(load<uint64_t>(356), 0xeeeeeeeeeeeeeeeeull);
  // The preview 1 calls are unchanged.
  ASSERT_EQ(call(wasi::call_fd_seek, {fd, 2, wasi::whence::set, 40}), err::success);
  ASSERT_EQ(call(wasi::call_path_filestat_get, {kRootFd, 0, 1000, 8, 300}), err::success);
  EXPECT_EQ(load<uint64_t>(324), 1u);   // nlink u64
  EXPECT_EQ(load<uint64_t>(332), 10u);  // size
}

// A snapshot-0 clock subscription (56 bytes, identifier first).
void unstable_clock_subscription(uint8_t* mem, uint32_t addr, uint64_t userdata, uint32_t clock,
                                 uint64_t timeout_ns) {
  std::memset(mem + addr, 0, wasi::snapshot0::kSubscriptionSize);
  std::memcpy(mem + addr, &userdata, 8);
  mem[addr + 8] = wasi::eventtype::clock;
  const uint64_t identifier = 0x1d;
  std::memcpy(mem + addr + 16, &identifier, 8);
  std::memcpy(mem + addr + 24, &clock, 4);
  std::memcpy(mem + addr + 32, &timeout_ns, 8);
}

TEST_F(WasiCalls, UnstablePollSubscriptions) {
  unstable_clock_subscription(memory->data, 1000, 11, wasi::clockid::monotonic, 10000000000ull);  // 10 s
  unstable_clock_subscription(memory->data, 1056, 22, wasi::clockid::monotonic, 1000000);         // 1 ms
  unstable_clock_subscription(memory->data, 1112, 33, 9, 0);  // unknown clock: an error event
  ASSERT_EQ(call(wasi::unstable_poll_oneoff, {1000, 2000, 3, 40}), err::success);
  ASSERT_EQ(load<uint32_t>(40), 1u);
  EXPECT_EQ(load<uint64_t>(2000), 33u);
  EXPECT_EQ(load<uint16_t>(2008), err::inval);
  ASSERT_EQ(call(wasi::unstable_poll_oneoff, {1000, 2000, 2, 40}), err::success);
  ASSERT_EQ(load<uint32_t>(40), 1u);
  EXPECT_EQ(load<uint64_t>(2000), 22u);
  EXPECT_EQ(load<uint16_t>(2008), err::success);
  EXPECT_EQ(load<uint8_t>(2010), wasi::eventtype::clock);
  // An fd subscription keeps its place (the descriptor at 16).
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  const uint32_t sock = ctx->add_socket(sv[0]);
  std::memset(memory->data + 1200, 0, wasi::snapshot0::kSubscriptionSize);
  memory->data[1200] = 44;
  memory->data[1208] = wasi::eventtype::fd_read;
  std::memcpy(memory->data + 1216, &sock, 4);
  ASSERT_EQ(::write(sv[1], "abc", 3), 3);
  ASSERT_EQ(call(wasi::unstable_poll_oneoff, {1200, 2000, 1, 40}), err::success);
  ASSERT_EQ(load<uint32_t>(40), 1u);
  EXPECT_EQ(load<uint64_t>(2000), 44u);
  EXPECT_EQ(load<uint64_t>(2016), 3u);
  ::close(sv[1]);
  EXPECT_EQ(call(wasi::unstable_poll_oneoff, {1000, 2000, 0, 40}), err::inval);
  EXPECT_EQ(call(wasi::unstable_poll_oneoff, {65536 - 100, 2000, 2, 40}), err::fault);
}

// An old binary importing wasi_unstable, through instantiate_with_wasi as
// `weft run` uses it: fd_write, fd_seek with snapshot-0 whence values,
// fd_filestat_get in the 56-byte layout.
TEST_F(WasiCalls, UnstableModuleEndToEnd) {
  ScratchDir::write(dir.in_root("data.txt"), "0123456789");
  auto m = compile(engine.types(), R"(
    (module
      (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_unstable" "path_open"
        (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
      (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
      (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "old toolchain\n")
      (data (i32.const 64) "data.txt")
      (func (export "_start")
        (local $fd i32)
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 14))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        ;; path_open(3, follow, "data.txt", 0, fd_read|fd_seek|fd_tell|fd_filestat_get)
        (i32.store (i32.const 100)
          (call $path_open (i32.const 3) (i32.const 1) (i32.const 64) (i32.const 8) (i32.const 0)
                           (i64.const 0x200026) (i64.const 0) (i32.const 0) (i32.const 104)))
        (local.set $fd (i32.load (i32.const 104)))
        ;; whence 1 is END in snapshot 0 (CUR in preview 1)
        (i32.store (i32.const 108) (call $fd_seek (local.get $fd) (i64.const -4) (i32.const 1) (i32.const 112)))
        ;; whence 2 is SET in snapshot 0 (END in preview 1)
        (i32.store (i32.const 120) (call $fd_seek (local.get $fd) (i64.const 3) (i32.const 2) (i32.const 128)))
        (i32.store (i32.const 136) (call $fd_filestat_get (local.get $fd) (i32.const 200)))
        (call $proc_exit (i32.const 5))))
  )");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto inst = wasi::instantiate_with_wasi(store, m.value(), *ctx);
  ASSERT_TRUE(inst.ok()) << inst.error().to_string();
  Instance* instance = inst.value();
  Memory* guest = instance->find_export("memory")->memory();
  std::memset(guest->data + 200, 0xee, 64);
  auto start = instance->find_export("_start");
  ASSERT_TRUE(start && start->kind == ExternKind::func);
  auto r = invoke(store, start->func(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::exit);
  EXPECT_EQ(ctx->exit_code(), 5u);
  EXPECT_EQ(ScratchDir::read(out_path), "old toolchain\n");
  auto load_guest = [&](uint32_t addr, auto v) {
    std::memcpy(&v, guest->data + addr, sizeof v);
    return v;
  };
  EXPECT_EQ(load_guest(100, uint32_t{}), err::success);
  EXPECT_EQ(load_guest(108, uint32_t{}), err::success);
  EXPECT_EQ(load_guest(112, uint64_t{}), 6u);  // 10 - 4
  EXPECT_EQ(load_guest(120, uint32_t{}), err::success);
  EXPECT_EQ(load_guest(128, uint64_t{}), 3u);
  EXPECT_EQ(load_guest(136, uint32_t{}), err::success);
  EXPECT_EQ(load_guest(220, uint32_t{}), 1u);   // nlink: u32
  EXPECT_EQ(load_guest(224, uint64_t{}), 10u);  // size
  EXPECT_EQ(load_guest(256, uint64_t{}), 0xeeeeeeeeeeeeeeeeull);  // 56 bytes only
}

TEST_F(WasiCalls, UnstableLinkingAndRunCommand) {
  // Both names in one module, run as `weft run` does.
  auto mixed = compile(engine.types(), R"(
    (module
      (import "wasi_unstable" "fd_write" (func $old_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $new_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "ab")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 1))
        (drop (call $old_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (i32.store (i32.const 0) (i32.const 17))
        (drop (call $new_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
  )");
  ASSERT_TRUE(mixed.ok()) << mixed.error().to_string();
  EXPECT_TRUE(wasi::imports_wasi(*mixed.value()));
  auto status = wasi::run_command(store, mixed.value(), *ctx);
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_EQ(status.value(), 0u);
  EXPECT_EQ(ScratchDir::read(out_path), "ab");
  // sock_accept came with preview 1.
  auto accept = compile(engine.types(), R"(
    (module (import "wasi_unstable" "sock_accept" (func (param i32 i32 i32) (result i32)))
            (func (export "_start"))))");
  ASSERT_TRUE(accept.ok());
  auto r = wasi::run_command(store, accept.value(), *ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
  // Signatures are checked as for preview 1.
  auto wrong = compile(engine.types(), R"(
    (module (import "wasi_unstable" "fd_seek" (func (param i32 i32 i32 i32) (result i32)))
            (func (export "_start"))))");
  ASSERT_TRUE(wrong.ok());
  r = wasi::run_command(store, wrong.value(), *ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
  auto unknown = compile(engine.types(), R"(
    (module (import "wasi_unstable" "no_such_call" (func)) (func (export "_start"))))");
  ASSERT_TRUE(unknown.ok());
  r = wasi::run_command(store, unknown.value(), *ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
}

}  // namespace
}  // namespace weft::testing
