#include "load/global_settings.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include <llvm/ADT/StringExtras.h>

#include "support/closest_names.h"
#include "support/error.h"

namespace probecc {
namespace {

// A global variable of the program: where its bytes are, and its type.
struct GlobalVariable {
  std::string name;
  bpf_map *map = nullptr;  // its section's internal map
  size_t offset = 0, size = 0;
  int typeId = 0;  // modifiers and typedefs resolved
  char *data = nullptr;  // in the copy of the map's initial value being written
};

// The DATASEC of an internal map: libbpf names the map after the object and the section
// ("probecc.rodata"); before load it has not yet noted the DATASEC's id, so look it up by name.
const btf_type *sectionOf(const btf *types, std::string_view mapName) {
  const btf_type *best = nullptr;
  size_t bestLength = 0;
  for (unsigned id = 1; id < btf__type_cnt(types); ++id) {
    const btf_type *type = btf__type_by_id(types, id);
    if (!btf_is_datasec(type)) continue;
    const std::string_view name = btf__name_by_offset(types, type->name_off);
    if (name.size() > bestLength && mapName.ends_with(name)) best = type, bestLength = name.size();
  }
  return best;
}

std::vector<GlobalVariable> globalVariables(bpf_object &object) {
  std::vector<GlobalVariable> globals;
  const btf *types = bpf_object__btf(&object);
  if (!types) return globals;
  bpf_map *map;
  bpf_object__for_each_map(map, &object) {
    if (!bpf_map__is_internal(map)) continue;
    const btf_type *datasec = sectionOf(types, bpf_map__name(map));
    if (!datasec) continue;
    size_t size = 0;
    if (!bpf_map__initial_value(map, &size)) continue;
    const btf_var_secinfo *vars = btf_var_secinfos(datasec);
    for (uint16_t i = 0; i < btf_vlen(datasec); ++i) {
      const btf_type *var = btf__type_by_id(types, vars[i].type);
      if (!var || !btf_is_var(var) || vars[i].offset + vars[i].size > size) continue;
      const std::string name = btf__name_by_offset(types, var->name_off);
      // probecc's own, and a function's static locals (bpf_printk's "fn.___fmt")
      if (name.starts_with("__probecc") || name.find('.') != std::string::npos) continue;
      globals.push_back({name, map, vars[i].offset, vars[i].size, btf__resolve_type(types, var->type)});
    }
  }
  return globals;
}

bool isCharType(const btf *types, int id) {
  const btf_type *type = btf__type_by_id(types, btf__resolve_type(types, id));
  return type && btf_is_int(type) && type->size == 1;
}

llvm::Error badValue(const GlobalVariable &global, std::string_view value, const llvm::Twine &takes) {
  return makeError("--set " + global.name + "=" + llvm::Twine(value) + ": " + global.name + " takes " + takes);
}

// An integer of `size` bytes into `out`; false when it is not a number or does not fit.
bool parseInteger(std::string_view text, size_t size, bool isSigned, uint64_t &out) {
  const std::string copy(text);
  if (copy.empty()) return false;
  char *end = nullptr;
  errno = 0;
  if (isSigned) {
    const long long value = strtoll(copy.c_str(), &end, 0);
    if (errno || *end) return false;
    if (size < 8) {
      const long long limit = 1LL << (size * 8 - 1);
      if (value < -limit || value >= limit) return false;
    }
    out = static_cast<uint64_t>(value);
  } else {
    if (copy[0] == '-') return false;
    const unsigned long long value = strtoull(copy.c_str(), &end, 0);
    if (errno || *end) return false;
    if (size < 8 && value >> (size * 8)) return false;
    out = value;
  }
  return true;
}

void store(char *at, size_t size, uint64_t value) { std::memcpy(at, &value, size); }  // little-endian

llvm::Error setScalar(const btf *types, const GlobalVariable &global, int typeId, char *at, std::string_view value) {
  const btf_type *type = btf__type_by_id(types, typeId);
  if (btf_is_int(type)) {
    const unsigned encoding = btf_int_encoding(type);
    if (encoding & BTF_INT_BOOL) {
      const bool yes = value == "true" || value == "1", no = value == "false" || value == "0";
      if (!yes && !no) return badValue(global, value, "true or false (a bool)");
      *at = yes;
      return llvm::Error::success();
    }
    const bool isSigned = encoding & BTF_INT_SIGNED;
    uint64_t number = 0;
    if (!parseInteger(value, type->size, isSigned, number))
      return badValue(global, value,
                      llvm::Twine(isSigned ? "a signed" : "an unsigned") + " integer of " + llvm::Twine(type->size * 8) +
                          " bits");
    store(at, type->size, number);
    return llvm::Error::success();
  }
  if (btf_is_any_enum(type)) {
    std::vector<std::string> names;
    for (uint16_t i = 0; i < btf_vlen(type); ++i) {
      const bool wide = btf_is_enum64(type);
      const char *name = btf__name_by_offset(types, wide ? btf_enum64(type)[i].name_off : btf_enum(type)[i].name_off);
      const uint64_t number = wide ? btf_enum64_value(btf_enum64(type) + i) : static_cast<uint32_t>(btf_enum(type)[i].val);
      if (value == name) {
        store(at, type->size, number);
        return llvm::Error::success();
      }
      names.push_back(name);
    }
    uint64_t number = 0;
    if (parseInteger(value, type->size, true, number) || parseInteger(value, type->size, false, number)) {
      store(at, type->size, number);
      return llvm::Error::success();
    }
    return badValue(global, value, "one of " + llvm::join(names, ", ") + " (or a number)");
  }
  if (btf_is_ptr(type)) return badValue(global, value, "an address, which probecc cannot set (a pointer)");
  return badValue(global, value, "a value probecc cannot write from the command line (a struct or union)");
}

llvm::Error setGlobal(const btf *types, const GlobalVariable &global, std::string_view value) {
  const btf_type *type = btf__type_by_id(types, global.typeId);
  if (!btf_is_array(type)) return setScalar(types, global, global.typeId, global.data, value);
  const struct btf_array *array = btf_array(type);
  if (isCharType(types, array->type)) {  // a string: targ_comm
    if (value.size() >= array->nelems)
      return badValue(global, value, "a string of at most " + llvm::Twine(array->nelems - 1) + " characters");
    std::memset(global.data, 0, global.size);
    std::memcpy(global.data, value.data(), value.size());
    return llvm::Error::success();
  }
  // An array of numbers: comma-separated, the rest zero (filter_ports = 80,443)
  const int elementId = btf__resolve_type(types, array->type);
  const long elementSize = btf__resolve_size(types, elementId);
  llvm::SmallVector<llvm::StringRef> items;
  llvm::StringRef(value).split(items, ',');
  if (elementSize <= 0 || items.size() > array->nelems)
    return badValue(global, value, "at most " + llvm::Twine(array->nelems) + " comma-separated values");
  std::memset(global.data, 0, global.size);
  for (size_t i = 0; i < items.size(); ++i)
    if (auto error = setScalar(types, global, elementId, global.data + i * elementSize, items[i].trim())) return error;
  return llvm::Error::success();
}

}  // namespace

llvm::Expected<GlobalSetting> parseGlobalSetting(std::string_view option) {
  const auto equals = option.find('=');
  if (equals == std::string_view::npos || equals == 0)
    return makeError("--set " + llvm::Twine(option) + ": expected NAME=VALUE (a global variable of the program)");
  return GlobalSetting{std::string(option.substr(0, equals)), std::string(option.substr(equals + 1))};
}

llvm::Error applyGlobalSettings(bpf_object &object, const std::vector<GlobalSetting> &settings) {
  if (settings.empty()) return llvm::Error::success();
  auto globals = globalVariables(object);
  const btf *types = bpf_object__btf(&object);
  // Each section's initial value, copied, written, and given back to libbpf (as a skeleton writes
  // its mmaped copy)
  std::map<bpf_map *, std::vector<char>> sections;
  for (const auto &setting : settings) {
    const auto global = std::find_if(globals.begin(), globals.end(),
                                     [&](const GlobalVariable &g) { return g.name == setting.name; });
    if (global == globals.end()) {
      std::vector<std::string> names;
      for (const auto &g : globals) names.push_back(g.name);
      std::string message = "--set " + setting.name + "=" + setting.value + ": the program has no global variable '" +
                            setting.name + "'" + didYouMean(closestNames(setting.name, names));
      if (names.empty()) message += " (it has none: a knob is `const volatile TYPE NAME = DEFAULT;`)";
      else message += " (its globals: " + llvm::join(names, ", ") + ")";
      return makeError(message);
    }
    auto &section = sections[global->map];
    if (section.empty()) {
      size_t size = 0;
      const auto *initial = static_cast<const char *>(bpf_map__initial_value(global->map, &size));
      section.assign(initial, initial + size);
    }
    global->data = section.data() + global->offset;
    if (auto error = setGlobal(types, *global, setting.value)) return error;
  }
  for (auto &[map, bytes] : sections)
    if (const int err = bpf_map__set_initial_value(map, bytes.data(), bytes.size()))
      return makeError("--set: cannot write " + llvm::Twine(bpf_map__name(map)) + ": " + std::strerror(-err));
  return llvm::Error::success();
}

}  // namespace probecc
