// Every wasi_snapshot_preview1 function: name, Wasm parameter types ('i' for
// i32, 'I' for i64) and result types. Each has an implementation
//   Result<Errno> call_NAME(WasiContext&, GuestMemory&, const uint64_t* args)
// whose errno becomes the i32 result; an Error traps (or, for proc_exit,
// ends the program with ErrorKind::exit).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "wasi/context.h"

#define WEFT_WASI_CALLS(X)                          \
  X(args_get, "ii", "i")                            \
  X(args_sizes_get, "ii", "i")                      \
  X(environ_get, "ii", "i")                         \
  X(environ_sizes_get, "ii", "i")                   \
  X(clock_res_get, "ii", "i")                       \
  X(clock_time_get, "iIi", "i")                     \
  X(fd_advise, "iIIi", "i")                         \
  X(fd_allocate, "iII", "i")                        \
  X(fd_close, "i", "i")                             \
  X(fd_datasync, "i", "i")                          \
  X(fd_fdstat_get, "ii", "i")                       \
  X(fd_fdstat_set_flags, "ii", "i")                 \
  X(fd_fdstat_set_rights, "iII", "i")               \
  X(fd_filestat_get, "ii", "i")                     \
  X(fd_filestat_set_size, "iI", "i")                \
  X(fd_filestat_set_times, "iIIi", "i")             \
  X(fd_pread, "iiiIi", "i")                         \
  X(fd_prestat_get, "ii", "i")                      \
  X(fd_prestat_dir_name, "iii", "i")                \
  X(fd_pwrite, "iiiIi", "i")                        \
  X(fd_read, "iiii", "i")                           \
  X(fd_readdir, "iiiIi", "i")                       \
  X(fd_renumber, "ii", "i")                         \
  X(fd_seek, "iIii", "i")                           \
  X(fd_sync, "i", "i")                              \
  X(fd_tell, "ii", "i")                             \
  X(fd_write, "iiii", "i")                          \
  X(path_create_directory, "iii", "i")              \
  X(path_filestat_get, "iiiii", "i")                \
  X(path_filestat_set_times, "iiiiIIi", "i")        \
  X(path_link, "iiiiiii", "i")                      \
  X(path_open, "iiiiiIIii", "i")                    \
  X(path_readlink, "iiiiii", "i")                   \
  X(path_remove_directory, "iii", "i")              \
  X(path_rename, "iiiiii", "i")                     \
  X(path_symlink, "iiiii", "i")                     \
  X(path_unlink_file, "iii", "i")                   \
  X(poll_oneoff, "iiii", "i")                       \
  X(proc_exit, "i", "")                             \
  X(proc_raise, "i", "i")                           \
  X(sched_yield, "", "i")                           \
  X(random_get, "ii", "i")                          \
  X(sock_accept, "iii", "i")                        \
  X(sock_recv, "iiiiii", "i")                       \
  X(sock_send, "iiiii", "i")                        \
  X(sock_shutdown, "ii", "i")

// The wasi_unstable (snapshot 0) functions whose ABI differs from preview
// 1's (abi.h, namespace snapshot0), implemented as unstable_NAME with the
// same Wasm signature. Every other snapshot-0 function is its preview 1
// namesake; sock_accept did not exist yet.
#define WEFT_WASI_UNSTABLE_CALLS(X)  \
  X(fd_filestat_get, "ii", "i")      \
  X(fd_seek, "iIii", "i")            \
  X(path_filestat_get, "iiiii", "i") \
  X(poll_oneoff, "iiii", "i")

namespace weft::wasi {

#define WEFT_WASI_DECLARE(name, params, results) \
  Result<Errno> call_##name(WasiContext& ctx, GuestMemory& mem, const uint64_t* args);
WEFT_WASI_CALLS(WEFT_WASI_DECLARE)
#undef WEFT_WASI_DECLARE
#define WEFT_WASI_DECLARE_UNSTABLE(name, params, results) \
  Result<Errno> unstable_##name(WasiContext& ctx, GuestMemory& mem, const uint64_t* args);
WEFT_WASI_UNSTABLE_CALLS(WEFT_WASI_DECLARE_UNSTABLE)
#undef WEFT_WASI_DECLARE_UNSTABLE

}  // namespace weft::wasi
