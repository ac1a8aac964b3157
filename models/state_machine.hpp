// The StateMachine concept: a single-node application (Verdi's
// BaseParams) — a data type, an initial value, and a function from an input
// to an output that updates the data. The key-value store, the counter and
// anything a user replicates with a transformer are StateMachines.
//
//   struct Counter {
//     using Input = ...; using Output = ...; using Data = ...;
//     Data initial() const;
//     Output apply(Data& data, const Input& in) const;
//   };
#pragma once

#include "simulator/system.hpp"

namespace verdict {

template <class M>
concept StateMachine = Value<typename M::Input> && Value<typename M::Output> &&
    Value<typename M::Data> &&
    requires(const M& m, typename M::Data& d, const typename M::Input& in) {
  { m.initial() } -> std::same_as<typename M::Data>;
  { m.apply(d, in) } -> std::same_as<typename M::Output>;
};

}  // namespace verdict
