#include "output/map_records.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

#include "output/map_kinds_output.h"
#include "support/text_escape.h"

namespace probecc {
namespace {

struct RawEntry {
  std::vector<uint8_t> key, value;
};

bool allZero(const uint8_t *data, size_t size) {
  return std::all_of(data, data + size, [](uint8_t b) { return b == 0; });
}

struct ReadEntries {
  std::vector<RawEntry> entries;
  size_t keysRead = 0;
  bool truncated = false;    // options.maxEntries entries or options.maxKeysRead keys were read, and there are more
  bool interrupted = false;  // the user asked to stop
};

// The entries of `map` (within options' limits); per-CPU integer values are summed, other per-CPU
// values show CPU 0's; array slots never written are left out.
ReadEntries readEntries(bpf_map &map, const BtfFormatter &formatter, const MapReadOptions &options) {
  const int fd = bpf_map__fd(&map);
  const auto type = bpf_map__type(&map);
  const bool perCpu = type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
                      type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
  const bool isArray = type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
  const size_t keySize = bpf_map__key_size(&map), valueSize = bpf_map__value_size(&map);
  const int cpus = perCpu ? libbpf_num_possible_cpus() : 1;
  const size_t stride = perCpu ? (valueSize + 7) / 8 * 8 : valueSize;
  const uint32_t valueType = bpf_map__btf_value_type_id(&map);
  const bool integerValue = formatter.types() && valueType && formatter.isInteger(valueType);
  ReadEntries read;
  auto &entries = read.entries;
  std::vector<uint8_t> key(keySize), next(keySize), raw(stride * cpus);
  void *previous = nullptr;
  while (bpf_map_get_next_key(fd, previous, next.data()) == 0) {
    if (read.keysRead == options.maxKeysRead) {
      read.truncated = true;
      break;
    }
    if (++read.keysRead % 4096 == 0 && options.interrupted()) {
      read.interrupted = true;
      break;
    }
    key = next;
    previous = key.data();
    if (bpf_map_lookup_elem(fd, key.data(), raw.data()) != 0) continue;
    std::vector<uint8_t> value(raw.begin(), raw.begin() + valueSize);
    if (perCpu && integerValue && valueSize <= 8) {
      int64_t sum = 0;
      for (int cpu = 0; cpu < cpus; ++cpu) sum += formatter.integerValue(valueType, raw.data() + cpu * stride);
      std::memcpy(value.data(), &sum, valueSize);
    }
    if (isArray && allZero(value.data(), value.size())) continue;  // untouched slots are noise
    if (entries.size() == options.maxEntries) {
      read.truncated = true;
      break;
    }
    entries.push_back({key, std::move(value)});
  }
  return read;
}

}  // namespace

std::pair<uint64_t, uint64_t> log2Bucket(int64_t i) {
  if (i <= 0) return {0, 0};
  if (i == 1) return {0, 1};
  if (i >= 64) return {uint64_t(1) << 63, ~uint64_t(0)};
  return {(uint64_t(1) << i) >> 1, (uint64_t(1) << i) - 1};
}

bpf_map *MapReader::stackMap() {
  bpf_map *map;
  bpf_object__for_each_map(map, &object_) if (bpf_map__type(map) == BPF_MAP_TYPE_STACK_TRACE) return map;
  return nullptr;
}

std::vector<MapRecords> MapReader::readAll(const MapReadOptions &options) {
  std::vector<MapRecords> all;
  bpf_map *map;
  bpf_object__for_each_map(map, &object_) {
    if (options.interrupted()) break;
    if (bpf_map__is_internal(map)) continue;
    if (llvm::StringRef(bpf_map__name(map)).starts_with("__bpf_usdt")) continue;  // libbpf's USDT bookkeeping
    switch (bpf_map__type(map)) {
      case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
      case BPF_MAP_TYPE_RINGBUF:
      case BPF_MAP_TYPE_STACK_TRACE:  // shown where its ids are used
      case BPF_MAP_TYPE_CGROUP_ARRAY:  // cgroup fds: nothing user space can read back
        continue;
      default:
        break;
    }
    if (auto records = read(*map, options)) all.push_back(std::move(*records));
  }
  return all;
}

namespace {

enum class MemberRole { Other, KernelStackId, UserStackId, Pid };

// What an integer member holds: as the preamble's typedef markers say, or, in an entry with no
// marked member, as its name suggests. The names stay because BCC's own tools (offcputime,
// stackcount, profile) declare `int kernel_stack_id, user_stack_id; u32 pid;` and run here unchanged.
MemberRole markedRole(const BtfFormatter &formatter, uint32_t type) {
  if (formatter.isTypedef(type, kKernelStackIdTypedef)) return MemberRole::KernelStackId;
  if (formatter.isTypedef(type, kUserStackIdTypedef)) return MemberRole::UserStackId;
  if (formatter.isTypedef(type, kPidTypedef)) return MemberRole::Pid;
  return MemberRole::Other;
}

MemberRole roleByName(const std::string &name) {
  if (name == "pid" || name == "tgid") return MemberRole::Pid;
  if (name.find("stack") == std::string::npos) return MemberRole::Other;
  const bool user = name.find("user") != std::string::npos || name.find("ustack") != std::string::npos;
  return user ? MemberRole::UserStackId : MemberRole::KernelStackId;
}

// Each integer member of the struct (if it is one) of type `id` at `data`: fn(name, type, value).
template <typename Visit>
void forEachIntegerMember(const BtfFormatter &formatter, uint32_t id, const uint8_t *data, Visit visit) {
  const btf *types = formatter.types();
  const btf_type *t = btf__type_by_id(types, formatter.resolve(id));
  if (!t || !btf_is_struct(t)) return;
  const btf_member *members = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i)
    if (formatter.isInteger(members[i].type)) {
      const std::string name = btf__name_by_offset(types, members[i].name_off);
      visit(name, members[i].type, formatter.integerValue(members[i].type, data + btf_member_bit_offset(t, i) / 8));
    }
}

}  // namespace

// Stack ids (members marked or named as such, roleOf) resolved in the stack map.
StackFrames MapReader::stackFramesOf(const std::vector<uint8_t> &key, const std::vector<uint8_t> &value,
                                     const BtfFormatter &formatter, uint32_t keyType, uint32_t valueType) {
  bpf_map *stacks = stackMap();
  StackFrames resolved;
  if (!stacks || !formatter.types()) return resolved;
  const std::pair<const std::vector<uint8_t> *, uint32_t> parts[] = {{&key, keyType}, {&value, valueType}};
  // A user stack is symbolised in its process: the entry's pid (or tgid) member says which.
  int pid = -1;
  bool marked = false;
  for (const auto &[part, partType] : parts)
    forEachIntegerMember(formatter, partType, part->data(), [&](const std::string &, uint32_t type, int64_t) {
      marked |= markedRole(formatter, type) != MemberRole::Other;
    });
  auto roleOf = [&](const std::string &name, uint32_t type) { return marked ? markedRole(formatter, type) : roleByName(name); };
  for (const auto &[part, partType] : parts)
    forEachIntegerMember(formatter, partType, part->data(), [&](const std::string &member, uint32_t type, int64_t number) {
      if (roleOf(member, type) == MemberRole::Pid) pid = static_cast<int>(number);
    });
  for (const auto &[part, partType] : parts)
    forEachIntegerMember(formatter, partType, part->data(), [&](const std::string &member, uint32_t type, int64_t stackId) {
      const MemberRole role = roleOf(member, type);
      if (role != MemberRole::KernelStackId && role != MemberRole::UserStackId) return;
      const bool user = role == MemberRole::UserStackId;
      resolved.emplace_back(member, stackId >= 0 ? readStack(*stacks, static_cast<uint32_t>(stackId), user, pid)
                                                 : std::vector<std::string>());
    });
  return resolved;
}

// One stack of a stack map, sized by the map's own value size: 127 addresses in a BPF_STACK_TRACE
// (by default), 127 struct bpf_stack_build_id (32 bytes each) in a BPF_STACK_TRACE_BUILDID.
std::vector<std::string> MapReader::readStack(bpf_map &stacks, uint32_t id, bool user, int pid) {
  std::vector<uint8_t> value(bpf_map__value_size(&stacks));
  std::vector<std::string> frames;
  if (bpf_map_lookup_elem(bpf_map__fd(&stacks), &id, value.data()) != 0) return frames;
  auto symbol = [&](uint64_t ip) { return user ? userSymbols_.describe(pid, ip) : kernelSymbols_.describe(ip); };
  if (bpf_map__map_flags(&stacks) & BPF_F_STACK_BUILD_ID) {
    for (size_t at = 0; at + sizeof(bpf_stack_build_id) <= value.size(); at += sizeof(bpf_stack_build_id)) {
      bpf_stack_build_id frame;
      std::memcpy(&frame, value.data() + at, sizeof frame);
      if (frame.status == BPF_STACK_BUILD_ID_EMPTY) break;
      if (frame.status == BPF_STACK_BUILD_ID_IP) {
        frames.push_back(symbol(frame.ip));
        continue;
      }
      char offset[32];
      std::snprintf(offset, sizeof offset, " + 0x%llx", static_cast<unsigned long long>(frame.offset));
      frames.push_back("build-id " + hexBytes(frame.build_id, sizeof frame.build_id) + offset);
    }
    return frames;
  }
  for (size_t at = 0; at + sizeof(uint64_t) <= value.size(); at += sizeof(uint64_t)) {
    uint64_t ip;
    std::memcpy(&ip, value.data() + at, sizeof ip);
    if (!ip) break;
    frames.push_back(symbol(ip));
  }
  return frames;
}

std::optional<MapRecords> MapReader::read(bpf_map &map, const MapReadOptions &options) {
  const btf *types = bpf_object__btf(&object_);
  MapRecords records;
  records.name = userMapName(bpf_map__name(&map));
  records.type = bpf_map__type(&map);
  records.capacity = bpf_map__max_entries(&map);
  const BtfFormatter formatter(types, &kernelSymbols_);
  if (records.type == BPF_MAP_TYPE_QUEUE || records.type == BPF_MAP_TYPE_STACK) {
    if (!options.drainQueues) return std::nullopt;
    records.shape = MapRecords::Shape::Drained;
    records.drained = drainValues(map, formatter);
    if (records.drained.empty()) return std::nullopt;
    return records;
  }
  const uint32_t keyType = bpf_map__btf_key_type_id(&map), valueType = bpf_map__btf_value_type_id(&map);
  const bool integerValue = types && valueType && formatter.isInteger(valueType);
  auto read = readEntries(map, formatter, options);
  if (read.interrupted) return std::nullopt;
  records.truncated = read.truncated;
  records.keysRead = read.keysRead;
  std::vector<RawEntry> entries = std::move(read.entries);
  if (entries.empty()) return std::nullopt;

  const auto &name = records.name;
  const bool intKey = types && keyType && formatter.isInteger(keyType);
  const auto slot = name.kind != MapName::Kind::Table && !intKey ? histogramSlot(formatter, keyType) : std::nullopt;
  if (slot && integerValue) {
    // BCC's print_log2_hist(section_header=...): one histogram per value of the rest of the key.
    records.shape = MapRecords::Shape::Histograms;
    std::map<std::string, std::vector<const RawEntry *>> sections;  // by the key's bytes, slot zeroed
    for (const auto &e : entries) {
      std::string rest(e.key.begin(), e.key.end());
      std::fill_n(rest.begin() + slot->offset, btf__resolve_size(types, slot->type), 0);
      sections[rest].push_back(&e);
    }
    for (const auto &[rest, members] : sections) {
      HistogramRecord histogram{
          histogramSection(formatter, keyType, *slot, reinterpret_cast<const uint8_t *>(rest.data())), {}};
      for (const auto *e : members)
        histogram.buckets.emplace_back(formatter.integerValue(slot->type, e->key.data() + slot->offset),
                                       formatter.integerValue(valueType, e->value.data()));
      std::sort(histogram.buckets.begin(), histogram.buckets.end());
      records.histograms.push_back(std::move(histogram));
    }
    return records;
  }
  if (name.kind != MapName::Kind::Table && intKey && integerValue) {
    records.shape = MapRecords::Shape::Histograms;
    HistogramRecord histogram{nullptr, {}};
    for (const auto &e : entries)
      histogram.buckets.emplace_back(formatter.integerValue(keyType, e.key.data()),
                                     formatter.integerValue(valueType, e.value.data()));
    std::sort(histogram.buckets.begin(), histogram.buckets.end());
    records.histograms.push_back(std::move(histogram));
    return records;
  }

  if (integerValue)
    std::stable_sort(entries.begin(), entries.end(), [&](const RawEntry &a, const RawEntry &b) {
      return formatter.integerValue(valueType, a.value.data()) < formatter.integerValue(valueType, b.value.data());
    });
  // LPM trie keys read as prefixes; program array and map-of-maps slots hold ids of what they name.
  const auto type = records.type;
  const bool holdsIds = type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
                        type == BPF_MAP_TYPE_HASH_OF_MAPS;
  for (const auto &e : entries) {
    TableRecord record;
    if (type == BPF_MAP_TYPE_LPM_TRIE)
      record.key = lpmPrefix(e.key.data(), e.key.size());
    else
      record.key = keyType ? formatter.value(keyType, e.key.data()) : JsonValue(untypedBytes(e.key.data(), e.key.size()));
    if (holdsIds) {
      uint32_t id = 0;
      if (e.value.size() == 4) std::memcpy(&id, e.value.data(), 4);
      record.value = slotTarget(object_, type, id);
    } else {
      record.value = valueType ? formatter.value(valueType, e.value.data())
                               : JsonValue(untypedBytes(e.value.data(), e.value.size()));
    }
    if (integerValue && !holdsIds) record.number = formatter.integerValue(valueType, e.value.data());
    if (options.resolveStacks) record.stacks = stackFramesOf(e.key, e.value, formatter, keyType, valueType);
    records.entries.push_back(std::move(record));
  }
  return records;
}

}  // namespace probecc
