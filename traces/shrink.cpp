#include "traces/shrink.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "traces/replay.hpp"

namespace verdict {

namespace {

using Labels = std::vector<nlohmann::json>;

class Shrinker {
 public:
  Shrinker(const AnyModel& model, const TraceFile& trace)
      : model_(model), trace_(trace), init_index_(trace.init_index), property_(trace.property) {
    if (trace.cycle_steps)
      for (std::size_t i = trace.steps.size() - *trace.cycle_steps; i < trace.steps.size(); ++i)
        cycle_.push_back(trace.steps[i].label);
  }

  // The prefix of `candidate` that reaches the violation, or nothing. For a
  // lasso, `candidate` is a stem: it is kept whole if the recorded cycle
  // still closes after it and the lasso still violates the property.
  std::optional<Labels> reproduces(const Labels& candidate) {
    ++tried_;
    if (trace_.cycle_steps) {
      Labels lasso = candidate;
      lasso.insert(lasso.end(), cycle_.begin(), cycle_.end());
      TraceFile shape = trace_;
      shape.steps.resize(lasso.size());
      if (!lasso_problem(shape, model_, model_.run(init_index_, lasso, false)).empty())
        return std::nullopt;
      return candidate;
    }
    RunRecord run = model_.run(init_index_, candidate, true);
    if (contains(run.initially_violated)) return Labels{};
    if (run.steps.empty() || !contains(run.steps.back().violated)) return std::nullopt;
    return Labels(candidate.begin(),
                  candidate.begin() + static_cast<std::ptrdiff_t>(run.steps.size()));
  }

  Labels ddmin(Labels labels) {
    std::size_t chunks = 2;
    while (labels.size() >= 2) {
      const std::size_t size = labels.size();
      chunks = std::min(chunks, size);
      bool reduced = false;
      for (std::size_t c = 0; c < chunks && !reduced; ++c) {
        const std::size_t begin = size * c / chunks, end = size * (c + 1) / chunks;
        Labels complement(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(begin));
        complement.insert(complement.end(), labels.begin() + static_cast<std::ptrdiff_t>(end),
                          labels.end());
        if (auto kept = reproduces(complement)) {
          labels = std::move(*kept);
          chunks = std::max<std::size_t>(chunks - 1, 2);
          reduced = true;
        }
      }
      if (reduced) continue;
      if (chunks >= size) break;  // every single step is needed
      chunks = std::min(chunks * 2, size);
    }
    return labels;
  }

  std::size_t tried() const { return tried_; }

 private:
  bool contains(const std::vector<std::string>& names) const {
    return std::find(names.begin(), names.end(), property_) != names.end();
  }

  const AnyModel& model_;
  const TraceFile& trace_;
  Labels cycle_;  // a lasso's cycle, kept as it is
  std::size_t init_index_;
  std::string property_;
  std::size_t tried_ = 0;
};

}  // namespace

ShrinkOutcome shrink_trace(const TraceFile& trace, const AnyModel& model) {
  ShrinkOutcome out;
  out.steps_before = trace.steps.size();
  if (trace.property.empty()) {
    out.message = "the trace records no violated property, so there is nothing to keep";
    return out;
  }
  // A lasso keeps its cycle; only its stem is shrunk.
  const std::size_t stem = trace.steps.size() - trace.cycle_steps.value_or(0);
  Labels labels;
  for (std::size_t i = 0; i < stem; ++i) labels.push_back(trace.steps[i].label);
  Shrinker shrinker(model, trace);
  auto original = shrinker.reproduces(labels);
  if (!original) {
    out.message = fmt::format("the trace does not reproduce a violation of {}", trace.property);
    return out;
  }
  Labels minimal = shrinker.ddmin(std::move(*original));

  const std::size_t stem_after = minimal.size();
  if (trace.cycle_steps)
    for (std::size_t i = stem; i < trace.steps.size(); ++i) minimal.push_back(trace.steps[i].label);
  RunRecord run = model.run(trace.init_index, minimal, !trace.cycle_steps);
  out.trace = trace;
  out.trace.origin = {{"command", "shrink"}, {"shrunk_from_steps", out.steps_before}};
  out.trace.violation_step = run.steps.size();
  out.trace.initial_fingerprint = run.initial_fingerprint;
  out.trace.steps.clear();
  std::vector<nlohmann::json> shrunk_labels;
  for (const auto& step : run.steps) {
    out.trace.steps.push_back({step.label, step.fingerprint, step.text, step.touched});
    shrunk_labels.push_back(step.label);
  }
  // The evidence is the shorter run's (a linearizability history shrinks too).
  out.trace.evidence = model.evidence(trace.init_index, shrunk_labels, trace.property);
  out.reproduced = true;
  out.steps_after = out.trace.steps.size();
  out.candidates_tried = shrinker.tried();
  out.message = fmt::format("shrunk from {} to {} steps ({} candidates replayed)", out.steps_before,
                            out.steps_after, out.candidates_tried);
  if (trace.cycle_steps)
    out.message += fmt::format("; a lasso: the stem from {} to {} steps, the cycle of {} kept",
                               stem, stem_after, *trace.cycle_steps);
  return out;
}

}  // namespace verdict
