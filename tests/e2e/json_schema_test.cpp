// Issue 20: -f json as a schema: every record, on stdout and stderr, has "type" and "schema": 1;
// errors at the user's source carry file, line and col.
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "e2e_support.h"

using namespace e2e;

namespace {

std::vector<nlohmann::json> records(const std::string &text) {
  std::vector<nlohmann::json> all;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
    if (!parsed.is_discarded()) all.push_back(std::move(parsed));
  }
  return all;
}

}  // namespace

using JsonSchema = ProbeccTest;

TEST_F(JsonSchema, EveryRecordCarriesItsTypeAndTheSchemaVersion) {
  auto r = probecc({"-f", "json", "-v", "-e", R"(
BPF_HASH(calls, u32);
BPF_HISTOGRAM(sizes);
int tracepoint__syscalls__sys_enter_getppid(void *args) {
  calls.increment(1);
  sizes.increment(bpf_log2l(100));
  bpf_trace_printk("hello\n");
  return 0;
}
)", "-c", "python3 -c 'import os; os.getppid()'"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::set<std::string> types;
  for (const auto &record : records(r.out)) {
    EXPECT_EQ(record.value("schema", 0), 1) << record.dump();
    types.insert(record.value("type", ""));
  }
  EXPECT_TRUE(types.count("trace") && types.count("map") && types.count("hist")) << r.out;
  for (const auto &record : records(r.err)) {  // -v's messages are records too
    EXPECT_EQ(record.value("schema", 0), 1) << record.dump();
    EXPECT_EQ(record.value("type", ""), "message") << record.dump();
  }
}

TEST_F(JsonSchema, ErrorsAtTheUsersSourceCarryFileLineAndCol) {
  auto r = probecc({"-f", "json", "-e", "BPF_HASH(c, u32);\nint tracepoint__syscalls__sys_enter_getpid(void *a) {\n"
                                        "  u32 k = 0; u64 *v = c.lookup(&k);\n  *v += 1;\n  return 0;\n}\n"});
  EXPECT_EQ(r.status, 1);
  const auto all = records(r.err);
  ASSERT_EQ(all.size(), 1u) << r.err;
  const auto &error = all[0];
  EXPECT_EQ(error["type"], "error");
  EXPECT_EQ(error["file"], "<-e>");
  EXPECT_EQ(error["line"], 4) << error.dump();
  EXPECT_GT(error.value("col", 0), 0) << error.dump();
  EXPECT_NE(error["message"].get<std::string>().find("verifier refused"), std::string::npos) << error.dump();
  EXPECT_EQ(error["schema"], 1);

  auto unknown = probecc({"-f", "json", "-e", "\nint kprobe__no_such_function_xyz(void *ctx) { return 0; }"});
  EXPECT_EQ(unknown.status, 1);
  const auto attach = records(unknown.err);
  ASSERT_FALSE(attach.empty()) << unknown.err;
  EXPECT_EQ(attach.back()["type"], "error");
  EXPECT_EQ(attach.back()["file"], "<-e>");
  EXPECT_EQ(attach.back()["line"], 2) << attach.back().dump();
}
