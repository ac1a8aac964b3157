// A raft-kv node on a real network (`verdict serve raft-kv`): the very
// handlers `verdict check raft-kv` explores (models/raft/raft.hpp over
// models/kv), with the search bounds lifted, driven by a single-threaded
// Boost.Asio event loop that turns sockets and timers into handler events and
// the handlers' effects into sends, client replies and timers.
//
// Durability: after every handler call the changes to currentTerm, votedFor
// and the log are recorded in the durable log; sends and replies wait until
// the records are synced. The loop runs every event that is ready, then syncs
// once and releases their effects (group commit). A restart rebuilds the state
// with on_reboot from the file.
//
// When timers fire is the environment's choice (the checker lets any armed
// timer fire at any moment): an election timer fires after a random delay in
// [T, 2T), pushed back whenever the node hears AppendEntries from the leader
// of its term or grants a vote, as in the Raft paper.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/raft/raft.hpp"
#include "net/endpoints.hpp"

namespace verdict::net {

struct ServerOptions {
  std::uint32_t id = 0;
  std::vector<HostPort> peers;  // every node's peer address, in id order
  std::string client_host = "127.0.0.1";
  std::uint16_t client_port = 0;
  std::filesystem::path data_dir;
  std::chrono::milliseconds election_timeout{500};
  std::chrono::milliseconds heartbeat{100};
  std::size_t max_entries = 512;  // per AppendEntries
  bool fault_injection = false;   // accept cut/heal control commands from clients
  bool verbose = false;
  raft::Bug bug = raft::Bug::none;  // a seeded bug, to check that the cluster test catches it
};

// Runs the node until SIGINT or SIGTERM. Returns the process exit code: 0
// after a signal, 2 for a data directory that cannot be served or an address
// that cannot be bound (the message goes to stderr).
int run_server(const ServerOptions& options);

}  // namespace verdict::net
