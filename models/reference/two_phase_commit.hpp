// Two-phase commit as a plain state-machine Model: TLA+'s TwoPhase (Gray and
// Lamport, "Consensus on Transaction Commit"), ported from Stateright's
// examples/2pc.rs so that our state counts can be compared with an
// independent checker (288 states for 3 RMs, 8,832 for 5, 296,448 for 7,
// 1,745,408 for 8). Messages are a set that only grows: nothing consumes them.
//
// The state is a handful of small enums and flags per resource manager (RM),
// so it is packed into one 64-bit word (up to 12 RMs): copying, comparing
// and hashing a state cost a few instructions, and the fingerprint (a
// bijective mix of the word) cannot collide.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/model.hpp"

namespace verdict::reference {

enum class RmState : std::uint8_t { working, prepared, committed, aborted };
enum class TmState : std::uint8_t { init, committed, aborted };

// The whole TwoPhase state: rm_state and tm_prepared per RM, tm_state, and
// the message set {Prepared(rm)..., Commit, Abort}.
class TwoPhaseState {
 public:
  static constexpr unsigned kMaxRms = 12;

  RmState rm_state(unsigned rm) const { return static_cast<RmState>((bits_ >> (2 * rm)) & 3U); }
  bool tm_prepared(unsigned rm) const { return (bits_ >> (kPreparedBit + rm)) & 1U; }
  bool prepared_msg(unsigned rm) const { return (bits_ >> (kPreparedMsgBit + rm)) & 1U; }
  bool commit_msg() const { return (bits_ >> kCommitMsgBit) & 1U; }
  bool abort_msg() const { return (bits_ >> kAbortMsgBit) & 1U; }
  TmState tm_state() const { return static_cast<TmState>((bits_ >> kTmStateBit) & 3U); }

  void set_rm_state(unsigned rm, RmState s) {
    bits_ = (bits_ & ~(std::uint64_t{3} << (2 * rm))) | (static_cast<std::uint64_t>(s) << (2 * rm));
  }
  void set_tm_prepared(unsigned rm) { bits_ |= std::uint64_t{1} << (kPreparedBit + rm); }
  void send_prepared(unsigned rm) { bits_ |= std::uint64_t{1} << (kPreparedMsgBit + rm); }
  void send_commit() { bits_ |= std::uint64_t{1} << kCommitMsgBit; }
  void send_abort() { bits_ |= std::uint64_t{1} << kAbortMsgBit; }
  void set_tm_state(TmState s) {
    bits_ = (bits_ & ~(std::uint64_t{3} << kTmStateBit)) |
            (static_cast<std::uint64_t>(s) << kTmStateBit);
  }

  std::uint64_t bits() const { return bits_; }
  bool operator==(const TwoPhaseState&) const = default;

 private:
  static constexpr unsigned kPreparedBit = 2 * kMaxRms;
  static constexpr unsigned kPreparedMsgBit = kPreparedBit + kMaxRms;
  static constexpr unsigned kCommitMsgBit = kPreparedMsgBit + kMaxRms;
  static constexpr unsigned kAbortMsgBit = kCommitMsgBit + 1;
  static constexpr unsigned kTmStateBit = kAbortMsgBit + 1;

  std::uint64_t bits_ = 0;  // all RMs working, TM in init, no messages
};

struct TwoPhaseAction {
  enum class Kind : std::uint8_t {
    tm_rcv_prepared,
    tm_commit,
    tm_abort,
    rm_prepare,
    rm_choose_to_abort,
    rm_rcv_commit_msg,
    rm_rcv_abort_msg,
  };
  Kind kind;
  std::uint8_t rm = 0;  // unused by tm_commit and tm_abort
  bool operator==(const TwoPhaseAction&) const = default;
};

enum class TwoPhaseBug {
  none,
  // The TM commits without waiting for every RM's Prepared; an RM that
  // chose to abort then disagrees with one that received Commit.
  commit_without_all_prepared,
};

class TwoPhaseCommit {
 public:
  using State = TwoPhaseState;
  using Action = TwoPhaseAction;

  explicit TwoPhaseCommit(unsigned rms, TwoPhaseBug bug = TwoPhaseBug::none);

  unsigned rms() const { return rms_; }

  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const;
  std::optional<State> next_state(const State& s, const Action& a) const;
  std::vector<Property<State>> properties() const;
  std::uint64_t fingerprint(const State& s) const;
  nlohmann::json action_json(const Action& a) const;
  // Reads action_json's output back; throws std::invalid_argument naming the problem.
  Action action_from_json(const nlohmann::json& j) const;
  std::string action_text(const Action& a) const;
  // Liveness ("all-decide": every RM eventually commits or aborts) under weak
  // fairness of every action instance, each its own key — TLA+'s
  // \A r: WF_vars(RMPrepare(r)) /\ ... for each action. With `fair_tm`
  // false the TM's actions are unfair (a TM that may never act).
  std::optional<std::uint64_t> fairness_key(const Action& a) const;
  void set_fair_tm(bool fair) { fair_tm_ = fair; }
  // Off by default, so that the safety-only searches (the benchmark's counts
  // against Stateright) record no graph; the registry turns it on.
  void set_liveness(bool on) { liveness_ = on; }
  // The state as TLA+'s TwoPhase names its variables (rmState, tmState,
  // tmPrepared, msgs), for the explorer.
  nlohmann::json state_json(const State& s) const;
  // RMs are interchangeable: sorts them by everything the state says about
  // each (its state, whether the TM has its Prepared, whether its Prepared
  // message was sent), a true canonical form of the state's symmetry class.
  State representative(const State& s) const;

 private:
  unsigned rms_;
  TwoPhaseBug bug_;
  bool fair_tm_ = true;
  bool liveness_ = false;
};

}  // namespace verdict::reference
