#include "loader/kprobe_multi.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <cerrno>
#include <span>

#include "support/unique_fd.h"

namespace probecc {

bool kernelHasKprobeMulti(const std::string &function) {
  const bpf_insn returnZero[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, load, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
  UniqueFd program(bpf_prog_load(BPF_PROG_TYPE_KPROBE, "probecc_probe", "GPL", returnZero, 2, &load));
  if (!program) return false;
  const char *symbols[] = {function.c_str()};
  LIBBPF_OPTS(bpf_link_create_opts, link);
  link.kprobe_multi.syms = symbols;
  link.kprobe_multi.cnt = 1;
  UniqueFd made(bpf_link_create(program.get(), 0, BPF_TRACE_KPROBE_MULTI, &link));
  return static_cast<bool>(made);
}

namespace {
void attachGroup(bpf_program &program, std::span<const char *> symbols, bool retprobe, std::vector<BpfLinkPtr> &links,
                 std::vector<std::pair<std::string, int>> &refused) {
  LIBBPF_OPTS(bpf_kprobe_multi_opts, options, .syms = symbols.data(), .cnt = symbols.size(), .retprobe = retprobe);
  if (BpfLinkPtr link{bpf_program__attach_kprobe_multi_opts(&program, nullptr, &options)}) {
    links.push_back(std::move(link));
    return;
  }
  const int error = errno;
  if (symbols.size() == 1) {
    refused.emplace_back(symbols[0], error);
    return;
  }
  const size_t half = symbols.size() / 2;
  attachGroup(program, symbols.first(half), retprobe, links, refused);
  attachGroup(program, symbols.subspan(half), retprobe, links, refused);
}
}  // namespace

std::vector<BpfLinkPtr> attachKprobeMulti(bpf_program &program, const std::vector<std::string> &functions,
                                          bool retprobe, std::vector<std::pair<std::string, int>> &refused) {
  std::vector<const char *> symbols;
  for (const auto &function : functions) symbols.push_back(function.c_str());
  std::vector<BpfLinkPtr> links;
  if (!symbols.empty()) attachGroup(program, symbols, retprobe, links, refused);
  return links;
}

}  // namespace probecc
