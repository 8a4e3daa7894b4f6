// WASI error cases: each call's documented errno for bad descriptors, the
// wrong kind of descriptor, bad flags and enumeration values, empty paths,
// out-of-bounds guest memory, and the edges of readlink, readdir, renumber
// and poll (docs/wasi.md lists them). The cases wasi-libc exposes are also
// compared with native runs in tests/wasi/.
#include <sys/socket.h>
#include <unistd.h>

#include "wasi_calls_fixture.h"

namespace weft::testing {
namespace {

class WasiErrors : public WasiCallsFixture {};

// path_open: the access mode with oflags::directory is judged like POSIX
// open(2) (a directory with write rights is EISDIR), bad flags are EINVAL.
TEST_F(WasiErrors, OpenFlagsAndModes) {
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
TEST_F(WasiErrors, EmptyPathsAreNoent) {
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
TEST_F(WasiErrors, ReadlinkEdges) {
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
TEST_F(WasiErrors, ReaddirCookies) {
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
TEST_F(WasiErrors, InvalidArgumentValues) {
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
TEST_F(WasiErrors, RenumberCloseAndPrestatEdges) {
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

// Subscriptions that cannot be waited on become error events at once; a
// bad event type fails the whole call.
TEST_F(WasiErrors, PollErrorEvents) {
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

// The sock_* calls on a descriptor that is not a socket say ENOTSOCK, as
// POSIX does, not ENOTCAPABLE (a directory or file has no socket rights).
TEST_F(WasiErrors, SocketCallsOnNonSockets) {
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
TEST_F(WasiErrors, WrongKindOfDescriptor) {
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

}  // namespace
}  // namespace weft::testing
