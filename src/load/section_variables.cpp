#include "load/section_variables.h"

#include <string>

namespace probecc {

std::optional<SectionVariable> findSectionVariable(const btf *types, std::string_view section, std::string_view name) {
  if (!types) return std::nullopt;
  const int id = btf__find_by_name_kind(types, std::string(section).c_str(), BTF_KIND_DATASEC);
  if (id <= 0) return std::nullopt;
  const btf_type *datasec = btf__type_by_id(types, id);
  const btf_var_secinfo *vars = btf_var_secinfos(datasec);
  for (uint16_t i = 0; i < btf_vlen(datasec); ++i) {
    const btf_type *var = btf__type_by_id(types, vars[i].type);
    if (var && btf_is_var(var) && name == btf__name_by_offset(types, var->name_off))
      return SectionVariable{vars[i].offset, vars[i].size, var->type};
  }
  return std::nullopt;
}

}  // namespace probecc
