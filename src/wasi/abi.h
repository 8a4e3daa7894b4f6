// The wasi_snapshot_preview1 ABI: error numbers, rights, flags, enumerations
// and the byte layouts of the structures exchanged through guest memory
// (little-endian, as witx defines them).
#pragma once

#include <cstdint>

namespace weft::wasi {

using Errno = uint16_t;

// errno values ($errno in witx), in declaration order.
namespace err {
enum : Errno {
  success = 0, toobig, acces, addrinuse, addrnotavail, afnosupport, again, already, badf, badmsg, busy, canceled,
  child, connaborted, connrefused, connreset, deadlk, destaddrreq, dom, dquot, exist, fault, fbig, hostunreach,
  idrm, ilseq, inprogress, intr, inval, io, isconn, isdir, loop, mfile, mlink, msgsize, multihop, nametoolong,
  netdown, netreset, netunreach, nfile, nobufs, nodev, noent, noexec, nolck, nolink, nomem, nomsg, noprotoopt,
  nospc, nosys, notconn, notdir, notempty, notrecoverable, notsock, notsup, notty, nxio, overflow, ownerdead,
  perm, pipe, proto, protonosupport, prototype, range, rofs, spipe, srch, stale, timedout, txtbsy, xdev,
  notcapable,
};
}  // namespace err

// Rights ($rights).
namespace right {
enum : uint64_t {
  fd_datasync = 1ull << 0,
  fd_read = 1ull << 1,
  fd_seek = 1ull << 2,
  fd_fdstat_set_flags = 1ull << 3,
  fd_sync = 1ull << 4,
  fd_tell = 1ull << 5,
  fd_write = 1ull << 6,
  fd_advise = 1ull << 7,
  fd_allocate = 1ull << 8,
  path_create_directory = 1ull << 9,
  path_create_file = 1ull << 10,
  path_link_source = 1ull << 11,
  path_link_target = 1ull << 12,
  path_open = 1ull << 13,
  fd_readdir = 1ull << 14,
  path_readlink = 1ull << 15,
  path_rename_source = 1ull << 16,
  path_rename_target = 1ull << 17,
  path_filestat_get = 1ull << 18,
  path_filestat_set_size = 1ull << 19,
  path_filestat_set_times = 1ull << 20,
  fd_filestat_get = 1ull << 21,
  fd_filestat_set_size = 1ull << 22,
  fd_filestat_set_times = 1ull << 23,
  path_symlink = 1ull << 24,
  path_remove_directory = 1ull << 25,
  path_unlink_file = 1ull << 26,
  poll_fd_readwrite = 1ull << 27,
  sock_shutdown = 1ull << 28,
  sock_accept = 1ull << 29,
  all = (1ull << 30) - 1,
};
}  // namespace right

// The rights that make sense on each kind of descriptor; a descriptor never
// holds more than these.
constexpr uint64_t kFileRights =
    right::fd_datasync | right::fd_read | right::fd_seek | right::fd_fdstat_set_flags | right::fd_sync |
    right::fd_tell | right::fd_write | right::fd_advise | right::fd_allocate | right::fd_filestat_get |
    right::fd_filestat_set_size | right::fd_filestat_set_times | right::poll_fd_readwrite;
constexpr uint64_t kDirRights =
    right::fd_fdstat_set_flags | right::fd_sync | right::fd_advise | right::path_create_directory |
    right::path_create_file | right::path_link_source | right::path_link_target | right::path_open |
    right::fd_readdir | right::path_readlink | right::path_rename_source | right::path_rename_target |
    right::path_filestat_get | right::path_filestat_set_size | right::path_filestat_set_times |
    right::fd_filestat_get | right::fd_filestat_set_times | right::path_symlink | right::path_remove_directory |
    right::path_unlink_file;
constexpr uint64_t kSocketRights = right::fd_read | right::fd_write | right::fd_fdstat_set_flags |
                                   right::fd_filestat_get | right::poll_fd_readwrite | right::sock_shutdown |
                                   right::sock_accept;
// Streams (stdio, pipes, character devices): files without positioning.
constexpr uint64_t kStreamRights = right::fd_read | right::fd_write | right::fd_fdstat_set_flags |
                                   right::fd_filestat_get | right::fd_sync | right::fd_datasync |
                                   right::poll_fd_readwrite;

// $filetype
namespace filetype {
enum : uint8_t {
  unknown = 0, block_device, character_device, directory, regular_file, socket_dgram, socket_stream,
  symbolic_link,
};
}

// $fdflags
namespace fdflag {
enum : uint16_t { append = 1, dsync = 2, nonblock = 4, rsync = 8, sync = 16, all = 31 };
}
// $oflags
namespace oflag {
enum : uint16_t { creat = 1, directory = 2, excl = 4, trunc = 8, all = 15 };
}
// $lookupflags
constexpr uint32_t kLookupSymlinkFollow = 1;
constexpr uint32_t kLookupFlagsAll = kLookupSymlinkFollow;
// $fstflags
namespace fstflag {
enum : uint16_t { atim = 1, atim_now = 2, mtim = 4, mtim_now = 8, all = 15 };
}
// $whence
namespace whence {
enum : uint8_t { set = 0, cur = 1, end = 2 };
}
// $clockid
namespace clockid {
enum : uint32_t { realtime = 0, monotonic = 1, process_cputime = 2, thread_cputime = 3 };
}
// $eventtype
namespace eventtype {
enum : uint8_t { clock = 0, fd_read = 1, fd_write = 2 };
}
constexpr uint16_t kEventFdReadwriteHangup = 1;
constexpr uint16_t kSubclockAbstime = 1;
// $riflags / $roflags / $sdflags
constexpr uint16_t kRecvPeek = 1;
constexpr uint16_t kRecvWaitall = 2;
constexpr uint16_t kRecvDataTruncated = 1;
constexpr uint8_t kShutRd = 1;
constexpr uint8_t kShutWr = 2;
// $preopentype
constexpr uint8_t kPreopenDir = 0;

// Structure sizes and field offsets.
constexpr uint32_t kIovecSize = 8;           // buf: u32 @0, buf_len: u32 @4
constexpr uint32_t kDirentSize = 24;         // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20
constexpr uint32_t kFdstatSize = 24;         // filetype u8 @0, flags u16 @2, rights_base @8, rights_inheriting @16
constexpr uint32_t kFilestatSize = 64;       // dev @0 ino @8 filetype u8 @16 nlink @24 size @32 atim @40 mtim @48 ctim @56
constexpr uint32_t kSubscriptionSize = 48;   // userdata @0, tag u8 @8, union @16
constexpr uint32_t kEventSize = 32;          // userdata @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
constexpr uint32_t kPrestatSize = 8;         // tag u8 @0, pr_name_len u32 @4

// Which ABI a call follows: wasi_snapshot_preview1, or the older
// wasi_unstable (snapshot 0), which differs only where `snapshot0` says.
enum class Abi : uint8_t { preview1, snapshot0 };

namespace snapshot0 {
// $whence had another order.
namespace whence {
enum : uint8_t { cur = 0, end = 1, set = 2 };
}
// $filestat's nlink was a u32: dev @0 ino @8 filetype u8 @16 nlink u32 @20
// size @24 atim @32 mtim @40 ctim @48.
constexpr uint32_t kFilestatSize = 56;
// $subscription_clock began with a u64 identifier, moving the clock fields
// 8 bytes on: id u32 @24, timeout @32, precision @40, flags u16 @48.
constexpr uint32_t kSubscriptionSize = 56;
}  // namespace snapshot0

}  // namespace weft::wasi
