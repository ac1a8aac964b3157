// A concurrent history: what the linearizability checker takes as input.
//
// Each operation was called by one client at some position of a global clock
// and either returned (its output is known) or did not (a timeout, a crash, a
// run that ended first: its outcome is unknown). Positions need only be
// ordered: trace indices, log line numbers and nanoseconds all work. Two
// operations are concurrent when neither returned before the other was called.
//
// The explorers build a History from the I/O trace of a run; the file parsers
// (formats.hpp) build one from Jepsen, EDN or JSON logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace verdict::lincheck {

template <class Input, class Output>
struct Operation {
  int client = 0;
  Input input{};
  // nullopt: the outcome is unknown. The operation may have taken effect at any
  // point after its call, or never.
  std::optional<Output> output;
  std::uint64_t call = 0;  // position of the call event
  std::uint64_t ret = 0;   // position of the return event; ignored when output is nullopt
};

// The operations of a history, in any order, for a sequential specification
// `Spec` (see spec.hpp). An operation that definitely did not take effect (a
// Jepsen `:fail`) is simply left out.
template <class Spec>
using OperationOf = Operation<typename Spec::Input, typename Spec::Output>;

template <class Spec>
using History = std::vector<OperationOf<Spec>>;

}  // namespace verdict::lincheck
