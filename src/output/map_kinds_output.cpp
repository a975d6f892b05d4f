#include "output/map_kinds_output.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include <cstring>

#include "load/section_variables.h"
#include "program/map_names.h"
#include "support/text_escape.h"

namespace probecc {

std::string lpmPrefix(const uint8_t *key, size_t size) {
  if (size < 4) return "?";
  uint32_t prefixLength;
  std::memcpy(&prefixLength, key, 4);
  const uint8_t *data = key + 4;
  const size_t dataSize = size - 4;
  char text[INET6_ADDRSTRLEN] = "";
  std::string address;
  if (dataSize == 4 && inet_ntop(AF_INET, data, text, sizeof text)) {
    address = text;
  } else if (dataSize == 16 && inet_ntop(AF_INET6, data, text, sizeof text)) {
    address = text;
  } else {
    address = hexBytes(data, dataSize);
  }
  return address + "/" + std::to_string(prefixLength);
}

uint32_t declaredMapType(const btf *types, const char *mapName, std::string_view member) {
  const auto map = findSectionVariable(types, ".maps", mapName);
  const btf_type *definition = map ? btf__type_by_id(types, map->type) : nullptr;
  if (!definition || !btf_is_struct(definition)) return 0;
  const btf_member *members = btf_members(definition);
  for (uint16_t m = 0; m < btf_vlen(definition); ++m) {
    if (std::string_view(btf__name_by_offset(types, members[m].name_off)) != member) continue;
    const btf_type *pointer = btf__type_by_id(types, members[m].type);  // __type(value, T) is T *value
    return pointer && btf_is_ptr(pointer) ? pointer->type : 0;
  }
  return 0;
}

std::string untypedBytes(const uint8_t *data, size_t size) {
  if (size <= 8) {
    uint64_t value = 0;
    std::memcpy(&value, data, size);
    return std::to_string(value);
  }
  return "0x" + hexBytes(data, size);
}

std::vector<JsonValue> drainValues(bpf_map &map, const BtfFormatter &formatter) {
  const int fd = bpf_map__fd(&map);
  uint32_t valueType = bpf_map__btf_value_type_id(&map);
  if (!valueType) valueType = declaredMapType(formatter.types(), bpf_map__name(&map), "value");
  std::vector<uint8_t> value(bpf_map__value_size(&map));
  std::vector<JsonValue> values;
  while (bpf_map_lookup_and_delete_elem(fd, nullptr, value.data()) == 0)
    values.push_back(valueType ? formatter.value(valueType, value.data()) : JsonValue(untypedBytes(value.data(), value.size())));
  return values;
}

std::string slotTarget(bpf_object &object, bpf_map_type type, uint32_t id) {
  if (type == BPF_MAP_TYPE_PROG_ARRAY) {
    bpf_program *program;
    bpf_object__for_each_program(program, &object) {
      bpf_prog_info info{};
      uint32_t length = sizeof info;
      if (bpf_program__fd(program) >= 0 && bpf_obj_get_info_by_fd(bpf_program__fd(program), &info, &length) == 0 &&
          info.id == id)
        return bpf_program__name(program);
    }
    return "program " + std::to_string(id);
  }
  bpf_map *map;
  bpf_object__for_each_map(map, &object) {
    bpf_map_info info{};
    uint32_t length = sizeof info;
    if (bpf_map__fd(map) >= 0 && bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &length) == 0 && info.id == id)
      return userMapName(bpf_map__name(map)).name;
  }
  return "map " + std::to_string(id);
}

std::optional<SlotMember> histogramSlot(const BtfFormatter &formatter, uint32_t keyType) {
  const btf *types = formatter.types();
  const btf_type *t = types && keyType ? btf__type_by_id(types, formatter.resolve(keyType)) : nullptr;
  if (!t || !btf_is_struct(t) || btf_vlen(t) < 2) return std::nullopt;
  const btf_member *members = btf_members(t);
  std::optional<SlotMember> slot;
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    if (!formatter.isInteger(members[i].type) || btf_member_bitfield_size(t, i)) continue;
    const SlotMember candidate{btf_member_bit_offset(t, i) / 8, members[i].type, i};
    if (std::string_view(btf__name_by_offset(types, members[i].name_off)) == "slot") return candidate;
    slot = candidate;
  }
  return slot;
}

JsonValue histogramSection(const BtfFormatter &formatter, uint32_t keyType, const SlotMember &slot, const uint8_t *key) {
  const btf *types = formatter.types();
  const btf_type *t = btf__type_by_id(types, formatter.resolve(keyType));
  const btf_member *members = btf_members(t);
  JsonValue section = JsonValue::object();
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    const std::string member = btf__name_by_offset(types, members[i].name_off);
    // Padding BCC's programs spell out is not part of what the key says.
    if (i == slot.index || member.empty() || member.starts_with("__pad") || member == "pad") continue;
    section[member] = formatter.value(members[i].type, key + btf_member_bit_offset(t, i) / 8);
  }
  return section;
}

}  // namespace probecc
