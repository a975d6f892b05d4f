#pragma once
// The declarations USDT programs use: libbpf's usdt.bpf.h (BPF_USDT, bpf_usdt_arg) and BCC's
// bpf_usdt_readarg / bpf_usdt_readarg_p on top of it. Only programs that use USDT get them, so
// the others still compile against just the kernel types they name.
#include <string_view>
#include <vector>

#include "frontend/probe_plan.h"

namespace probecc {

// "" when neither the program text nor an -a option mentions USDT.
std::string_view usdtPreamble(std::string_view programText, const std::vector<ProbeSpec> &attachments);

}  // namespace probecc
