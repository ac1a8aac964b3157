// `verdict serve` end to end on a one-node cluster (fast; the three-node
// test with faults is cluster_test.py): the client's operations get vard's
// answers, a node survives malformed bytes on its client port, what it
// acknowledged survives SIGKILL and a restart, and a damaged log makes it
// refuse to serve (exit 2).
#include <catch2/catch.hpp>

#include <thread>

#include "net/durable_log.hpp"
#include "net/tests/serve_helpers.hpp"

using namespace verdict;
using namespace verdict::net;
using namespace verdict::net::testing;

namespace {

kv::Response response(std::string key, std::optional<std::string> after,
                      std::optional<std::string> before) {
  return {std::move(key), std::move(after), std::move(before)};
}

void send_raw(std::uint16_t port, const std::string& bytes) {
  RawConn c(port);
  c.send(bytes);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace

TEST_CASE("serve: a one-node cluster answers as vard, survives garbage, SIGKILL and restart") {
  TempDir tmp;
  Node node(tmp.path);
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
  send_raw(node.client_port(),
           encode_frame(Hello{0, 0, 1, {}}));  // a peer frame on the client port
  CHECK(node.running());
  CHECK(node.op(kv::Input::get("k")) == response("k", "b", "b"));

  node.kill();
  node.start();
  CHECK(node.op(kv::Input::get("k")) == response("k", "b", "b"));
  CHECK(node.op(kv::Input::get("n")) == response("n", std::nullopt, std::nullopt));
}

TEST_CASE("serve: a damaged data directory is reported and not served") {
  TempDir tmp;
  Node node(tmp.path);
  node.start();
  REQUIRE(node.op(kv::Input::put("k", "a")));
  REQUIRE(node.op(kv::Input::put("k", "b")));
  node.kill();
  const auto file = node.data_dir() / DurableLog::kFileName;
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[durable_format::kHeaderSize + durable_format::kRecordHeader] ^= 0x01;  // first record
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  node.start();
  CHECK(node.wait_exit() == 2);
  CHECK_THAT(node.log_text(), Catch::Contains("corrupt data directory"));
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
