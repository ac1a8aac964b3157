// Linearizability of a System's run: the one way from the I/O trace a World
// records (World::trace, every client input and every answer, in order) to a
// linearizability History, and "the answers the clients saw are
// linearizable" as a property of a World. raft-kv checks itself with it, and
// so can a user's own System:
//
//   model.add_invariant_at_end("linearizable",
//       lincheck::io_linearizable<Store>(model, StoreSpec{},
//           [](const Input& in) { return to_spec(in); },
//           [](const Output& out) { return to_spec(out); }));
//
// Which answer belongs to which request is the simulator's call (the
// workload's closed-loop clients, simulator/world.hpp): an output at a node
// goes to the first client waiting there for which the System's
// `is_response(input, output)` holds. Without is_response every output
// matches, so when two clients wait at one node an answer may be credited to
// the wrong one, and a correct protocol fails linearizability. io_history
// therefore refuses to compile for a System S without is_response unless S
// declares `static constexpr bool one_client_per_node = true` (a promise that
// the workloads it is checked with never have two clients waiting at one
// node).
//
// Operations: every input in the trace opens an operation (the simulator
// does not record a client's resends after a redirect or a timeout:
// rules/input.hpp), so two equal inputs, e.g. an open-loop client's two
// increments, are two operations. An answer closes it, at its first answer:
// when the operation had surely taken effect. An answer the simulator
// credited to nobody (the client had moved on) closes the oldest unanswered
// operation it is_response to, if S has is_response. A System whose requests
// carry ids (Raft) may also say, with `same_request`, that two inputs are one
// request wherever they occur. An operation never answered has an unknown
// outcome: it may or may not have taken effect.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/history_writer.hpp"
#include "simulator/workload.hpp"
#include "simulator/world.hpp"

namespace verdict::lincheck {

// S says which outputs answer which inputs.
template <class S>
concept NarrowsResponses = requires(const S& s, const typename S::Input& in,
                                    const typename S::Output& out) {
  { s.is_response(in, out) } -> std::convertible_to<bool>;
};

// S promises that no two clients ever wait at one node at once.
template <class S>
concept OneClientPerNode = requires {
  requires S::one_client_per_node;
};

// Whether two inputs are one request (Raft: the same client and request id);
// empty: every input is a request of its own.
template <class Sys>
using SameRequest = std::function<bool(const typename Sys::Input&, const typename Sys::Input&)>;

// The run's I/O as a History of Spec. S is the user's System (for the
// is_response requirement); Sys the System as checked, S or a transformer
// chain around it.
template <class S, SequentialSpec Spec, System Sys, class ToInput, class ToOutput>
History<Spec> io_history(const Sys& checked, const std::vector<IoEvent<Sys>>& trace,
                         const ToInput& to_input, const ToOutput& to_output,
                         const SameRequest<Sys>& same_request = {}) {
  static_assert(NarrowsResponses<S> || OneClientPerNode<S>,
                "io_history: without `bool is_response(const Input&, const Output&) const` an "
                "output is credited to the first client waiting at the node, which may not be "
                "the one it answers. Define is_response in your System, or declare `static "
                "constexpr bool one_client_per_node = true;` if no two clients ever wait at "
                "one node.");
  History<Spec> history;
  std::vector<const typename Sys::Input*> inputs;  // per operation, the System's input
  std::map<std::int32_t, std::size_t> latest;      // per client, its latest operation
  auto unanswered = [&](std::size_t op) { return !history[op].output.has_value(); };

  for (std::size_t pos = 0; pos < trace.size(); ++pos) {
    const IoEvent<Sys>& event = trace[pos];
    if (event.is_input()) {
      const auto& in = std::get<0>(event.event);
      if (same_request) {
        bool known = false;
        for (std::size_t op = 0; op < inputs.size() && !known; ++op)
          known = same_request(*inputs[op], in);
        if (known) continue;
      }
      latest[event.client] = history.size();
      history.push_back({event.client, to_input(in), std::nullopt, pos, 0});
      inputs.push_back(&in);
      continue;
    }
    const auto& out = std::get<1>(event.event);
    if (is_redirect(checked, out)) continue;  // "not here": no answer (the simulator's rule too)
    std::optional<std::size_t> op;
    if (event.client >= 0) {
      auto it = latest.find(event.client);
      if (it != latest.end() && unanswered(it->second)) op = it->second;
    } else if constexpr (NarrowsResponses<S>) {
      for (std::size_t i = 0; i < history.size() && !op; ++i)
        if (unanswered(i) && is_response(checked, *inputs[i], out)) op = i;
    }
    if (!op) continue;
    history[*op].output = to_output(out);
    history[*op].ret = pos;
  }
  return history;
}

// "The answers the clients saw are linearizable against spec", as a
// predicate over a World (operator()), for add_invariant or
// add_invariant_at_end. A run with no answer yet is trivially linearizable.
// An unknown verdict (options.timeout_seconds passed) is not a violation.
// evidence(w) is the history it judged, as Verdict's JSON history (for a
// Spec that has a writer, history_writer.hpp; null otherwise): a trace of a
// violation carries it, and `verdict export` draws it.
template <class S, SequentialSpec Spec, System Sys, class ToInput, class ToOutput>
struct IoLinearizable {
  Sys checked;
  Spec spec;
  ToInput to_input;
  ToOutput to_output;
  SameRequest<Sys> same_request;
  CheckOptions options;

  bool operator()(const World<Sys>& w) const {
    if (std::all_of(w.trace.begin(), w.trace.end(), [](const auto& e) { return e.is_input(); }))
      return true;
    return check(spec, history(w), options).outcome != Outcome::not_linearizable;
  }
  History<Spec> history(const World<Sys>& w) const {
    return io_history<S, Spec>(checked, w.trace, to_input, to_output, same_request);
  }
  nlohmann::json evidence(const World<Sys>& w) const {
    if constexpr (WritableHistory<Spec>)
      return nlohmann::json{{"history", history_document(history(w))}};
    else
      return nullptr;
  }
};

// io_linearizable over a World of `model` (a SystemModel of S or of a
// transformer chain around it). The model's Semantics must record the I/O
// trace (record_io_trace); a model that does not would pass vacuously, so
// that is an std::invalid_argument.
template <class S, SequentialSpec Spec, class Model, class ToInput, class ToOutput>
auto io_linearizable(const Model& model, Spec spec, ToInput to_input, ToOutput to_output,
                     SameRequest<typename Model::Sys> same_request = {},
                     CheckOptions options = {}) {
  using Sys = typename Model::Sys;
  if (!model.semantics().record_io_trace)
    throw std::invalid_argument(
        "io_linearizable: the model's Semantics does not record the I/O trace, so every run "
        "would pass; set semantics.record_io_trace = true");
  options.threads = 1;  // the explorer already uses every core
  return IoLinearizable<S, Spec, Sys, ToInput, ToOutput>{
      model.system(),       std::move(spec),         std::move(to_input),
      std::move(to_output), std::move(same_request), options};
}

}  // namespace verdict::lincheck
