#include "output/listing.h"

#include "output/records.h"

namespace probecc {

void printListed(const ListedTarget &target, OutputSink &out) {
  out.render(ProbeRecord{target.probe, target.signature, target.fields});
}

}  // namespace probecc
