#pragma once
// Text and JSON are two renderers of the same records: the readers (trace lines, event buffers,
// maps, the listing) make records (records.h, map_records.h) and know nothing of -f; the renderer
// the user chose turns each into output. The one place the output format is looked at.
#include <memory>
#include <string>

namespace probecc {

enum class OutputFormat { Text, Json };
// How text shows trace lines: as the kernel wrote them, or BCC's trace_fields (-T).
enum class TraceStyle { Raw, Fields };

class OutputSink;
struct TraceRecord;
struct EventRecord;
struct LossRecord;
struct ListedTarget;
using ProbeRecord = ListedTarget;
struct MapRecords;

class Renderer {
public:
  virtual ~Renderer() = default;
  virtual void render(const TraceRecord &record, OutputSink &out) const = 0;
  virtual void render(const EventRecord &record, OutputSink &out) const = 0;
  virtual void render(const MapRecords &records, OutputSink &out) const = 0;
  virtual void render(const ProbeRecord &record, OutputSink &out) const = 0;
  // New losses: part of the output in JSON; in text, a note for stderr (appended to `notes`).
  virtual void render(const LossRecord &record, OutputSink &out, std::string &notes) const = 0;
  // Every line a record (JSON lines): probecc's own messages are records too, and no line on
  // stderr is rewritten in place.
  virtual bool linesAreRecords() const = 0;
};

std::unique_ptr<Renderer> makeRenderer(OutputFormat format, TraceStyle traceStyle = TraceStyle::Raw);

}  // namespace probecc
