#pragma once
// Macros of current libbpf headers (bpf_helpers.h, bpf_tracing.h, bpf_core_read.h) that older
// releases lack (Debian 12 has libbpf 1.1), named as libbpf names them and each defined only where
// the system's headers do not: BPF_UPROBE, BPF_URETPROBE, bpf_ksym_exists, __arg_ctx, bpf_for,
// bpf_for_each, bpf_repeat, bpf_core_cast, PT_REGS_PARM6, ... Written for probecc; included after
// the system's libbpf headers.
#include <string_view>

namespace probecc {

std::string_view libbpfCompatDefinitions();

}  // namespace probecc
