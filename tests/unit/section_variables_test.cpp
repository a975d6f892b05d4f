// Globals of a BPF object found by name in a BTF data section (load/section_variables.h).
#include <gtest/gtest.h>

#include <memory>

#include "load/section_variables.h"

using namespace probecc;

TEST(SectionVariables, ByNameInTheNamedSectionOnly) {
  std::unique_ptr<btf, decltype(&btf__free)> types(btf__new_empty(), btf__free);
  const int u64 = btf__add_int(types.get(), "unsigned long long", 8, 0);
  const int lost = btf__add_var(types.get(), "lost", BTF_VAR_GLOBAL_ALLOCATED, u64);
  const int self = btf__add_var(types.get(), "self", BTF_VAR_GLOBAL_ALLOCATED, u64);
  ASSERT_GT(btf__add_datasec(types.get(), ".bss", 24), 0);
  ASSERT_EQ(btf__add_datasec_var_info(types.get(), lost, 8, 8), 0);
  ASSERT_EQ(btf__add_datasec_var_info(types.get(), self, 16, 8), 0);
  const int note = btf__add_var(types.get(), "note", BTF_VAR_GLOBAL_ALLOCATED, u64);
  ASSERT_GT(btf__add_datasec(types.get(), ".rodata", 8), 0);
  ASSERT_EQ(btf__add_datasec_var_info(types.get(), note, 0, 8), 0);

  const auto found = findSectionVariable(types.get(), ".bss", "self");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->offset, 16u);
  EXPECT_EQ(found->size, 8u);
  EXPECT_EQ(found->type, static_cast<uint32_t>(u64));
  EXPECT_FALSE(findSectionVariable(types.get(), ".bss", "note"));  // in .rodata, not .bss
  EXPECT_TRUE(findSectionVariable(types.get(), ".rodata", "note"));
  EXPECT_FALSE(findSectionVariable(types.get(), ".data", "lost"));  // no such section
  EXPECT_FALSE(findSectionVariable(nullptr, ".bss", "lost"));
}
