// Power cuts: a three-node raft-kv cluster whose nodes keep their durable
// state as `verdict serve` does (record after every handler call; one sync,
// then the held sends and replies) on a simulated disk that loses whatever
// was not synced (power_cut_files.hpp). All nodes lose power at once, at
// every one of the first operations on the disk and at random later ones;
// after each cut every node must open its log, and every write a client was
// told succeeded must be in the logs of a majority, and in the end be
// committed by the leader. Then each sync the log makes is skipped in turn,
// and the same runs must catch it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>

#include <fmt/format.h>

#include "net/durable_log.hpp"
#include "net/tests/power_cut_files.hpp"

using namespace verdict;
using namespace verdict::net;
using verdict::net::testing::PowerCut;
using verdict::net::testing::PowerCutFiles;
using Fx = Effects<RaftKv>;

namespace {

constexpr std::size_t kNodes = 3;

raft::Config cluster_config() {
  raft::Config c;
  c.nodes = kNodes;
  c.max_term = std::numeric_limits<raft::Term>::max();
  c.heartbeats = raft::kUnlimitedHeartbeats;
  c.bootstrap_leader = false;
  c.max_entries = 64;
  return c;
}

struct Node {
  RaftKv::State state;
  std::optional<DurableLog> log;
  bool election = false, heartbeat = false;  // armed timers
  std::size_t quiet = 0;  // events since it heard from a leader or granted a vote
  std::vector<std::pair<NodeId, PeerMsg>> held_sends;
  std::vector<RaftKv::Output> held_replies;
};

// What one run found.
struct Outcome {
  std::uint64_t power_cuts = 0;
  std::uint64_t lost_writes = 0;  // acknowledged, then missing from a majority or the leader
  std::uint64_t refused = 0;      // a log that would not open after a power cut
  std::uint64_t acknowledged = 0;
  bool recovered = true;  // the cluster served again after the last cut
  bool caught() const { return lost_writes > 0 || refused > 0 || !recovered; }
};

class Cluster {
 public:
  Cluster(PowerCutFiles& files, std::uint64_t seed) : files_(files), rng_(seed) {}

  // Runs `events` events; a power cut may stop it early (PowerCut escapes).
  void run(std::size_t events) {
    for (std::size_t i = 0; i < events; ++i) event();
  }

  // All nodes lose power: the disk keeps what was synced, the network and
  // the held effects are gone. Then every node starts from its log.
  void power_cut(Outcome& out) {
    ++out.power_cuts;
    files_.power_cut(rng_() % 2 == 0, rng_);
    boot(out);
    check_majority(out);
  }

  // Boots every node (from an empty disk, or after a cut).
  void boot(Outcome& out) {
    nodes_.clear();
    nodes_.resize(kNodes);
    network_.clear();
    for (NodeId n = 0; n < kNodes; ++n) {
      auto& node = nodes_[n];
      DurableState recovered;
      Recovery recovery;
      try {
        node.log.emplace(DurableLog::open(dir(n), n, kNodes, recovered, recovery, files_));
      } catch (const CorruptData&) {
        ++out.refused;
        recovered = {};  // served from scratch, so that the run can go on
        node.log.reset();
      } catch (const std::runtime_error&) {  // a missing directory the log did not sync
        ++out.refused;
        node.log.reset();
      }
      Fx fx;
      node.state = sys_.init(n, fx);
      if (!recovery.created && node.log) {
        fx = Fx{};
        node.state.term = recovered.term;
        node.state.voted_for = recovered.voted_for;
        node.state.log = std::move(recovered.log);
        sys_.on_reboot(n, node.state, fx);
      }
      take(n, fx);
    }
  }

  // Every acknowledged write is in the logs of a majority (so every future
  // leader has it).
  void check_majority(Outcome& out) const {
    for (const auto& client : acked_) {
      std::size_t holders = 0;
      for (const auto& node : nodes_)
        holders += std::any_of(node.state.log.begin(), node.state.log.end(),
                               [&](const KvEntry& e) { return e.request.client == client; });
      if (holders <= kNodes / 2) {
        ++out.lost_writes;
        UNSCOPED_INFO(fmt::format("client {} acknowledged, then held by {} nodes after a cut",
                                  client, holders));
      }
    }
  }

  // No more cuts: the cluster elects a leader, commits a last write, and
  // that leader's committed log holds every acknowledged write.
  void finish(Outcome& out) {
    const raft::ClientId barrier = 1'000'000;
    outstanding_.insert(barrier);
    std::set<raft::ClientId> committed;
    for (std::size_t i = 0; i < 200'000 && !committed.contains(barrier); ++i) {
      event();
      committed = committed_by_leader();
    }
    out.recovered = committed.contains(barrier);
    out.acknowledged = acked_.size();
    for (const auto& client : acked_) {
      if (committed.contains(client)) continue;
      ++out.lost_writes;
      UNSCOPED_INFO(
          fmt::format("client {} acknowledged, not committed by the last leader", client));
    }
  }

 private:
  // The clients whose writes the leader of the latest term has committed
  // (an older leader may not know it was replaced).
  std::set<raft::ClientId> committed_by_leader() const {
    const Node* leader = nullptr;
    for (const auto& node : nodes_)
      if (node.state.is_leader() && (!leader || node.state.term > leader->state.term))
        leader = &node;
    std::set<raft::ClientId> committed;
    for (raft::Index i = 0; leader && i < leader->state.commit; ++i)
      committed.insert(leader->state.log[i].request.client);
    return committed;
  }

  std::filesystem::path dir(NodeId n) const { return fmt::format("/cluster/node{}", n); }

  void event() {
    const auto dice = rng_() % 100;
    if (dice < 55 && !network_.empty()) {
      const auto i = rng_() % network_.size();
      const auto [from, to, msg] = network_[i];
      network_.erase(network_.begin() + static_cast<std::ptrdiff_t>(i));
      // As the server does: a node that hears from its leader postpones its election.
      if (std::holds_alternative<raft::AppendEntries<kv::Input>>(msg.body) &&
          msg.term() >= nodes_[to].state.term)
        nodes_[to].quiet = 0;
      step(to, [&](Fx& fx) { sys_.on_message(to, nodes_[to].state, from, msg, fx); });
    } else if (dice < 75) {
      fire(rng_() % kNodes, raft::Timer::heartbeat);
    } else if (dice < 79) {
      const NodeId n = rng_() % kNodes;
      if (nodes_[n].quiet > 40) fire(n, raft::Timer::election);
    } else if (dice < 90) {
      if (outstanding_.size() < 4) outstanding_.insert(next_client_++);
      // A client (re)sends one of its unanswered writes to some node.
      auto it = outstanding_.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(rng_() % outstanding_.size()));
      const KvRequest req{*it, 1, kv::Input::put(fmt::format("k{}", *it), "v")};
      const NodeId n = rng_() % kNodes;
      step(n, [&](Fx& fx) { sys_.on_input(n, nodes_[n].state, req, fx); });
    }
    // Group commit: a node syncs after some events, not necessarily each.
    for (NodeId n = 0; n < kNodes; ++n) {
      ++nodes_[n].quiet;
      if (rng_() % 3 != 0) flush(n);
    }
  }

  void fire(NodeId n, raft::Timer t) {
    auto& armed = t == raft::Timer::election ? nodes_[n].election : nodes_[n].heartbeat;
    if (!armed) return;
    armed = false;
    step(n, [&](Fx& fx) { sys_.on_timeout(n, nodes_[n].state, t, fx); });
  }

  template <class F>
  void step(NodeId n, F&& handler) {
    Fx fx;
    handler(fx);
    take(n, fx);
  }

  // As the server does: record the durable changes, apply timer changes,
  // hold sends and replies until the next sync.
  void take(NodeId n, Fx& fx) {
    auto& node = nodes_[n];
    if (node.log) node.log->record(node.state.term, node.state.voted_for, node.state.log);
    for (const auto& change : fx.timer_changes())
      (change.timer == raft::Timer::election ? node.election : node.heartbeat) = change.armed;
    for (const auto& send : fx.sends()) {
      if (const auto* v = std::get_if<raft::Vote>(&send.second.body); v && v->granted)
        node.quiet = 0;
      node.held_sends.push_back(send);
    }
    for (const auto& out : fx.outputs()) node.held_replies.push_back(out);
  }

  void flush(NodeId n) {
    auto& node = nodes_[n];
    if (node.log) node.log->sync();
    for (const auto& [to, msg] : node.held_sends) network_.emplace_back(n, to, msg);
    for (const auto& reply : node.held_replies) {
      if (reply.not_leader() || !outstanding_.contains(reply.client)) continue;
      outstanding_.erase(reply.client);
      acked_.insert(reply.client);
    }
    node.held_sends.clear();
    node.held_replies.clear();
  }

  PowerCutFiles& files_;
  std::mt19937_64 rng_;
  RaftKv sys_{kv::Machine{}, cluster_config()};
  std::vector<Node> nodes_;
  std::deque<std::tuple<NodeId, NodeId, PeerMsg>> network_;
  std::set<raft::ClientId> outstanding_, acked_;
  raft::ClientId next_client_ = 1;
};

// One run: a cut at disk operation `first_cut`, then `later_cuts` more at
// random points, then the final check.
Outcome run_with_cuts(std::uint64_t first_cut, int later_cuts, std::uint64_t seed,
                      const std::set<std::string>& skip, std::set<std::string>* syncs = nullptr) {
  PowerCutFiles files("/cluster");
  files.skip = skip;
  Cluster cluster(files, seed);
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  Outcome out;
  auto next_cut = first_cut;
  for (int cuts = 0; cuts <= later_cuts; ++cuts) {
    files.crash_at(files.ops() + next_cut);
    try {
      if (cuts == 0) cluster.boot(out);
      cluster.run(3000);
      files.crash_at(std::nullopt);
    } catch (const PowerCut&) {
      cluster.power_cut(out);
    }
    next_cut = 1 + rng() % 400;
  }
  cluster.finish(out);
  if (syncs) *syncs = files.syncs_seen();
  return out;
}

// Cuts at each of the first `points` operations (the first boot's creates,
// syncs and renames included), each followed by two random ones.
Outcome battery(std::uint64_t points, const std::set<std::string>& skip,
                std::set<std::string>* syncs = nullptr) {
  Outcome total;
  for (std::uint64_t cut = 1; cut <= points; ++cut) {
    const auto out = run_with_cuts(cut, 2, cut * 7919, skip, cut == 1 ? syncs : nullptr);
    total.power_cuts += out.power_cuts;
    total.lost_writes += out.lost_writes;
    total.refused += out.refused;
    total.acknowledged += out.acknowledged;
    total.recovered = total.recovered && out.recovered;
  }
  return total;
}

}  // namespace

TEST_CASE("power cut: every acknowledged write survives cuts of all nodes at every point") {
  std::set<std::string> syncs;
  const auto out = battery(300, {}, &syncs);
  const auto summary = fmt::format(
      "all syncs: {} power cuts, {} acknowledged writes, {} lost, {} "
      "logs refused",
      out.power_cuts, out.acknowledged, out.lost_writes, out.refused);
  fmt::print("power cut: {}\n", summary);
  INFO(summary);
  CHECK(out.power_cuts == 300 * 3);
  CHECK(out.acknowledged >= 300 * 20);
  CHECK(out.lost_writes == 0);
  CHECK(out.refused == 0);
  CHECK(out.recovered);
  // The syncs the log makes: the new file's, its directory's after the
  // rename, the parent's after making the node's directory, each batch's.
  CHECK(syncs == std::set<std::string>{"fdatasync raft.log", "fdatasync raft.log.tmp",
                                       "fsync dir cluster", "fsync dir node#"});
}

TEST_CASE("power cut: a log without any one of its syncs loses writes or cannot be opened") {
  for (const auto* sync :
       {"fdatasync raft.log", "fdatasync raft.log.tmp", "fsync dir cluster", "fsync dir node#"}) {
    const auto out = battery(300, {sync});
    const auto summary =
        fmt::format("without {}: {} power cuts, {} acknowledged writes, {} lost, {} logs refused",
                    sync, out.power_cuts, out.acknowledged, out.lost_writes, out.refused);
    fmt::print("power cut: {}\n", summary);
    INFO(summary);
    CHECK(out.caught());
  }
}
