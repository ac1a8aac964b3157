#include "traces/replay.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace verdict {

namespace {

const char* verdict_name(ReplayVerdict v) {
  switch (v) {
    case ReplayVerdict::reproduced:
      return "reproduced";
    case ReplayVerdict::violated:
      return "violated";
    case ReplayVerdict::no_violation:
      return "no_violation";
    case ReplayVerdict::diverged:
      return "diverged";
    case ReplayVerdict::bad_input:
      return "bad_input";
  }
  return "?";
}

// Names what differs between the recorded and the replayed effect of a step.
std::string describe_difference(const nlohmann::json& recorded, const nlohmann::json& replayed) {
  if (recorded.is_null()) return "the recorded step does not say what it changed";
  const nlohmann::json old_nodes = recorded.value("nodes", nlohmann::json::object());
  const nlohmann::json new_nodes = replayed.value("nodes", nlohmann::json::object());
  for (const auto& [node, state] : new_nodes.items()) {
    if (!old_nodes.contains(node))
      return fmt::format("node {} changed state to {}; the recording has it unchanged", node,
                         state.dump());
    if (old_nodes[node] != state)
      return fmt::format("node {}'s state: recorded {}, replayed {}", node, old_nodes[node].dump(),
                         state.dump());
  }
  for (const auto& [node, state] : old_nodes.items())
    if (!new_nodes.contains(node))
      return fmt::format("node {} was recorded changing to {}; on replay it did not change", node,
                         state.dump());
  for (const char* field : {"sent", "outputs", "down"})
    if (recorded.value(field, nlohmann::json()) != replayed.value(field, nlohmann::json()))
      return fmt::format("{}: recorded {}, replayed {}", field,
                         recorded.value(field, nlohmann::json()).dump(),
                         replayed.value(field, nlohmann::json()).dump());
  return "the world differs outside the node states this step changed";
}

std::string narrate(std::size_t i, const StepRecord& step) {
  std::string line = fmt::format("{:>4}. {}", i, step.text);
  if (step.touched.is_object()) {
    const nlohmann::json nodes = step.touched.value("nodes", nlohmann::json::object());
    for (const auto& [node, state] : nodes.items())
      line += fmt::format("\n        n{} := {}", node, state.dump());
    for (const auto& p : step.touched.value("sent", nlohmann::json::array()))
      line += fmt::format("\n        sends n{}->n{} {}", p.value("from", 0), p.value("to", 0),
                          p.value("msg", nlohmann::json()).dump());
    for (const auto& o : step.touched.value("outputs", nlohmann::json::array()))
      line += fmt::format("\n        n{} outputs {}", o.value("node", 0),
                          o.value("output", nlohmann::json()).dump());
  }
  if (!step.violated.empty())
    line += fmt::format("\n        VIOLATED: {}", fmt::join(step.violated, ", "));
  return line;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string lasso_problem(const TraceFile& trace, const AnyModel& model, const RunRecord& run) {
  const std::size_t cycle = trace.cycle_steps.value_or(0);
  if (run.stuck_at || run.steps.size() != trace.steps.size())
    return "the lasso's steps cannot all be taken";
  const std::size_t stem = run.steps.size() - cycle;
  auto fingerprint = [&](std::size_t i) {
    return i == 0 ? run.initial_fingerprint : run.steps[i - 1].fingerprint;
  };
  if (fingerprint(stem) != fingerprint(run.steps.size()))
    return fmt::format("the cycle ends in a world with fingerprint {}, not where it began ({})",
                       fingerprint(run.steps.size()), fingerprint(stem));
  const auto names = model.liveness_names();
  const auto at = std::find(names.begin(), names.end(), trace.property);
  if (at == names.end())
    return fmt::format("{} is not a liveness property of this model", trace.property);
  const auto p = static_cast<std::size_t>(at - names.begin());
  auto mark = [&](std::size_t i) {
    const std::string& marks = i == 0 ? run.initial_liveness : run.steps[i - 1].liveness;
    return p < marks.size() ? marks[p] : '-';
  };
  // The goal must fail from the last trigger of the stem to the end.
  std::optional<std::size_t> from;
  for (std::size_t i = 0; i <= stem; ++i)
    if (LivenessMarks::trigger(mark(i))) from = i;
  if (!from) return fmt::format("the trigger of {} never holds in the stem", trace.property);
  for (std::size_t i = *from; i <= run.steps.size(); ++i)
    if (LivenessMarks::goal(mark(i)))
      return fmt::format("the goal of {} holds after step {}", trace.property, i);
  return "";
}

nlohmann::json ReplayOutcome::to_json() const {
  nlohmann::json j{{"verdict", verdict_name(verdict)}, {"summary", summary}};
  j["step"] = step ? nlohmann::json(*step) : nlohmann::json(nullptr);
  if (!difference.empty()) j["difference"] = difference;
  j["initial_fingerprint"] = initial_fingerprint;
  j["steps"] = steps;
  return j;
}

int ReplayOutcome::exit_code() const {
  switch (verdict) {
    case ReplayVerdict::reproduced:
    case ReplayVerdict::violated:
      return 1;
    case ReplayVerdict::no_violation:
      return 0;
    case ReplayVerdict::diverged:
      return 3;
    case ReplayVerdict::bad_input:
      return 2;
  }
  return 2;
}

ReplayOutcome replay_trace(const TraceFile& trace, const AnyModel& model) {
  std::vector<nlohmann::json> labels;
  for (const auto& s : trace.steps) labels.push_back(s.label);
  RunRecord run = model.run(trace.init_index, labels, false);
  ReplayOutcome out;
  out.initial_fingerprint = run.initial_fingerprint;

  auto diverge = [&](std::size_t step, std::string what) {
    out.verdict = ReplayVerdict::diverged;
    out.step = step;
    out.difference = std::move(what);
    out.summary = fmt::format("diverged at step {}: {}", step, out.difference);
    return out;
  };

  if (run.stuck_at && *run.stuck_at == 0 && run.initial_fingerprint.empty()) {
    out.verdict = ReplayVerdict::bad_input;
    out.summary = run.stuck_reason;
    return out;
  }
  if (run.initial_fingerprint != trace.initial_fingerprint)
    return diverge(0, fmt::format("the initial world has fingerprint {}, recorded {} (a different "
                                  "Verdict version, model or parameters, or a nondeterministic "
                                  "init handler)",
                                  run.initial_fingerprint, trace.initial_fingerprint));

  std::optional<std::size_t> first_violation;  // 0: initially
  std::vector<std::string> violated_names = run.initially_violated;
  if (!run.initially_violated.empty()) first_violation = 0;
  if (contains(run.initially_violated, trace.property)) first_violation = 0;
  for (std::size_t i = 0; i < run.steps.size(); ++i) {
    const StepRecord& step = run.steps[i];
    out.narration.push_back(narrate(i + 1, step));
    out.steps.push_back({{"step", i + 1},
                         {"text", step.text},
                         {"label", step.label},
                         {"fingerprint", step.fingerprint},
                         {"violated", step.violated},
                         {"touched", step.touched}});
    if (step.fingerprint != trace.steps[i].fingerprint)
      return diverge(i + 1,
                     fmt::format("after \"{}\" the world's fingerprint is {}, recorded {}; {}",
                                 step.text, step.fingerprint, trace.steps[i].fingerprint,
                                 describe_difference(trace.steps[i].touched, step.touched)));
    if (!step.violated.empty() && !first_violation) {
      first_violation = i + 1;
      violated_names = step.violated;
    }
    if (contains(step.violated, trace.property) && trace.violation_step &&
        *trace.violation_step == i + 1) {
      out.verdict = ReplayVerdict::reproduced;
      out.step = i + 1;
      out.summary =
          fmt::format("reproduced: {} is violated at step {}, as recorded", trace.property, i + 1);
      return out;
    }
  }
  if (run.stuck_at) {
    if (run.stuck_on_bad_label) {
      out.verdict = ReplayVerdict::bad_input;
      out.step = *run.stuck_at + 1;
      out.summary = fmt::format("step {}: {}", *run.stuck_at + 1, run.stuck_reason);
      return out;
    }
    return diverge(*run.stuck_at + 1,
                   fmt::format("\"{}\" is not enabled here (recorded as enabled)",
                               trace.steps[*run.stuck_at].text.empty()
                                   ? trace.steps[*run.stuck_at].label.dump()
                                   : trace.steps[*run.stuck_at].text));
  }
  if (trace.cycle_steps) {
    const std::size_t stem = trace.steps.size() - *trace.cycle_steps;
    if (std::string problem = lasso_problem(trace, model, run); !problem.empty())
      return diverge(trace.steps.size(), problem);
    out.verdict = ReplayVerdict::reproduced;
    out.step = stem;
    out.summary =
        *trace.cycle_steps == 0
            ? fmt::format(
                  "reproduced: {} fails for ever after step {}, where the behaviour stops "
                  "(the search found no fair step enabled there)",
                  trace.property, stem)
            : fmt::format(
                  "reproduced: {} fails on a lasso: {} steps, then a cycle of {} steps "
                  "back to the same world ({})",
                  trace.property, stem, *trace.cycle_steps,
                  stem == 0 ? run.initial_fingerprint : run.steps[stem - 1].fingerprint);
    return out;
  }
  if (trace.violation_step && *trace.violation_step == 0 &&
      contains(run.initially_violated, trace.property)) {
    out.verdict = ReplayVerdict::reproduced;
    out.step = 0;
    out.summary = fmt::format("reproduced: {} is violated in the initial state", trace.property);
    return out;
  }
  if (first_violation) {
    out.verdict = ReplayVerdict::violated;
    out.step = *first_violation;
    out.summary = fmt::format(
        "violated: {} at step {}{}", fmt::join(violated_names, ", "), *first_violation,
        trace.property.empty() ? ""
                               : fmt::format(" (recorded: {} at step {})", trace.property,
                                             trace.violation_step.value_or(0)));
    return out;
  }
  out.verdict = ReplayVerdict::no_violation;
  out.summary = fmt::format("no violation in {} steps", run.steps.size());
  return out;
}

}  // namespace verdict
