#pragma once
// The declarations USDT programs use: libbpf's usdt.bpf.h (BPF_USDT, bpf_usdt_arg) and BCC's
// bpf_usdt_readarg / bpf_usdt_readarg_p on top of it. Only programs that use USDT get them, so
// the others still compile against just the kernel types they name.
#include <string_view>
#include <vector>

#include "frontend/probe_plan.h"
#include "frontend/program_facts.h"

namespace probecc {

// "" when neither the program's code nor an -a option names USDT.
std::string_view usdtPreamble(const ProgramFacts &program, const std::vector<ProbeSpec> &attachments);

}  // namespace probecc
