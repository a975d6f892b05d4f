#include "frontend/usdt_preamble.h"

#include <algorithm>

namespace probecc {
namespace {

constexpr const char *kUsdt = R"(
/* USDT: libbpf's BPF_USDT and bpf_usdt_arg, and BCC's readers on top of them (N counts from 1;
   0 on success).
   Its helpers are weak hidden globals, which the verifier checks alone (their pointer argument
   maybe NULL, so it refuses them) unless a linker made them static: we make them static here. */
#pragma push_macro("__weak")
#pragma push_macro("__hidden")
#undef __weak
#undef __hidden
#define __weak
#define __hidden static __attribute__((unused))
#include <bpf/usdt.bpf.h>
#pragma pop_macro("__hidden")
#pragma pop_macro("__weak")
#define bpf_usdt_readarg(n, ctx, addr) \
  ({ long ____probecc_arg = 0; \
     int ____probecc_err = bpf_usdt_arg((struct pt_regs *)(ctx), (n) - 1, &____probecc_arg); \
     if (!____probecc_err) *(addr) = (__typeof__(*(addr)))____probecc_arg; \
     ____probecc_err; })
#define bpf_usdt_readarg_p(n, ctx, buf, len) \
  ({ long ____probecc_ptr = 0; \
     int ____probecc_err = bpf_usdt_arg((struct pt_regs *)(ctx), (n) - 1, &____probecc_ptr); \
     if (!____probecc_err) ____probecc_err = bpf_probe_read_user((buf), (len), (const void *)____probecc_ptr); \
     ____probecc_err; })
)";

}  // namespace

std::string_view usdtPreamble(const ProgramFacts &program, const std::vector<ProbeSpec> &attachments) {
  const bool used = program.namesUsdt ||
                    std::any_of(attachments.begin(), attachments.end(),
                                [](const ProbeSpec &probe) { return probe.kind == ProbeKind::Usdt; });
  return used ? kUsdt : "";
}

}  // namespace probecc
