// The sequential specifications that `verdict lincheck --model` names:
//   register  one register: read / write / compare-and-set, initially nil
//             unless told otherwise (Jepsen's etcd histories; knossos's
//             cas-register starts at 0)
//   kv        string keys and values: get / put / append, checked per key
//             (Porcupine's kv histories)
//   vard      Verdict's key-value store, after Verdi's vard: Get / Put / Del /
//             CAS / CAD, every operation answering Response(key, value after,
//             value before), checked per key
// The key-value ones start from a given map (empty unless told otherwise).
// Each is also an example of spec.hpp's interface.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkers/linearizability/string_map.hpp"

namespace verdict::lincheck {

struct RegisterSpec {
  // Values are integers; nil (no value yet) is a reserved integer, so that a
  // state is one machine word.
  using Value = std::int64_t;
  static constexpr Value kNil = std::numeric_limits<Value>::min();

  enum class Kind : std::uint8_t { read, write, cas };
  struct Input {
    Kind kind = Kind::read;
    Value value = kNil;      // write: the value; cas: the expected value
    Value new_value = kNil;  // cas: the value to set
  };
  struct Output {
    Kind kind = Kind::read;
    Value value = kNil;  // read: the value read
    bool ok = true;      // cas: whether it set the value
    bool operator==(const Output&) const = default;
  };
  using State = Value;

  static Input read() { return {Kind::read, kNil, kNil}; }
  static Input write(Value v) { return {Kind::write, v, kNil}; }
  static Input cas(Value expected, Value next) { return {Kind::cas, expected, next}; }
  static Output read_ok(Value v) { return {Kind::read, v, true}; }
  static Output write_ok() { return {Kind::write, kNil, true}; }
  static Output cas_ok(bool ok) { return {Kind::cas, kNil, ok}; }

  Value initial_value = kNil;

  State initial() const { return initial_value; }
  std::pair<State, Output> apply(State state, const Input& input) const;
  bool read_only(const Input& input) const { return input.kind == Kind::read; }
  // A failed compare-and-set (Porcupine's reading) observes the state as a
  // read does.
  bool keeps_state(const Input& input, const Output& output) const {
    return input.kind == Kind::read || (input.kind == Kind::cas && !output.ok);
  }

  std::string describe(const Input& input) const;
  std::string describe(const Output& output) const;
  std::string describe_state(State state) const;
};

// The start of the key-value specifications: a map (empty unless told
// otherwise), of which a key's part takes that key alone.
template <class Spec>
struct StartsFromMap {
  StringMap initial_map;

  StringMap initial() const { return initial_map; }
  Spec part_spec(const std::string& key) const {
    Spec part;
    part.initial_map = initial_map.only(key);
    return part;
  }
};

struct KvSpec : StartsFromMap<KvSpec> {
  enum class Kind : std::uint8_t { get, put, append };
  struct Input {
    Kind kind = Kind::get;
    std::string key;
    std::string value;  // put, append
  };
  struct Output {
    Kind kind = Kind::get;
    std::string value;  // get: the value read ("" for a missing key); others: ""
    bool operator==(const Output&) const = default;
  };
  using State = StringMap;

  std::pair<State, Output> apply(const State& state, const Input& input) const;
  bool read_only(const Input& input) const { return input.kind == Kind::get; }
  bool answers(const State& state, const Input& input, const Output& output) const;
  const std::string& partition(const Input& input) const { return input.key; }
  std::size_t hash(const State& state) const { return state.hash(); }
  // Values change only by append, put and get (spec.hpp: HasTextObservations).
  const std::string* observed_text(const Input& input, const Output& output) const {
    return input.kind == Kind::get && output.kind == Kind::get ? &output.value : nullptr;
  }
  const std::string* set_text(const Input& input) const {
    return input.kind == Kind::put ? &input.value : nullptr;
  }
  const std::string& text_key(const Input& input) const { return input.key; }
  Text text_at(const State& state, const std::string& key) const {
    const Text* text = state.find(key);
    return text ? *text : Text();
  }

  std::string describe(const Input& input) const;
  std::string describe(const Output& output) const;
  std::string describe_state(const State& state) const { return state.describe(); }
};

struct VardSpec : StartsFromMap<VardSpec> {
  enum class Kind : std::uint8_t { get, put, del, cas, cad };
  struct Input {
    Kind kind = Kind::get;
    std::string key;
    std::optional<std::string> expected;  // cas: absent means "only if the key is unset"
    std::string value;  // put: the value; cas: the new value; cad: the expected value
  };
  // Response(key, value after, value before), as Verdi's vard answers.
  struct Output {
    std::string key;
    std::optional<std::string> after;
    std::optional<std::string> before;
    bool operator==(const Output&) const = default;
  };
  using State = StringMap;

  std::pair<State, Output> apply(const State& state, const Input& input) const;
  bool read_only(const Input& input) const { return input.kind == Kind::get; }
  bool answers(const State& state, const Input& input, const Output& output) const;
  const std::string& partition(const Input& input) const { return input.key; }
  std::size_t hash(const State& state) const { return state.hash(); }

  std::string describe(const Input& input) const;
  std::string describe(const Output& output) const;
  std::string describe_state(const State& state) const { return state.describe(); }
};

}  // namespace verdict::lincheck
