// The objects behind weft.h's linker and WASI configuration.
//
// A linker holds runtime externs (not API handles) by module and field name:
// they live as long as the store, so the linker may outlive the store or go
// before it without freeing anything of it. The WASI context of
// weft_linker_define_wasi belongs to the store (wasm_store_t::attachments);
// the linker points at it.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "api/api_internal.h"
#include "wasi/wasi.h"

struct weft_wasi_config_t {
  weft::wasi::WasiConfig config;
};

struct weft_linker_t {
  wasm_store_t* store = nullptr;
  // (module, name) -> extern of `store`.
  std::map<std::pair<std::string, std::string>, weft::Extern> defs;
  weft::wasi::WasiContext* wasi = nullptr;  // owned by the store
};
