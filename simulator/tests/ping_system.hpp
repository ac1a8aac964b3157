// A tiny System for the semantics tests: node 0 pings the others on input;
// a pinged node counts pings, answers Pong and outputs the count. Every node
// arms a "tick" timer at start; a tick is counted. Reboot keeps the ping
// count (it is "durable"), clears the tick count and re-arms the timer.
#pragma once

#include <string>

#include "simulator/system_model.hpp"

namespace verdict::test {

struct Ping {
  using Msg = std::string;  // "ping <k>" or "pong <k>"
  using Input = int;        // ping everyone with this number
  using Output = int;       // the number of pings seen so far
  using Timer = std::string;

  struct State {
    int pings = 0;
    int ticks = 0;
    int reboots = 0;
    auto operator<=>(const State&) const = default;
    template <class H>
    void hash(H& h) const {
      h(pings, ticks, reboots);
    }
    friend void to_json(nlohmann::json& j, const State& s) {
      j = {{"pings", s.pings}, {"ticks", s.ticks}, {"reboots", s.reboots}};
    }
    friend void from_json(const nlohmann::json& j, State& s) {
      s.pings = j.at("pings");
      s.ticks = j.at("ticks");
      s.reboots = j.at("reboots");
    }
  };

  std::size_t nodes = 3;

  std::size_t node_count() const { return nodes; }
  State init(NodeId, Effects<Ping>& fx) const {
    fx.set_timer("tick");
    return {};
  }
  void on_input(NodeId n, State&, const Input& k, Effects<Ping>& fx) const {
    for (NodeId to = 0; to < nodes; ++to)
      if (to != n) fx.send(to, "ping " + std::to_string(k));
  }
  void on_message(NodeId, State& s, NodeId from, const Msg& m, Effects<Ping>& fx) const {
    if (m.rfind("ping", 0) == 0) {
      ++s.pings;
      fx.send(from, "pong" + m.substr(4));
      fx.output(s.pings);
    }
  }
  void on_timeout(NodeId, State& s, const Timer&, Effects<Ping>&) const { ++s.ticks; }
  void on_reboot(NodeId, State& s, Effects<Ping>& fx) const {
    s.ticks = 0;
    ++s.reboots;
    fx.set_timer("tick");
  }
};

// A workload of one open-loop client that pings once from node 0.
inline Workload<Ping> one_ping() {
  Workload<Ping> w;
  w.clients.push_back(Client<Ping>{{{0, 7}}, false});
  return w;
}

}  // namespace verdict::test
