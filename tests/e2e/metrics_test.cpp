// Issue 20: the maps as Prometheus metrics (--metrics): scraped with curl, and by a real Prometheus
// server (Debian's prometheus package) that the test starts on loopback and stops.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "e2e_support.h"

using namespace e2e;

namespace {

// A socket bound to a loopback port of the kernel's choice: {fd, port}.
std::pair<int, int> boundLoopbackSocket() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
  return {fd, ntohs(address.sin_port)};
}

// A loopback port nobody listens on now.
int freeLoopbackPort() {
  const auto [fd, port] = boundLoopbackSocket();
  close(fd);
  return port;
}

std::string shell(const std::string &command) {
  std::string out;
  if (FILE *pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    pclose(pipe);
  }
  return out;
}

std::string httpGet(int port, const std::string &path) {
  return shell("curl -sS --max-time 10 http://127.0.0.1:" + std::to_string(port) + path + " 2>&1");
}

std::string readFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Syscalls per comm, and a log2 histogram of the sizes dd reads (dd alone: the test's own
// workload, so the histogram Prometheus saw last is the one probecc prints at exit).
constexpr const char *kCommsAndReadSizes = R"(
struct key_t { char comm[16]; };
BPF_HASH(syscalls, struct key_t);
BPF_HISTOGRAM(read_sizes);
int tracepoint__raw_syscalls__sys_enter(void *args) {
  struct key_t key = {};
  bpf_get_current_comm(&key.comm, sizeof(key.comm));
  syscalls.increment(key);
  return 0;
}
int tracepoint__syscalls__sys_exit_read(struct tracepoint__syscalls__sys_exit_read *args) {
  char comm[16] = {};
  bpf_get_current_comm(&comm, sizeof(comm));
  if (comm[0] != 'd' || comm[1] != 'd' || comm[2] != 0) return 0;
  if (args->ret > 0) read_sizes.increment(bpf_log2l(args->ret));
  return 0;
}
)";

constexpr const char *kReadWorkload =
    "dd if=/dev/zero of=/dev/null bs=100 count=300 status=none; dd if=/dev/zero of=/dev/null bs=3000 count=200 status=none";

// A Prometheus server of the test's own: loopback only, its data in a temporary directory,
// stopped (and the directory removed) when the test ends.
class PrometheusServer {
public:
  PrometheusServer(int scrapedPort) : port_(freeLoopbackPort()) {
    char dir[] = "/tmp/probecc-e2e-prometheus-XXXXXX";
    dir_ = mkdtemp(dir);
    std::ofstream(dir_ + "/prometheus.yml") << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                               "scrape_configs:\n  - job_name: probecc\n    static_configs:\n"
                                               "      - targets: ['127.0.0.1:" << scrapedPort << "']\n";
    pid_ = fork();
    if (pid_ == 0) {
      const std::string log = dir_ + "/prometheus.log";
      freopen(log.c_str(), "w", stdout);
      freopen(log.c_str(), "a", stderr);
      execlp("prometheus", "prometheus", ("--config.file=" + dir_ + "/prometheus.yml").c_str(),
             ("--storage.tsdb.path=" + dir_ + "/data").c_str(),
             ("--web.listen-address=127.0.0.1:" + std::to_string(port_)).c_str(), "--log.level=warn",
             static_cast<char *>(nullptr));
      _exit(127);
    }
  }
  ~PrometheusServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  // An instant query's result vector (empty on failure).
  nlohmann::json query(const std::string &promql) const {
    const auto reply = shell("curl -sS --max-time 10 http://127.0.0.1:" + std::to_string(port_) +
                             "/api/v1/query --data-urlencode 'query=" + promql + "' 2>/dev/null");
    auto parsed = nlohmann::json::parse(reply, nullptr, false);
    if (parsed.is_discarded() || parsed.value("status", "") != "success") return nlohmann::json::array();
    return parsed["data"]["result"];
  }
  std::string log() const { return readFile(dir_ + "/prometheus.log"); }

private:
  int port_;
  std::string dir_;
  pid_t pid_ = -1;
};

double numberOf(const nlohmann::json &sample) { return std::stod(sample["value"][1].get<std::string>()); }

}  // namespace

using Metrics = ProbeccTest;

TEST_F(Metrics, ScrapeShowsPerCommSeriesHistogramsAndProbeccsOwn) {
  const int port = freeLoopbackPort();
  std::string metrics, notFound;
  auto r = probecc({"-v", "--metrics", "127.0.0.1:" + std::to_string(port), "-e", kCommsAndReadSizes},
                   {.timeoutSeconds = 60, .whenAttached = [&](pid_t probecc) {
                      std::system(kReadWorkload);
                      metrics = httpGet(port, "/metrics");
                      notFound = shell("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + std::to_string(port) + "/other");
                      kill(probecc, SIGINT);
                    }});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("serving metrics on http://127.0.0.1:" + std::to_string(port) + "/metrics"), std::string::npos) << r.err;
  EXPECT_NE(metrics.find("# TYPE probecc_syscalls gauge\n"), std::string::npos) << metrics;
  EXPECT_TRUE(std::regex_search(metrics, std::regex(R"(\nprobecc_syscalls\{comm="dd"\} [1-9][0-9]*\n)"))) << metrics;
  EXPECT_NE(metrics.find("# TYPE probecc_read_sizes histogram\n"), std::string::npos) << metrics;
  // 300 reads of 100 bytes: slot 64..127, whose upper bound is the bucket's le
  std::smatch bucket;
  ASSERT_TRUE(std::regex_search(metrics, bucket, std::regex(R"(\nprobecc_read_sizes_bucket\{le="127"\} ([0-9]+)\n)"))) << metrics;
  EXPECT_GE(std::stoi(bucket[1]), 300) << metrics;
  EXPECT_TRUE(std::regex_search(metrics, std::regex(R"(\nprobecc_read_sizes_bucket\{le="\+Inf"\} [0-9]+\nprobecc_read_sizes_sum [0-9.e+]+\nprobecc_read_sizes_count [0-9]+\n)")))
      << metrics;
  EXPECT_NE(metrics.find("\nprobecc_probes_attached 2\n"), std::string::npos) << metrics;
  EXPECT_EQ(notFound, "404");
  // the usual output goes on beside the metrics
  EXPECT_NE(r.out.find("syscalls:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("read_sizes:\n"), std::string::npos) << r.out;
}

TEST_F(Metrics, AMapBeyondTheSeriesGuardIsTruncatedAndCounted) {
  const int port = freeLoopbackPort();
  std::string metrics;
  auto r = probecc({"-v", "--no-maps", "--metrics", std::to_string(port), "--metrics-max-series", "3", "--metrics-prefix", "t",
                    "-e", "BPF_HASH(by_id, u64); int tracepoint__raw_syscalls__sys_enter(struct trace_event_raw_sys_enter *args) "
                          "{ by_id.increment(args->id); return 0; }"},
                   {.timeoutSeconds = 60, .whenAttached = [&](pid_t probecc) {
                      std::system("ls / >/dev/null; cat /proc/self/stat >/dev/null; sleep 0.2");
                      metrics = httpGet(port, "/metrics");
                      kill(probecc, SIGINT);
                    }});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");  // --no-maps: the metrics alone
  size_t series = 0;
  for (size_t at = 0; (at = metrics.find("\nt_by_id{key=", at)) != std::string::npos; ++at) ++series;
  EXPECT_EQ(series, 3u) << metrics;
  EXPECT_NE(metrics.find("\nt_metrics_truncated_total{map=\"by_id\"} 1\n"), std::string::npos) << metrics;
}

TEST_F(Metrics, ABadAddressOrAPortInUseIsAnError) {
  auto bad = probecc({"--metrics", "localhost:http", "-e", kCommsAndReadSizes});
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("--metrics takes [ADDR:]PORT"), std::string::npos) << bad.err;

  const auto [listener, port] = boundLoopbackSocket();
  listen(listener, 1);
  auto busy = probecc({"--metrics", "127.0.0.1:" + std::to_string(port), "-e", kCommsAndReadSizes});
  close(listener);
  EXPECT_EQ(busy.status, 1);
  EXPECT_NE(busy.err.find("cannot listen on 127.0.0.1:"), std::string::npos) << busy.err;
}

TEST_F(Metrics, RealPrometheusScrapesPerCommSeriesAndTheMedianProbeccPrints) {
  if (system("command -v prometheus >/dev/null && command -v curl >/dev/null") != 0)
    GTEST_SKIP() << "prometheus or curl is not installed (scripts/setup.sh installs them)";
  const int probeccPort = freeLoopbackPort();
  PrometheusServer prometheus(probeccPort);
  nlohmann::json perComm, median, readCount;
  auto r = probecc({"-v", "--metrics", "127.0.0.1:" + std::to_string(probeccPort), "-e", kCommsAndReadSizes},
                   {.timeoutSeconds = 120, .whenAttached = [&](pid_t probecc) {
                      std::system(kReadWorkload);
                      const double workloadDone = std::chrono::duration<double>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
                      // Until Prometheus holds a scrape taken after the workload (scrapes every second)
                      for (int attempt = 0; attempt < 90; ++attempt) {
                        auto scraped = prometheus.query("timestamp(probecc_read_sizes_count)");
                        if (!scraped.empty() && numberOf(scraped[0]) > workloadDone + 0.5) break;
                        std::this_thread::sleep_for(std::chrono::milliseconds(500));
                      }
                      perComm = prometheus.query("probecc_syscalls{comm=\"dd\"}");
                      median = prometheus.query("histogram_quantile(0.5, probecc_read_sizes_bucket)");
                      readCount = prometheus.query("probecc_read_sizes_count");
                      kill(probecc, SIGINT);
                    }});
  EXPECT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(perComm.size(), 1u) << perComm.dump() << "\nprometheus: " << prometheus.log();
  EXPECT_EQ(perComm[0]["metric"]["comm"], "dd") << perComm.dump();
  EXPECT_EQ(perComm[0]["metric"]["job"], "probecc") << perComm.dump();
  EXPECT_GT(numberOf(perComm[0]), 0) << perComm.dump();
  ASSERT_EQ(median.size(), 1u) << median.dump();
  ASSERT_EQ(readCount.size(), 1u) << readCount.dump();

  // probecc's own histogram at exit: the bucket that holds the median
  std::vector<std::tuple<double, double, double>> buckets;  // low, high, count
  const auto table = r.out.substr(r.out.find("read_sizes:\n"));
  const std::regex row(R"( *([0-9]+) -> ([0-9]+) *: ([0-9]+) *\|)");
  double total = 0;
  for (std::sregex_iterator it(table.begin(), table.end(), row), end; it != end; ++it) {
    buckets.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]));
    total += std::get<2>(buckets.back());
  }
  ASSERT_GT(total, 0) << r.out;
  EXPECT_EQ(numberOf(readCount[0]), total) << "Prometheus's last scrape and probecc's exit disagree\n" << r.out;
  double cumulative = 0, low = -1, high = -1;
  for (const auto &[from, to, count] : buckets) {
    cumulative += count;
    if (cumulative >= total / 2) {
      low = from;
      high = to;
      break;
    }
  }
  // histogram_quantile interpolates inside the bucket (previous bucket's le, this one's le]
  const double quantile = numberOf(median[0]);
  EXPECT_GE(quantile, low - 1) << "probecc's median bucket " << low << " -> " << high << "\n" << r.out;
  EXPECT_LE(quantile, high) << "probecc's median bucket " << low << " -> " << high << "\n" << r.out;
}
