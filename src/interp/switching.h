// Stack-switching support for the dispatch loop (docs/stacks.md): handler
// search along the chain of active stacks, setting up a fresh continuation,
// and tearing down the stacks of an aborted run. The instructions themselves
// are in handlers_stacks.inc; everything here is off the common path.
#pragma once

#include <cstdint>

#include "runtime/store.h"
#include "stacks/stack.h"
#include "stacks/stack_pool.h"

namespace weft::interp {

// The clause of the resume instruction that `parent` is parked at which
// handles `tag` for suspend (is_switch false) or switch (true), or nullptr.
const uint32_t* find_clause(const Stack* parent, const Tag* tag, bool is_switch);

// The innermost handler for `tag` along the chain of active stacks from `cur`
// up to (not including) `barrier`: returns the stack whose resume installed it
// (the handler's child in the chain) and the clause, or nullptr.
Stack* find_handler_stack(Stack* cur, const Stack* barrier, const Tag* tag, bool is_switch, const uint32_t** clause);

// Whether a stack outside `barrier` (beyond a host call) handles `tag`.
bool handled_outside(const Stack* barrier, const Tag* tag, bool is_switch);

enum class FreshResult { ok, no_room };
// Makes `k` (just acquired) a fresh continuation that starts `f` when first
// resumed: the bottom frame header, zeroed locals, and ctx at f's entry. The
// resume arguments go to f's parameters.
FreshResult prepare_fresh(Stack* k, Function* f, const TypeRegistry& types);

// Frees the stacks of the chain from `cur` up to (not including) `entry`:
// their continuations died with a trap or an uncaught error.
void abandon_chain(StackPool& pool, Stack* cur, const Stack* entry);

}  // namespace weft::interp
