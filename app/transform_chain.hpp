// Transformers as a command-line notion: `--transform seqnum,retransmit`
// wraps a System in each named transformer, innermost first, and hands the
// result to a generic callback (which builds the Model and searches it).
// Each transformer is a class template from System to System; the chain is
// resolved at compile time up to kMaxTransformDepth deep, so the search runs
// on concrete types.
#pragma once

#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/registry.hpp"
#include "models/transformers/ghost.hpp"
#include "models/transformers/primary_backup.hpp"
#include "models/transformers/retransmit.hpp"
#include "models/transformers/seqnum.hpp"

namespace verdict {

inline constexpr std::size_t kMaxTransformDepth = 2;

// Whether S exchanges messages: a one-node system (Msg = Nothing) has nothing
// to number or resend, and only a one-node system has a primary to back up.
template <class S>
inline constexpr bool kSendsMessages = !std::is_same_v<typename S::Msg, Nothing>;

// Whether S is T<Inner> (or T<Inner, X>) for some Inner: the transformer
// that wrapped it last.
template <class S, template <class...> class T>
inline constexpr bool kWrappedBy = false;
template <template <class...> class T, class... Args>
inline constexpr bool kWrappedBy<T<Args...>, T> = true;

// The same transformer twice in a row adds nothing: a second seqnum numbers
// messages that are already unique, a second retransmit resends what the
// first already resends, a second ghost counts the same steps. Refusing it
// also keeps those types out of the build (every chain is compiled).
[[noreturn]] inline void twice_in_a_row(const std::string& name) {
  throw UsageError(fmt::format("{} twice in a row adds nothing; name it once", name));
}

// MaxDepth: how many transformers may be stacked; a model with a heavy System
// (raft-kv) lowers it to keep the number of instantiated chains small.
template <std::size_t MaxDepth = kMaxTransformDepth, std::size_t Depth = 0, System S,
          class Callback>
auto with_transforms(S system, std::span<const std::string> names, Callback&& callback) {
  if (names.empty()) return callback(std::move(system));
  if constexpr (Depth >= MaxDepth) {
    throw UsageError(MaxDepth == 0
                         ? std::string("this model is built without transformers (a model "
                                       "registered with system_entry<N> takes chains N deep)")
                         : fmt::format("at most {} transformers can be stacked here", MaxDepth));
    return callback(std::move(system));  // not reached; fixes the return type
  } else {
    const std::string& name = names.front();
    auto rest = names.subspan(1);
    auto next = [&](auto wrapped) {
      return with_transforms<MaxDepth, Depth + 1>(std::move(wrapped), rest, callback);
    };
    if (name == "ghost") {
      if constexpr (kWrappedBy<S, GhostVariables>)
        twice_in_a_row(name);
      else
        return next(GhostSteps<S>{std::move(system)});
    }
    if (name == "raft")
      throw UsageError(
          "raft applies first, to a one-node state machine with a replicated model of its own "
          "(kv --transform raft is raft-kv)");
    if constexpr (kSendsMessages<S>) {
      if (name == "seqnum") {
        if constexpr (kWrappedBy<S, SeqNum>)
          twice_in_a_row(name);
        else
          return next(SeqNum<S>{std::move(system)});
      }
      if (name == "retransmit") {
        if constexpr (kWrappedBy<S, Retransmit>)
          twice_in_a_row(name);
        else
          return next(Retransmit<S>{std::move(system)});
      }
      if (name == "primary-backup")
        throw UsageError(
            "primary-backup replicates a one-node system (a state machine such as kv)");
    } else {
      if (name == "primary-backup") return next(PrimaryBackup<S>{std::move(system)});
      if (name == "seqnum" || name == "retransmit")
        throw UsageError(fmt::format("{} needs a system whose nodes exchange messages", name));
    }
    std::vector<std::string> known;
    for (const auto& t : builtin_transformers()) known.push_back(t.name);
    throw UsageError(fmt::format("unknown transformer \"{}\"; known transformers: {}", name,
                                 fmt::join(known, ", ")));
  }
}

}  // namespace verdict
