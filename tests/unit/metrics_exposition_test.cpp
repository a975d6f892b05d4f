// The Prometheus exposition of map records (metrics/exposition.h), without a kernel.
#include "metrics/exposition.h"

#include <gtest/gtest.h>

using namespace probecc;

namespace {

MapRecords table(const std::string &name, std::vector<std::pair<JsonValue, int64_t>> entries) {
  MapRecords records;
  records.name = {name, MapName::Kind::Table};
  for (auto &[key, value] : entries) records.entries.push_back({key, value, value, {}});
  return records;
}

bool has(const std::string &text, const std::string &line) { return text.find(line + "\n") != std::string::npos; }

}  // namespace

TEST(MetricsExposition, StructKeysBecomeLabelsScalarKeysAKeyLabel) {
  Exposition exposition({"probecc", 100});
  const auto text = exposition.render(
      {table("counts", {{{{"comm", "bash"}, {"pid", 7}}, 3}, {{{"comm", "a\"b\\c\nd"}, {"pid", 8}}, 4}}),
       table("by_cpu", {{JsonValue(2), 9}})},
      {});
  EXPECT_TRUE(has(text, "# TYPE probecc_counts gauge")) << text;
  EXPECT_TRUE(has(text, R"(probecc_counts{comm="bash",pid="7"} 3)")) << text;
  // label values escaped as the exposition format says; a newline from the kernel stays one line
  EXPECT_TRUE(has(text, R"(probecc_counts{comm="a\"b\\c\\nd",pid="8"} 4)")) << text;
  EXPECT_TRUE(has(text, R"(probecc_by_cpu{key="2"} 9)")) << text;
  EXPECT_TRUE(has(text, "probecc_probes_attached 0")) << text;
}

TEST(MetricsExposition, NestedMembersJoinedAndKeysWithTheSameLabelsSummed) {
  Exposition exposition({"probecc", 100});
  const auto text = exposition.render(
      {table("flows", {{{{"addr", {{"ip", "10.0.0.1"}, {"port", 80}}}, {"le", 1}}, 2},
                       {{{"addr", {{"ip", "10.0.0.1"}, {"port", 80}}}, {"le", 1}}, 5}})},
      {});
  EXPECT_TRUE(has(text, R"(probecc_flows{addr_ip="10.0.0.1",addr_port="80",le_="1"} 7)")) << text;
}

TEST(MetricsExposition, Log2HistogramIsCumulativeWithEverySlotBetweenFirstAndLast) {
  MapRecords records;
  records.name = {"sizes", MapName::Kind::Log2Histogram};
  records.shape = MapRecords::Shape::Histograms;
  records.histograms.push_back({nullptr, {{1, 2}, {3, 4}}});  // 0..1: 2, 4..7: 4
  Exposition exposition({"probecc", 100});
  const auto text = exposition.render({records}, {});
  EXPECT_TRUE(has(text, "# TYPE probecc_sizes histogram")) << text;
  EXPECT_TRUE(has(text, R"(probecc_sizes_bucket{le="1"} 2)")) << text;
  EXPECT_TRUE(has(text, R"(probecc_sizes_bucket{le="3"} 2)")) << text;
  EXPECT_TRUE(has(text, R"(probecc_sizes_bucket{le="7"} 6)")) << text;
  EXPECT_TRUE(has(text, R"(probecc_sizes_bucket{le="+Inf"} 6)")) << text;
  EXPECT_TRUE(has(text, "probecc_sizes_count 6")) << text;
  EXPECT_TRUE(has(text, "probecc_sizes_sum 23")) << text;  // midpoints: 2 * 0.5 + 4 * 5.5
}

TEST(MetricsExposition, SectionedLinearHistogramLabelsEachSection) {
  MapRecords records;
  records.name = {"lat", MapName::Kind::LinearHistogram};
  records.shape = MapRecords::Shape::Histograms;
  records.histograms.push_back({{{"disk", "sda"}}, {{0, 1}, {5, 2}}});
  records.histograms.push_back({{{"disk", "vdb"}}, {{2, 3}}});
  Exposition exposition({"io", 100});
  const auto text = exposition.render({records}, {});
  EXPECT_TRUE(has(text, R"(io_lat_bucket{disk="sda",le="5"} 3)")) << text;
  EXPECT_TRUE(has(text, R"(io_lat_sum{disk="sda"} 10)")) << text;
  EXPECT_TRUE(has(text, R"(io_lat_count{disk="vdb"} 3)")) << text;
}

TEST(MetricsExposition, TruncatedMapsAreCountedAndOwnCountersShown) {
  auto records = table("big", {{JsonValue(1), 1}});
  records.truncated = true;
  Exposition exposition({"probecc", 1});
  OwnMetrics own;
  own.lost = {{LossRecord::Buffer::Perf, "events", 3}, {LossRecord::Buffer::Printk, "printk", 0}};
  own.probesAttached = 2;
  own.programs = std::vector<ProgramRunStats>{{"count_reads", 10, 2500000000}};
  exposition.render({records}, own);
  const auto text = exposition.render({records}, own);
  EXPECT_TRUE(has(text, R"(probecc_metrics_truncated_total{map="big"} 2)")) << text;
  EXPECT_TRUE(has(text, R"(probecc_events_lost_total{map="events"} 3)")) << text;
  EXPECT_TRUE(has(text, "probecc_printk_lines_lost_total 0")) << text;
  EXPECT_TRUE(has(text, "probecc_probes_attached 2")) << text;
  EXPECT_TRUE(has(text, R"(probecc_program_runs_total{program="count_reads"} 10)")) << text;
  EXPECT_TRUE(has(text, R"(probecc_program_run_seconds_total{program="count_reads"} 2.5)")) << text;
}

TEST(MetricsExposition, StructValuesExportTheirIntegerMembers) {
  MapRecords records;
  records.name = {"stats", MapName::Kind::Table};
  records.entries.push_back({JsonValue(1), {{"bytes", 100}, {"name", "x"}, {"calls", 2}}, std::nullopt, {}});
  Exposition exposition({"probecc", 100});
  const auto text = exposition.render({records}, {});
  EXPECT_TRUE(has(text, R"(probecc_stats_bytes{key="1"} 100)")) << text;
  EXPECT_TRUE(has(text, R"(probecc_stats_calls{key="1"} 2)")) << text;
  EXPECT_EQ(text.find("probecc_stats_name"), std::string::npos) << text;
}

TEST(MetricsExposition, MetricNamesAndAddresses) {
  EXPECT_TRUE(isMetricName("probecc"));
  EXPECT_TRUE(isMetricName("my:ns_1"));
  EXPECT_FALSE(isMetricName("1abc"));
  EXPECT_FALSE(isMetricName("a-b"));
}
