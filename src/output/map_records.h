#pragma once
// What the program's maps hold, read and decoded through the program's BTF once, for every way of
// showing it: text and JSON (map_output.h) and Prometheus metrics (metrics/) render the same
// records. Per-CPU values are summed; array slots never written are left out.
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <bpf/libbpf.h>

#include "output/btf_format.h"
#include "kernel/kernel_symbols.h"
#include "elf/user_symbols.h"
#include "program/map_names.h"

namespace probecc {

// Bucket i of a log2 histogram holds [2^(i-1), 2^i - 1]; bpf_log2l puts 0 and 1 both in bucket 1,
// which BCC therefore labels 0 -> 1.
std::pair<uint64_t, uint64_t> log2Bucket(int64_t i);

// One histogram of a BCC histogram map: the whole map, or one section of a struct-keyed one.
struct HistogramRecord {
  JsonValue section;  // the rest of a struct key ({"disk": "sda"}); null for a plain histogram
  std::vector<std::pair<int64_t, uint64_t>> buckets;  // (slot, count), sorted by slot
};

// Each stack id member of an entry ("kernel_stack_id", ...) with its symbolised frames.
using StackFrames = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct TableRecord {
  JsonValue key, value;
  std::optional<int64_t> number;  // the value, when it is an integer
  StackFrames stacks;
};

struct MapRecords {
  MapName name;
  bpf_map_type type = BPF_MAP_TYPE_UNSPEC;
  enum class Shape { Table, Histograms, Drained } shape = Shape::Table;
  std::vector<TableRecord> entries;         // Table: sorted by value where values are integers
  std::vector<HistogramRecord> histograms;  // Histograms
  std::vector<JsonValue> drained;           // Drained: a queue's or stack's values, in pop order
  bool truncated = false;                   // more than MapReadOptions::maxEntries, or maxKeysRead keys
  size_t keysRead = 0;                      // keys looked at (array slots never written included)
  size_t capacity = 0;                      // the map's max_entries
};

struct MapReadOptions {
  bool drainQueues = true;    // pop queues and stacks (destructive: only for the final print)
  bool resolveStacks = true;  // symbolise stack id members (reads the stack map, /proc/kallsyms)
  size_t maxEntries = std::numeric_limits<size_t>::max();  // per map; the rest is not read
  // Keys looked at per map, written or not: a 2^24-slot array takes seconds to walk.
  size_t maxKeysRead = std::numeric_limits<size_t>::max();
  // The user asked to stop (a signal pending): reading stops between maps and within a large one.
  std::function<bool()> interrupted = [] { return false; };
};

// Reads maps through their fds only (kernel operations, safe beside another thread's reads).
// One reader per thread: it caches symbols.
class MapReader {
public:
  explicit MapReader(bpf_object &object) : object_(object) {}
  // Every map with content, in the object's order (buffers and stack maps left out); fewer when
  // options.interrupted() says to stop.
  std::vector<MapRecords> readAll(const MapReadOptions &options);
  bpf_object &object() { return object_; }

private:
  std::optional<MapRecords> read(bpf_map &map, const MapReadOptions &options);
  StackFrames stackFramesOf(const std::vector<uint8_t> &key, const std::vector<uint8_t> &value,
                            const BtfFormatter &formatter, uint32_t keyType, uint32_t valueType);
  bpf_map *stackMap();
  std::vector<std::string> readStack(bpf_map &stacks, uint32_t id, bool user, int pid);
  bpf_object &object_;
  KernelSymbols kernelSymbols_;
  UserSymbols userSymbols_;
};

}  // namespace probecc
