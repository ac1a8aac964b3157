// check_system<S>(): the System concept (system.hpp) spelled out one
// requirement at a time, so that a System missing a type, a handler, a hash
// or a JSON conversion fails to compile with a message that names what is
// missing, instead of a page of concept diagnostics. SystemModel and
// system_entry() assert it first:
//
//   static_assert(verdict::check_system<MySystem>());
//
// It returns System<S>, so a requirement the checks below miss still fails.
#pragma once

#include <concepts>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include "simulator/system.hpp"

namespace verdict {

namespace detail {

// Whether Hasher (hashing.hpp) can hash a T: the same cases in the same
// order. Hasher's own fallback is a static_assert deep inside a hash call;
// this lets check_system name the type instead.
template <class T>
constexpr bool stable_hashable() {
  if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    return true;
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return true;
  } else if constexpr (requires(const T& v, Hasher& h) { v.hash(h); }) {
    return true;
  } else if constexpr (requires(const T& v) {
                         v.has_value();
                         *v;
                       }) {
    return stable_hashable<std::remove_cvref_t<decltype(*std::declval<const T&>())>>();
  } else if constexpr (
      requires { std::tuple_size<T>::value; } && !requires(const T& v) { v.begin(); }) {
    return []<std::size_t... I>(std::index_sequence<I...>) {
      return (stable_hashable<std::remove_cvref_t<std::tuple_element_t<I, T>>>() && ...);
    }
    (std::make_index_sequence<std::tuple_size_v<T>>());
  } else if constexpr (requires(const T& v) {
                         v.index();
                         std::variant_size<T>::value;
                       }) {
    return []<std::size_t... I>(std::index_sequence<I...>) {
      return (stable_hashable<std::variant_alternative_t<I, T>>() && ...);
    }
    (std::make_index_sequence<std::variant_size_v<T>>());
  } else if constexpr (requires(const T& v) {
                         v.begin();
                         v.end();
                         v.size();
                       }) {
    return stable_hashable<std::remove_cvref_t<decltype(*std::declval<const T&>().begin())>>();
  } else {
    return false;
  }
}

template <class T>
constexpr bool to_jsonable = requires(const T& v) {
  nlohmann::json(v);
};
template <class T>
constexpr bool from_jsonable = requires(const nlohmann::json& j) {
  { j.get<T>() } -> std::same_as<T>;
};

// One value type of a System; the compiler's "required from here" names it.
template <class T>
constexpr bool check_value() {
  static_assert(std::copyable<T>,
                "verdict: a System's State, Msg, Input, Output and Timer must "
                "be copyable values");
  static_assert(std::totally_ordered<T>,
                "verdict: a System's State, Msg, Input, Output and Timer must be ordered: add "
                "`auto operator<=>(const T&) const = default;` (it gives == too)");
  static_assert(stable_hashable<T>(),
                "verdict: a System's State, Msg, Input, Output and Timer need a stable hash: add "
                "`template <class H> void hash(H& h) const { h(field1, field2, ...); }` "
                "(see simulator/hashing.hpp)");
  static_assert(to_jsonable<T> && from_jsonable<T>,
                "verdict: a System's State, Msg, Input, Output and Timer must convert to and from "
                "JSON: declare the fields with VERDICT_VALUE(T, fields...) (simulator/value.hpp), "
                "add to_json/from_json next to the type, or "
                "VERDICT_JSON_ENUM for an enum");
  return true;
}

}  // namespace detail

template <class S>
constexpr bool check_system() {
  constexpr bool has_types = requires {
    typename S::State;
    typename S::Msg;
    typename S::Input;
    typename S::Output;
    typename S::Timer;
  };
  static_assert(
      requires { typename S::State; }, "verdict: the System has no `using State = ...;`");
  static_assert(
      requires { typename S::Msg; }, "verdict: the System has no `using Msg = ...;`");
  static_assert(
      requires { typename S::Input; }, "verdict: the System has no `using Input = ...;`");
  static_assert(
      requires { typename S::Output; }, "verdict: the System has no `using Output = ...;`");
  static_assert(
      requires { typename S::Timer; },
      "verdict: the System has no `using Timer = ...;` (no timers: "
      "`using Timer = verdict::Nothing;`)");
  if constexpr (has_types) {
    using State = typename S::State;
    using Msg = typename S::Msg;
    using Input = typename S::Input;
    using Timer = typename S::Timer;
    detail::check_value<State>();
    detail::check_value<Msg>();
    detail::check_value<Input>();
    detail::check_value<typename S::Output>();
    detail::check_value<Timer>();
    static_assert(
        requires(const S& sys) {
          { sys.node_count() } -> std::convertible_to<std::size_t>;
        },
        "verdict: the System has no `std::size_t node_count() const`");
    static_assert(
        requires(const S& sys, NodeId n, Effects<S>& fx) {
          { sys.init(n, fx) } -> std::same_as<State>;
        },
        "verdict: the System has no handler `State init(NodeId, Effects<S>&) const`");
    static_assert(
        requires(const S& sys, NodeId n, State& s, const Input& in, Effects<S>& fx) {
          sys.on_input(n, s, in, fx);
        },
        "verdict: the System has no handler "
        "`void on_input(NodeId, State&, const Input&, Effects<S>&) const`");
    static_assert(
        requires(const S& sys, NodeId n, State& s, const Msg& m, Effects<S>& fx) {
          sys.on_message(n, s, n, m, fx);
        },
        "verdict: the System has no handler "
        "`void on_message(NodeId, State&, NodeId from, const Msg&, Effects<S>&) const`");
    static_assert(
        requires(const S& sys, NodeId n, State& s, const Timer& t, Effects<S>& fx) {
          sys.on_timeout(n, s, t, fx);
        },
        "verdict: the System has no handler "
        "`void on_timeout(NodeId, State&, const Timer&, Effects<S>&) const` (no timers: an "
        "empty one)");
    static_assert(
        requires(const S& sys, NodeId n, State& s, Effects<S>& fx) { sys.on_reboot(n, s, fx); },
        "verdict: the System has no handler "
        "`void on_reboot(NodeId, State&, Effects<S>&) const` (what survives a crash)");
    return System<S>;
  } else {
    return false;
  }
}

}  // namespace verdict
