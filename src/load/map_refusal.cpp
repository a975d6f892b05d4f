#include "load/map_refusal.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include <llvm/ADT/StringExtras.h>

#include "program/map_names.h"
#include "support/printk_format.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

std::string reasonFor(int error, const bpf_map &map) {
  switch (error) {
    case E2BIG: return "is more than the kernel allows (E2BIG)";
    case ENOMEM: return "is more memory than the kernel gives it (ENOMEM)";
    case EPERM: return "is not permitted here (EPERM)";
    case EINVAL:
      if (bpf_map__max_entries(&map) == 0) return "is refused: a map needs at least 1 entry (EINVAL)";
      return "is refused: a size or flag this kind of map does not take (EINVAL)";
    default: return std::string("is refused: ") + strerror(error);
  }
}

// "FILE:LINE:COL: " of the first line that declares map `name` (BPF_HASH(name, ...), or
// libbpf's `} name SEC(".maps")`); the file's name alone if no line does.
std::string declarationOf(const std::string &name, const UserSource &source) {
  const std::regex declaration("(BPF_[A-Z_0-9]*\\s*\\(\\s*(\"[^\"]*\"\\s*,\\s*[^,]*,\\s*[^,]*,\\s*)?" + name +
                               "\\b)|(\\}\\s*" + name + "\\s+SEC)");
  size_t start = 0;
  for (unsigned line = 1; start <= source.text.size(); ++line) {
    const size_t end = std::min(source.text.find('\n', start), source.text.size());
    const std::string text = source.text.substr(start, end - start);
    std::smatch match;
    if (std::regex_search(text, match, declaration))
      return source.name + ":" + std::to_string(line) + ":" + std::to_string(match.position(0) + 1) + ": ";
    start = end + 1;
  }
  return source.name.empty() ? "" : source.name + ": ";
}

}  // namespace

std::optional<std::string> explainMapRefusal(bpf_object &object, int err, const UserSource &source) {
  bpf_map *map;
  bpf_object__for_each_map(map, &object) {
    if (!bpf_map__autocreate(map)) continue;
    const auto type = bpf_map__type(map);
    if (type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS) continue;  // need an inner map
    uint32_t entries = bpf_map__max_entries(map);
    if (type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && entries == 0) entries = libbpf_num_possible_cpus();  // as libbpf does
    LIBBPF_OPTS(bpf_map_create_opts, options, .map_flags = bpf_map__map_flags(map), .map_extra = bpf_map__map_extra(map),
                .numa_node = bpf_map__numa_node(map));
    UniqueFd created(bpf_map_create(type, nullptr, bpf_map__key_size(map), bpf_map__value_size(map), entries, &options));
    if (created) continue;
    const int error = errno ? errno : err;
    const char *kind = libbpf_bpf_map_type_str(type);
    const std::string objectName = bpf_map__name(map);
    if (objectName == kPrintkMapName)
      return (source.name.empty() ? "" : source.name + ": ") + "error: bpf_trace_printk's ring buffer of " +
             std::to_string(entries) + " bytes (--printk-pages) " + reasonFor(error, *map);
    const std::string name = bpf_map__is_internal(map) ? objectName : userMapName(objectName).name;
    return declarationOf(name, source) + "error: map " + name + " (" + (kind ? kind : "map") + "): " +
           std::to_string(entries) + " entries of " + std::to_string(bpf_map__key_size(map)) + "+" +
           std::to_string(bpf_map__value_size(map)) + " bytes " + reasonFor(error, *map);
  }
  return std::nullopt;
}

}  // namespace probecc
