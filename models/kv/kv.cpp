#include "models/kv/kv.hpp"

#include <array>
#include <stdexcept>

namespace verdict::kv {

namespace {
constexpr std::array<const char*, 5> kOpNames = {"get", "put", "del", "cas", "cad"};
}

const char* to_string(Op op) {
  return kOpNames[static_cast<std::size_t>(op)];
}

std::optional<Op> op_from_string(const std::string& name) {
  for (std::size_t i = 0; i < kOpNames.size(); ++i)
    if (name == kOpNames[i]) return static_cast<Op>(i);
  return std::nullopt;
}

Response apply_to_key(std::optional<std::string>& value, const Input& in) {
  std::optional<std::string> before = value;
  switch (in.op) {
    case Op::get:
      break;
    case Op::put:
      value = in.value;
      break;
    case Op::del:
      value.reset();
      break;
    case Op::cas:
      if (value == in.expected) value = in.value;
      break;
    case Op::cad:
      if (value && value == in.value) value.reset();
      break;
  }
  return Response{in.key, value, before};
}

Response Machine::apply(Data& data, const Input& in) const {
  auto it = data.find(in.key);
  std::optional<std::string> value;
  if (it != data.end()) value = it->second;
  Response r = apply_to_key(value, in);
  if (value)
    data[in.key] = *value;
  else if (it != data.end())
    data.erase(it);
  return r;
}

void to_json(nlohmann::json& j, const Input& in) {
  j = {{"op", to_string(in.op)}, {"key", in.key}};
  if (in.op == Op::put || in.op == Op::cas || in.op == Op::cad) j["value"] = in.value;
  if (in.op == Op::cas) j["expected"] = in.expected;
}

void from_json(const nlohmann::json& j, Input& in) {
  if (!j.is_object()) throw std::invalid_argument("a kv input must be an object");
  auto op = op_from_string(j.at("op").get<std::string>());
  if (!op) throw std::invalid_argument("unknown kv op " + j.at("op").dump());
  in.op = *op;
  in.key = j.at("key").get<std::string>();
  in.value.reset();
  in.expected.reset();
  if (in.op == Op::put || in.op == Op::cas || in.op == Op::cad)
    in.value = j.at("value").get<std::string>();
  if (in.op == Op::cas) in.expected = j.at("expected").get<std::optional<std::string>>();
}

void to_json(nlohmann::json& j, const Response& r) {
  j = {{"key", r.key}, {"after", r.value_after}, {"before", r.value_before}};
}

void from_json(const nlohmann::json& j, Response& r) {
  r.key = j.at("key").get<std::string>();
  r.value_after = j.at("after").get<std::optional<std::string>>();
  r.value_before = j.at("before").get<std::optional<std::string>>();
}

}  // namespace verdict::kv
