// wasi_unstable (snapshot 0): the calls whose ABI differs from preview 1,
// directly and through modules that import them.
#include <sys/socket.h>
#include <unistd.h>

#include "wasi_calls_fixture.h"

namespace weft::testing {
namespace {

class WasiUnstable : public WasiCallsFixture {};

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

// The calls whose layout changed in preview 1, called directly.
TEST_F(WasiUnstable, Layouts) {
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

TEST_F(WasiUnstable, PollSubscriptions) {
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
TEST_F(WasiUnstable, ModuleEndToEnd) {
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

TEST_F(WasiUnstable, LinkingAndRunCommand) {
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
