#include "kernel/btf_signature.h"

#include <bpf/btf.h>

#include <cstdarg>
#include <cstdio>
#include <memory>

namespace probecc {
namespace {

void appendPrintf(void *context, const char *format, va_list args) {
  auto &out = *static_cast<std::string *>(context);
  char text[512];
  const int n = vsnprintf(text, sizeof text, format, args);
  if (n > 0) out.append(text, std::min<size_t>(n, sizeof text - 1));
}

struct BtfDumpFree {
  void operator()(btf_dump *dump) const { btf_dump__free(dump); }
};

}  // namespace

std::string functionSignature(const btf *types, uint32_t id, const std::string &name) {
  const btf_type *t = btf__type_by_id(types, id);
  while (t && (btf_is_func(t) || btf_is_ptr(t) || btf_is_typedef(t))) {
    id = t->type;
    t = btf__type_by_id(types, id);
  }
  if (!t || !btf_is_func_proto(t)) return "";
  std::string out;
  std::unique_ptr<btf_dump, BtfDumpFree> dump(btf_dump__new(types, appendPrintf, &out, nullptr));
  if (!dump) return "";
  LIBBPF_OPTS(btf_dump_emit_type_decl_opts, options, .field_name = name.c_str());
  if (btf_dump__emit_type_decl(dump.get(), id, &options) != 0) return "";
  return out;
}

}  // namespace probecc
