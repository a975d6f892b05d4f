#include "program/map_names.h"

namespace probecc {

MapName userMapName(const std::string &objectMapName) {
  auto strip = [&](std::string_view suffix) {
    return objectMapName.ends_with(suffix) ? objectMapName.substr(0, objectMapName.size() - suffix.size()) : "";
  };
  if (auto name = strip(kHistogramSuffix); !name.empty()) return {name, MapName::Kind::Log2Histogram};
  if (auto name = strip(kLinearHistogramSuffix); !name.empty()) return {name, MapName::Kind::LinearHistogram};
  if (auto name = strip(kMapSuffix); !name.empty()) return {name, MapName::Kind::Table};
  return {objectMapName, MapName::Kind::Table};
}

}  // namespace probecc
