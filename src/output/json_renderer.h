#pragma once
// Records as JSON lines (README "JSON output"): one object per record, its "type" first and the
// schema's version last; histograms with each bucket's bounds, stack ids with their frames.
#include "output/renderer.h"

namespace probecc {

class JsonRenderer final : public Renderer {
public:
  void render(const TraceRecord &record, OutputSink &out) const override;
  void render(const EventRecord &record, OutputSink &out) const override;
  void render(const MapRecords &records, OutputSink &out) const override;
  void render(const ProbeRecord &record, OutputSink &out) const override;
  void render(const LossRecord &record, OutputSink &out, std::string &notes) const override;
  bool linesAreRecords() const override { return true; }
};

}  // namespace probecc
