#pragma once
// A kernel function's C prototype from BTF ("ssize_t vfs_read(struct file *file, char *buf, ...)"),
// printed by libbpf's btf_dump.
#include <cstdint>
#include <string>

struct btf;

namespace probecc {

// `id`: a FUNC, a FUNC_PROTO, or a pointer/typedef leading to one (raw tracepoints' btf_trace_NAME).
// "" when it is none of those.
std::string functionSignature(const btf *types, uint32_t id, const std::string &name);

}  // namespace probecc
