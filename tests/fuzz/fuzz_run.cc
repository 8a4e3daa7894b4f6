// libFuzzer target: decode, validate and instantiate arbitrary bytes with
// every import satisfied by a stub, then call every exported function with
// zero-valued arguments, under small resource limits, fuel and a deadline
// (fuzz::sandbox_config). Whatever the module does must end in results or in
// a well-formed trap / exhaustion / exception / suspension: never a crash, a
// sanitizer report, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weft;
  fuzz::Stopwatch clock;
  fuzz::Sandbox box(fuzz::sandbox_config());
  if (!box.load(data, size)) return 0;
  auto inst = box.instantiate();
  if (!inst) return 0;  // skipped: an import no stub can provide
  if (!inst->ok()) {
    fuzz::check_run_error(inst->error());
    return 0;
  }
  for (const fuzz::Sandbox::Call& call : box.calls()) {
    if (clock.seconds() > fuzz::kCallBudgetSeconds) break;
    if (!call.args) continue;
    auto r = invoke(box.store(), call.func, *call.args);
    if (!r.ok()) {
      fuzz::check_run_error(r.error());
      continue;
    }
    const FuncType& ft = box.store().engine().types().func_type(call.func->type_id);
    if (r->size() != ft.results.size())
      fuzz::fail(make_error(ErrorKind::trap, call.name), "wrong number of results");
  }
  return 0;
}
