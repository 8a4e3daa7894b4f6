#include "interp/switching.h"

#include <algorithm>

#include "interp/code.h"

namespace weft::interp {

const uint32_t* find_clause(const Stack* parent, const Tag* tag, bool is_switch) {
  const uint32_t* at = parent->ctx.pc;
  const Instance* inst = parent->ctx.func->instance;
  const uint32_t* c = resume_clauses(at);
  for (uint32_t i = 0, n = resume_clause_count(at); i < n; ++i, c += kResumeClauseWords) {
    if ((c[1] == kSwitchClause) != is_switch) continue;
    if (inst->tags[c[0]] == tag) return c;
  }
  return nullptr;
}

Stack* find_handler_stack(Stack* cur, const Stack* barrier, const Tag* tag, bool is_switch, const uint32_t** clause) {
  for (Stack* s = cur; s != barrier; s = s->parent) {
    if (const uint32_t* c = find_clause(s->parent, tag, is_switch)) {
      *clause = c;
      return s;
    }
  }
  return nullptr;
}

bool handled_outside(const Stack* barrier, const Tag* tag, bool is_switch) {
  for (const Stack* s = barrier; s->parent != nullptr; s = s->parent)
    if (find_clause(s->parent, tag, is_switch)) return true;
  return false;
}

FreshResult prepare_fresh(Stack* k, Function* f, const TypeRegistry& types) {
  uint64_t slots;
  if (f->is_host()) {
    const FuncType& ft = types.func_type(f->type_id);
    slots = std::max(ft.params.size(), ft.results.size());
  } else {
    slots = std::max(f->code->frame_slots, f->code->num_results);
  }
  if (!k->reserve_first(slots)) return FreshResult::no_room;
  uint64_t* fp = k->first.lo;
  FrameHeader* hdr = k->first.headers_end() - 1;
  *hdr = FrameHeader{nullptr, nullptr, nullptr};
  const uint32_t* pc = nullptr;
  if (!f->is_host()) {
    std::fill(fp + f->code->num_params, fp + f->code->num_locals, uint64_t{0});
    pc = f->code->code.data();
  }
  k->ctx = StackContext{pc, fp, f, hdr};
  k->leaf = k;
  k->args = fp;
  k->fresh = true;
  return FreshResult::ok;
}

void abandon_chain(StackPool& pool, Stack* cur, const Stack* entry) {
  while (cur != entry) {
    Stack* parent = cur->parent;
    pool.release(cur);
    cur = parent;
  }
}

}  // namespace weft::interp
