// What bounds a `verdict serve` node's resources against connections it did
// not ask for: the cap on connections per port, the back-off when accept runs
// out of file descriptors (EMFILE) instead of a busy loop, and the byte cap on
// AppendEntries that lets a follower far behind catch up on 1 MiB values.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>

#include "net/durable_log.hpp"
#include "net/tests/serve_helpers.hpp"

using namespace verdict;
using namespace verdict::net;
using namespace verdict::net::testing;

namespace {

// CPU seconds (user + system) the process has used, from /proc.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text{std::istreambuf_iterator<char>(stat), {}};
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after the command name
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // fields 3..13
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::vector<std::unique_ptr<RawConn>> connect_many(std::uint16_t port, int n) {
  std::vector<std::unique_ptr<RawConn>> conns;
  for (int i = 0; i < n; ++i) conns.push_back(std::make_unique<RawConn>(port));
  return conns;
}

// Once the connections close, the node serves again what it stored.
void close_and_check_served(std::vector<std::unique_ptr<RawConn>>& conns, const Node& node) {
  conns.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(node.op(kv::Input::get("k")) == kv::Response{"k", "v", "v"});
}

}  // namespace

TEST_CASE("limits: connections past the cap are closed at once, the others kept") {
  TempDir tmp;
  Node node(tmp.path, {"--max-client-connections", "4"});
  node.start();
  REQUIRE(node.op(kv::Input::put("k", "v")));
  auto kept = connect_many(node.client_port(), 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all four accepted
  RawConn extra(node.client_port());
  CHECK(extra.closed_within());
  for (auto& c : kept) CHECK_FALSE(c->closed_within(std::chrono::milliseconds(100)));
  CHECK(node.log_says("4 open, the cap"));
  close_and_check_served(kept, node);
}

TEST_CASE("limits: out of file descriptors, accept backs off instead of spinning") {
  TempDir tmp;
  Node node(tmp.path);
  node.start(/*max_files=*/32);
  REQUIRE(node.op(kv::Input::put("k", "v")));
  auto conns = connect_many(node.client_port(), 48);  // more than the process may open
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const double before = cpu_seconds(node.pid());
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double used = cpu_seconds(node.pid()) - before;
  CHECK(used < 0.3);  // a spinning accept loop uses the whole second
  CHECK(node.log_says("retrying in 100 ms"));
  close_and_check_served(conns, node);
}

// 24 values of 1 MiB are a 24 MiB log, more than one frame may carry (16
// MiB): without a byte cap the leader would send it all in one AppendEntries
// the follower refuses, again on every retry.
TEST_CASE("limits: a follower far behind catches up on 1 MiB values") {
  // Short, so that the third node's catching up is soon under way; under
  // AddressSanitizer, where each 1 MiB message costs a leader tens of
  // milliseconds of fresh pages, long enough that it is not deposed while
  // it sends them.
#if defined(__SANITIZE_ADDRESS__)
  const char* const kElectionTimeoutMs = "2000";
#else
  const char* const kElectionTimeoutMs = "200";
#endif
  TempDir tmp;
  const std::vector<std::uint16_t> peers{free_port(), free_port(), free_port()};
  std::vector<std::unique_ptr<Node>> nodes;
  for (NodeId i = 0; i < 3; ++i)
    nodes.push_back(std::make_unique<Node>(
        tmp.path, i, peers, std::vector<std::string>{"--election-timeout-ms", kElectionTimeoutMs}));
  nodes[0]->start();
  nodes[1]->start();
  const std::vector<HostPort> endpoints{{"127.0.0.1", nodes[0]->client_port()},
                                        {"127.0.0.1", nodes[1]->client_port()}};
  ClientOptions options;
  options.op_timeout = std::chrono::seconds(30);
  constexpr int kValues = 24;
  const std::string mib(1u << 20, 'v');
  for (int i = 0; i < kValues; ++i) {
    INFO("value " << i << "; node 0: " << nodes[0]->log_text()
                  << "node 1: " << nodes[1]->log_text());
    REQUIRE(run_one(endpoints, kv::Input::put("k" + std::to_string(i), mib), options));
  }

  nodes[2]->start();
  const auto file = nodes[2]->data_dir() / DurableLog::kFileName;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline &&
         (!fs::exists(file) || fs::file_size(file) < kValues * mib.size()))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // The size passes the mark while the last record is still being written:
  // killed then, the follower leaves a torn record that recovery drops. Wait
  // until the file stops growing.
  for (auto size = fs::exists(file) ? fs::file_size(file) : 0;
       fs::exists(file) && std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto now = fs::file_size(file);
    if (now == size) break;
    size = now;
  }
  nodes[2]->kill();
  DurableState state;
  Recovery recovery;
  DurableLog::open(nodes[2]->data_dir(), 2, 3, state, recovery);
  REQUIRE(state.log.size() >= kValues);
  CHECK(state.log[kValues - 1].request.op ==
        kv::Input::put("k" + std::to_string(kValues - 1), mib));
  CHECK_THAT(nodes[2]->log_text(), !Catch::Contains("malformed"));
}
