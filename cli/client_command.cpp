// `verdict client --endpoints host:port,... get K | put K V | del K |
// cas K [--expect V] NEW | cad K V`: one operation on a raft-kv cluster,
// following leader redirects and retrying with the same request id; and,
// for tests, `cut PEERS` / `heal [PEERS]` sent to one node started with
// --fault-injection.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/exit_codes.hpp"
#include "cli/net_commands.hpp"
#include "net/client.hpp"

namespace verdict::cli {

namespace {

std::uint64_t peer_mask(const std::vector<unsigned>& peers) {
  std::uint64_t mask = 0;
  for (auto p : peers) {
    if (p >= kMaxNodes) throw UsageError(fmt::format("node {} is out of range", p));
    mask |= std::uint64_t{1} << p;
  }
  return mask;
}

nlohmann::json response_json(const kv::Response& r) {
  return {{"key", r.key}, {"after", r.value_after}, {"before", r.value_before}};
}

}  // namespace

void add_client_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "client",
      "One operation on a raft-kv cluster (verdict serve). Prints the value (get) or the "
      "uniform response {key, after, before}; exit 3 if no node answered in time (the "
      "outcome is unknown)");
  cmd->require_subcommand(1);
  auto endpoints = std::make_shared<std::string>();
  auto timeout = std::make_shared<int>(10000);
  auto attempt = std::make_shared<int>(1000);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--endpoints", *endpoints,
                  "The nodes' client addresses, in node id order: host:port,...")
      ->required();
  cmd->add_option("--timeout-ms", *timeout, "Give up after this long")->capture_default_str();
  cmd->add_option("--attempt-timeout-ms", *attempt, "Try another node after this long")
      ->capture_default_str();
  cmd->add_flag("--json", *json, "Print the response as JSON, for get too");

  struct Args {
    std::string key, value, expect;
    bool has_expect = false;
    std::vector<unsigned> peers;
  };
  auto a = std::make_shared<Args>();
  auto run = [=, &exit_code](const kv::Input& op) {
    std::vector<net::HostPort> nodes;
    try {
      nodes = net::parse_host_ports(*endpoints);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--endpoints: ") + e.what());
    }
    net::ClientOptions options;
    options.op_timeout = std::chrono::milliseconds(*timeout);
    options.attempt_timeout = std::chrono::milliseconds(*attempt);
    const auto r = net::run_one(nodes, op, options);
    if (!r) {
      fmt::print(stderr,
                 "verdict client: no answer within {} ms; the operation may or may not "
                 "have taken effect\n",
                 *timeout);
      exit_code = exit_code::diverged;
      return;
    }
    if (op.op == kv::Op::get && !*json) {
      if (r->value_after) fmt::print("{}\n", *r->value_after);
    } else {
      fmt::print("{}\n", response_json(*r).dump());
    }
    exit_code = exit_code::ok;
  };

  auto* get = cmd->add_subcommand("get", "Print the key's value (nothing if absent)");
  get->add_option("key", a->key)->required();
  get->callback([=] { run(kv::Input::get(a->key)); });
  auto* put = cmd->add_subcommand("put", "Set the key");
  put->add_option("key", a->key)->required();
  put->add_option("value", a->value)->required();
  put->callback([=] { run(kv::Input::put(a->key, a->value)); });
  auto* del = cmd->add_subcommand("del", "Delete the key");
  del->add_option("key", a->key)->required();
  del->callback([=] { run(kv::Input::del(a->key)); });
  auto* cas = cmd->add_subcommand(
      "cas", "Set the key to NEW if its value is --expect (without --expect: if it is unset)");
  cas->add_option("key", a->key)->required();
  cas->add_option("new", a->value)->required();
  cas->add_option("--expect", a->expect, "The value the key must have");
  cas->callback([=] {
    std::optional<std::string> expected;
    if (cas->count("--expect")) expected = a->expect;
    run(kv::Input::cas(a->key, expected, a->value));
  });
  auto* cad = cmd->add_subcommand("cad", "Delete the key if its value is V");
  cad->add_option("key", a->key)->required();
  cad->add_option("value", a->value)->required();
  cad->callback([=] { run(kv::Input::cad(a->key, a->value)); });

  // Fault injection, sent to the first endpoint only.
  auto control = [=, &exit_code](net::Control c) {
    const auto node = net::parse_host_ports(*endpoints).front();
    const auto r = net::send_control(node, c, std::chrono::milliseconds(*attempt));
    fmt::print(r.ok ? stdout : stderr, "{}\n", r.text);
    exit_code = r.ok ? exit_code::ok : exit_code::usage;
  };
  auto* cut = cmd->add_subcommand(
      "cut",
      "Tell the (first) node to drop all traffic to and from these peers (needs serve "
      "--fault-injection)");
  cut->add_option("peers", a->peers, "Node ids")->required()->delimiter(',');
  cut->callback([=] { control({net::Control::Kind::cut, peer_mask(a->peers)}); });
  auto* heal = cmd->add_subcommand("heal", "Restore the (first) node's links (all if none given)");
  heal->add_option("peers", a->peers, "Node ids")->delimiter(',');
  heal->callback([=] {
    control({net::Control::Kind::heal, a->peers.empty() ? ~std::uint64_t{0} : peer_mask(a->peers)});
  });
  auto percent = std::make_shared<unsigned>(0);
  auto* drop =
      cmd->add_subcommand("drop-replies",
                          "Tell the (first) node to drop this percentage of its answers to clients "
                          "(0 stops; needs serve --fault-injection)");
  drop->add_option("percent", *percent, "0 to 100")->required()->check(CLI::Range(0, 100));
  drop->callback([=] { control({net::Control::Kind::drop_replies, *percent}); });
}

}  // namespace verdict::cli
