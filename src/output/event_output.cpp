#include "output/event_output.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include <linux/perf_event.h>

#include <unistd.h>

#include <cstring>

#include "program/map_names.h"
#include "support/printk_format.h"
#include "load/section_variables.h"
#include "support/error.h"
#include "support/text_escape.h"

namespace probecc {

struct EventOutput::Source {
  EventOutput *owner;
  std::string name;       // as the user named the map
  uint32_t typeId = 0;    // 0: print raw bytes
  PerfBufferPtr perf;
  uint64_t lost = 0, reportedLost = 0;
  long lostCounterOffset = -1;  // ring buffers: the program's own drop counter in .bss
  bool printk = false;          // the session's printk ring buffer (kPrintkMapName)
  LossRecord::Buffer buffer() const {
    return printk ? LossRecord::Buffer::Printk : perf ? LossRecord::Buffer::Perf : LossRecord::Buffer::Ring;
  }
};

namespace {

bpf_map *bssMap(bpf_object &object) {
  bpf_map *map, *bss = nullptr;
  bpf_object__for_each_map(map, &object) if (bpf_map__is_internal(map) && std::string(bpf_map__name(map)).ends_with(".bss")) bss = map;
  return bss;
}

// The offset of a global in .bss, from the object's BTF; -1 if it has none.
long bssVariableOffset(const btf *types, const std::string &name) {
  const auto variable = findSectionVariable(types, ".bss", name);
  return variable ? long(variable->offset) : -1;
}

}  // namespace

struct EventOutputCallbacks {
  static void printTraceLines(EventOutput &self, const uint8_t *data, size_t size) {
    const std::string text = self.printk_->lineOf(data, size);
    for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
      if (self.printkLine_) self.printkLine_(std::string_view(text).substr(start, end - start), self.out_);
  }
  static void print(EventOutput::Source &source, const uint8_t *data, size_t size) {
    EventOutput &self = *source.owner;
    if (source.printk) return printTraceLines(self, data, size);
    const auto typeSize = source.typeId ? btf__resolve_size(self.types_, source.typeId) : -1;
    JsonValue decoded;
    if (typeSize > 0 && static_cast<size_t>(typeSize) <= size) {
      decoded = BtfFormatter(self.types_, &self.kernelSymbols_).value(source.typeId, data);
    } else {
      decoded = hexBytes(data, size);
    }
    self.out_.render(EventRecord{source.name, std::move(decoded), self.labelWithMap_});
  }
  // Raw perf records: a sample carries the program's data, a PERF_RECORD_LOST how many were dropped.
  static enum bpf_perf_event_ret perfEvent(void *context, int, struct perf_event_header *header) {
    auto &source = *static_cast<EventOutput::Source *>(context);
    if (header->type == PERF_RECORD_SAMPLE) {
      struct Sample {
        perf_event_header header;
        uint32_t size;
        uint8_t data[];
      };
      const auto *sample = reinterpret_cast<const Sample *>(header);
      print(source, sample->data, sample->size);
    } else if (header->type == PERF_RECORD_LOST) {
      struct Lost {
        perf_event_header header;
        uint64_t id, lost;
      };
      source.lost += reinterpret_cast<const Lost *>(header)->lost;
    }
    return LIBBPF_PERF_EVENT_CONT;
  }
  static int ringSample(void *context, void *data, size_t size) {
    print(*static_cast<EventOutput::Source *>(context), static_cast<const uint8_t *>(data), size);
    return 0;
  }
};

llvm::Expected<std::unique_ptr<EventOutput>> EventOutput::open(bpf_object &object, const std::vector<EventType> &types,
                                                               const std::vector<std::string> &printkFormats,
                                                               const Renderer &renderer, size_t perfPagesPerCpu) {
  std::unique_ptr<EventOutput> self(new EventOutput(renderer));
  self->printk_ = std::make_unique<PrintkLines>(printkFormats);
  self->types_ = bpf_object__btf(&object);
  const btf *btfTypes = self->types_;

  // Where each ring buffer's drop counter lives in the mapped .bss.
  if (bpf_map *bss = bssMap(object)) {
    self->bssFd_ = bpf_map__fd(bss);
    self->bss_.resize(bpf_map__value_size(bss));
  }

  int outputs = 0;
  bpf_map *map;
  bpf_object__for_each_map(map, &object) {
    const auto type = bpf_map__type(map);
    if (type != BPF_MAP_TYPE_PERF_EVENT_ARRAY && type != BPF_MAP_TYPE_RINGBUF) continue;
    auto source = std::make_unique<Source>();
    source->owner = self.get();
    source->name = userMapName(bpf_map__name(map)).name;
    source->printk = bpf_map__name(map) == std::string_view(kPrintkMapName);
    if (!source->printk) ++outputs;
    for (const auto &eventType : types) {
      if (eventType.map != bpf_map__name(map) || !btfTypes) continue;
      for (auto kind : {BTF_KIND_TYPEDEF, BTF_KIND_STRUCT, BTF_KIND_UNION}) {
        if (eventType.isTypedef != (kind == BTF_KIND_TYPEDEF)) continue;
        if (int id = btf__find_by_name_kind(btfTypes, eventType.typeName.c_str(), kind); id > 0) source->typeId = id;
      }
    }
    if (type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
      // Waking the reader for every record slows the traced process several times over; the
      // session reads every 100 ms anyway, so the kernel wakes it only every 64 records.
      perf_event_attr attr{};
      attr.type = PERF_TYPE_SOFTWARE;
      attr.config = PERF_COUNT_SW_BPF_OUTPUT;
      attr.sample_type = PERF_SAMPLE_RAW;
      attr.sample_period = 1;
      attr.wakeup_events = 64;
      LIBBPF_OPTS(perf_buffer_raw_opts, raw);
      source->perf.reset(perf_buffer__new_raw(bpf_map__fd(map), perfPagesPerCpu, &attr, &EventOutputCallbacks::perfEvent,
                                              source.get(), &raw));
      if (!source->perf)
        return makeError("cannot open the perf buffer of " + source->name + ": " + strerror(errno) +
                         " (fewer --buffer-pages may help)");
    } else {
      if (self->bssFd_ >= 0)
        source->lostCounterOffset = bssVariableOffset(btfTypes, std::string(kLostCounterPrefix) + source->name);
      int err = 0;
      if (!self->rings_) {
        self->rings_.reset(ring_buffer__new(bpf_map__fd(map), &EventOutputCallbacks::ringSample, source.get(), nullptr));
        err = self->rings_ ? 0 : -errno;
      } else {
        err = ring_buffer__add(self->rings_.get(), bpf_map__fd(map), &EventOutputCallbacks::ringSample, source.get());
      }
      if (err) return makeError("cannot open the ring buffer of " + source->name + ": " + strerror(-err));
    }
    self->sources_.push_back(std::move(source));
  }
  self->labelWithMap_ = outputs > 1;
  return self;
}

void EventOutput::preparePrintk(bpf_object &object, size_t pages) {
  bpf_map *map = bpf_object__find_map_by_name(&object, kPrintkMapName);
  if (!map) return;
  bpf_map__set_max_entries(map, pages * sysconf(_SC_PAGESIZE));
  bpf_map *bss = bssMap(object);
  size_t size = 0;
  const auto *initial = bss ? static_cast<const uint8_t *>(bpf_map__initial_value(bss, &size)) : nullptr;
  const long at = initial ? bssVariableOffset(bpf_object__btf(&object), kPrintkSelfName) : -1;
  if (at < 0 || static_cast<size_t>(at) + sizeof(uint32_t) > size) return;
  std::vector<uint8_t> value(initial, initial + size);
  const uint32_t self = getpid();
  std::memcpy(value.data() + at, &self, sizeof self);
  bpf_map__set_initial_value(bss, value.data(), value.size());
}

EventOutput::EventOutput(const Renderer &renderer) : out_(renderer) {}
EventOutput::~EventOutput() = default;

std::vector<int> EventOutput::pollFds() const {
  std::vector<int> fds;
  for (const auto &source : sources_)
    if (source->perf) fds.push_back(perf_buffer__epoll_fd(source->perf.get()));
  if (rings_) fds.push_back(ring_buffer__epoll_fd(rings_.get()));
  return fds;
}

void EventOutput::consume() {
  for (auto &source : sources_)
    if (source->perf) perf_buffer__consume(source->perf.get());
  if (rings_) ring_buffer__consume(rings_.get());
}

void EventOutput::reportLost() {
  const int zero = 0;
  const bool haveBss = bssFd_ >= 0 && !bss_.empty() && bpf_map_lookup_elem(bssFd_, &zero, bss_.data()) == 0;
  for (auto &source : sources_) {
    if (haveBss && source->lostCounterOffset >= 0 && source->lostCounterOffset + 8 <= static_cast<long>(bss_.size()))
      std::memcpy(&source->lost, bss_.data() + source->lostCounterOffset, sizeof source->lost);
    if (source->lost == source->reportedLost) continue;
    out_.render(LossRecord{source->buffer(), source->name, source->lost - source->reportedLost}, notes_);
    source->reportedLost = source->lost;
  }
  std::vector<LossRecord> totals;
  for (const auto &source : sources_) totals.push_back({source->buffer(), source->name, source->lost});
  std::lock_guard lock(lostMutex_);
  lostTotals_ = std::move(totals);
}

std::vector<LossRecord> EventOutput::lostTotals() const {
  std::lock_guard lock(lostMutex_);
  return lostTotals_;
}

void EventOutput::takeOutput(OutputSink &out, std::string &notes) {
  out.text(out_.take());
  notes += notes_;
  notes_.clear();
}

std::string EventOutput::lostSummary() const {
  std::string summary;
  for (const auto &source : sources_)
    if (source->lost)
      summary += "probecc: " + std::to_string(source->lost) +
                 (source->printk ? " bpf_trace_printk lines" : " events of " + source->name) + " were lost in all\n";
  return summary;
}

}  // namespace probecc
