// `verdict models [--json]`: every model with its parameters, defaults and
// seeded bugs and liveness properties, and every transformer.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "app/registry.hpp"
#include "cli/commands.hpp"

namespace verdict::cli {

namespace {

nlohmann::json models_json(const ModelRegistry& registry) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& entry : registry.entries()) {
    const ModelInfo& m = entry.info;
    nlohmann::json params = nlohmann::json::array();
    for (const auto& p : m.params)
      params.push_back({{"name", p.name},
                        {"default", p.default_value},
                        {"help", p.help},
                        {"choices", p.choices}});
    nlohmann::json bugs = nlohmann::json::array();
    for (const auto& b : m.bugs) bugs.push_back({{"name", b.name}, {"description", b.description}});
    nlohmann::json liveness = nlohmann::json::array();
    for (const auto& l : m.liveness)
      liveness.push_back({{"name", l.name}, {"kind", l.kind}, {"description", l.description}});
    nlohmann::json transformed = nlohmann::json::object();
    for (const auto& [transform, into] : registry.transforms_of(m.name))
      transformed[transform] = into;
    nlohmann::json suite = nlohmann::json::array();
    for (const auto& c : m.check_suite) {
      suite.push_back({{"name", c.name}, {"reaches", c.reaches}, {"params", c.values}});
      if (c.max_depth) suite.back()["max_depth"] = *c.max_depth;
    }
    models.push_back({{"name", m.name},
                      {"check_suite", suite},
                      {"walk_preset", m.walk_preset},
                      {"summary", m.summary},
                      {"kind", m.is_system ? "system" : "state-machine"},
                      {"params", params},
                      {"bugs", bugs},
                      {"liveness", liveness},
                      {"transformed_into", transformed}});
  }
  nlohmann::json transformers = nlohmann::json::array();
  for (const auto& t : builtin_transformers())
    transformers.push_back({{"name", t.name}, {"summary", t.summary}});
  return {{"models", models}, {"transformers", transformers}};
}

void print_models(const ModelRegistry& registry) {
  for (const auto& entry : registry.entries()) {
    const ModelInfo& m = entry.info;
    fmt::print("{}  ({})\n  {}\n", m.name, m.is_system ? "system" : "state machine", m.summary);
    for (const auto& p : m.params) {
      fmt::print("  --param {}={:<10} {}", p.name, p.default_value, p.help);
      if (!p.choices.empty()) fmt::print(" [{}]", fmt::join(p.choices, "|"));
      fmt::print("\n");
    }
    for (const auto& b : m.bugs) fmt::print("  bug {}: {}\n", b.name, b.description);
    for (const auto& l : m.liveness)
      fmt::print("  liveness {} ({}): {}\n", l.name, l.kind, l.description);
    if (!m.check_suite.empty())
      fmt::print(
          "  check suite (`check {}` with no parameter but bug; --single: the defaults "
          "alone):\n",
          m.name);
    for (const auto& c : m.check_suite) {
      std::vector<std::string> values;
      for (const auto& [k, v] : c.values) values.push_back(fmt::format("{}={}", k, v));
      if (c.max_depth) values.push_back(fmt::format("depth<={}", *c.max_depth));
      fmt::print("    {}: {}\n      {}\n", c.name, fmt::join(values, " "), c.reaches);
    }
    if (!m.walk_preset.empty())
      fmt::print("  simulate with no parameter but bug runs --param preset={}\n", m.walk_preset);
    for (const auto& [transform, into] : registry.transforms_of(m.name))
      fmt::print("  --transform {}: the model {}\n", transform, into);
    fmt::print("\n");
  }
  fmt::print("transformers (--transform NAME[,NAME...], innermost first):\n");
  for (const auto& t : builtin_transformers()) fmt::print("  {}: {}\n", t.name, t.summary);
}

}  // namespace

void add_models_command(CLI::App& app, const ModelRegistry& models, int& exit_code) {
  auto* cmd = app.add_subcommand("models",
                                 "List the models, their parameters and seeded bugs, "
                                 "and the transformers");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print as JSON");
  cmd->callback([json, &models, &exit_code] {
    if (*json)
      fmt::print("{}\n", models_json(models).dump(2));
    else
      print_models(models);
    exit_code = 0;
  });
}

}  // namespace verdict::cli
