#include "checkers/linearizability/specs.hpp"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

namespace verdict::lincheck {

namespace {

std::string value_text(RegisterSpec::Value v) {
  return v == RegisterSpec::kNil ? "nil" : std::to_string(v);
}

std::string quoted(const std::optional<std::string>& s) {
  return s ? fmt::format("\"{}\"", *s) : "nil";
}

}  // namespace

std::pair<RegisterSpec::State, RegisterSpec::Output> RegisterSpec::apply(State state,
                                                                         const Input& input) const {
  switch (input.kind) {
    case Kind::read:
      return {state, read_ok(state)};
    case Kind::write:
      return {input.value, write_ok()};
    case Kind::cas:
      if (state == input.value) return {input.new_value, cas_ok(true)};
      return {state, cas_ok(false)};
  }
  return {state, {}};
}

std::string RegisterSpec::describe(const Input& input) const {
  switch (input.kind) {
    case Kind::read:
      return "read()";
    case Kind::write:
      return fmt::format("write({})", value_text(input.value));
    case Kind::cas:
      return fmt::format("cas({}, {})", value_text(input.value), value_text(input.new_value));
  }
  return "?";
}

std::string RegisterSpec::describe(const Output& output) const {
  switch (output.kind) {
    case Kind::read:
      return value_text(output.value);
    case Kind::write:
      return "ok";
    case Kind::cas:
      return output.ok ? "ok" : "fail";
  }
  return "?";
}

std::string RegisterSpec::describe_state(State state) const {
  return value_text(state);
}

std::pair<KvSpec::State, KvSpec::Output> KvSpec::apply(const State& state,
                                                       const Input& input) const {
  switch (input.kind) {
    case Kind::get: {
      const Text* current = state.find(input.key);
      return {state, Output{Kind::get, current ? current->str() : std::string()}};
    }
    case Kind::put: {
      State next = state;
      next.set(input.key, input.value);
      return {std::move(next), Output{Kind::put, {}}};
    }
    case Kind::append: {
      State next = state;
      next.append(input.key, input.value);
      return {std::move(next), Output{Kind::append, {}}};
    }
  }
  return {state, Output{}};
}

bool KvSpec::answers(const State& state, const Input& input, const Output& output) const {
  if (input.kind != Kind::get || output.kind != Kind::get)
    return apply(state, input).second == output;
  const Text* current = state.find(input.key);
  return current ? *current == output.value : output.value.empty();
}

std::string KvSpec::describe(const Input& input) const {
  switch (input.kind) {
    case Kind::get:
      return fmt::format("get(\"{}\")", input.key);
    case Kind::put:
      return fmt::format("put(\"{}\", \"{}\")", input.key, input.value);
    case Kind::append:
      return fmt::format("append(\"{}\", \"{}\")", input.key, input.value);
  }
  return "?";
}

std::string KvSpec::describe(const Output& output) const {
  if (output.kind != Kind::get) return "ok";
  return fmt::format("\"{}\"", output.value);
}

bool VardSpec::answers(const State& state, const Input& input, const Output& output) const {
  if (input.kind != Kind::get) return apply(state, input).second == output;
  const Text* found = state.find(input.key);
  auto holds_found = [&](const std::optional<std::string>& v) {
    return found ? v && *found == *v : !v;
  };
  return output.key == input.key && holds_found(output.after) && holds_found(output.before);
}

std::pair<VardSpec::State, VardSpec::Output> VardSpec::apply(const State& state,
                                                             const Input& input) const {
  const Text* found = state.find(input.key);
  std::optional<std::string> before;
  if (found) before = found->str();
  auto unchanged = [&] { return std::pair{state, Output{input.key, before, before}}; };
  switch (input.kind) {
    case Kind::get:
      return unchanged();
    case Kind::put: {
      State next = state;
      next.set(input.key, input.value);
      return {std::move(next), Output{input.key, input.value, before}};
    }
    case Kind::del: {
      State next = state;
      next.erase(input.key);
      return {std::move(next), Output{input.key, std::nullopt, before}};
    }
    case Kind::cas: {
      if (before != input.expected) return unchanged();
      State next = state;
      next.set(input.key, input.value);
      return {std::move(next), Output{input.key, input.value, before}};
    }
    case Kind::cad: {
      if (before != input.value) return unchanged();
      State next = state;
      next.erase(input.key);
      return {std::move(next), Output{input.key, std::nullopt, before}};
    }
  }
  return unchanged();
}

std::string VardSpec::describe(const Input& input) const {
  switch (input.kind) {
    case Kind::get:
      return fmt::format("Get(\"{}\")", input.key);
    case Kind::put:
      return fmt::format("Put(\"{}\", \"{}\")", input.key, input.value);
    case Kind::del:
      return fmt::format("Del(\"{}\")", input.key);
    case Kind::cas:
      return fmt::format("CAS(\"{}\", {}, \"{}\")", input.key, quoted(input.expected), input.value);
    case Kind::cad:
      return fmt::format("CAD(\"{}\", \"{}\")", input.key, input.value);
  }
  return "?";
}

std::string VardSpec::describe(const Output& output) const {
  return fmt::format("Response(\"{}\", {}, {})", output.key, quoted(output.after),
                     quoted(output.before));
}

}  // namespace verdict::lincheck
