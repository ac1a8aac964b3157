// SystemModel: a System + Semantics + Workload composed into a Model that
// the explorers search. States are Worlds and actions are Labels.
//
//   SystemModel<LockServ> model(LockServ{2}, Semantics::step_async(), workload);
//   model.add_invariant("mutual exclusion", [](const World<LockServ>& w) { ... });
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkers/model.hpp"
#include "simulator/check_system.hpp"
#include "simulator/hashing.hpp"
#include "simulator/steps.hpp"
#include "simulator/symmetry.hpp"
#include "simulator/world_json.hpp"

namespace verdict {

// Unconstrained, so that a System that misses a requirement fails the
// check_system static_asserts, which name it, rather than a concept.
template <class S>
class SystemModel {
  static_assert(check_system<S>(), "verdict::SystemModel<S>: S is not a System (see above)");

 public:
  using Sys = S;
  using State = World<S>;
  using Action = Label<S>;

  SystemModel(S system, Semantics semantics, Workload<S> workload)
      : system_(std::move(system)),
        semantics_(std::move(semantics)),
        workload_(std::move(workload)) {
    if (system_.node_count() == 0 || system_.node_count() > kMaxNodes)
      throw std::invalid_argument("a system needs between 1 and 64 nodes");
    if constexpr (HasSymmetricNodes<S>) symmetry_ = system_symmetry(system_, workload_);
  }

  // The context borrows members: copy or move a SystemModel, not its context.
  SystemModel(const SystemModel& other)
      : system_(other.system_),
        semantics_(other.semantics_),
        workload_(other.workload_),
        properties_(other.properties_),
        symmetry_(other.symmetry_),
        fair_kinds_(other.fair_kinds_),
        fair_timer_(other.fair_timer_) {}
  SystemModel& operator=(const SystemModel&) = delete;

  void add_invariant(std::string name, std::function<bool(const State&)> holds) {
    properties_.push_back(Property<State>::always(std::move(name), std::move(holds)));
  }
  void add_reachable(std::string name, std::function<bool(const State&)> condition) {
    properties_.push_back(Property<State>::sometimes(std::move(name), std::move(condition)));
  }
  // Liveness (checkers/liveness.hpp), under weak fairness of fair_kinds().
  void add_eventually(std::string name, std::function<bool(const State&)> condition) {
    properties_.push_back(Property<State>::eventually(std::move(name), std::move(condition)));
  }
  void add_leads_to(std::string name, std::function<bool(const State&)> trigger,
                    std::function<bool(const State&)> condition) {
    properties_.push_back(
        Property<State>::leads_to(std::move(name), std::move(trigger), std::move(condition)));
  }

  // The step kinds that are weakly fair, each per the thing it serves: a
  // delivery per packet (from, to, message), a timeout per armed timer (node,
  // timer), an input per client. By default those three: a packet that stays
  // deliverable is eventually delivered, an armed timer eventually fires, a
  // client that can go on eventually does. Faults (drop, duplicate, crash,
  // reboot, partition, heal) are never fair: they are budgeted, so every
  // behaviour eventually has no more of them, and nothing forces them.
  void set_fair_kinds(std::vector<StepKind> kinds) { fair_kinds_ = std::move(kinds); }
  const std::vector<StepKind>& fair_kinds() const { return fair_kinds_; }
  // Narrows the fairness of timeouts to the timers `fair` accepts; the others
  // may fire but nothing forces them (raft-kv's election timer: untimed, a
  // fair one would have to fire under a leader whose heartbeats would reset
  // a real one).
  void set_fair_timer(std::function<bool(const typename S::Timer&)> fair) {
    fair_timer_ = std::move(fair);
  }
  std::optional<std::uint64_t> fairness_key(const Action& a) const {
    const StepKind kind = kind_of<S>(a);
    if (std::find(fair_kinds_.begin(), fair_kinds_.end(), kind) == fair_kinds_.end())
      return std::nullopt;
    const auto k = static_cast<std::uint8_t>(kind);
    return std::visit(
        [&](const auto& step) -> std::optional<std::uint64_t> {
          using T = std::decay_t<decltype(step)>;
          if constexpr (std::is_same_v<T, InputStep<S>>)
            return stable_hash(k, step.client);
          else if constexpr (std::is_same_v<T, TimeoutStep<S>>)
            return fair_timer_ && !fair_timer_(step.timer)
                       ? std::nullopt
                       : std::optional<std::uint64_t>(stable_hash(k, step.node, step.timer));
          else if constexpr (requires { step.msg; })
            return stable_hash(k, step.from, step.to, step.msg);
          else if constexpr (requires { step.node; })
            return stable_hash(k, step.node);
          else
            return stable_hash(k);
        },
        a);
  }

  const S& system() const { return system_; }
  const Semantics& semantics() const { return semantics_; }
  const Workload<S>& workload() const { return workload_; }
  StepContext<S> context() const { return {system_, semantics_, workload_}; }

  std::vector<State> init_states() const { return {initial_world(context())}; }

  void actions(const State& w, std::vector<Action>& out) const { enabled_steps(context(), w, out); }

  std::optional<State> next_state(const State& w, const Action& a) const {
    State next;
    if (!next_state_into(w, a, next)) return std::nullopt;
    return next;
  }

  // next_state into a World the caller keeps: assigning over it reuses its
  // vectors' storage, so that the explorers' successors cost no allocation.
  // `out` holds the successor only when this returns true.
  bool next_state_into(const State& w, const Action& a, State& out) const {
    out = w;
    return apply_step(context(), out, a) == StepResult::applied;
  }

  // An invariant checked at the end of random walks only (see Property::at_end).
  // `evidence` (optional): what a violating World shows, for its trace (see
  // Property::evidence).
  void add_invariant_at_end(std::string name, std::function<bool(const State&)> holds,
                            std::function<nlohmann::json(const State&)> evidence = {}) {
    properties_.push_back(Property<State>::always_at_end(std::move(name), std::move(holds)));
    properties_.back().evidence = std::move(evidence);
  }

  std::vector<Property<State>> properties() const { return properties_; }

  // Action kinds for weighted random walks: the step relations.
  std::vector<std::string> action_kinds() const {
    return std::vector<std::string>(kStepNames.begin(), kStepNames.end());
  }
  std::size_t action_kind(const Action& a) const { return a.index(); }
  std::uint64_t fingerprint(const State& w) const { return w.fingerprint(); }
  std::uint64_t search_fingerprint(const State& w) const { return w.search_fingerprint(); }

  // Symmetry (--symmetry), when the System declares interchangeable nodes
  // (simulator/symmetry.hpp): the World's canonical renaming.
  State representative(const State& w) const requires HasSymmetricNodes<S> {
    State out = w;
    canonicalize(out);
    return out;
  }
  std::uint64_t canonicalize(State& w) const requires HasSymmetricNodes<S> {
    return canonicalize_world(w, semantics_, symmetry_);
  }
  // The renamings --symmetry tries (the identity first; only it when the
  // workload names every node the System calls interchangeable).
  const std::vector<NodeRenaming>& symmetry_group() const { return symmetry_; }
  nlohmann::json action_json(const Action& a) const { return label_to_json<S>(a); }
  Action action_from_json(const nlohmann::json& j) const { return label_from_json<S>(j); }
  std::string action_text(const Action& a) const { return label_text<S>(a); }

  // What a step changed, for people reading a trace and for naming the
  // difference when a replay diverges: the node states that changed, the
  // packets sent, and the up/down flags.
  nlohmann::json describe_step(const State& before, const Action&, const State& after) const {
    nlohmann::json nodes = nlohmann::json::object();
    for (std::size_t n = 0; n < after.states.size(); ++n)
      if (!(before.states[n] == after.states[n])) nodes[std::to_string(n)] = after.states[n];
    nlohmann::json sent = nlohmann::json::array();
    std::vector<bool> matched(before.packets.size(), false);
    for (const auto& p : after.packets) {
      bool old = false;
      for (std::size_t i = 0; i < before.packets.size() && !old; ++i)
        if (!matched[i] && before.packets[i] == p) old = matched[i] = true;
      if (!old) sent.push_back({{"from", p.from}, {"to", p.to}, {"msg", p.msg}});
    }
    nlohmann::json out{{"nodes", nodes}, {"sent", sent}};
    if (before.up != after.up) {
      nlohmann::json down = nlohmann::json::array();
      for (NodeId n = 0; n < after.states.size(); ++n)
        if (!after.is_up(n)) down.push_back(n);
      out["down"] = down;
    }
    if (after.trace.size() > before.trace.size()) {
      nlohmann::json outputs = nlohmann::json::array();
      for (std::size_t i = before.trace.size(); i < after.trace.size(); ++i)
        if (!after.trace[i].is_input())
          outputs.push_back(
              {{"node", after.trace[i].node}, {"output", std::get<1>(after.trace[i].event)}});
      if (!outputs.empty()) out["outputs"] = outputs;
    }
    return out;
  }

  // The whole world as JSON, for the explorer (`verdict explore`): every
  // node's state and whether it is up, the packets in flight, the armed
  // timers, the partition, each fault's use and budget, the clients'
  // progress and the recorded inputs and outputs.
  nlohmann::json state_json(const State& w) const {
    nlohmann::json nodes = nlohmann::json::array();
    for (NodeId n = 0; n < w.states.size(); ++n)
      nodes.push_back({{"id", n}, {"up", w.is_up(n)}, {"state", w.states[n]}});
    nlohmann::json packets = nlohmann::json::array();
    for (const auto& p : w.packets)
      packets.push_back({{"from", p.from}, {"to", p.to}, {"msg", p.msg}});
    nlohmann::json timers = nlohmann::json::array();
    for (const auto& t : w.timers) timers.push_back({{"node", t.node}, {"timer", t.timer}});
    std::vector<std::size_t> ops;
    for (const auto& c : workload_.clients) ops.push_back(c.ops.size());
    nlohmann::json partition = world_json::partition(w.partition, w.states.size());
    nlohmann::json faults = world_json::faults(w.faults_used, semantics_);
    nlohmann::json clients = world_json::clients(w.clients, ops);
    nlohmann::json io = nlohmann::json::array();
    for (const auto& e : w.trace) {
      nlohmann::json event{{"node", e.node}, {"client", e.client}};
      if (e.is_input())
        event["input"] = std::get<0>(e.event);
      else
        event["output"] = std::get<1>(e.event);
      io.push_back(std::move(event));
    }
    nlohmann::json out{
        {"nodes", nodes},   {"packets", packets}, {"timers", timers}, {"partition", partition},
        {"faults", faults}, {"clients", clients}, {"io", io}};
    if constexpr (std::is_constructible_v<nlohmann::json, const typename State::Ghost&>)
      out["ghost"] = w.ghost;
    return out;
  }

  // Quiescence with work left (a closed-loop client still waiting or about
  // to resend, or operations not yet issued) is a deadlock; quiescence after
  // the workload is done is a normal end.
  bool is_terminal(const State& w) const {
    for (std::size_t c = 0; c < w.clients.size(); ++c)
      if (w.clients[c].busy() || w.clients[c].next_op < workload_.clients[c].ops.size())
        return false;
    return true;
  }

 private:
  S system_;
  Semantics semantics_;
  Workload<S> workload_;
  std::vector<Property<State>> properties_;
  std::vector<NodeRenaming> symmetry_;
  std::vector<StepKind> fair_kinds_{StepKind::input, StepKind::deliver, StepKind::timeout};
  std::function<bool(const typename S::Timer&)> fair_timer_;  // empty: every timer
};

}  // namespace verdict
