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
// Peers prove the cluster key before anything they send is decoded, and sign
// every frame after (net/auth.hpp); clients prove their token. Connections
// per port and bytes per connection are capped (docs/serve.md, "Threat model").
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
#include "net/wire.hpp"

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
  // Key and value bytes per AppendEntries (at least one entry): keeps every
  // frame under the frame limit, so a follower far behind catches up.
  std::size_t max_batch_bytes = 4u << 20;
  std::filesystem::path cluster_key;  // empty: no key, every peer must be on loopback
  std::size_t max_client_connections = 256;
  std::chrono::milliseconds handshake_timeout{5000};
  bool fault_injection = false;  // accept cut/heal control commands from clients
  bool verbose = false;
  raft::Bug bug = raft::Bug::none;  // a seeded bug, to check that the cluster test catches it
};

// Bounds on the options that keep an AppendEntries frame under kMaxFrame.
inline constexpr std::size_t kMaxEntriesLimit = kMaxBatchEntries;
inline constexpr std::size_t kMaxBatchBytesLimit = 8u << 20;

// Runs the node until SIGINT or SIGTERM. Returns the process exit code: 0
// after a signal, 2 for a data directory that cannot be served, an address
// that cannot be bound, a bad cluster key, or no key with a peer that is not
// on loopback (the message goes to stderr).
int run_server(const ServerOptions& options);

}  // namespace verdict::net
