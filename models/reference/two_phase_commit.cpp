#include "models/reference/two_phase_commit.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "simulator/hashing.hpp"

namespace verdict::reference {

namespace {

const char* kind_name(TwoPhaseAction::Kind kind) {
  switch (kind) {
    case TwoPhaseAction::Kind::tm_rcv_prepared:
      return "TmRcvPrepared";
    case TwoPhaseAction::Kind::tm_commit:
      return "TmCommit";
    case TwoPhaseAction::Kind::tm_abort:
      return "TmAbort";
    case TwoPhaseAction::Kind::rm_prepare:
      return "RmPrepare";
    case TwoPhaseAction::Kind::rm_choose_to_abort:
      return "RmChooseToAbort";
    case TwoPhaseAction::Kind::rm_rcv_commit_msg:
      return "RmRcvCommitMsg";
    case TwoPhaseAction::Kind::rm_rcv_abort_msg:
      return "RmRcvAbortMsg";
  }
  return "?";
}

bool has_rm(TwoPhaseAction::Kind kind) {
  return kind != TwoPhaseAction::Kind::tm_commit && kind != TwoPhaseAction::Kind::tm_abort;
}

}  // namespace

TwoPhaseCommit::TwoPhaseCommit(unsigned rms, TwoPhaseBug bug) : rms_(rms), bug_(bug) {
  if (rms < 1 || rms > State::kMaxRms)
    throw std::invalid_argument(
        fmt::format("two-phase-commit takes 1 to {} RMs, not {}", State::kMaxRms, rms));
}

// In 2pc.rs's order: the TM's actions, then each RM's.
void TwoPhaseCommit::actions(const State& s, std::vector<Action>& out) const {
  using K = Action::Kind;
  const bool tm_init = s.tm_state() == TmState::init;
  bool all_prepared = true;
  for (unsigned rm = 0; rm < rms_; ++rm) all_prepared = all_prepared && s.tm_prepared(rm);
  if (tm_init && (all_prepared || bug_ == TwoPhaseBug::commit_without_all_prepared))
    out.push_back({K::tm_commit});
  if (tm_init) out.push_back({K::tm_abort});
  for (unsigned rm = 0; rm < rms_; ++rm) {
    const auto r = static_cast<std::uint8_t>(rm);
    if (tm_init && s.prepared_msg(rm)) out.push_back({K::tm_rcv_prepared, r});
    if (s.rm_state(rm) == RmState::working) out.push_back({K::rm_prepare, r});
    if (s.rm_state(rm) == RmState::working) out.push_back({K::rm_choose_to_abort, r});
    if (s.commit_msg()) out.push_back({K::rm_rcv_commit_msg, r});
    if (s.abort_msg()) out.push_back({K::rm_rcv_abort_msg, r});
  }
}

std::optional<TwoPhaseState> TwoPhaseCommit::next_state(const State& last, const Action& a) const {
  State s = last;
  switch (a.kind) {
    case Action::Kind::tm_rcv_prepared:
      s.set_tm_prepared(a.rm);
      break;
    case Action::Kind::tm_commit:
      s.set_tm_state(TmState::committed);
      s.send_commit();
      break;
    case Action::Kind::tm_abort:
      s.set_tm_state(TmState::aborted);
      s.send_abort();
      break;
    case Action::Kind::rm_prepare:
      s.set_rm_state(a.rm, RmState::prepared);
      s.send_prepared(a.rm);
      break;
    case Action::Kind::rm_choose_to_abort:
      s.set_rm_state(a.rm, RmState::aborted);
      break;
    case Action::Kind::rm_rcv_commit_msg:
      s.set_rm_state(a.rm, RmState::committed);
      break;
    case Action::Kind::rm_rcv_abort_msg:
      s.set_rm_state(a.rm, RmState::aborted);
      break;
  }
  return s;
}

std::vector<Property<TwoPhaseState>> TwoPhaseCommit::properties() const {
  const unsigned n = rms_;
  auto all_rms = [n](const State& s, RmState want) {
    for (unsigned rm = 0; rm < n; ++rm)
      if (s.rm_state(rm) != want) return false;
    return true;
  };
  std::vector<Property<State>> properties{
      Property<State>::sometimes(
          "abort agreement", [all_rms](const State& s) { return all_rms(s, RmState::aborted); }),
      Property<State>::sometimes(
          "commit agreement", [all_rms](const State& s) { return all_rms(s, RmState::committed); }),
      Property<State>::always("consistent", [n](const State& s) {
        bool aborted = false, committed = false;
        for (unsigned rm = 0; rm < n; ++rm) {
          aborted = aborted || s.rm_state(rm) == RmState::aborted;
          committed = committed || s.rm_state(rm) == RmState::committed;
        }
        return !(aborted && committed);
      })};
  if (liveness_)
    properties.push_back(Property<State>::eventually("all-decide", [n](const State& s) {
      for (unsigned rm = 0; rm < n; ++rm)
        if (s.rm_state(rm) != RmState::committed && s.rm_state(rm) != RmState::aborted)
          return false;
      return true;
    }));
  return properties;
}

std::optional<std::uint64_t> TwoPhaseCommit::fairness_key(const Action& a) const {
  if (!fair_tm_ && !has_rm(a.kind)) return std::nullopt;
  // tm_rcv_prepared is the TM's too, but it only records a message; the TM
  // decides with tm_commit and tm_abort.
  return static_cast<std::uint64_t>(a.kind) << 8 | a.rm;
}

std::uint64_t TwoPhaseCommit::fingerprint(const State& s) const {
  return stable_hash(s.bits());
}

nlohmann::json TwoPhaseCommit::action_json(const Action& a) const {
  nlohmann::json j{{"action", kind_name(a.kind)}};
  if (has_rm(a.kind)) j["rm"] = a.rm;
  return j;
}

nlohmann::json TwoPhaseCommit::state_json(const State& s) const {
  static constexpr const char* kRm[] = {"working", "prepared", "committed", "aborted"};
  static constexpr const char* kTm[] = {"init", "committed", "aborted"};
  nlohmann::json rm_state = nlohmann::json::array(), tm_prepared = nlohmann::json::array();
  nlohmann::json msgs = nlohmann::json::array();
  for (unsigned rm = 0; rm < rms_; ++rm) {
    rm_state.push_back(kRm[static_cast<unsigned>(s.rm_state(rm))]);
    if (s.tm_prepared(rm)) tm_prepared.push_back(rm);
    if (s.prepared_msg(rm)) msgs.push_back({{"type", "Prepared"}, {"rm", rm}});
  }
  if (s.commit_msg()) msgs.push_back({{"type", "Commit"}});
  if (s.abort_msg()) msgs.push_back({{"type", "Abort"}});
  return {{"rmState", rm_state},
          {"tmState", kTm[static_cast<unsigned>(s.tm_state())]},
          {"tmPrepared", tm_prepared},
          {"msgs", msgs}};
}

TwoPhaseAction TwoPhaseCommit::action_from_json(const nlohmann::json& j) const {
  if (!j.is_object() || !j.contains("action") || !j.at("action").is_string())
    throw std::invalid_argument("a two-phase-commit action is {\"action\": NAME, \"rm\": N}");
  const auto name = j.at("action").get<std::string>();
  for (auto kind : {Action::Kind::tm_rcv_prepared, Action::Kind::tm_commit, Action::Kind::tm_abort,
                    Action::Kind::rm_prepare, Action::Kind::rm_choose_to_abort,
                    Action::Kind::rm_rcv_commit_msg, Action::Kind::rm_rcv_abort_msg}) {
    if (name != kind_name(kind)) continue;
    if (!has_rm(kind)) return {kind};
    if (!j.contains("rm") || !j.at("rm").is_number_unsigned() || j.at("rm").get<unsigned>() >= rms_)
      throw std::invalid_argument(
          fmt::format("action {} needs \"rm\": a number from 0 to {}", name, rms_ - 1));
    return {kind, static_cast<std::uint8_t>(j.at("rm").get<unsigned>())};
  }
  throw std::invalid_argument(fmt::format("unknown two-phase-commit action \"{}\"", name));
}

std::string TwoPhaseCommit::action_text(const Action& a) const {
  return has_rm(a.kind) ? fmt::format("{}({})", kind_name(a.kind), a.rm) : kind_name(a.kind);
}

TwoPhaseState TwoPhaseCommit::representative(const State& s) const {
  // Everything the state says about one RM, as a sort key.
  using RmView = std::tuple<RmState, bool, bool>;
  std::array<RmView, State::kMaxRms> views{};
  for (unsigned rm = 0; rm < rms_; ++rm)
    views[rm] = {s.rm_state(rm), s.tm_prepared(rm), s.prepared_msg(rm)};
  std::sort(views.begin(), views.begin() + rms_);
  State canonical;
  canonical.set_tm_state(s.tm_state());
  if (s.commit_msg()) canonical.send_commit();
  if (s.abort_msg()) canonical.send_abort();
  for (unsigned rm = 0; rm < rms_; ++rm) {
    const auto& [rm_state, tm_prepared, prepared_msg] = views[rm];
    canonical.set_rm_state(rm, rm_state);
    if (tm_prepared) canonical.set_tm_prepared(rm);
    if (prepared_msg) canonical.send_prepared(rm);
  }
  return canonical;
}

}  // namespace verdict::reference
