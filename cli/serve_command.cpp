// `verdict serve raft-kv --id N --peers host:port,... --client-port P
// --data-dir DIR`: one node of a Raft-KV cluster on a real network, running
// the handlers `verdict check raft-kv` explores (net/server.hpp).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/exit_codes.hpp"
#include "cli/net_commands.hpp"
#include "net/server.hpp"

namespace verdict::cli {

void add_serve_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "serve",
      "Run one node of a raft-kv cluster on a real network: the checked handlers, a durable "
      "log (fsync before every effect that depends on it), peers and clients over TCP "
      "(docs/serve.md)");
  auto model = std::make_shared<std::string>();
  auto o = std::make_shared<net::ServerOptions>();
  auto peers = std::make_shared<std::string>();
  auto election = std::make_shared<int>(500);
  auto heartbeat = std::make_shared<int>(100);
  cmd->add_option("model", *model, "The system to serve (raft-kv)")->required();
  cmd->add_option("--id", o->id, "This node's id (0-based, its place in --peers)")->required();
  cmd->add_option("--peers", *peers,
                  "Every node's peer address, in id order, this node's included: host:port,...")
      ->required();
  cmd->add_option("--client-port", o->client_port, "Port for clients")->required();
  cmd->add_option("--client-host", o->client_host, "Address to listen on for clients")
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Directory of the durable log")->required();
  cmd->add_option("--election-timeout-ms", *election,
                  "An election starts after a random [T, 2T) ms without a leader")
      ->capture_default_str()
      ->check(CLI::Range(10, 60000));
  cmd->add_option("--heartbeat-ms", *heartbeat, "Leader heartbeat interval")
      ->capture_default_str()
      ->check(CLI::Range(1, 60000));
  cmd->add_option("--cluster-key", o->cluster_key,
                  "The cluster's secret (a file of 32 to 4096 bytes only its owner may read, "
                  "the same on every node): peers prove they hold it and sign every frame. "
                  "Required unless every peer address is on loopback")
      ->check(CLI::ExistingFile);
  cmd->add_option("--max-entries", o->max_entries, "Entries per AppendEntries")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, net::kMaxEntriesLimit));
  cmd->add_option("--max-batch-bytes", o->max_batch_bytes,
                  "Key and value bytes per AppendEntries (at least one entry goes)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, net::kMaxBatchBytesLimit));
  cmd->add_option("--max-client-connections", o->max_client_connections,
                  "Client connections open at once; more are closed when accepted")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 16));
  cmd->add_flag("--fault-injection", o->fault_injection,
                "Accept `verdict client ... cut/heal` commands that drop traffic to peers");
  cmd->add_flag("--verbose", o->verbose, "Log connections");
  auto bug = std::make_shared<std::string>("none");
  cmd->add_option("--bug", *bug,
                  "Run with one of raft-kv's seeded bugs (verdict models), to check that the "
                  "cluster test catches it")
      ->group("Testing the tests");
  cmd->callback([=, &exit_code] {
    if (*model != "raft-kv")
      throw UsageError(fmt::format("serve: unknown system \"{}\" (only raft-kv)", *model));
    try {
      o->peers = net::parse_host_ports(*peers);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--peers: ") + e.what());
    }
    const auto seeded = raft::bug_named(*bug);
    if (!seeded) throw UsageError(fmt::format("serve: unknown bug \"{}\" (verdict models)", *bug));
    o->bug = *seeded;
    o->election_timeout = std::chrono::milliseconds(*election);
    o->heartbeat = std::chrono::milliseconds(*heartbeat);
    exit_code = net::run_server(*o);
  });
}

}  // namespace verdict::cli
