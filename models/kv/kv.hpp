// The key-value store of Verdi's vard (theories/Systems/VarD.v) as a
// StateMachine: string keys and values; Get, Put, Del, compare-and-set and
// compare-and-delete. Every operation answers one uniform
// Response(key, value_after, value_before), which is also what makes its
// sequential specification a per-key interpretation of the inputs.
#pragma once

#include <compare>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"

namespace verdict::kv {

enum class Op : std::uint8_t { get, put, del, cas, cad };

const char* to_string(Op op);
std::optional<Op> op_from_string(const std::string& name);

// Put k v: value = v. CAS k expected v: set to `value` only if the current
// value equals `expected` (absent expected: only if the key is unset).
// CAD k v: delete only if the current value is `value`.
struct Input {
  Op op = Op::get;
  std::string key;
  std::optional<std::string> value;
  std::optional<std::string> expected;

  static Input get(std::string k) { return {Op::get, std::move(k), {}, {}}; }
  static Input put(std::string k, std::string v) {
    return {Op::put, std::move(k), std::move(v), {}};
  }
  static Input del(std::string k) { return {Op::del, std::move(k), {}, {}}; }
  static Input cas(std::string k, std::optional<std::string> expected, std::string v) {
    return {Op::cas, std::move(k), std::move(v), std::move(expected)};
  }
  static Input cad(std::string k, std::string v) {
    return {Op::cad, std::move(k), std::move(v), {}};
  }

  // The key's and values' bytes: what Raft's max_batch_bytes counts.
  std::size_t payload_bytes() const {
    return key.size() + (value ? value->size() : 0) + (expected ? expected->size() : 0);
  }

  // JSON of its own (kv.cpp): only the fields the operation has.
  VERDICT_FIELDS(Input, op, key, value, expected)
};

struct Response {
  std::string key;
  std::optional<std::string> value_after;
  std::optional<std::string> value_before;

  // JSON of its own (kv.cpp): "after" and "before", as the wire format has them.
  VERDICT_FIELDS(Response, key, value_after, value_before)
};

using Data = std::map<std::string, std::string>;

void to_json(nlohmann::json& j, const Input& in);
void from_json(const nlohmann::json& j, Input& in);
void to_json(nlohmann::json& j, const Response& r);
void from_json(const nlohmann::json& j, Response& r);

// The state machine; also the sequential specification of one key.
struct Machine {
  using Input = kv::Input;
  using Output = Response;
  using Data = kv::Data;

  Data initial() const { return {}; }
  Output apply(Data& data, const Input& in) const;
};

// The per-key interpretation: what an operation does to one key's value.
// Returns the response and updates `value`.
Response apply_to_key(std::optional<std::string>& value, const Input& in);

}  // namespace verdict::kv

namespace verdict::kv {

// The good-map property of the single-node semantics: the trace is a list of
// inputs and outputs, and matching each output with the oldest input not yet
// answered, every output is what the sequential store answers to the inputs
// up to its own. On one node each output follows its input at once; behind
// primary-backup the answers come later but still in input order, and the
// transformer is right only if they are still the sequential store's.
template <class Sys, class Trace>
bool is_good_map(const Trace& trace) {
  Machine machine;
  Data data = machine.initial();
  std::deque<Response> expected;  // answers owed, in input order
  for (const auto& event : trace) {
    if (event.is_input()) {
      expected.push_back(machine.apply(data, std::get<0>(event.event)));
    } else {
      if (expected.empty() || !(std::get<1>(event.event) == expected.front())) return false;
      expected.pop_front();
    }
  }
  return true;
}

}  // namespace verdict::kv
