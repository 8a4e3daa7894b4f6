// The "spectest" host module of the script format (script-format-README.md).
#pragma once

#include <ostream>

#include "runtime/store.h"

namespace weft {

// Creates the spectest exports in `store`. print* functions write
// "<value> : <type>" lines to `out`, as the reference interpreter does.
// The returned instance has no module; only its exports are meaningful.
struct HostModule {
  std::vector<std::pair<std::string, Extern>> exports;
  std::optional<Extern> find(std::string_view name) const;
};
HostModule make_spectest(Store& store, std::ostream& out);

// Registers a one-type recursive group holding `ft` and returns its id.
uint32_t intern_func_type(TypeRegistry& types, const FuncType& ft);

}  // namespace weft
