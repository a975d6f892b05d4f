#include "output/renderer.h"

#include "output/json_renderer.h"
#include "output/text_renderer.h"

namespace probecc {

std::unique_ptr<Renderer> makeRenderer(OutputFormat format, TraceStyle traceStyle) {
  switch (format) {
    case OutputFormat::Json:
      return std::make_unique<JsonRenderer>();
    case OutputFormat::Text:
      break;
  }
  return std::make_unique<TextRenderer>(traceStyle);
}

}  // namespace probecc
