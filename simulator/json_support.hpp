// JSON helpers for values read back from files (traces, reports): std::optional
// (null when empty), which nlohmann_json 3.11 lacks; reads that refuse what
// nlohmann would silently bend (a float or an out-of-range number read into
// an integer field wraps or truncates); and VERDICT_JSON_ENUM, an enum's
// names, which refuses an unknown name where NLOHMANN_JSON_SERIALIZE_ENUM
// reads it as the first value.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

namespace nlohmann {

template <class T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& value) {
    if (value)
      j = *value;
    else
      j = nullptr;
  }
  static void from_json(const json& j, std::optional<T>& value) {
    if (j.is_null())
      value.reset();
    else
      value = j.get<T>();
  }
};

}  // namespace nlohmann

namespace verdict {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// j as a T, refusing a bool or an integer that does not fit exactly (no
// wrapping, no truncation of 1.9 to 1); other types as nlohmann reads them.
template <class T>
T checked_get(const nlohmann::json& j) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) throw std::invalid_argument("expected true or false, not " + j.dump());
    return j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    bool fits = false;
    if (j.is_number_unsigned()) {
      fits = j.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    } else if (j.is_number_integer()) {
      const auto v = j.get<std::int64_t>();
      fits = std::is_signed_v<T>
                 ? v >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                       v <= static_cast<std::int64_t>(std::numeric_limits<T>::max())
                 : v >= 0 && static_cast<std::uint64_t>(v) <=
                                 static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    }
    if (!fits)
      throw std::out_of_range("expected an integer from " +
                              std::to_string(std::numeric_limits<T>::min()) + " to " +
                              std::to_string(std::numeric_limits<T>::max()) + ", not " + j.dump());
    return j.get<T>();
  } else if constexpr (is_optional<T>::value) {
    if (j.is_null()) return std::nullopt;
    return checked_get<typename T::value_type>(j);
  } else {
    return j.get<T>();
  }
}

}  // namespace verdict

// JSON names of an enum's values, both ways; an unknown name or a non-string
// is an error naming the enum and the names it has:
//   VERDICT_JSON_ENUM(Role, {{Role::follower, "follower"}, {Role::leader, "leader"}})
#define VERDICT_JSON_ENUM(ENUM_TYPE, ...)                                                          \
  inline void to_json(nlohmann::json& j, const ENUM_TYPE& e) {                                     \
    static const std::pair<ENUM_TYPE, const char*> names[] = __VA_ARGS__;                          \
    for (const auto& [value, name] : names)                                                        \
      if (value == e) {                                                                            \
        j = name;                                                                                  \
        return;                                                                                    \
      }                                                                                            \
    throw std::invalid_argument("a " #ENUM_TYPE " value without a name");                          \
  }                                                                                                \
  inline void from_json(const nlohmann::json& j, ENUM_TYPE& e) {                                   \
    static const std::pair<ENUM_TYPE, const char*> names[] = __VA_ARGS__;                          \
    std::string known;                                                                             \
    for (const auto& [value, name] : names) {                                                      \
      if (j.is_string() && j.get_ref<const std::string&>() == name) {                              \
        e = value;                                                                                 \
        return;                                                                                    \
      }                                                                                            \
      known += std::string(known.empty() ? "" : ", ") + name;                                      \
    }                                                                                              \
    throw std::invalid_argument("unknown " #ENUM_TYPE " " + j.dump() + " (known: " + known + ")"); \
  }
