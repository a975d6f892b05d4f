#pragma once
// Which C type a perf/ring buffer carries (codegen/event_types.h finds it), so the loader can
// decode every event through the object's BTF without the user describing it.
#include <string>

namespace probecc {

struct EventType {
  std::string map;       // the map's variable name in the object (events__map)
  std::string typeName;  // "data_t"
  bool isTypedef = false;  // a typedef name rather than a struct/union tag
};

}  // namespace probecc
