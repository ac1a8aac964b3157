// `verdict serve` end to end on a one-node cluster (fast; the three-node
// test with faults is cluster_test.py): the client's operations get vard's
// answers, a node survives malformed bytes on its client port, what it
// acknowledged survives SIGKILL and a restart, and a damaged log makes it
// refuse to serve (exit 2).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <boost/asio.hpp>

#include "net/client.hpp"
#include "net/durable_log.hpp"

using namespace verdict;
using namespace verdict::net;
namespace fs = std::filesystem;

namespace {

std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// One `verdict serve` process for a one-node cluster.
class Node {
 public:
  explicit Node(fs::path dir) : dir_(std::move(dir)), peer_(free_port()), client_(free_port()) {}
  ~Node() { kill(); }

  void start() {
    const char* bin = std::getenv("VERDICT_BIN");
    REQUIRE(bin);
    const auto peers = "127.0.0.1:" + std::to_string(peer_);
    const auto client = std::to_string(client_);
    const auto log = (dir_.parent_path() / "node.log").string();
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      if (!std::freopen(log.c_str(), "a", stderr)) std::_Exit(126);
      ::execl(bin, bin, "serve", "raft-kv", "--id", "0", "--peers", peers.c_str(), "--client-port",
              client.c_str(), "--data-dir", dir_.c_str(), "--election-timeout-ms", "20",
              static_cast<char*>(nullptr));
      std::_Exit(127);
    }
  }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Waits for the process to exit on its own; its exit code.
  int wait_exit() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

  std::optional<kv::Response> op(const kv::Input& in) {
    ClientOptions o;
    o.op_timeout = std::chrono::seconds(10);
    o.attempt_timeout = std::chrono::milliseconds(300);
    return run_one({{"127.0.0.1", client_}}, in, o);
  }
  std::uint16_t client_port() const { return client_; }

 private:
  fs::path dir_;
  std::uint16_t peer_, client_;
  pid_t pid_ = -1;
};

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/verdict-serve-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

kv::Response response(std::string key, std::optional<std::string> after,
                      std::optional<std::string> before) {
  return {std::move(key), std::move(after), std::move(before)};
}

void send_raw(std::uint16_t port, const std::string& bytes) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket s(io);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::write(s, boost::asio::buffer(bytes));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace

TEST_CASE("serve: a one-node cluster answers as vard, survives garbage, SIGKILL and restart") {
  TempDir tmp;
  Node node(tmp.path / "data");
  node.start();
  CHECK(node.op(kv::Input::put("k", "a")) == response("k", "a", std::nullopt));
  CHECK(node.op(kv::Input::cas("k", "a", "b")) == response("k", "b", "a"));
  CHECK(node.op(kv::Input::cas("k", "a", "c")) == response("k", "b", "b"));  // refused
  CHECK(node.op(kv::Input::cas("n", std::nullopt, "x")) == response("n", "x", std::nullopt));
  CHECK(node.op(kv::Input::cad("n", "y")) == response("n", "x", "x"));  // refused
  CHECK(node.op(kv::Input::del("n")) == response("n", std::nullopt, "x"));

  // Malformed frames close their connection, not the node.
  send_raw(node.client_port(), std::string("\x05\x00\x00\x00\x63\x01\x02\x03\x04", 9));
  send_raw(node.client_port(), std::string("\xff\xff\xff\x7f", 4));
  send_raw(node.client_port(), encode_frame(Hello{0, 1}));  // a peer frame on the client port
  CHECK(node.running());
  CHECK(node.op(kv::Input::get("k")) == response("k", "b", "b"));

  node.kill();
  node.start();
  CHECK(node.op(kv::Input::get("k")) == response("k", "b", "b"));
  CHECK(node.op(kv::Input::get("n")) == response("n", std::nullopt, std::nullopt));
}

TEST_CASE("serve: a damaged data directory is reported and not served") {
  TempDir tmp;
  Node node(tmp.path / "data");
  node.start();
  REQUIRE(node.op(kv::Input::put("k", "a")));
  REQUIRE(node.op(kv::Input::put("k", "b")));
  node.kill();
  const auto file = tmp.path / "data" / DurableLog::kFileName;
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[durable_format::kHeaderSize + durable_format::kRecordHeader] ^= 0x01;  // first record
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  node.start();
  CHECK(node.wait_exit() == 2);
  std::ifstream log(tmp.path / "node.log");
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  CHECK_THAT(text, Catch::Contains("corrupt data directory"));
}

TEST_CASE("serve and client: bad usage exits 2, no answer exits 3") {
  const char* bin = std::getenv("VERDICT_BIN");
  REQUIRE(bin);
  TempDir tmp;
  auto run = [&](const std::string& args) {
    const auto status = std::system((std::string(bin) + " " + args + " > /dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  const auto dir = (tmp.path / "d").string();
  CHECK(run("serve kv --id 0 --peers 127.0.0.1:1 --client-port 2 --data-dir " + dir) == 2);
  CHECK(run("serve raft-kv --id 3 --peers 127.0.0.1:1 --client-port 2 --data-dir " + dir) == 2);
  CHECK(run("serve raft-kv --id 0 --peers nonsense --client-port 2 --data-dir " + dir) == 2);
  CHECK(run("serve raft-kv --id 0 --peers 127.0.0.1:1 --client-port 2 --data-dir " + dir +
            " --bug no-such-bug") == 2);
  CHECK_FALSE(fs::exists(dir));  // nothing was created for a command that failed its checks
  CHECK(run("client --endpoints 127.0.0.1 get k") == 2);
  CHECK(run("client --endpoints 127.0.0.1:1 cas k") == 2);
  // Port 1 on loopback refuses connections: no node answers, the outcome is unknown.
  CHECK(run("client --endpoints 127.0.0.1:1 --timeout-ms 300 get k") == 3);
}
