#include "codegen/trace_printk_formats.h"

#include <gtest/gtest.h>

using namespace probecc;

TEST(TracePrintkFormats, WhatTheKernelAccepts) {
  EXPECT_EQ(traceFormatProblem("plain\n", 0), "");
  EXPECT_EQ(traceFormatProblem("%d %i %u %x %X\n", 0).find("at most 3") != std::string::npos, true);
  EXPECT_EQ(traceFormatProblem("%ld %llu %lx", 3), "");
  EXPECT_EQ(traceFormatProblem("%-8s|%05d|%c", 3), "");
  EXPECT_EQ(traceFormatProblem("%pK %pI4 %pks", 3), "");
  EXPECT_EQ(traceFormatProblem("100%% done %s", 1), "");
}

TEST(TracePrintkFormats, WhatItRefuses) {
  EXPECT_NE(traceFormatProblem("%f", 1).find("'%f' is not a conversion"), std::string::npos);
  EXPECT_NE(traceFormatProblem("%lf", 1).find("'%lf' is not a conversion"), std::string::npos);
  EXPECT_NE(traceFormatProblem("%.3d", 1).find("is not a conversion"), std::string::npos);
  EXPECT_NE(traceFormatProblem("%d %d", 1).find("2 conversion(s) but 1 argument(s)"), std::string::npos);
  EXPECT_NE(traceFormatProblem("tab\x01", 0).find("character"), std::string::npos);
}
