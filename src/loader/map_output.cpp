#include "loader/map_output.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "program/map_names.h"
#include "loader/map_kinds_output.h"

namespace probecc {
namespace {

constexpr int kHistogramWidth = 40;

std::string stars(uint64_t count, uint64_t max) {
  const int n = max ? static_cast<int>((count * kHistogramWidth + max - 1) / max) : 0;
  return std::string(std::min(n, kHistogramWidth), '*') + std::string(kHistogramWidth - std::min(n, kHistogramWidth), ' ');
}

bool allZero(const uint8_t *data, size_t size) {
  return std::all_of(data, data + size, [](uint8_t b) { return b == 0; });
}

// Bucket i of a log2 histogram holds [2^(i-1), 2^i - 1]; bpf_log2l puts 0 and 1 both in bucket 1,
// which BCC therefore labels 0 -> 1.
std::pair<uint64_t, uint64_t> log2Bucket(int64_t i) {
  if (i <= 0) return {0, 0};
  if (i == 1) return {0, 1};
  if (i >= 64) return {uint64_t(1) << 63, ~uint64_t(0)};
  return {(uint64_t(1) << i) >> 1, (uint64_t(1) << i) - 1};
}


// The rest of a struct key, as a histogram's section header says it: "disk = sda, op = R".
std::string sectionText(const JsonValue &section) {
  std::string text;
  for (const auto &[member, value] : section.items()) text += (text.empty() ? "" : ", ") + member + " = " + textOf(value);
  return text;
}

// One histogram: JSON, or BCC's table. `section` is the rest of a struct key (null if none): a
// line of its own above the table in text, "section" in JSON.
void printHistogram(const MapName &name, const JsonValue &section, std::vector<std::pair<int64_t, uint64_t>> buckets,
                    OutputSink &out) {
  std::sort(buckets.begin(), buckets.end());
  if (out.isJson()) {
    JsonValue record{{"type", "hist"}, {"map", name.name}};
    if (!section.is_null()) record["section"] = section;
    JsonValue &rows = record["buckets"] = JsonValue::array();
    for (const auto &[bucket, count] : buckets) {
      const auto [low, high] = name.kind == MapName::Kind::Log2Histogram ? log2Bucket(bucket)
                                                                         : std::pair<uint64_t, uint64_t>(bucket, bucket);
      rows.push_back({{"min", low}, {"max", high}, {"count", count}});
    }
    out.record(record);
    return;
  }
  const std::string title = section.is_null() ? name.name : "  " + sectionText(section);
  if (name.kind == MapName::Kind::Log2Histogram) {
    std::vector<uint64_t> counts;
    for (const auto &[bucket, count] : buckets) {
      if (bucket < 0 || bucket > 64) continue;
      if (counts.size() <= static_cast<size_t>(bucket)) counts.resize(bucket + 1);
      counts[bucket] = count;
    }
    out.text(log2Histogram(title, counts) + "\n");
  } else {
    out.text(linearHistogram(title, buckets) + "\n");
  }
}
struct ReadEntries {
  std::vector<MapEntry> entries;
  size_t keysRead = 0;
  bool cutShort = false;     // kMaxMapKeysRead keys were read, and there are more
  bool interrupted = false;  // the user asked to stop
};

// Every entry of `map` (up to kMaxMapKeysRead keys); per-CPU integer values are summed, other
// per-CPU values show CPU 0's; array slots never written are left out.
ReadEntries readEntries(bpf_map &map, const BtfFormatter &formatter, const std::function<bool()> &interrupted) {
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
    if (read.keysRead == kMaxMapKeysRead) {
      read.cutShort = true;
      break;
    }
    if (++read.keysRead % 4096 == 0 && interrupted()) {
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
    entries.push_back({key, std::move(value)});
  }
  return read;
}

}  // namespace

std::string log2Histogram(const std::string &title, const std::vector<uint64_t> &counts) {
  size_t last = 0;
  uint64_t max = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (!counts[i]) continue;
    last = i;
    max = std::max(max, counts[i]);
  }
  std::string out = title + ":\n";
  char line[256];
  std::snprintf(line, sizeof line, "%24s : %-8s %s\n", "value", "count", "distribution");
  out += line;
  // Like BCC, from bucket 1 (which includes 0) unless bucket 0 itself was used.
  for (size_t i = counts.empty() || counts[0] == 0 ? 1 : 0; i <= last && max; ++i) {
    const auto [low, high] = log2Bucket(i);
    std::snprintf(line, sizeof line, "%10llu -> %-10llu : %-8llu |%s|\n", (unsigned long long)low,
                  (unsigned long long)high, (unsigned long long)counts[i], stars(counts[i], max).c_str());
    out += line;
  }
  return out;
}

std::string linearHistogram(const std::string &title, const std::vector<std::pair<int64_t, uint64_t>> &counts) {
  uint64_t max = 0;
  for (const auto &[bucket, count] : counts) max = std::max(max, count);
  std::string out = title + ":\n";
  char line[256];
  std::snprintf(line, sizeof line, "%12s : %-8s %s\n", "value", "count", "distribution");
  out += line;
  for (const auto &[bucket, count] : counts) {
    std::snprintf(line, sizeof line, "%12lld : %-8llu |%s|\n", (long long)bucket, (unsigned long long)count,
                  stars(count, max).c_str());
    out += line;
  }
  return out;
}

bpf_map *MapPrinter::stackMap() {
  bpf_map *map;
  bpf_object__for_each_map(map, &object_) if (bpf_map__type(map) == BPF_MAP_TYPE_STACK_TRACE) return map;
  return nullptr;
}

// One stack of a stack map, sized by the map's own value size: 127 addresses in a BPF_STACK_TRACE
// (by default), 127 struct bpf_stack_build_id (32 bytes each) in a BPF_STACK_TRACE_BUILDID.
std::vector<std::string> MapPrinter::readStack(bpf_map &stacks, uint32_t id, bool user, int pid) {
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
      char text[2 * BPF_BUILD_ID_SIZE + 32];
      int n = 0;
      for (unsigned char byte : frame.build_id) n += std::snprintf(text + n, sizeof text - n, "%02x", byte);
      std::snprintf(text + n, sizeof text - n, " + 0x%llx", static_cast<unsigned long long>(frame.offset));
      frames.push_back(std::string("build-id ") + text);
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

int MapPrinter::printAll(OutputSink &out) {
  int printed = 0;
  bpf_map *map;
  bpf_object__for_each_map(map, &object_) {
    if (interrupted_()) break;
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
    printed += printMap(*map, out);
  }
  if (interrupted_()) addNote("printing the maps stopped: interrupted");
  return printed;
}

// Stack ids: members named like "kernel_stack_id" of an int type, resolved in the stack map.
MapPrinter::StackFrames MapPrinter::stackFramesOf(const MapEntry &e, const BtfFormatter &formatter, uint32_t keyType,
                                                  uint32_t valueType) {
  const btf *types = formatter.types();
  bpf_map *stacks = stackMap();
  StackFrames resolved;
  if (!stacks || !types) return resolved;
  // A user stack is symbolised in its process: the entry's pid (or tgid) member says which.
  int pid = -1;
  for (const auto *part : {&e.key, &e.value}) {
    const btf_type *t = btf__type_by_id(types, formatter.resolve(part == &e.key ? keyType : valueType));
    if (!t || !btf_is_struct(t)) continue;
    const btf_member *members = btf_members(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      const std::string member = btf__name_by_offset(types, members[i].name_off);
      if ((member == "pid" || member == "tgid") && formatter.isInteger(members[i].type))
        pid = formatter.integerValue(members[i].type, part->data() + btf_member_bit_offset(t, i) / 8);
    }
  }
  for (const auto *part : {&e.key, &e.value}) {
    const uint32_t id = formatter.resolve(part == &e.key ? keyType : valueType);
    const btf_type *t = btf__type_by_id(types, id);
    if (!t || !btf_is_struct(t)) continue;
    const btf_member *members = btf_members(t);
    for (uint16_t i = 0; i < btf_vlen(t); ++i) {
      const std::string member = btf__name_by_offset(types, members[i].name_off);
      if (member.find("stack") == std::string::npos || !formatter.isInteger(members[i].type)) continue;
      const int64_t stackId = formatter.integerValue(members[i].type, part->data() + btf_member_bit_offset(t, i) / 8);
      const bool user = member.find("user") != std::string::npos || member.find("ustack") != std::string::npos;
      resolved.emplace_back(member, stackId >= 0 ? readStack(*stacks, static_cast<uint32_t>(stackId), user, pid)
                                                 : std::vector<std::string>());
    }
  }
  return resolved;
}

bool MapPrinter::printMap(bpf_map &map, OutputSink &out) {
  const btf *types = bpf_object__btf(&object_);
  const auto type = bpf_map__type(&map);
  if (type == BPF_MAP_TYPE_QUEUE || type == BPF_MAP_TYPE_STACK) {
    return printDrained(map, BtfFormatter(types, out.format()), userMapName(bpf_map__name(&map)).name, out);
  }
  const uint32_t keyType = bpf_map__btf_key_type_id(&map), valueType = bpf_map__btf_value_type_id(&map);
  BtfFormatter formatter(types, out.format(), &kernelSymbols_);
  const bool integerValue = types && valueType && formatter.isInteger(valueType);
  auto read = readEntries(map, formatter, interrupted_);
  const auto name = userMapName(bpf_map__name(&map));
  if (read.interrupted) return false;
  if (read.cutShort)
    addNote("map " + name.name + ": only its first " + std::to_string(kMaxMapKeysRead) + " of " +
                     std::to_string(bpf_map__max_entries(&map)) +
                     " slots were read, to print in seconds; what they hold is shown");
  std::vector<MapEntry> entries = std::move(read.entries);
  if (entries.empty()) return false;

  const bool json = out.isJson();
  const bool intKey = types && keyType && formatter.isInteger(keyType);
  const auto slot = name.kind != MapName::Kind::Table && !intKey ? histogramSlot(formatter, keyType) : std::nullopt;
  if (slot && integerValue) {
    // BCC's print_log2_hist(section_header=...): one histogram per value of the rest of the key.
    std::map<std::string, std::vector<MapEntry>> sections;  // by the key's bytes, slot zeroed
    for (const auto &e : entries) {
      std::string rest(e.key.begin(), e.key.end());
      std::fill_n(rest.begin() + slot->offset, btf__resolve_size(types, slot->type), 0);
      sections[rest].push_back({e.key, e.value});
    }
    if (!json) out.text(name.name + ":\n");
    for (const auto &[rest, members] : sections) {
      std::vector<std::pair<int64_t, uint64_t>> buckets;
      for (const auto &e : members)
        buckets.emplace_back(formatter.integerValue(slot->type, e.key.data() + slot->offset),
                             formatter.integerValue(valueType, e.value.data()));
      printHistogram(name, histogramSection(formatter, keyType, *slot, reinterpret_cast<const uint8_t *>(rest.data())), buckets, out);
    }
    return true;
  }
  if (name.kind != MapName::Kind::Table && intKey && integerValue) {
    std::vector<std::pair<int64_t, uint64_t>> buckets;
    for (const auto &e : entries)
      buckets.emplace_back(formatter.integerValue(keyType, e.key.data()), formatter.integerValue(valueType, e.value.data()));
    printHistogram(name, nullptr, buckets, out);
    return true;
  }

  if (integerValue)
    std::stable_sort(entries.begin(), entries.end(), [&](const MapEntry &a, const MapEntry &b) {
      return formatter.integerValue(valueType, a.value.data()) < formatter.integerValue(valueType, b.value.data());
    });

  auto stackFrames = [&](const MapEntry &e) { return stackFramesOf(e, formatter, keyType, valueType); };

  // LPM trie keys read as prefixes; program array and map-of-maps slots hold ids of what they name.
  auto keyOf = [&](const MapEntry &e) -> JsonValue {
    if (type == BPF_MAP_TYPE_LPM_TRIE) return lpmPrefix(e.key.data(), e.key.size());
    if (keyType) return formatter.value(keyType, e.key.data());
    return untypedBytes(e.key.data(), e.key.size());
  };
  const bool holdsIds = type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
                        type == BPF_MAP_TYPE_HASH_OF_MAPS;
  auto valueOf = [&](const MapEntry &e) -> JsonValue {
    uint32_t id = 0;
    if (holdsIds && e.value.size() == 4) std::memcpy(&id, e.value.data(), 4);
    if (holdsIds) return slotTarget(object_, type, id);
    if (valueType) return formatter.value(valueType, e.value.data());
    return untypedBytes(e.value.data(), e.value.size());
  };
  size_t shown = 0;
  auto stop = [&] { return ++shown % 4096 == 0 && interrupted_(); };
  if (json) {
    for (const auto &e : entries) {
      if (stop()) break;
      JsonValue record{{"type", "map"}, {"map", name.name}, {"key", keyOf(e)}, {"value", valueOf(e)}};
      for (const auto &[member, frames] : stackFrames(e)) record[member + "_frames"] = frames;
      out.record(record);
    }
    return true;
  }
  std::string text = name.name + ":\n";
  for (const auto &e : entries) {
    if (stop()) break;
    text += "  " + textOf(keyOf(e)) + " \u2192 " + textOf(valueOf(e)) + "\n";
    for (const auto &[member, frames] : stackFrames(e)) {
      text += "    " + member + ":\n";
      if (frames.empty()) text += "      (no stack: the id is an error code or the stack was evicted)\n";
      for (const auto &frame : frames) text += "      " + frame + "\n";
    }
  }
  out.text(text + "\n");
  return true;
}

}  // namespace probecc
