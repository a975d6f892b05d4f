// bpf_trace_printk formats: the parser, the record layout it implies, and the user-space
// formatting of a record. The input's first byte says how much of the rest is the format; the
// bytes after the format are the record (as a probe, or a corrupted buffer, would write it).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "output/printk_lines.h"
#include "support/printk_format.h"

using namespace probecc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return -1;
  const size_t formatSize = std::min<size_t>(data[0], size - 1);
  const std::string_view format(reinterpret_cast<const char *>(data + 1), formatSize);
  const auto parsed = parsePrintkFormat(format);
  const auto layout = printkRecordLayout(parsed);
  if (parsed.problem.empty() && layout.copyOffsets.size() != parsed.conversions) abort();
  for (size_t offset : layout.copyOffsets)
    if (offset > layout.size) abort();
  if (!parsed.problem.empty()) return 0;
  static KernelSymbols symbols;
  const std::string message = formatPrintkMessage(parsed, data + 1 + formatSize, size - 1 - formatSize, symbols);
  if (message.size() > 1023) abort();  // the kernel's limit, which the formatter keeps
  return 0;
}
