#include "cli/engine_options.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace weft::cli {

const char* const kEngineOptionsUsage =
    "engine options (run, wast):\n"
    "  --stack-growth=segmented|copying   how stacks grow (default segmented)\n"
    "  --initial-stack-size=BYTES         first segment of every stack (default 512)\n"
    "  --max-stack-size=BYTES             per stack (default 512M)\n"
    "  --max-stack-total=BYTES            all stacks of the store together (default 4G)\n"
    "  --max-memory-pages=N               largest memory, in 64 KiB pages (default 65536)\n"
    "  --max-table-elements=N             largest table (default 10000000)\n"
    "  --max-instances=N                  instances per store (default 10000)\n"
    "  --fuel=N                           instruction budget per call from the host (default unlimited)\n"
    "  --timeout=SECONDS                  wall-clock deadline (default none)\n"
    "  BYTES and N take a K, M or G suffix (powers of 1024 for BYTES, of 1000 for N).\n";

namespace {

// "12", "64K", "512M", "4G": `binary` picks 1024 or 1000 as the suffix base.
std::optional<uint64_t> parse_amount(const std::string& s, bool binary) {
  if (s.empty() || s[0] == '-') return std::nullopt;
  char* end = nullptr;
  errno = 0;
  uint64_t v = std::strtoull(s.c_str(), &end, 10);
  if (errno || end == s.c_str()) return std::nullopt;
  uint64_t unit = 1;
  const uint64_t base = binary ? 1024 : 1000;
  if (*end == 'k' || *end == 'K') unit = base, ++end;
  else if (*end == 'm' || *end == 'M') unit = base * base, ++end;
  else if (*end == 'g' || *end == 'G') unit = base * base * base, ++end;
  if (*end) return std::nullopt;
  if (v > UINT64_MAX / unit) return std::nullopt;
  return v * unit;
}

}  // namespace

OptionParse parse_engine_option(const std::vector<std::string>& args, size_t* i, EngineConfig* config,
                                std::string* error) {
  const std::string& a = args[*i];
  if (a.rfind("--", 0) != 0) return OptionParse::not_mine;
  const size_t eq = a.find('=');
  const std::string name = a.substr(0, eq);
  auto value = [&]() -> std::optional<std::string> {
    if (eq != std::string::npos) return a.substr(eq + 1);
    if (*i + 1 >= args.size()) return std::nullopt;
    return args[++*i];
  };
  auto amount = [&](bool binary, uint64_t* out) {
    auto v = value();
    auto n = v ? parse_amount(*v, binary) : std::nullopt;
    if (!n) {
      *error = name + " needs a " + (binary ? "size in bytes" : "count") + (v ? ", got \"" + *v + "\"" : "");
      return OptionParse::error;
    }
    *out = *n;
    return OptionParse::ok;
  };
  if (name == "--stack-growth") {
    auto v = value();
    if (v && *v == "segmented") config->stack_growth = StackGrowth::segmented;
    else if (v && *v == "copying") config->stack_growth = StackGrowth::copying;
    else {
      *error = "--stack-growth needs segmented or copying";
      return OptionParse::error;
    }
    return OptionParse::ok;
  }
  if (name == "--initial-stack-size") return amount(true, &config->initial_stack_bytes);
  if (name == "--max-stack-size") return amount(true, &config->max_stack_bytes);
  if (name == "--max-stack-total") return amount(true, &config->max_total_stack_bytes);
  if (name == "--max-memory-pages") return amount(false, &config->max_memory_pages);
  if (name == "--max-table-elements") return amount(false, &config->max_table_elements);
  if (name == "--fuel") return amount(false, &config->fuel);
  if (name == "--max-instances") {
    uint64_t n = 0;
    OptionParse r = amount(false, &n);
    if (r == OptionParse::ok && n > UINT32_MAX) {
      *error = "--max-instances is too large";
      return OptionParse::error;
    }
    config->max_instances = uint32_t(n);
    return r;
  }
  if (name == "--timeout") {
    auto v = value();
    char* end = nullptr;
    double s = v ? std::strtod(v->c_str(), &end) : -1;
    if (!v || end == v->c_str() || *end || !(s > 0) || s > 1e9) {
      *error = "--timeout needs a positive number of seconds";
      return OptionParse::error;
    }
    config->timeout_ms = uint64_t(std::ceil(s * 1000));
    return OptionParse::ok;
  }
  return OptionParse::not_mine;
}

}  // namespace weft::cli
