// Transformers as a command-line notion: `--transform seqnum,retransmit`
// wraps a System in each named transformer, innermost first, and hands the
// result to a generic callback (which builds the Model and searches it).
// Each transformer is a class template from System to System; the chain is
// resolved at compile time up to kMaxTransformDepth deep, so the search runs
// on concrete types.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "models/registry.hpp"
#include "models/transformers/seqnum.hpp"

namespace verdict {

inline constexpr std::size_t kMaxTransformDepth = 2;

template <std::size_t Depth = 0, System S, class Callback>
auto with_transforms(S system, std::span<const std::string> names, Callback&& callback) {
  if (names.empty()) return callback(std::move(system));
  if constexpr (Depth >= kMaxTransformDepth) {
    throw UsageError(fmt::format("at most {} transformers can be stacked", kMaxTransformDepth));
    return callback(std::move(system));  // not reached; fixes the return type
  } else {
    const std::string& name = names.front();
    auto rest = names.subspan(1);
    if (name == "seqnum")
      return with_transforms<Depth + 1>(SeqNum<S>{std::move(system)}, rest, callback);
    std::vector<std::string> known;
    for (const auto& t : builtin_transformers()) known.push_back(t.name);
    throw UsageError(fmt::format("unknown transformer \"{}\"; known transformers: {}", name,
                                 fmt::join(known, ", ")));
  }
}

}  // namespace verdict
