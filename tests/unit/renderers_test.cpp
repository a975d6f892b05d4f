// Text and JSON rendering of records built by hand: maps (hash, array, stack ids, kernel symbols,
// LPM prefixes, drained queues and stacks), histograms (log2, linear, sectioned), events, trace
// lines, losses and listed probes, without a kernel.
#include <gtest/gtest.h>

#include "output/json_renderer.h"
#include "output/map_records.h"
#include "output/records.h"
#include "output/text_renderer.h"

using namespace probecc;

namespace {

template <typename Record>
std::string rendered(const Renderer &renderer, const Record &record) {
  OutputSink out(renderer);
  out.render(record);
  return out.take();
}

const TextRenderer kText;
const JsonRenderer kJson;

MapRecords table(std::string name, bpf_map_type type, std::vector<TableRecord> entries) {
  MapRecords records;
  records.name = {std::move(name), MapName::Kind::Table};
  records.type = type;
  records.entries = std::move(entries);
  return records;
}

MapRecords histograms(std::string name, MapName::Kind kind, std::vector<HistogramRecord> all) {
  MapRecords records;
  records.name = {std::move(name), kind};
  records.type = BPF_MAP_TYPE_HASH;
  records.shape = MapRecords::Shape::Histograms;
  records.histograms = std::move(all);
  return records;
}

}  // namespace

TEST(Renderers, HashMapWithStructKeys) {
  const auto records = table("counts", BPF_MAP_TYPE_HASH,
                             {{{{"pid", 1}, {"comm", "bash"}}, 3, 3, {}}, {{{"pid", 2}, {"comm", "s h"}}, 5, 5, {}}});
  EXPECT_EQ(rendered(kText, records),
            "counts:\n"
            "  {pid: 1, comm: bash} \u2192 3\n"
            "  {pid: 2, comm: s h} \u2192 5\n"
            "\n");
  EXPECT_EQ(rendered(kJson, records),
            "{\"type\":\"map\",\"map\":\"counts\",\"key\":{\"pid\":1,\"comm\":\"bash\"},\"value\":3,\"schema\":1}\n"
            "{\"type\":\"map\",\"map\":\"counts\",\"key\":{\"pid\":2,\"comm\":\"s h\"},\"value\":5,\"schema\":1}\n");
}

TEST(Renderers, ArrayWithStructValuesAndUnprintableBytes) {
  const auto records = table("stats", BPF_MAP_TYPE_ARRAY,
                             {{0, {{"bytes", 10}, {"name", "a\nb"}, {"vals", {1, 2}}}, std::nullopt, {}}});
  EXPECT_EQ(rendered(kText, records), "stats:\n  0 \u2192 {bytes: 10, name: a\\nb, vals: [1, 2]}\n\n");
  EXPECT_EQ(rendered(kJson, records),
            "{\"type\":\"map\",\"map\":\"stats\",\"key\":0,\"value\":{\"bytes\":10,\"name\":\"a\\nb\",\"vals\":[1,2]},"
            "\"schema\":1}\n");
}

TEST(Renderers, StackIdsShowTheirFramesOrWhyNone) {
  TableRecord entry{{{"pid", 7}, {"kernel_stack_id", 3}, {"user_stack_id", -14}}, 2, 2, {}};
  entry.stacks = {{"kernel_stack_id", {"vfs_read+0x4", "ksys_read+0x70"}}, {"user_stack_id", {}}};
  const auto records = table("stacks", BPF_MAP_TYPE_HASH, {entry});
  EXPECT_EQ(rendered(kText, records),
            "stacks:\n"
            "  {pid: 7, kernel_stack_id: 3, user_stack_id: -14} \u2192 2\n"
            "    kernel_stack_id:\n"
            "      vfs_read+0x4\n"
            "      ksys_read+0x70\n"
            "    user_stack_id:\n"
            "      (no stack: the id is an error code or the stack was evicted)\n"
            "\n");
  EXPECT_EQ(rendered(kJson, records),
            "{\"type\":\"map\",\"map\":\"stacks\",\"key\":{\"pid\":7,\"kernel_stack_id\":3,\"user_stack_id\":-14},"
            "\"value\":2,\"kernel_stack_id_frames\":[\"vfs_read+0x4\",\"ksys_read+0x70\"],\"user_stack_id_frames\":[],"
            "\"schema\":1}\n");
}

TEST(Renderers, KernelSymbolKeysAndLpmPrefixesAreStrings) {
  // What the reader makes of a probecc_ksym_t key and of an LPM trie key.
  const auto symbols = table("calls", BPF_MAP_TYPE_HASH, {{"vfs_read", 12, 12, {}}, {"vfs_write", 40, 40, {}}});
  EXPECT_EQ(rendered(kText, symbols), "calls:\n  vfs_read \u2192 12\n  vfs_write \u2192 40\n\n");
  EXPECT_EQ(rendered(kJson, symbols),
            "{\"type\":\"map\",\"map\":\"calls\",\"key\":\"vfs_read\",\"value\":12,\"schema\":1}\n"
            "{\"type\":\"map\",\"map\":\"calls\",\"key\":\"vfs_write\",\"value\":40,\"schema\":1}\n");
  const auto prefixes = table("routes", BPF_MAP_TYPE_LPM_TRIE, {{"10.0.0.0/8", "lan", std::nullopt, {}}});
  EXPECT_EQ(rendered(kText, prefixes), "routes:\n  10.0.0.0/8 \u2192 lan\n\n");
  EXPECT_EQ(rendered(kJson, prefixes),
            "{\"type\":\"map\",\"map\":\"routes\",\"key\":\"10.0.0.0/8\",\"value\":\"lan\",\"schema\":1}\n");
}

TEST(Renderers, DrainedQueuesAndStacksInTheirOrder) {
  MapRecords queue;
  queue.name = {"pending", MapName::Kind::Table};
  queue.type = BPF_MAP_TYPE_QUEUE;
  queue.shape = MapRecords::Shape::Drained;
  queue.drained = {1, {{"pid", 2}}};
  EXPECT_EQ(rendered(kText, queue), "pending (2, oldest first):\n  1\n  {pid: 2}\n\n");
  EXPECT_EQ(rendered(kJson, queue),
            "{\"type\":\"map\",\"map\":\"pending\",\"index\":0,\"value\":1,\"schema\":1}\n"
            "{\"type\":\"map\",\"map\":\"pending\",\"index\":1,\"value\":{\"pid\":2},\"schema\":1}\n");
  queue.type = BPF_MAP_TYPE_STACK;
  EXPECT_EQ(rendered(kText, queue), "pending (2, top first):\n  1\n  {pid: 2}\n\n");
}

TEST(Renderers, Log2Histogram) {
  // bpf_log2l's buckets: 1 holds 0 and 1, 3 holds 4..7; bucket 2, unused, is a row of its own.
  const auto records = histograms("dist", MapName::Kind::Log2Histogram, {{nullptr, {{1, 4}, {3, 8}}}});
  EXPECT_EQ(rendered(kText, records),
            "dist:\n"
            "                   value : count    distribution\n"
            "         0 -> 1          : 4        |********************                    |\n"
            "         2 -> 3          : 0        |                                        |\n"
            "         4 -> 7          : 8        |****************************************|\n"
            "\n");
  EXPECT_EQ(rendered(kJson, records),
            "{\"type\":\"hist\",\"map\":\"dist\",\"buckets\":[{\"min\":0,\"max\":1,\"count\":4},"
            "{\"min\":4,\"max\":7,\"count\":8}],\"schema\":1}\n");
}

TEST(Renderers, Log2HistogramsBySectionOfAStructKey) {
  const auto records = histograms("dist", MapName::Kind::Log2Histogram,
                                  {{{{"disk", "sda"}}, {{1, 2}}}, {{{"disk", "vdb"}, {"op", "R"}}, {{2, 1}}}});
  EXPECT_EQ(rendered(kText, records),
            "dist:\n"
            "  disk = sda:\n"
            "                   value : count    distribution\n"
            "         0 -> 1          : 2        |****************************************|\n"
            "\n"
            "  disk = vdb, op = R:\n"
            "                   value : count    distribution\n"
            "         0 -> 1          : 0        |                                        |\n"
            "         2 -> 3          : 1        |****************************************|\n"
            "\n");
  EXPECT_EQ(rendered(kJson, records),
            "{\"type\":\"hist\",\"map\":\"dist\",\"section\":{\"disk\":\"sda\"},"
            "\"buckets\":[{\"min\":0,\"max\":1,\"count\":2}],\"schema\":1}\n"
            "{\"type\":\"hist\",\"map\":\"dist\",\"section\":{\"disk\":\"vdb\",\"op\":\"R\"},"
            "\"buckets\":[{\"min\":2,\"max\":3,\"count\":1}],\"schema\":1}\n");
}

TEST(Renderers, LinearHistogram) {
  const auto records = histograms("lat", MapName::Kind::LinearHistogram, {{nullptr, {{0, 1}, {5, 2}}}});
  EXPECT_EQ(rendered(kText, records),
            "lat:\n"
            "       value : count    distribution\n"
            "           0 : 1        |********************                    |\n"
            "           5 : 2        |****************************************|\n"
            "\n");
  EXPECT_EQ(rendered(kJson, records),
            "{\"type\":\"hist\",\"map\":\"lat\",\"buckets\":[{\"min\":0,\"max\":0,\"count\":1},"
            "{\"min\":5,\"max\":5,\"count\":2}],\"schema\":1}\n");
}

TEST(Renderers, Events) {
  const JsonValue data{{"pid", 42}, {"comm", "bash"}, {"addr", {{"ip", "vfs_read"}}}, {"vals", {1, 2}}};
  EXPECT_EQ(rendered(kText, EventRecord{"events", data, false}), "pid=42 comm=bash addr={ip: vfs_read} vals=[1, 2]\n");
  EXPECT_EQ(rendered(kText, EventRecord{"events", data, true}),
            "events: pid=42 comm=bash addr={ip: vfs_read} vals=[1, 2]\n");
  EXPECT_EQ(rendered(kJson, EventRecord{"events", data, true}),
            "{\"type\":\"event\",\"map\":\"events\",\"data\":{\"pid\":42,\"comm\":\"bash\",\"addr\":{\"ip\":\"vfs_read\"},"
            "\"vals\":[1,2]},\"schema\":1}\n");
  // A record without a type (or shorter than its type) is its bytes in hex.
  EXPECT_EQ(rendered(kText, EventRecord{"raw", "0a0bff", false}), "0a0bff\n");
  EXPECT_EQ(rendered(kJson, EventRecord{"raw", "0a0bff", false}),
            "{\"type\":\"event\",\"map\":\"raw\",\"data\":\"0a0bff\",\"schema\":1}\n");
}

TEST(Renderers, TraceLinesRawAsFieldsAndAsJson) {
  const std::string line = "            bash-42      [001] d..31    12.500000: bpf_trace_printk: hi there";
  const auto fields = parseTraceLine(line);
  ASSERT_TRUE(fields);
  EXPECT_EQ(rendered(kText, TraceRecord{line, fields}), line + "\n");
  EXPECT_EQ(rendered(TextRenderer(TraceStyle::Fields), TraceRecord{line, fields}),
            "12.500000000       bash             42      hi there\n");
  // -T on a line of another shape prints it as it is.
  EXPECT_EQ(rendered(TextRenderer(TraceStyle::Fields), TraceRecord{"odd line", std::nullopt}), "odd line\n");
  EXPECT_EQ(rendered(kJson, TraceRecord{line, fields}),
            "{\"type\":\"trace\",\"time\":12.5,\"pid\":42,\"cpu\":1,\"comm\":\"bash\",\"message\":\"hi there\","
            "\"schema\":1}\n");
  EXPECT_EQ(rendered(kJson, TraceRecord{"odd line", std::nullopt}),
            "{\"type\":\"trace\",\"line\":\"odd line\",\"schema\":1}\n");
}

TEST(Renderers, LossesAreNotesInTextAndRecordsInJson) {
  std::string notes;
  OutputSink text(kText);
  text.render(LossRecord{LossRecord::Buffer::Perf, "events", 3}, notes);
  text.render(LossRecord{LossRecord::Buffer::Ring, "rb", 1}, notes);
  text.render(LossRecord{LossRecord::Buffer::Printk, "printk", 7}, notes);
  EXPECT_TRUE(text.empty());
  EXPECT_EQ(notes,
            "probecc: lost 3 events of events (the perf buffer was full; --buffer-pages makes it bigger)\n"
            "probecc: lost 1 events of rb (the ring buffer was full; BPF_RINGBUF_OUTPUT(rb, PAGES) sizes it)\n"
            "probecc: lost 7 bpf_trace_printk lines (the printk ring buffer was full; --printk-pages makes it bigger)\n");
  notes.clear();
  OutputSink json(kJson);
  json.render(LossRecord{LossRecord::Buffer::Perf, "events", 3}, notes);
  EXPECT_EQ(notes, "");
  EXPECT_EQ(json.take(), "{\"type\":\"lost\",\"map\":\"events\",\"count\":3,\"schema\":1}\n");
}

TEST(Renderers, ListedProbes) {
  const ProbeRecord plain{"kprobe:vfs_read", "", std::nullopt};
  EXPECT_EQ(rendered(kText, plain), "kprobe:vfs_read\n");
  EXPECT_EQ(rendered(kJson, plain), "{\"probe\":\"kprobe:vfs_read\",\"schema\":1}\n");
  const ProbeRecord signature{"kfunc:vfs_read", "ssize_t vfs_read(struct file *file)", std::nullopt};
  EXPECT_EQ(rendered(kText, signature), "kfunc:vfs_read\n    ssize_t vfs_read(struct file *file)\n");
  EXPECT_EQ(rendered(kJson, signature),
            "{\"probe\":\"kfunc:vfs_read\",\"signature\":\"ssize_t vfs_read(struct file *file)\",\"schema\":1}\n");
  const ProbeRecord fields{"tracepoint:sched:sched_switch", "", std::vector<std::string>{"char prev_comm[16]", "pid_t prev_pid"}};
  EXPECT_EQ(rendered(kText, fields), "tracepoint:sched:sched_switch\n    char prev_comm[16];\n    pid_t prev_pid;\n");
  EXPECT_EQ(rendered(kJson, fields),
            "{\"probe\":\"tracepoint:sched:sched_switch\",\"fields\":[\"char prev_comm[16]\",\"pid_t prev_pid\"],"
            "\"schema\":1}\n");
}

TEST(Renderers, OnlyJsonMakesEveryLineARecord) {
  EXPECT_FALSE(makeRenderer(OutputFormat::Text)->linesAreRecords());
  EXPECT_TRUE(makeRenderer(OutputFormat::Json)->linesAreRecords());
  EXPECT_EQ(rendered(*makeRenderer(OutputFormat::Json), EventRecord{"e", 1, false}),
            "{\"type\":\"event\",\"map\":\"e\",\"data\":1,\"schema\":1}\n");
  EXPECT_EQ(rendered(*makeRenderer(OutputFormat::Text, TraceStyle::Fields), TraceRecord{"x", std::nullopt}), "x\n");
}
