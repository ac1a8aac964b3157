// Raft (Ongaro & Ousterhout; Verdi's Raft transformer): turns any
// single-node StateMachine into a replicated System. Clients send requests to
// any node; the leader appends them to its log, replicates the log with
// AppendEntries, commits an entry once a majority stores it (entries of its
// own term only — the Figure 8 rule), applies committed entries in order and
// answers the client. Elections start on the election timeout (the Timeout
// step relation: any armed timer may fire at any time).
//
// Clients. A node that is not the leader answers NotLeader at once (as
// Verdi's Raft does); the client retries elsewhere with the same request id.
// The client table (client -> last request id applied and its output) makes a
// retried request apply exactly once: a request whose id the table already
// holds is answered from the table, at the request and again at apply time
// (a retry may be in the log twice).
//
// Crashes. currentTerm, votedFor and the log are durable: on_reboot keeps
// them and resets everything else (role, commit index, the machine's data and
// the client table, rebuilt by re-applying the log once the commit index is
// learned again).
//
// Bounds, so that exhaustive search is finite: a node does not start an
// election past `max_term`; a leader's heartbeat timer fires at most
// `heartbeats` times per term. Optionally (`bootstrap_leader`) the run starts
// just after node 0 won the election of term 1, which saves every search the
// first election's steps.
//
// Seeded bugs (Bug) are each a few lines in the handlers below, marked `bug:`.
#pragma once

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/raft/messages.hpp"
#include "models/state_machine.hpp"
#include "simulator/node_refs.hpp"
#include "simulator/value.hpp"

namespace verdict::raft {

enum class Bug : std::uint8_t {
  none,
  vote_without_log_check,  // grant votes without the candidate's-log-is-up-to-date check
  figure8,                 // commit an earlier term's entry by counting replicas
  no_dedup,                // no client table: a retried request applies again
  vote_not_persisted,      // votedFor is lost on reboot
  no_truncate,             // a follower keeps its conflicting entries
  reply_before_commit,     // the leader answers a request when it appends it
  give_up_on_follower,     // after a failed AppendEntries the leader neither backs up nor resends
};

// "none" or a seeded bug's name as `verdict models` lists it (register.cpp).
std::optional<Bug> bug_named(const std::string& name);

// `heartbeats = kUnlimitedHeartbeats` and `max_term` at its maximum lift the
// search bounds for a real cluster (`verdict serve`); `max_entries` and
// `max_batch_bytes` cap an AppendEntries so that a follower far behind catches
// up in pieces instead of being sent the whole log on every request (and, with
// large values, a frame too large to send). The defaults are the checker's.
inline constexpr std::uint8_t kUnlimitedHeartbeats = 0xff;

struct Config {
  std::size_t nodes = 3;
  Term max_term = 2;
  std::uint8_t heartbeats = 0;  // per leader term; kUnlimitedHeartbeats: no bound
  bool bootstrap_leader = true;
  Bug bug = Bug::none;
  std::size_t max_entries = 0;  // per AppendEntries; 0: every entry from next_index on
  // Payload bytes (payload_bytes below) per AppendEntries, but always at least
  // one entry, so that a single large entry still goes; 0: no cap.
  std::size_t max_batch_bytes = 0;
};

// The bytes of an operation that max_batch_bytes counts: its own
// payload_bytes() if it has one (kv: key and values), else 1 per entry.
template <class Op>
std::size_t payload_bytes(const Op& op) {
  if constexpr (requires {
                  { op.payload_bytes() } -> std::convertible_to<std::size_t>;
                })
    return op.payload_bytes();
  else
    return 1;
}

// One client's entry in the client table: its last request applied and the answer.
template <class Out>
struct Applied {
  ClientId client = 0;
  RequestId id = 0;
  Out output{};
  VERDICT_VALUE(Applied, client, id, output)
};

template <StateMachine M>
struct NodeState {
  using Op = typename M::Input;
  using Out = typename M::Output;

  // Durable: survives a crash.
  Term term = 0;
  std::optional<NodeRef> voted_for;
  std::vector<Entry<Op>> log;
  // Volatile.
  Role role = Role::follower;
  Index commit = 0;
  Index applied = 0;
  typename M::Data data{};
  std::vector<Applied<Out>> table;  // sorted by client
  NodeSet votes;                    // candidate: nodes that granted
  PerNode<Index> next_index;        // leader only
  PerNode<Index> match_index;       // leader only
  std::uint8_t heartbeats_left = 0;

  Index last_index() const { return static_cast<Index>(log.size()); }
  Term term_at(Index i) const { return i == 0 || i > log.size() ? Term{0} : log[i - 1].term; }
  Term last_term() const { return term_at(last_index()); }
  bool is_leader() const { return role == Role::leader; }

  VERDICT_VALUE(NodeState, term, voted_for, log, role, commit, applied, data, table, votes,
                next_index, match_index, heartbeats_left)
};

template <StateMachine M>
struct Raft {
  using Machine = M;
  using Op = typename M::Input;
  using Out = typename M::Output;
  using Input = Request<Op>;
  using Output = Reply<Out>;
  using Msg = raft::Msg<Op>;
  using Timer = raft::Timer;
  using State = NodeState<M>;
  using Fx = Effects<Raft>;

  M machine;
  Config config;

  std::size_t node_count() const { return config.nodes; }
  bool has(Bug b) const { return config.bug == b; }

  State init(NodeId n, Fx& fx) const {
    State s;
    s.data = machine.initial();
    if (config.bootstrap_leader) {
      s.term = 1;
      s.voted_for = 0;
      if (n == 0) {
        become_leader(n, s, fx, /*announce=*/false);
        return s;
      }
    }
    arm_election(s, fx);
    return s;
  }

  void on_input(NodeId n, State& s, const Input& in, Fx& fx) const {
    if (!s.is_leader()) {
      fx.output(Output{in.client, in.id, std::nullopt});
      return;
    }
    if (!has(Bug::no_dedup)) {
      if (const auto* done = find_applied(s, in.client); done && done->id >= in.id) {
        if (done->id == in.id) fx.output(Output{in.client, in.id, done->output});
        return;  // an older request than the last applied: its answer is gone
      }
    }
    s.log.push_back(Entry<Op>{s.term, in});
    s.match_index[n] = s.last_index();
    if (has(Bug::reply_before_commit)) {  // bug: answer from a scratch copy, uncommitted
      auto scratch = s.data;
      fx.output(Output{in.client, in.id, machine.apply(scratch, in.op)});
    }
    advance_commit(n, s, fx);  // a one-node cluster commits at once
    for (NodeId f = 0; f < node_count(); ++f)
      if (f != n) send_append(n, s, f, fx);
  }

  void on_message(NodeId n, State& s, NodeId from, const Msg& m, Fx& fx) const {
    if (m.term() > s.term) step_down(s, m.term(), fx);
    std::visit([&](const auto& body) { handle(n, s, from, body, fx); }, m.body);
  }

  void on_timeout(NodeId n, State& s, const Timer& t, Fx& fx) const {
    if (t == Timer::heartbeat) {
      if (!s.is_leader() || s.heartbeats_left == 0) return;
      if (s.heartbeats_left != kUnlimitedHeartbeats) --s.heartbeats_left;
      broadcast_append(n, s, fx);
      if (s.heartbeats_left > 0) fx.set_timer(Timer::heartbeat);
      return;
    }
    if (s.is_leader() || s.term >= config.max_term) return;
    s.term = static_cast<Term>(s.term + 1);
    s.role = Role::candidate;
    s.voted_for = n;
    s.votes = NodeSet::of(n);
    arm_election(s, fx);
    if (has_majority(s.votes.bits)) {
      become_leader(n, s, fx, true);
      return;
    }
    for (NodeId peer = 0; peer < node_count(); ++peer)
      if (peer != n) fx.send(peer, Msg{RequestVote{s.term, s.last_index(), s.last_term()}});
  }

  void on_reboot(NodeId, State& s, Fx& fx) const {
    State rebooted;
    rebooted.term = s.term;
    rebooted.voted_for = has(Bug::vote_not_persisted) ? std::nullopt : s.voted_for;  // bug
    rebooted.log = std::move(s.log);
    rebooted.data = machine.initial();
    s = std::move(rebooted);
    arm_election(s, fx);
  }

  bool is_response(const Input& in, const Output& out) const {
    return in.client == out.client && in.id == out.id;
  }
  // NotLeader: the request was not taken here; the client tries the next node.
  bool is_redirect(const Output& out) const { return out.not_leader(); }

  // Nodes are interchangeable, except node 0 when it starts as the leader.
  std::vector<std::vector<NodeId>> symmetric_nodes() const {
    std::vector<NodeId> nodes;
    for (NodeId n = config.bootstrap_leader ? 1 : 0; n < node_count(); ++n) nodes.push_back(n);
    return {nodes};
  }

 private:
  static std::uint64_t bit(NodeId n) { return std::uint64_t{1} << n; }
  bool has_majority(std::uint64_t nodes) const {
    return static_cast<std::size_t>(std::popcount(nodes)) * 2 > node_count();
  }

  // A node at max_term can never start an election: no timer, no useless step.
  void arm_election(const State& s, Fx& fx) const {
    if (s.term < config.max_term)
      fx.set_timer(Timer::election);
    else
      fx.cancel_timer(Timer::election);
  }

  void step_down(State& s, Term term, Fx& fx) const {
    if (s.is_leader()) fx.cancel_timer(Timer::heartbeat);
    s.term = term;
    s.voted_for.reset();
    s.role = Role::follower;
    s.votes.clear();
    s.next_index.clear();
    s.match_index.clear();
    s.heartbeats_left = 0;
    arm_election(s, fx);
  }

  void become_leader(NodeId n, State& s, Fx& fx, bool announce) const {
    s.role = Role::leader;
    s.votes.clear();
    s.next_index.assign(node_count(), static_cast<Index>(s.last_index() + 1));
    s.match_index.assign(node_count(), 0);
    s.match_index[n] = s.last_index();
    s.heartbeats_left = config.heartbeats;
    fx.cancel_timer(Timer::election);
    if (s.heartbeats_left > 0) fx.set_timer(Timer::heartbeat);
    if (announce) broadcast_append(n, s, fx);
  }

  void send_append(NodeId, const State& s, NodeId to, Fx& fx) const {
    const Index next = s.next_index[to];
    AppendEntries<Op> ae{s.term, static_cast<Index>(next - 1), s.term_at(next - 1), {}, s.commit};
    const std::size_t available = s.log.size() - (next - 1);
    std::size_t count =
        config.max_entries == 0 ? available : std::min(available, config.max_entries);
    if (config.max_batch_bytes > 0) count = within_batch_bytes(s, next, count);
    ae.entries.assign(s.log.begin() + (next - 1), s.log.begin() + (next - 1 + count));
    fx.send(to, Msg{std::move(ae)});
  }

  // How many of the `count` entries from `next` on fit in max_batch_bytes: at
  // least one, so that an entry larger than the cap goes alone.
  std::size_t within_batch_bytes(const State& s, Index next, std::size_t count) const {
    std::size_t bytes = 0;
    for (std::size_t k = 0; k < count; ++k) {
      bytes += payload_bytes(s.log[next - 1 + k].request.op);
      if (bytes > config.max_batch_bytes) return std::max<std::size_t>(k, 1);
    }
    return count;
  }

  void broadcast_append(NodeId n, const State& s, Fx& fx) const {
    for (NodeId f = 0; f < node_count(); ++f)
      if (f != n) send_append(n, s, f, fx);
  }

  void handle(NodeId, State& s, NodeId from, const RequestVote& rv, Fx& fx) const {
    const bool log_ok = rv.last_term > s.last_term() ||
                        (rv.last_term == s.last_term() && rv.last_index >= s.last_index());
    const bool grant = rv.term == s.term && (!s.voted_for || *s.voted_for == from) &&
                       (log_ok || has(Bug::vote_without_log_check));  // bug: skip the log check
    if (grant) s.voted_for = from;
    // A refusal in the candidate's own term tells it nothing: only a grant, or
    // a newer term that makes the candidate step down, is worth a message.
    if (grant || rv.term < s.term) fx.send(from, Msg{Vote{s.term, grant}});
  }

  void handle(NodeId n, State& s, NodeId from, const Vote& v, Fx& fx) const {
    if (v.term != s.term || s.role != Role::candidate || !v.granted) return;
    s.votes.insert(from);
    if (has_majority(s.votes.bits)) become_leader(n, s, fx, true);
  }

  void handle(NodeId n, State& s, NodeId from, const AppendEntries<Op>& ae, Fx& fx) const {
    if (ae.term < s.term) {
      fx.send(from, Msg{AppendReply{s.term, false, 0}});
      return;
    }
    if (s.role == Role::candidate) {  // another node won this term
      s.role = Role::follower;
      s.votes.clear();
    }
    if (ae.prev_index > s.last_index() || s.term_at(ae.prev_index) != ae.prev_term) {
      fx.send(from, Msg{AppendReply{s.term, false, 0}});
      return;
    }
    Index i = ae.prev_index;
    for (const auto& e : ae.entries) {
      ++i;
      if (i <= s.last_index()) {
        if (s.log[i - 1].term == e.term) continue;
        if (has(Bug::no_truncate)) continue;  // bug: keep the conflicting entry
        s.log.resize(i - 1);
      }
      s.log.push_back(e);
    }
    const Index last_new = i;
    if (ae.commit > s.commit) s.commit = std::max(s.commit, std::min(ae.commit, last_new));
    apply_committed(n, s, fx);
    fx.send(from, Msg{AppendReply{s.term, true, last_new}});
  }

  void handle(NodeId n, State& s, NodeId from, const AppendReply& r, Fx& fx) const {
    if (r.term != s.term || !s.is_leader()) return;
    if (r.success) {
      s.match_index[from] = std::max(s.match_index[from], r.match);
      s.next_index[from] = static_cast<Index>(s.match_index[from] + 1);
      advance_commit(n, s, fx);
      if (s.next_index[from] <= s.last_index()) send_append(n, s, from, fx);
    } else {
      if (has(Bug::give_up_on_follower)) return;  // bug: heartbeats repeat the failing probe
      if (s.next_index[from] > 1) --s.next_index[from];
      send_append(n, s, from, fx);
    }
  }

  // The leader commits the highest index a majority stores, if that entry is
  // of its own term (Raft's Figure 8 rule). Followers learn the new commit
  // index from the next AppendEntries (a later request or a heartbeat).
  void advance_commit(NodeId n, State& s, Fx& fx) const {
    Index committed = s.commit;
    for (Index i = s.last_index(); i > s.commit; --i) {
      if (s.term_at(i) != s.term && !has(Bug::figure8)) continue;  // bug: count old terms too
      std::uint64_t stored = 0;
      for (NodeId peer = 0; peer < node_count(); ++peer)
        if (s.match_index[peer] >= i) stored |= bit(peer);
      if (has_majority(stored)) {
        committed = i;
        break;
      }
    }
    if (committed == s.commit) return;
    s.commit = committed;
    apply_committed(n, s, fx);
  }

  void apply_committed(NodeId, State& s, Fx& fx) const {
    while (s.applied < s.commit) {
      const Request<Op>& req = s.log[s.applied].request;
      ++s.applied;
      auto* done = find_applied(s, req.client);
      std::optional<Out> output;
      if (done && done->id >= req.id && !has(Bug::no_dedup)) {
        if (done->id == req.id) output = done->output;  // a retry: answer, do not re-apply
      } else {
        output = machine.apply(s.data, req.op);
        remember(s, req, *output);
      }
      if (s.is_leader() && output && !has(Bug::reply_before_commit))
        fx.output(Output{req.client, req.id, *output});
    }
  }

  // The client's entry in the table, or null; const or not as the state is.
  template <class St>
  static auto* find_applied(St& s, ClientId c) {
    auto it =
        std::find_if(s.table.begin(), s.table.end(), [c](const auto& a) { return a.client == c; });
    return it == s.table.end() ? nullptr : &*it;
  }
  static void remember(State& s, const Request<Op>& req, const Out& out) {
    if (auto* a = find_applied(s, req.client)) {
      a->id = req.id;
      a->output = out;
      return;
    }
    Applied<Out> entry{req.client, req.id, out};
    s.table.insert(std::upper_bound(s.table.begin(), s.table.end(), entry), std::move(entry));
  }
};

}  // namespace verdict::raft
