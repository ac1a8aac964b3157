// A Workload: the environment's finite choice of client inputs, so that a
// search is finite. Each client is a stream of (node, input) operations.
// A repeating client starts over after its last operation.
// A closed-loop client issues its next operation only after the previous
// one has been answered (an output at the node it went to, which the System
// may narrow with `bool is_response(const Input&, const Output&) const`);
// an open-loop client issues its operations whenever it likes, in order.
//
// A closed-loop client may also retry the way a real client does (what
// `verdict client` does on a real network): it resends the same input to the
// next node when an answer says "not here" (the System's
// `bool is_redirect(const Output&) const`, e.g. Raft's NotLeader), at most
// `redirects` times per operation, and it may give up waiting and resend to
// the next node (a client timeout), at most `timeouts` times over the run. A
// client that keeps to one node (`sticky`) sends each later operation to the
// node that answered the one before, as a client that found the leader does.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "simulator/system.hpp"

namespace verdict {

template <class S>
struct ClientOp {
  NodeId node;
  typename S::Input input;
};

template <class S>
struct Client {
  std::vector<ClientOp<S>> ops;
  bool closed_loop = true;
  std::uint8_t redirects = 0;  // resends after a redirect, per operation
  std::uint8_t timeouts = 0;   // client timeouts (each a resend), over the whole run
  bool sticky = false;         // later operations go to the node that answered last
  // After its last operation the client starts over at its first, for ever:
  // a workload without end whose position wraps, so the state space stays
  // finite but has cycles (liveness, checkers/liveness.hpp, needs them).
  bool repeat = false;

  bool retries() const { return redirects > 0 || timeouts > 0; }
};

template <class S>
struct Workload {
  std::vector<Client<S>> clients;

  std::size_t total_ops() const {
    std::size_t n = 0;
    for (const auto& c : clients) n += c.ops.size();
    return n;
  }
};

// Whether `out` answers `in`; any output at the node does unless the System
// says otherwise.
template <class S>
bool is_response(const S& sys, const typename S::Input& in, const typename S::Output& out) {
  if constexpr (requires { sys.is_response(in, out); }) {
    return sys.is_response(in, out);
  } else {
    (void)in;
    (void)out;
    return true;
  }
}

// Whether an answer says the node did not take the request and the client
// should try another node; no answer does unless the System says so.
template <class S>
bool is_redirect(const S& sys, const typename S::Output& out) {
  if constexpr (requires { sys.is_redirect(out); }) {
    return sys.is_redirect(out);
  } else {
    (void)out;
    return false;
  }
}

}  // namespace verdict
