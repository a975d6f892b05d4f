#pragma once
// Printing what the program's maps hold, without user code: read as records (map_records.h),
// shown by the output's renderer (text_renderer.h, json_renderer.h).
#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <bpf/libbpf.h>

#include "output/map_records.h"
#include "output/output_sink.h"

namespace probecc {

// A map is read up to this many keys: reading one takes about a microsecond, so a map of 2^24
// slots would hold the user for half a minute, and one of 2^31 for an hour.
inline constexpr size_t kMaxMapKeysRead = size_t(1) << 20;

class MapPrinter {
public:
  // `interrupted` says the user asked to stop (a signal pending): printing stops at once, between
  // maps and within a large one.
  explicit MapPrinter(bpf_object &object, std::function<bool()> interrupted = [] { return false; })
      : reader_(object), interrupted_(std::move(interrupted)) {}
  // Prints every map with content, as `out` renders records; returns how many maps were printed.
  int printAll(OutputSink &out);
  // What the printing could not show in full (maps read in part, printing interrupted), once each,
  // for stderr.
  std::vector<std::string> takeNotes() { return std::exchange(notes_, {}); }

private:
  void addNote(std::string note) {  // once each: the maps print at every -i interval too
    if (std::find(notes_.begin(), notes_.end(), note) == notes_.end()) notes_.push_back(std::move(note));
  }
  MapReader reader_;
  std::function<bool()> interrupted_;
  std::vector<std::string> notes_;
};

}  // namespace probecc
