#include <gtest/gtest.h>

#include "frontend/kernel_version.h"

using namespace probecc;

TEST(KernelVersion, ReleaseBecomesKernelVersionWithThePatchLevelCapped) {
  EXPECT_EQ(linuxVersionCode("6.18.44-fc-v1098"), (6u << 16) + (18u << 8) + 44);
  EXPECT_EQ(linuxVersionCode("6.1.0-57-amd64"), (6u << 16) + (1u << 8));
  EXPECT_EQ(linuxVersionCode("4.19.300"), (4u << 16) + (19u << 8) + 255);  // as the kernel's Makefile caps it
  EXPECT_EQ(linuxVersionCode("6.8-rc1"), (6u << 16) + (8u << 8));
  EXPECT_EQ(linuxVersionCode("5"), 0u);
  EXPECT_EQ(linuxVersionCode("custom"), 0u);
}
