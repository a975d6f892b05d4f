#pragma once
// Printing the map kinds whose entries are not plain key → value: LPM trie keys as prefixes,
// queues and stacks drained in order, program arrays and maps of maps by what their slots hold,
// and BCC histograms keyed by a struct (one histogram per value of the rest of the key).
#include <bpf/libbpf.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "output/btf_format.h"

namespace probecc {

// An LPM trie key {u32 prefixlen; data[]}: "10.0.0.0/8" for 4 data bytes, an IPv6 prefix for 16,
// hex bytes "/len" otherwise.
std::string lpmPrefix(const uint8_t *key, size_t size);

// The type a BTF-defined map declared for `member` ("key" or "value") in its .maps definition, for
// maps whose key or value type libbpf does not pass on (queues, stacks); 0 if none.
uint32_t declaredMapType(const btf *types, const char *mapName, std::string_view member);

// Raw bytes without a type: a little-endian number up to 8 bytes, hex beyond.
std::string untypedBytes(const uint8_t *data, size_t size);

// Pops every element of a queue or stack map (oldest first, or top first), as BCC's pop() would.
std::vector<JsonValue> drainValues(bpf_map &map, const BtfFormatter &formatter);

// A program array's or map of maps' slot value (a program or map id) as the name of what it holds.
std::string slotTarget(bpf_object &object, bpf_map_type type, uint32_t id);

// The histogram slot member of a struct key (named "slot", else its last integer member), or
// nullopt when the key is not such a struct.
struct SlotMember {
  uint32_t offset, type;
  uint16_t index;
};
std::optional<SlotMember> histogramSlot(const BtfFormatter &formatter, uint32_t keyType);

// The rest of a struct key, for a histogram's section header: "disk = sda" (JSON: {"disk":"sda"}).
JsonValue histogramSection(const BtfFormatter &formatter, uint32_t keyType, const SlotMember &slot, const uint8_t *key);

}  // namespace probecc
