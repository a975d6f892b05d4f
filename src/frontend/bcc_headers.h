#pragma once
// The headers BCC's programs include from BCC itself (<bcc/proto.h>, <bcc/helpers.h>, ...),
// written for probecc: same names and meaning, served from memory under kVirtualIncludeDir/bcc.
#include "frontend/compile_files.h"

namespace probecc {

void addBccHeaders(CompileFiles &files);

}  // namespace probecc
