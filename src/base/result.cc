#include "base/result.h"

#include <cstdio>

namespace weft {

const char* error_kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::malformed: return "malformed";
    case ErrorKind::invalid: return "invalid";
    case ErrorKind::unlinkable: return "unlinkable";
    case ErrorKind::trap: return "trap";
    case ErrorKind::exhaustion: return "exhaustion";
    case ErrorKind::exception: return "exception";
    case ErrorKind::suspension: return "suspension";
    case ErrorKind::io: return "io";
    case ErrorKind::exit: return "exit";
    case ErrorKind::pending: return "pending";
  }
  return "error";
}

std::string Location::to_string() const {
  switch (kind) {
    case Kind::none: return "";
    case Kind::byte_offset: {
      char buf[32];
      snprintf(buf, sizeof buf, "@0x%llx", static_cast<unsigned long long>(offset));
      return buf;
    }
    case Kind::line_col: return std::to_string(line) + ":" + std::to_string(column);
  }
  return "";
}

std::string Error::to_string() const {
  std::string s = error_kind_name(kind);
  std::string loc = location.to_string();
  if (!loc.empty()) s += " at " + loc;
  s += ": ";
  s += message;
  return s;
}

}  // namespace weft
