#pragma once
// -l's lines (attach/target_listing.h finds them) as records to the output sink's renderer.
#include "kernel/kernel_targets.h"
#include "output/output_sink.h"

namespace probecc {

void printListed(const ListedTarget &target, OutputSink &out);

}  // namespace probecc
