// A raft-kv client session (`verdict client`, the load generator and the
// cluster test): one client id, requests numbered from 1, one outstanding at
// a time. The id comes from a random token the session shows each node it
// connects to (a ClientHello), so no other connection can claim the id. A request goes to the node
// believed to lead; a NotLeader answer sends it on to the leader the node names (or the next node),
// a connection failure or a silent node to the next node, always with the same request id, so that
// Raft's client table applies it exactly once. Runs on the caller's Asio io_context; callbacks run
// on it too.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <vector>

#include <boost/asio.hpp>

#include "net/endpoints.hpp"
#include "net/wire.hpp"

namespace verdict::net {

struct ClientOptions {
  std::chrono::milliseconds attempt_timeout{1000};  // silence before trying another node
  std::chrono::milliseconds op_timeout{10000};      // give up: the outcome is unknown
};

class ClientSession {
 public:
  // The response, or nullopt if no node answered before op_timeout (the
  // request may or may not have taken effect).
  using Done = std::function<void(std::optional<kv::Response>)>;

  // `endpoints` are the nodes' client addresses in node id order, so that a
  // redirect to node i goes to endpoints[i].
  ClientSession(boost::asio::io_context& io, std::vector<HostPort> endpoints,
                ClientOptions options);
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  void submit(kv::Input op, Done done);
  raft::ClientId client_id() const;
  std::uint64_t attempts() const;  // requests sent, retries included

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Sends one control command (fault injection) to one node; the reply, or an
// error message.
ControlReply send_control(const HostPort& node, const Control& command,
                          std::chrono::milliseconds timeout);

// Runs one operation to completion on its own io_context.
std::optional<kv::Response> run_one(const std::vector<HostPort>& endpoints, const kv::Input& op,
                                    const ClientOptions& options);

}  // namespace verdict::net
