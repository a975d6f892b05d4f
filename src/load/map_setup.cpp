#include "load/map_setup.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include <cstring>

#include <llvm/ADT/StringRef.h>

#include "load/section_variables.h"
#include "program/map_names.h"
#include "support/error.h"

namespace probecc {
namespace {

constexpr uint32_t kDefaultMapEntries = 10240;

bpf_map *rodataMap(bpf_object &object) {
  bpf_map *map;
  bpf_object__for_each_map(map, &object) {
    if (bpf_map__is_internal(map) && std::string_view(bpf_map__name(map)).ends_with(".rodata")) return map;
  }
  return nullptr;
}

// The map a BCC program means by `name`: its own name for a BCC declaration, or the ELF name.
bpf_map *findUserMap(bpf_object &object, const std::string &name) {
  bpf_map *map;
  bpf_object__for_each_map(map, &object) {
    if (!bpf_map__is_internal(map) && userMapName(bpf_map__name(map)).name == name) return map;
  }
  return nullptr;
}

// Kinds whose size the kernel or libbpf decides (perf buffers: one per CPU; local storage: none);
// a ring buffer's size is bytes, which BCC's default is not.
bool sizedByProgram(bpf_map_type type) {
  switch (type) {
  case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
  case BPF_MAP_TYPE_RINGBUF:
  case BPF_MAP_TYPE_USER_RINGBUF:
  case BPF_MAP_TYPE_SK_STORAGE:
  case BPF_MAP_TYPE_INODE_STORAGE:
  case BPF_MAP_TYPE_TASK_STORAGE:
  case BPF_MAP_TYPE_CGROUP_STORAGE:
  case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
  case BPF_MAP_TYPE_STRUCT_OPS:
    return false;
  default:
    return true;
  }
}

}  // namespace

std::string mapNote(bpf_object &object, std::string_view prefix, const char *mapName) {
  const btf *types = bpf_object__btf(&object);
  bpf_map *rodata = rodataMap(object);
  if (!rodata) return "";
  const auto note = findSectionVariable(types, ".rodata", std::string(prefix) + mapName);
  size_t size = 0;
  const auto *data = static_cast<const char *>(bpf_map__initial_value(rodata, &size));
  if (!note || !data || note->offset + note->size > size) return "";
  return std::string(data + note->offset, strnlen(data + note->offset, note->size));
}

llvm::Expected<MapSetup> prepareMaps(bpf_object &object) {
  MapSetup setup;
  bpf_map *map;
  bpf_object__for_each_map(map, &object) {
    if (bpf_map__is_internal(map)) continue;
    const std::string user = userMapName(bpf_map__name(map)).name;
    if (auto path = mapNote(object, kPinPathPrefix, bpf_map__name(map)); !path.empty())
      if (const int err = bpf_map__set_pin_path(map, path.c_str()))
        return makeError("map " + user + ": cannot pin it at " + path + ": " + strerror(-err));
    const auto type = bpf_map__type(map);
    // A libbpf tool's loader sets it (bpf_map__set_max_entries); BCC's tables default to this. A
    // BCC declaration always names its size, so a 0 there is the user's, for the kernel to refuse.
    const llvm::StringRef objectName = bpf_map__name(map);
    const bool declaredByBcc = objectName.ends_with(kMapSuffix) || objectName.ends_with(kHistogramSuffix) ||
                               objectName.ends_with(kLinearHistogramSuffix);
    if (bpf_map__max_entries(map) == 0 && sizedByProgram(type) && !declaredByBcc) {
      if (const int err = bpf_map__set_max_entries(map, kDefaultMapEntries))
        return makeError("map " + user + ": cannot size it: " + strerror(-err));
      setup.notes.push_back("map " + user + " has no max_entries: " + std::to_string(kDefaultMapEntries) +
                            " entries (BCC's default)");
    }
    if (type != BPF_MAP_TYPE_ARRAY_OF_MAPS && type != BPF_MAP_TYPE_HASH_OF_MAPS) continue;
    const std::string innerName = mapNote(object, kInnerMapPrefix, bpf_map__name(map));
    bpf_map *inner = innerName.empty() ? nullptr : findUserMap(object, innerName);
    if (!inner)
      return makeError("map " + user + ": its inner map '" + innerName + "' is not declared in the program");
    LIBBPF_OPTS(bpf_map_create_opts, options, .map_flags = bpf_map__map_flags(inner));
    UniqueFd shape(bpf_map_create(bpf_map__type(inner), "probecc_inner", bpf_map__key_size(inner),
                                  bpf_map__value_size(inner), bpf_map__max_entries(inner), &options));
    if (!shape)
      return makeError("map " + user + ": cannot create the template of its inner map " + innerName + ": " +
                       strerror(errno));
    if (const int err = bpf_map__set_inner_map_fd(map, shape.get()))
      return makeError("map " + user + ": " + strerror(-err));
    setup.innerTemplates.push_back(std::move(shape));
    setup.innerAtSlotZero.emplace_back(map, inner);
  }
  return setup;
}

llvm::Error finishMaps(const MapSetup &setup) {
  for (const auto &[outer, inner] : setup.innerAtSlotZero) {
    std::vector<uint8_t> key(bpf_map__key_size(outer), 0);
    const uint32_t fd = bpf_map__fd(inner);
    if (bpf_map_update_elem(bpf_map__fd(outer), key.data(), &fd, BPF_ANY) != 0)
      return makeError("map " + userMapName(bpf_map__name(outer)).name + ": cannot store its inner map at slot 0: " +
                       strerror(errno));
  }
  return llvm::Error::success();
}

}  // namespace probecc
