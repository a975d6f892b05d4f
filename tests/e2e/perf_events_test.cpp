// Issue 11: perf event probes — profile:hz:N sampling every CPU, interval:s:N timers, and a
// clear error for hardware events the machine cannot count.
#include <unistd.h>

#include <regex>
#include <string>

#include "e2e_support.h"

using namespace e2e;

using PerfEvents = ProbeccTest;

TEST_F(PerfEvents, ProfileCountsSamplesOnEveryCpu) {
  auto r = probecc({"-e",
                    "#include <uapi/linux/bpf_perf_event.h>\n"
                    "BPF_HASH(samples, u32, u64);\n"
                    "int on_sample(struct bpf_perf_event_data *ctx) {\n"
                    "  samples.increment(bpf_get_smp_processor_id());\n  return 0;\n}\n",
                    // every CPU kept busy for the second it samples: an idle CPU may take no samples
                    "-a", "profile:hz:99=on_sample", "-c",
                    "for i in $(seq $(nproc)); do timeout 1 sh -c 'while :; do :; done' & done; wait"});
  EXPECT_EQ(r.status, 0) << r.err;
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  for (long cpu = 0; cpu < cpus; ++cpu)
    EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  " + std::to_string(cpu) + " → [1-9][0-9]*\n")))
        << "no samples on CPU " << cpu << " in:\n" << r.out;
}

TEST_F(PerfEvents, IntervalFiresAboutOnceASecond) {
  auto r = probecc({"-e", "int on_tick(struct bpf_perf_event_data *ctx) { bpf_trace_printk(\"interval\\n\"); return 0; }",
                    "-a", "interval:s:1=on_tick", "-d", "3.5"});
  EXPECT_EQ(r.status, 0) << r.err;
  size_t ticks = 0;
  for (auto at = r.out.find("interval\n"); at != std::string::npos; at = r.out.find("interval\n", at + 1)) ++ticks;
  EXPECT_GE(ticks, 2u) << r.out;
  EXPECT_LE(ticks, 4u) << r.out;
}

TEST_F(PerfEvents, BadSpellingsAndMissingHardwareAreClearErrors) {
  const std::string program = "int f(struct bpf_perf_event_data *ctx) { return 0; }";
  auto unit = probecc({"-e", program, "-a", "profile:minutes:1=f", "--dry-run"});
  EXPECT_NE(unit.status, 0);
  EXPECT_NE(unit.err.find("unknown unit 'minutes' (hz, s, ms or us)"), std::string::npos) << unit.err;

  auto event = probecc({"-e", program, "-a", "perf:software:no-such-event:1=f", "--dry-run"});
  EXPECT_NE(event.status, 0);
  EXPECT_NE(event.err.find("unknown event 'no-such-event'"), std::string::npos) << event.err;

  auto hardware = probecc({"-e", program, "-a", "perf:hardware:cycles:100000=f", "-d", "0.1"});
  if (hardware.status == 0) GTEST_SKIP() << "this machine counts hardware cycles; the missing-PMU error is untested";
  EXPECT_NE(hardware.err.find("this machine counts no such hardware event"), std::string::npos) << hardware.err;
}

// BCC's profile keeps a sample's kernel ip only when it lies above PAGE_OFFSET, which on x86_64
// with a randomised memory layout is a kernel variable, not a constant.
TEST_F(PerfEvents, PageOffsetSeparatesKernelSamplesFromUserSamples) {
  auto r = probecc({"-e",
                    "#include <uapi/linux/bpf_perf_event.h>\n"
                    "BPF_HASH(in_kernel, u32, u64);\n"
                    "BPF_ARRAY(page_offset, u64, 1);\n"
                    "int on_sample(struct bpf_perf_event_data *ctx) {\n"
                    "  u64 ip = PT_REGS_IP(&ctx->regs), offset = PAGE_OFFSET;\n"
                    "  u32 zero = 0;\n"
                    "  page_offset.update(&zero, &offset);\n"
                    "  in_kernel.increment(ip > offset ? 1 : 0);\n  return 0;\n}\n",
                    "-a", "profile:hz:499=on_sample", "-c",
                    "timeout 1 sh -c 'while :; do cat /proc/self/stat >/dev/null; done'; true"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch offset;
  ASSERT_TRUE(std::regex_search(r.out, offset, std::regex("page_offset:\n  0 → ([0-9]+)\n"))) << r.out;
  const unsigned long long value = std::stoull(offset[1]);
  EXPECT_GE(value, 0xff00000000000000ULL) << "not a kernel address: " << std::hex << value;
  EXPECT_LT(value, 0xffffffff80000000ULL) << "not below the kernel's text: " << std::hex << value;
  // The loop spends time both in the shell and in the kernel's read of /proc/self/stat.
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  1 → [1-9][0-9]*\n"))) << "no kernel samples:\n" << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  0 → [1-9][0-9]*\n(\n|$)"))) << "no user samples:\n" << r.out;
}
