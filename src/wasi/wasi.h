// WASI preview 1 (`wasi_snapshot_preview1`) for weft: the host functions,
// a sandboxed file system rooted at preopened directories, and running a
// command module's `_start`. See docs/wasi.md.
//
//   WasiConfig config;
//   config.args = {"prog.wasm", "x"};
//   config.preopens.push_back({"/tmp/data", "/data"});
//   auto ctx = WasiContext::create(config);          // opens the preopens
//   auto status = run_command(store, module, **ctx); // exit status or trap
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/store.h"
#include "spec/module.h"

namespace weft::wasi {

constexpr const char* kModuleName = "wasi_snapshot_preview1";
// The older name (snapshot 0) that old toolchains import from; the few calls
// whose ABI changed in preview 1 keep their snapshot-0 layout there.
constexpr const char* kUnstableModuleName = "wasi_unstable";

struct Preopen {
  std::string host_path;   // a directory on the host
  std::string guest_path;  // the name the guest sees (fd_prestat_dir_name)
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, argv[0] included
  std::vector<std::string> env;   // "NAME=VALUE"
  std::vector<Preopen> preopens;  // fds 3, 4, ... in order
  // Host descriptors of the guest's fds 0, 1, 2 (duplicated; the originals
  // stay open).
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
};

struct FdEntry;  // wasi/context.h

// The state of one WASI program: arguments, environment, the descriptor
// table and the memory its calls read and write.
class WasiContext {
 public:
  // Opens the preopened directories (io error if one cannot be opened).
  static Result<std::unique_ptr<WasiContext>> create(const WasiConfig& config);
  ~WasiContext();
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  // Gives the guest a listening or connected socket (the host descriptor is
  // owned from now on), as the next free fd; returns that fd.
  uint32_t add_socket(int host_fd);

  // The memory that guest pointers refer to: the instance's "memory" export.
  void bind_memory(Memory* memory) { memory_ = memory; }
  Memory* memory() const { return memory_; }

  // Set once proc_exit (or a fatal proc_raise) ran.
  std::optional<uint32_t> exit_code() const { return exit_code_; }

  // Host functions for the module's imports: a function for each import
  // from wasi_snapshot_preview1 or wasi_unstable, in import order.
  // Unlinkable error for a non-WASI import or an unknown WASI name. The context must outlive the
  // store's use of the functions.
  Result<std::vector<Extern>> link_imports(Store& store, const Module& module);
  // The host function for one import (unlinkable error as above), for
  // embedders that link some imports elsewhere.
  Result<Extern> link_import(Store& store, const Import& import);

  // ---- used by the host functions (wasi/*.cc) ----
  struct Impl;
  Impl& impl() { return *impl_; }
  void set_exit_code(uint32_t code) { exit_code_ = code; }

 private:
  WasiContext();
  std::unique_ptr<Impl> impl_;
  Memory* memory_ = nullptr;
  std::optional<uint32_t> exit_code_;
};

// Instantiates a command module against `ctx`, binds its memory and calls
// `_start`. Returns the exit status: 0 when `_start` returns, the code given
// to proc_exit otherwise. A trap (or a missing `_start`) is an error, with
// the Wasm backtrace in Error::backtrace.
Result<uint32_t> run_command(Store& store, std::shared_ptr<const Module> module, WasiContext& ctx);

// Calls `_start` of an instance made with this context (its memory bound):
// the exit status as run_command gives it.
Result<uint32_t> run_start(Store& store, const Instance& instance, WasiContext& ctx);

// Instantiates a module that may import WASI functions (a reactor, or a
// command used with --invoke) and binds its memory; does not call anything.
Result<Instance*> instantiate_with_wasi(Store& store, std::shared_ptr<const Module> module, WasiContext& ctx);

// Whether the module imports anything from wasi_snapshot_preview1 or
// wasi_unstable.
bool imports_wasi(const Module& module);

}  // namespace weft::wasi
