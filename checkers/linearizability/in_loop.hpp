// Linearizability in the loop of an exploration of a plain state-machine
// Model (a System's World records its I/O already: world_history.hpp reads
// it): record the I/O of a run as a History while the model runs
// (IoRecorder, kept in the model's state), and
// declare "the I/O of every run must be linearizable against Spec" as an
// ordinary Property that the explorers check in every state they visit:
//
//   properties() returns {
//     lincheck::linearizable_io<State>("reads see writes", RegisterSpec{},
//         [](const State& s) -> const auto& { return s.io.history(); })};
//
// A non-linearizable history is then a violation like any invariant, and the
// explorer reports the run that produced it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "checkers/linearizability/checker.hpp"
#include "checkers/model.hpp"

namespace verdict::lincheck {

// The requests and responses of a run, in order; positions are event counts.
// A request still unanswered when the history is checked has an unknown
// outcome (it may or may not have taken effect).
template <SequentialSpec Spec>
class IoRecorder {
 public:
  using Input = typename Spec::Input;
  using Output = typename Spec::Output;

  void call(int client, Input input) {
    OperationOf<Spec> op;
    op.client = client;
    op.input = std::move(input);
    op.call = clock_++;
    history_.push_back(std::move(op));
  }

  // Answers the client's oldest unanswered request; false if there is none.
  bool ret(int client, Output output) {
    for (auto& op : history_) {
      if (op.client == client && !op.output) {
        op.output = std::move(output);
        op.ret = clock_++;
        return true;
      }
    }
    return false;
  }

  const History<Spec>& history() const { return history_; }
  std::uint64_t events() const { return clock_; }

 private:
  History<Spec> history_;
  std::uint64_t clock_ = 0;
};

// Options for checks inside an exploration: the explorer already uses every
// core, so one thread; and a time limit, past which the state counts as
// satisfying the property (an unknown verdict is not a violation).
inline CheckOptions in_loop_options(double timeout_seconds = 10) {
  CheckOptions options;
  options.threads = 1;
  options.timeout_seconds = timeout_seconds;
  return options;
}

// "The I/O recorded in every state is linearizable against `spec`."
template <class State, SequentialSpec Spec, class HistoryOf>
Property<State> linearizable_io(std::string name, Spec spec, HistoryOf history_of,
                                CheckOptions options = in_loop_options()) {
  return Property<State>::always(
      std::move(name),
      [spec = std::move(spec), history_of = std::move(history_of), options](const State& state) {
        return check(spec, history_of(state), options).outcome != Outcome::not_linearizable;
      });
}

}  // namespace verdict::lincheck
