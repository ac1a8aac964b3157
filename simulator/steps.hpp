// The semantics as a whole: the list of rules (Rules), the Label of any of
// them, the steps enabled in a world (in the fixed StepKind order, rule by
// rule), applying a label by handing it to the rule it names, and labels in
// JSON and text. This is the one place that knows the set of rules.
#pragma once

#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "simulator/labels.hpp"
#include "simulator/rules/crash.hpp"
#include "simulator/rules/deliver.hpp"
#include "simulator/rules/drop.hpp"
#include "simulator/rules/duplicate.hpp"
#include "simulator/rules/heal.hpp"
#include "simulator/rules/input.hpp"
#include "simulator/rules/partition.hpp"
#include "simulator/rules/reboot.hpp"
#include "simulator/rules/timeout.hpp"

namespace verdict {

template <class... R>
struct RuleList {};

// The semantics' step relations, in StepKind order (label.index() is its
// StepKind). A rule is a file in simulator/rules/ — its Label type, `kind`,
// enabled(), apply(), and its label's write/read/text — and a line here
// (and its StepKind). Everything below reads this list.
template <System S>
using Rules = RuleList<rules::Input<S>, rules::Deliver<S>, rules::Timeout<S>, rules::Drop<S>,
                       rules::Duplicate<S>, rules::Crash<S>, rules::Reboot<S>, rules::Partition<S>,
                       rules::Heal<S>>;

namespace steps_detail {
template <class List>
struct LabelsOf;
template <class... R>
struct LabelsOf<RuleList<R...>> {
  using type = std::variant<typename R::Label...>;
  static constexpr bool in_kind_order() {
    std::size_t i = 0;
    return sizeof...(R) == kStepKinds && ((static_cast<std::size_t>(R::kind) == i++) && ...);
  }
};

// The I-th rule of a list.
template <std::size_t I, class List>
struct RuleAt;
template <std::size_t I, class... R>
struct RuleAt<I, RuleList<R...>> {
  using type = std::tuple_element_t<I, std::tuple<R...>>;
};

// The position in a list of the rule whose Label is T.
template <class T, class... R>
constexpr std::size_t rule_index_of(RuleList<R...>) {
  std::size_t i = 0, at = sizeof...(R);
  ((std::is_same_v<T, typename R::Label> ? at = i : at, ++i), ...);
  return at;
}

// f.template operator()<R>() for every rule R, in order.
template <class... R, class F>
void each_rule(RuleList<R...>, F&& f) {
  (f.template operator()<R>(), ...);
}
}  // namespace steps_detail

// Any step of any rule.
template <class S>
using Label = typename steps_detail::LabelsOf<Rules<S>>::type;

namespace steps_detail {
// The label of the rule whose kind is `kind`, trying the rules from the I-th
// (the last one's if none before it matches: the list has one rule per
// StepKind, in order).
template <class S, std::size_t I = 0>
Label<S> read_label(StepKind kind, const nlohmann::json& j) {
  using R = typename RuleAt<I, Rules<S>>::type;
  if constexpr (I + 1 == kStepKinds)
    return R::read(j);
  else
    return R::kind == kind ? Label<S>(R::read(j)) : read_label<S, I + 1>(kind, j);
}

// f.template operator()<R>(step) for the label's step and the rule R it
// belongs to (one std::visit: a jump, not a walk down the list).
template <class S, class F>
decltype(auto) with_rule(const Label<S>& label, F&& f) {
  return std::visit(
      [&](const auto& step) -> decltype(auto) {
        using T = std::decay_t<decltype(step)>;
        using R = typename RuleAt<rule_index_of<T>(Rules<S>{}), Rules<S>>::type;
        return f.template operator()<R>(step);
      },
      label);
}
}  // namespace steps_detail

template <class S>
StepKind kind_of(const Label<S>& label) {
  static_assert(steps_detail::LabelsOf<Rules<S>>::in_kind_order(),
                "Rules must list one rule per StepKind, in StepKind order");
  return static_cast<StepKind>(label.index());
}

template <System S>
void enabled_steps(const StepContext<S>& ctx, const World<S>& w, std::vector<Label<S>>& out) {
  steps_detail::each_rule(Rules<S>{}, [&]<class R>() {
    if (ctx.semantics.allows(R::kind)) R::enabled(ctx, w, out);
  });
}

// Applies `label` to `w`. Only when the result is `applied` does `w` hold the
// successor; otherwise it is left part-way and the caller throws it away.
template <System S>
StepResult apply_step(const StepContext<S>& ctx, World<S>& w,
                      const std::type_identity_t<Label<S>>& label) {
  if (!ctx.semantics.allows(kind_of<S>(label))) return StepResult::not_enabled;
  return steps_detail::with_rule<S>(
      label, [&]<class R>(const typename R::Label& step) { return R::apply(ctx, w, step); });
}

template <class S>
nlohmann::json label_to_json(const Label<S>& label) {
  nlohmann::json j;
  j["step"] = std::string(to_string(kind_of<S>(label)));
  steps_detail::with_rule<S>(label,
                             [&]<class R>(const typename R::Label& step) { R::write(step, j); });
  return j;
}

// A label from a trace file; a LabelError names the field that is wrong.
template <class S>
Label<S> label_from_json(const nlohmann::json& j) {
  const auto& step_field = detail::label_field(j, "step");
  if (!step_field.is_string()) throw LabelError("field \"step\" must be a string");
  auto kind = step_kind_from_string(step_field.get<std::string>());
  if (!kind) throw LabelError(fmt::format("unknown step \"{}\"", step_field.get<std::string>()));
  return steps_detail::read_label<S>(*kind, j);
}

// A one-line description for people: "deliver n1->n2 {...}", "crash n0".
template <class S>
std::string label_text(const Label<S>& label) {
  return steps_detail::with_rule<S>(
      label, []<class R>(const typename R::Label& step) { return R::text(step); });
}

// The initial world: every node up, its state from init, whose effects
// (initial sends and timers) are already applied.
template <System S>
World<S> initial_world(const StepContext<S>& ctx) {
  World<S> w;
  const std::size_t n = ctx.system.node_count();
  w.states.reserve(n);
  w.clients.resize(ctx.workload.clients.size());
  std::vector<Effects<S>> effects(n);
  for (NodeId node = 0; node < n; ++node) {
    w.states.push_back(ctx.system.init(node, effects[node]));
    w.set_up(node, true);
  }
  for (NodeId node = 0; node < n; ++node)
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, node, effects[node]);
  return w;
}

}  // namespace verdict
