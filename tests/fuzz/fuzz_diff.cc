// libFuzzer target, differential: runs the same module in two sandboxes that
// differ in how Wasm stacks grow (StackGrowth::segmented with a tiny first
// segment, so that calls cross segment boundaries constantly, against
// StackGrowth::copying) and in the interpreter's dispatch loop (computed
// goto against the switch: the fuzz build compiles both, -DWEFT_DISPATCH=both),
// and requires the same outcome everywhere: instantiation and every exported
// function (called with zero-valued arguments) end with bit-identical results
// (NaNs compared by bits) or errors of the same kind, message and backtrace,
// and afterwards every memory, global and table of the instance is identical.
// A difference is a finding (__builtin_trap).
//
// Outcomes that depend on how much stack memory each strategy uses are not
// comparable: once either side runs out of a resource other than fuel
// (ErrorKind::exhaustion: stack bytes, continuation stacks, ...) or past its
// deadline, the sides may legitimately diverge, and the input ends there.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "fuzz_util.h"
#include "interp/interp.h"

namespace weft::fuzz {
namespace {

// References are addresses in two different stores: compare what they name.
class RefNames {
 public:
  explicit RefNames(Sandbox& box) : box_(box) {
    const Instance* inst = box.instance();
    for (size_t i = 0; i < inst->funcs.size(); ++i)
      names_.emplace(reinterpret_cast<Ref>(inst->funcs[i]), func_name(i));
  }
  // Null and host references are the same number on both sides; functions of
  // the instance are named by index, stub functions by type; other objects
  // (exceptions, continuations) only by being non-null.
  uint64_t operator()(Ref r) const {
    if (r == kNullRef || is_host_ref(r)) return r;
    if (auto it = names_.find(r); it != names_.end()) return it->second;
    for (const auto& [type_id, f] : box_.stubs().functions())
      if (reinterpret_cast<Ref>(f) == r) return (uint64_t(type_id) << 3) | 7;
    return 3;
  }

 private:
  // Low bits 11 are no reference's encoding, so names never equal a host ref.
  static uint64_t func_name(size_t index) { return (uint64_t(index + 1) << 3) | 3; }
  Sandbox& box_;
  std::unordered_map<Ref, uint64_t> names_;
};

[[noreturn]] void mismatch(const std::string& where, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "fuzz_diff: the two sandboxes disagree at %s\n", where.c_str());
  std::fprintf(stderr, "  segmented stacks, goto dispatch:   %s\n  copying stacks, switch dispatch:  %s\n", a.c_str(),
               b.c_str());
  __builtin_trap();
}

// Outcomes that depend on how much memory the strategy uses or on time, not
// on the program alone. Fuel is counted at the same instructions in both, so
// "fuel exhausted" must match exactly.
bool resource_dependent(const Error& e) {
  if (e.message.rfind("deadline exceeded", 0) == 0) return true;
  return e.kind == ErrorKind::exhaustion && e.message.rfind("fuel exhausted", 0) != 0;
}

// Kind, message and Wasm backtrace: frames must be found the same way across
// segments as within one.
std::string describe(const Error& e) {
  return e.backtrace.empty() ? e.to_string() : e.to_string() + "\n" + e.backtrace;
}

std::string describe(const Result<std::vector<Value>>& r, const RefNames& names) {
  if (!r.ok()) return describe(r.error());
  std::string s = "results:";
  for (const Value& v : r.value()) s += " " + std::to_string(v.type.is_ref() ? names(v.bits) : v.bits);
  return s;
}

// Compares two outcomes; false if the input must end here (resources ran out).
bool same_outcome(const std::string& where, const Result<std::vector<Value>>& a, const RefNames& na,
                  const Result<std::vector<Value>>& b, const RefNames& nb) {
  if ((!a.ok() && resource_dependent(a.error())) || (!b.ok() && resource_dependent(b.error()))) return false;
  if (describe(a, na) != describe(b, nb)) mismatch(where, describe(a, na), describe(b, nb));
  return true;
}

// Every memory, global and table of the two instances is the same.
void compare_state(const std::string& where, Sandbox& a, const RefNames& na, Sandbox& b, const RefNames& nb) {
  const Instance& ia = *a.instance();
  const Instance& ib = *b.instance();
  for (size_t i = 0; i < ia.memories.size(); ++i) {
    const Memory& ma = *ia.memories[i];
    const Memory& mb = *ib.memories[i];
    if (ma.size_bytes != mb.size_bytes)
      mismatch(where + ": size of memory " + std::to_string(i), std::to_string(ma.pages()),
               std::to_string(mb.pages()));
    if (ma.size_bytes && std::memcmp(ma.data, mb.data, ma.size_bytes) != 0) {
      size_t at = 0;
      while (ma.data[at] == mb.data[at]) ++at;
      mismatch(where + ": memory " + std::to_string(i) + " at byte " + std::to_string(at),
               std::to_string(ma.data[at]), std::to_string(mb.data[at]));
    }
  }
  for (size_t i = 0; i < ia.globals.size(); ++i) {
    const Global& ga = *ia.globals[i];
    const Global& gb = *ib.globals[i];
    uint64_t va = ga.type.type.is_ref() ? na(ga.value) : ga.value;
    uint64_t vb = gb.type.type.is_ref() ? nb(gb.value) : gb.value;
    if (va != vb) mismatch(where + ": global " + std::to_string(i), std::to_string(va), std::to_string(vb));
  }
  for (size_t i = 0; i < ia.tables.size(); ++i) {
    const Table& ta = *ia.tables[i];
    const Table& tb = *ib.tables[i];
    if (ta.elems.size() != tb.elems.size())
      mismatch(where + ": size of table " + std::to_string(i), std::to_string(ta.elems.size()),
               std::to_string(tb.elems.size()));
    for (size_t k = 0; k < ta.elems.size(); ++k)
      if (na(ta.elems[k]) != nb(tb.elems[k]))
        mismatch(where + ": table " + std::to_string(i) + " element " + std::to_string(k),
                 std::to_string(na(ta.elems[k])), std::to_string(nb(tb.elems[k])));
  }
}

EngineConfig config_for(StackGrowth growth) {
  EngineConfig c = sandbox_config();
  c.stack_growth = growth;
  // The copying side runs the switch dispatch, when the build has both.
  const interp::DispatchModes modes = interp::dispatch_modes();
  c.dispatch = growth == StackGrowth::copying && modes.switch_ ? Dispatch::switch_ : Dispatch::goto_;
  // Both sides run an input in turn: half the deadline each.
  c.timeout_ms = 1000;
  // A first segment of a few frames: nearly every call chain crosses into
  // new segments, and returns cross back.
  if (growth == StackGrowth::segmented) c.initial_stack_bytes = 256;
  return c;
}

}  // namespace
}  // namespace weft::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace weft;
  using fuzz::Sandbox;
  fuzz::Stopwatch clock;
  Sandbox a(fuzz::config_for(StackGrowth::segmented));
  Sandbox b(fuzz::config_for(StackGrowth::copying));
  const bool loaded = a.load(data, size);
  if (loaded != b.load(data, size))
    fuzz::mismatch("decoding", loaded ? "ok" : "rejected", loaded ? "rejected" : "ok");
  if (!loaded) return 0;

  auto ia = a.instantiate();
  auto ib = b.instantiate();
  if (ia.has_value() != ib.has_value())
    fuzz::mismatch("stub imports", ia ? "made" : "skipped", ib ? "made" : "skipped");
  if (!ia) return 0;
  if (!ia->ok() || !ib->ok()) {
    // An instance exists on one side at most: compare the outcomes only.
    if (!ia->ok()) fuzz::check_run_error(ia->error());
    if (!ib->ok()) fuzz::check_run_error(ib->error());
    const bool resources_a = !ia->ok() && fuzz::resource_dependent(ia->error());
    const bool resources_b = !ib->ok() && fuzz::resource_dependent(ib->error());
    if (resources_a || resources_b) return 0;
    const std::string da = ia->ok() ? "ok" : fuzz::describe(ia->error());
    const std::string db = ib->ok() ? "ok" : fuzz::describe(ib->error());
    if (da != db) fuzz::mismatch("instantiation", da, db);
    return 0;
  }

  const fuzz::RefNames na(a), nb(b);
  fuzz::compare_state("instantiation", a, na, b, nb);
  std::vector<Sandbox::Call> calls_a = a.calls(), calls_b = b.calls();
  for (size_t i = 0; i < calls_a.size(); ++i) {
    if (clock.seconds() > fuzz::kCallBudgetSeconds) break;
    const Sandbox::Call& ca = calls_a[i];
    const Sandbox::Call& cb = calls_b[i];
    if (!ca.args) continue;
    auto ra = invoke(a.store(), ca.func, *ca.args);
    auto rb = invoke(b.store(), cb.func, *cb.args);
    if (!ra.ok()) fuzz::check_run_error(ra.error());
    if (!rb.ok()) fuzz::check_run_error(rb.error());
    const std::string where = "export \"" + ca.name + "\" (call " + std::to_string(i) + ")";
    if (!fuzz::same_outcome(where, ra, na, rb, nb)) break;
    fuzz::compare_state(where, a, na, b, nb);
  }
  return 0;
}
