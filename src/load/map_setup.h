#pragma once
// What BCC's Python does to maps around loading, done from the notes the program's map
// declarations leave in .rodata (frontend/bcc_map_kinds.h): pinning a BPF_TABLE_PINNED map at its
// path, giving a map of maps its inner map template, and storing that inner map at slot 0; and
// what a libbpf tool's user space does: sizing a map the program left without max_entries.
#include <bpf/libbpf.h>

#include <vector>

#include <llvm/Support/Error.h>

#include "support/unique_fd.h"

namespace probecc {

struct MapSetup {
  std::vector<UniqueFd> innerTemplates;  // kept until the outer maps exist
  std::vector<std::pair<bpf_map *, bpf_map *>> innerAtSlotZero;  // outer, inner
  std::vector<std::string> notes;  // for -v: sizes probecc chose
};

// The string a program's map declaration noted as `prefix` + map name ("" if none).
std::string mapNote(bpf_object &object, std::string_view prefix, const char *mapName);

// Before bpf_object__load. Errors name the map and what is wrong.
llvm::Expected<MapSetup> prepareMaps(bpf_object &object);
// After bpf_object__load.
llvm::Error finishMaps(const MapSetup &setup);

}  // namespace probecc
