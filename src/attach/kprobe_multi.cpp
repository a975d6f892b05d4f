#include "attach/kprobe_multi.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <cerrno>

#include "attach/attach_groups.h"

namespace probecc {

std::vector<BpfLinkPtr> attachKprobeMulti(bpf_program &program, const std::vector<std::string> &functions,
                                          bool retprobe, std::vector<std::pair<std::string, int>> &refused) {
  std::vector<const char *> symbols;
  for (const auto &function : functions) symbols.push_back(function.c_str());
  std::vector<BpfLinkPtr> links;
  std::vector<std::pair<size_t, int>> refusedAt;
  attachInGroups(0, symbols.size(), [&](size_t first, size_t count) {
    LIBBPF_OPTS(bpf_kprobe_multi_opts, options, .syms = symbols.data() + first, .cnt = count, .retprobe = retprobe);
    BpfLinkPtr link{bpf_program__attach_kprobe_multi_opts(&program, nullptr, &options)};
    if (!link) return false;
    links.push_back(std::move(link));
    return true;
  }, refusedAt);
  for (const auto &[index, error] : refusedAt) refused.emplace_back(functions[index], error);
  return links;
}

}  // namespace probecc
