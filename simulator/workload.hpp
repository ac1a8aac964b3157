// A Workload: the environment's finite choice of client inputs, so that a
// search is finite. Each client is a stream of (node, input) operations.
// A closed-loop client issues its next operation only after the previous
// one has been answered (an output at the node it went to, which the System
// may narrow with `bool is_response(const Input&, const Output&) const`);
// an open-loop client issues its operations whenever it likes, in order.
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

}  // namespace verdict
