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

#include "wasi_calls_fixture.h"

namespace weft::testing {
namespace {

class WasiCalls : public WasiCallsFixture {};

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

}  // namespace
}  // namespace weft::testing
