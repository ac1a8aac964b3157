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

// The transformers, as bits of TransformChains::transformers.
namespace transformer {
inline constexpr unsigned ghost = 1U << 0;
inline constexpr unsigned seqnum = 1U << 1;
inline constexpr unsigned retransmit = 1U << 2;
inline constexpr unsigned primary_backup = 1U << 3;
inline constexpr unsigned every = ghost | seqnum | retransmit | primary_backup;
}  // namespace transformer

// Which `--transform` chains a model is compiled with: at most `depth`
// transformers stacked, each one of `transformers`. Every chain is a System
// type of its own, compiled with its steps, hash and JSON (its search goes
// through DynModel: app/system_check.hpp), so a model asks only for what its
// users run. A plain number N means N deep, any transformer.
struct TransformChains {
  std::size_t depth = 0;
  unsigned transformers = transformer::every;
  constexpr TransformChains(std::size_t d = 0, unsigned t = transformer::every)  // NOLINT
      : depth(d), transformers(t) {}
  constexpr bool allows(unsigned t) const { return (transformers & t) != 0; }
};

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

[[noreturn]] inline void not_compiled_in(const std::string& name) {
  throw UsageError(
      fmt::format("this model is built without the {} transformer (a model registered with "
                  "system_entry<TransformChains{{depth, transformers}}> takes only those)",
                  name));
}

// One link of a chain: S wrapped in W (whose class template is Last: GhostSteps
// is an alias of GhostVariables), handed to `next` for the rest of the chain,
// unless the model did not compile W in or W wrapped S last. A refused link
// is never instantiated. R: what the chain's callback returns.
template <class R, TransformChains Chains, unsigned Bit, template <class...> class W,
          template <class...> class Last = W, class S, class Next>
R wrap_once(const std::string& name, S& system, Next& next) {
  if constexpr (!Chains.allows(Bit))
    not_compiled_in(name);
  else if constexpr (kWrappedBy<S, Last>)
    twice_in_a_row(name);
  else
    return next(W<S>{std::move(system)});
}

// Chains: the chains compiled (a model with a heavy System, raft-kv, asks for
// few to keep the number of instantiated types small).
template <TransformChains Chains = TransformChains{kMaxTransformDepth}, std::size_t Depth = 0,
          System S, class Callback>
auto with_transforms(S system, std::span<const std::string> names, Callback&& callback) {
  if (names.empty()) return callback(std::move(system));
  if constexpr (Depth >= Chains.depth) {
    throw UsageError(
        Chains.depth == 0
            ? std::string("this model is built without transformers (a model "
                          "registered with system_entry<N> takes chains N deep)")
            : fmt::format("at most {} transformers can be stacked here", Chains.depth));
    return callback(std::move(system));  // not reached; fixes the return type
  } else {
    const std::string& name = names.front();
    auto rest = names.subspan(1);
    auto next = [&](auto wrapped) {
      return with_transforms<Chains, Depth + 1>(std::move(wrapped), rest, callback);
    };
    using R = std::invoke_result_t<Callback, S>;
    if (name == "ghost")
      return wrap_once<R, Chains, transformer::ghost, GhostSteps, GhostVariables>(name, system,
                                                                                  next);
    if (name == "raft")
      throw UsageError(
          "raft applies first, to a one-node state machine with a replicated model of its own "
          "(kv --transform raft is raft-kv)");
    if constexpr (kSendsMessages<S>) {
      if (name == "seqnum")
        return wrap_once<R, Chains, transformer::seqnum, SeqNum>(name, system, next);
      if (name == "retransmit")
        return wrap_once<R, Chains, transformer::retransmit, Retransmit>(name, system, next);
      if (name == "primary-backup")
        throw UsageError(
            "primary-backup replicates a one-node system (a state machine such as kv)");
    } else {
      if (name == "primary-backup")
        return wrap_once<R, Chains, transformer::primary_backup, PrimaryBackup>(name, system, next);
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
