// include/weft.h: errors, engine options, fuel, interrupts, and trap
// formatting.
#include <cstdio>
#include <cstring>
#include <string>

#include "api/weft_internal.h"

using namespace weft::api;

namespace {

// Options take effect when an engine is made from the config, so a bad
// value leaves the config as it was.
template <typename T>
weft_error_t* set_in_range(T* field, T value, T lo, T hi, const char* what) {
  if (value < lo || value > hi)
    return new_error(std::string(what) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                     ", got " + std::to_string(value));
  *field = value;
  return nullptr;
}

constexpr uint64_t kMaxBytes = uint64_t{1} << 46;  // 64 TiB: beyond any machine's stacks

std::string hex(size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%zx", n);
  return buf;
}

}  // namespace

extern "C" {

// ---- errors --------------------------------------------------------------------------

void weft_error_delete(weft_error_t* error) { delete error; }
const char* weft_error_message(const weft_error_t* error) { return error ? error->message.c_str() : ""; }

// ---- engine options ------------------------------------------------------------------

weft_error_t* weft_config_stack_growth(wasm_config_t* config, weft_stack_growth_t growth) {
  // A C caller may pass any int; reading it as the C++ enum would be
  // undefined for values outside the enumerators.
  int value;
  static_assert(sizeof value == sizeof growth);
  std::memcpy(&value, &growth, sizeof value);
  if (value == WEFT_STACK_SEGMENTED) {
    config->config.stack_growth = weft::StackGrowth::segmented;
    return nullptr;
  }
  if (value == WEFT_STACK_COPYING) {
    config->config.stack_growth = weft::StackGrowth::copying;
    return nullptr;
  }
  return new_error("stack growth must be WEFT_STACK_SEGMENTED or WEFT_STACK_COPYING, got " + std::to_string(value));
}

weft_error_t* weft_config_initial_stack_bytes(wasm_config_t* config, uint64_t bytes) {
  return set_in_range<uint64_t>(&config->config.initial_stack_bytes, bytes, 64, uint64_t{1} << 30,
                                "the initial stack size");
}

weft_error_t* weft_config_max_stack_bytes(wasm_config_t* config, uint64_t bytes) {
  return set_in_range<uint64_t>(&config->config.max_stack_bytes, bytes, 4096, kMaxBytes, "the stack size cap");
}

weft_error_t* weft_config_max_total_stack_bytes(wasm_config_t* config, uint64_t bytes) {
  return set_in_range<uint64_t>(&config->config.max_total_stack_bytes, bytes, 4096, kMaxBytes,
                                "the cap on all stacks");
}

weft_error_t* weft_config_max_cont_stacks(wasm_config_t* config, uint32_t count) {
  // Contrefs hold a stack's index in 24 bits (stacks/stack_pool.h).
  return set_in_range<uint32_t>(&config->config.max_cont_stacks, count, 1, 1u << 24,
                                "the number of continuation stacks");
}

weft_error_t* weft_config_max_memory_pages(wasm_config_t* config, uint64_t pages) {
  return set_in_range<uint64_t>(&config->config.max_memory_pages, pages, 0, uint64_t{1} << 48,
                                "the memory size cap in pages");
}

weft_error_t* weft_config_max_table_elements(wasm_config_t* config, uint64_t elements) {
  return set_in_range<uint64_t>(&config->config.max_table_elements, elements, 0, uint64_t{1} << 32,
                                "the table size cap");
}

weft_error_t* weft_config_max_instances(wasm_config_t* config, uint32_t count) {
  return set_in_range<uint32_t>(&config->config.max_instances, count, 1, UINT32_MAX, "the instance cap");
}

weft_error_t* weft_config_fuel(wasm_config_t* config, uint64_t fuel) {
  config->config.fuel = fuel;
  return nullptr;
}

weft_error_t* weft_config_deadline_ms(wasm_config_t* config, uint64_t milliseconds) {
  return set_in_range<uint64_t>(&config->config.timeout_ms, milliseconds, 0, uint64_t{1} << 40, "the deadline");
}

weft_error_t* weft_config_interruptible(wasm_config_t* config, bool enable) {
  config->config.interruptible = enable;
  return nullptr;
}

// ---- fuel and interrupts ---------------------------------------------------------------

weft_error_t* weft_store_set_fuel(wasm_store_t* store, uint64_t fuel) {
  if (!store->engine->engine.needs_interrupt_checks())
    return new_error("the engine does not meter fuel: make it with weft_config_fuel or weft_config_interruptible");
  if (store->store.invoke_depth != 0) return new_error("fuel cannot be set while a call of the store runs");
  store->store.set_fuel(fuel);
  return nullptr;
}

weft_error_t* weft_store_fuel(const wasm_store_t* store, uint64_t* out) {
  if (!store->store.meters_fuel()) return new_error("the store does not meter fuel");
  *out = store->store.fuel_left();
  return nullptr;
}

weft_error_t* weft_interrupt_handle_new(wasm_store_t* store, weft_interrupt_handle_t** out) {
  if (!store->engine->engine.needs_interrupt_checks())
    return new_error(
        "the engine's code cannot be interrupted: make it with weft_config_interruptible (or fuel, or a deadline)");
  *out = new weft_interrupt_handle_t{store->store.interrupt_flag()};
  return nullptr;
}

void weft_interrupt_handle_delete(weft_interrupt_handle_t* handle) { delete handle; }

void weft_interrupt(const weft_interrupt_handle_t* handle) {
  if (handle) handle->flag->store(true, std::memory_order_relaxed);
}

// ---- traps and frames ------------------------------------------------------------------

void weft_frame_func_name(const wasm_frame_t* frame, wasm_name_t* out) {
  const std::string& name = frame->frame.func_name;
  if (name.empty()) {
    const std::string fallback = "func[" + std::to_string(frame->frame.func_index) + "]";
    wasm_byte_vec_new(out, fallback.size(), fallback.data());
    return;
  }
  wasm_byte_vec_new(out, name.size(), name.data());
}

void weft_trap_format(const wasm_trap_t* trap, wasm_message_t* out) {
  std::string text = trap->data->message;
  for (const FrameData& f : trap->data->frames) {
    const std::string index = "func[" + std::to_string(f.func_index) + "]";
    text += "\n  at " + (f.func_name.empty() ? index : f.func_name);
    text += " (" + (f.func_name == index || f.func_name.empty() ? std::string() : index + " ") + "@" +
            hex(f.module_offset + f.func_offset) + ")";
  }
  wasm_byte_vec_new(out, text.size() + 1, text.c_str());
}

}  // extern "C"
