#include "kernel/empty_program.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>

namespace probecc {

UniqueFd loadEmptyKprobeProgram(bpf_attach_type attachType) {
  const bpf_insn returnZero[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, load, .expected_attach_type = attachType);
  return UniqueFd(bpf_prog_load(BPF_PROG_TYPE_KPROBE, "probecc_probe", "GPL", returnZero, 2, &load));
}

}  // namespace probecc
