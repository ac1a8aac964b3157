// One declaration per value type: list the fields once and the rest follows.
//
//   struct Vote {
//     Term term = 0;
//     bool granted = false;
//     VERDICT_VALUE(Vote, term, granted)
//   };
//
// gives Vote `fields()` (a tuple of references, const and not), `==` and
// `<=>` over those fields in that order, the stable hash of
// simulator/hashing.hpp (fields hashed in that order) and JSON as an object
// keyed by the field names. VERDICT_FIELDS(Type, ...) is the same without
// the JSON, for a type that keeps a JSON form of its own (e.g. a wire format
// users already have).
//
// Everything generic over values walks `fields()`: hashing, the BFS frontier
// codec (checkers/state_codec.hpp, through hash()) and the renaming of node
// ids under symmetry (simulator/symmetry.hpp). A member left out of the list
// is invisible to all of them at once, so two states that differ only in it
// compare equal as well as hash equal: the list is the value.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"

namespace verdict::value_detail {

// The number of comma-separated names in a stringified field list.
constexpr std::size_t count_names(std::string_view list) {
  std::size_t n = 1;
  for (char c : list)
    if (c == ',') ++n;
  return n;
}

constexpr bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

// "a, b,c" -> {"a", "b", "c"}
template <std::size_t N>
constexpr std::array<std::string_view, N> split_names(std::string_view list) {
  std::array<std::string_view, N> names{};
  std::size_t start = 0;
  for (std::size_t i = 0; i < N; ++i) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::size_t b = start, e = end;
    while (b < e && is_space(list[b])) ++b;
    while (e > b && is_space(list[e - 1])) --e;
    names[i] = list.substr(b, e - b);
    start = end + 1;
  }
  return names;
}

template <class H, class Tuple>
void hash_fields(H& h, const Tuple& fields) {
  std::apply([&h](const auto&... field) { h(field...); }, fields);
}

template <class Tuple, std::size_t N>
void fields_to_json(nlohmann::json& j, const Tuple& fields,
                    const std::array<std::string_view, N>& names) {
  j = nlohmann::json::object();
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((j[std::string(names[I])] = std::get<I>(fields)), ...);
  }
  (std::make_index_sequence<N>{});
}

// One field, read strictly (simulator/json_support.hpp: no wrapped or
// truncated integers); an error names the field.
template <class T>
T read_field(const nlohmann::json& j, std::string_view name) {
  const std::string key(name);
  if (!j.is_object()) throw std::invalid_argument("expected an object, not " + j.dump());
  auto it = j.find(key);
  if (it == j.end()) throw std::invalid_argument("missing field \"" + key + "\"");
  try {
    return checked_get<T>(*it);
  } catch (const std::exception& e) {
    throw std::invalid_argument("field \"" + key + "\": " + e.what());
  }
}

// Every field must be present: a value read back with a field silently
// defaulted would be a different value.
template <class Tuple, std::size_t N>
void fields_from_json(const nlohmann::json& j, Tuple fields,
                      const std::array<std::string_view, N>& names) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((std::get<I>(fields) =
          read_field<std::remove_cvref_t<decltype(std::get<I>(fields))>>(j, names[I])),
     ...);
  }
  (std::make_index_sequence<N>{});
}

}  // namespace verdict::value_detail

#define VERDICT_FIELDS(Type, ...)                                                     \
  auto fields() const {                                                               \
    return std::tie(__VA_ARGS__);                                                     \
  }                                                                                   \
  auto fields() {                                                                     \
    return std::tie(__VA_ARGS__);                                                     \
  }                                                                                   \
  static constexpr auto field_names() {                                               \
    return ::verdict::value_detail::split_names<::verdict::value_detail::count_names( \
        #__VA_ARGS__)>(#__VA_ARGS__);                                                 \
  }                                                                                   \
  template <class H>                                                                  \
  void hash(H& h) const {                                                             \
    ::verdict::value_detail::hash_fields(h, fields());                                \
  }                                                                                   \
  friend bool operator==(const Type& a, const Type& b) {                              \
    return a.fields() == b.fields();                                                  \
  }                                                                                   \
  friend auto operator<=>(const Type& a, const Type& b) {                             \
    return a.fields() <=> b.fields();                                                 \
  }

#define VERDICT_VALUE(Type, ...)                                                   \
  VERDICT_FIELDS(Type, __VA_ARGS__)                                                \
  friend void to_json(::nlohmann::json& j, const Type& v) {                        \
    ::verdict::value_detail::fields_to_json(j, v.fields(), Type::field_names());   \
  }                                                                                \
  friend void from_json(const ::nlohmann::json& j, Type& v) {                      \
    ::verdict::value_detail::fields_from_json(j, v.fields(), Type::field_names()); \
  }
