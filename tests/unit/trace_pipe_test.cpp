#include "output/trace_pipe.h"

#include <gtest/gtest.h>

using namespace probecc;

TEST(TracePipe, ParsesKernelTraceLine) {
  auto fields = parseTraceLine("           <...>-2929    [001] ...21   520.000996: bpf_trace_printk: unlink /tmp/a: b");
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ(fields->comm, "<...>");
  EXPECT_EQ(fields->pid, 2929);
  EXPECT_EQ(fields->cpu, 1);
  EXPECT_EQ(fields->flags, "...21");
  EXPECT_DOUBLE_EQ(fields->timestamp, 520.000996);
  EXPECT_EQ(fields->message, "unlink /tmp/a: b");
}

TEST(TracePipe, CommsWithDashesAndSpacesKeepTheirName) {
  auto fields = parseTraceLine(" kworker/u8:1-my-task-77 [000] d..1. 1.5: bpf_trace_printk: hi");
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ(fields->comm, "kworker/u8:1-my-task");
  EXPECT_EQ(fields->pid, 77);
  EXPECT_EQ(fields->message, "hi");
}

TEST(TracePipe, OtherShapesAreNotParsed) {
  EXPECT_FALSE(parseTraceLine("").has_value());
  EXPECT_FALSE(parseTraceLine("CPU:1 [LOST 3 EVENTS]").has_value());
}

TEST(TracePipe, FieldsStyleIsTimeCommPidMessage) {
  TraceFields fields{"rm", 42, 0, "....", 12.5, "unlink x"};
  EXPECT_EQ(formatTraceFields(fields), "12.500000000       rm               42      unlink x");
}
