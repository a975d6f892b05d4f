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
