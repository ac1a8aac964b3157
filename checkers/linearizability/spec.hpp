// What a sequential specification must provide for the linearizability
// checker, and the optional parts it uses when present.
//
// A specification is a deterministic state machine over the operations of a
// history: from a state and an input it gives the next state and the output a
// correct implementation would answer. Adding one takes a few lines:
//
//   struct CounterSpec {
//     using State = std::int64_t;
//     struct Input { bool increment; };   // increment, or read
//     using Output = std::int64_t;        // the value after the operation
//     State initial() const { return 0; }
//     std::pair<State, Output> apply(State s, Input in) const {
//       if (in.increment) ++s;
//       return {s, s};
//     }
//   };
//
// Requirements: State, Input and Output are copyable; State and Output have
// operator==; State is hashable with std::hash or the spec's own
// `std::size_t hash(const State&) const`. A State that is trivially copyable,
// at most 8 bytes and without padding (an integer, an enum, a pair of int32)
// is handled directly; any other State (strings, maps) is interned by the
// checker, so that its memo table holds small ids.
//
// Optional members, detected with `requires`:
//   partition(input) -> K        P-compositionality: operations whose keys
//                                differ are independent (e.g. per-key stores);
//                                K is hashable and printable with fmt.
//   part_spec(const K& key) -> Spec   with partition(): the specification of
//                                one part, e.g. starting from the initial
//                                state of that key alone (a smaller state to
//                                copy and hash at every step).
//   read_only(const Input&) -> bool  true if the operation never changes the
//                                state (a read): lets the search linearize it
//                                greedily, a large saving on read-heavy histories.
//   keeps_state(const Input&, const Output&) -> bool   true if, with this
//                                answer, the operation leaves the state as it
//                                was (a failed compare-and-set observes it like
//                                a read): linearized greedily as reads are.
//   answers(const State&, const Input&, const Output&) -> bool   for a
//                                read-only input: whether it answers `output`
//                                in `state`; the same as comparing apply()'s
//                                output, without copying the state (a read of
//                                a large state is the common step).
//   observed_text(input, output) -> const std::string*, set_text(input) ->
//   const std::string*, text_key(input) -> const K&, text_at(state, key) ->
//                                Text (string_map.hpp)   for stores of texts
//                                that only appends (extending a text), sets
//                                and reads change: a read's answer that the
//                                key's text must then equal (else nullptr), a
//                                set's new text (else nullptr), the key of an
//                                operation and a key's text ("" when absent).
//                                The search then drops a state that a read
//                                still to come can no longer answer: the text
//                                is not a prefix of the answer, and no set
//                                still to come writes a prefix of it.
//   describe(const Input&) -> std::string      } used in counterexamples;
//   describe(const Output&) -> std::string     } without them operations are
//   describe_state(const State&) -> std::string} shown by their index.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace verdict::lincheck {

template <class S>
concept SequentialSpec = requires(const S& spec, const typename S::State& state,
                                  const typename S::Input& input,
                                  const typename S::Output& output) {
  typename S::State;
  typename S::Input;
  typename S::Output;
  { spec.initial() } -> std::convertible_to<typename S::State>;
  {
    spec.apply(state, input)
    } -> std::convertible_to<std::pair<typename S::State, typename S::Output>>;
  { state == state } -> std::convertible_to<bool>;
  { output == output } -> std::convertible_to<bool>;
};

template <class S>
concept HasPartition = requires(const S& spec, const typename S::Input& input) {
  spec.partition(input);
};

template <class S>
concept HasPartSpec = HasPartition<S> && requires(const S& spec, const typename S::Input& input) {
  { spec.part_spec(spec.partition(input)) } -> std::convertible_to<S>;
};

template <class S>
concept HasReadOnly = requires(const S& spec, const typename S::Input& input) {
  { spec.read_only(input) } -> std::convertible_to<bool>;
};

template <class S>
concept HasKeepsState = requires(const S& spec, const typename S::Input& input,
                                 const typename S::Output& output) {
  { spec.keeps_state(input, output) } -> std::convertible_to<bool>;
};

template <class S>
concept HasReadAnswer = requires(const S& spec, const typename S::State& state,
                                 const typename S::Input& input, const typename S::Output& output) {
  { spec.answers(state, input, output) } -> std::convertible_to<bool>;
};

template <class S>
concept HasTextObservations = requires(const S& spec, const typename S::State& state,
                                       const typename S::Input& input,
                                       const typename S::Output& output) {
  { spec.observed_text(input, output) } -> std::convertible_to<const std::string*>;
  { spec.set_text(input) } -> std::convertible_to<const std::string*>;
  { spec.text_at(state, spec.text_key(input)).hash() } -> std::convertible_to<std::uint64_t>;
  { spec.text_at(state, spec.text_key(input)).size() } -> std::convertible_to<std::size_t>;
};

template <class S>
concept HasOwnStateHash = requires(const S& spec, const typename S::State& state) {
  { spec.hash(state) } -> std::convertible_to<std::size_t>;
};

template <class S>
concept Describable = requires(const S& spec, const typename S::State& state,
                               const typename S::Input& input, const typename S::Output& output) {
  { spec.describe(input) } -> std::convertible_to<std::string>;
  { spec.describe(output) } -> std::convertible_to<std::string>;
  { spec.describe_state(state) } -> std::convertible_to<std::string>;
};

// The hash of a state: the spec's own, or std::hash.
template <SequentialSpec S>
std::size_t hash_state(const S& spec, const typename S::State& state) {
  if constexpr (HasOwnStateHash<S>) {
    return spec.hash(state);
  } else {
    return std::hash<typename S::State>{}(state);
  }
}

}  // namespace verdict::lincheck
