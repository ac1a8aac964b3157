// `verdict explore MODEL ...`: the explorer, a web page on 127.0.0.1 to walk
// a model's states by hand (app/explorer.hpp is the session, the page is
// cli/explore_page.cpp, the server cli/http_server.hpp).

#include <cstdio>

#include <fmt/format.h>

#include "app/any_model.hpp"
#include "app/explorer.hpp"
#include "cli/commands.hpp"
#include "cli/http_server.hpp"
#include "cli/options.hpp"
#include "cli/outcome.hpp"

namespace verdict::cli {

namespace {

struct ExploreOptions {
  ModelOptions model;
  std::string trace;
  unsigned port = 0;
};

// The session a command line asks for: the model as configured, or as the
// trace file records it (then MODEL must be the trace's model).
std::unique_ptr<ExploreSession> open_session(const ExploreOptions& o, const ModelRegistry& models) {
  if (o.trace.empty()) {
    CheckRequest req = o.model.to_request(models);
    ModelConfig config = req;
    return std::make_unique<ExploreSession>(build_model(models, config), config);
  }
  if (!o.model.params.empty() || !o.model.transforms.empty() || !o.model.faults.empty() ||
      !o.model.budgets.empty() || o.model.ordered)
    throw UsageError("--trace: the trace file records the model's configuration; give only MODEL");
  TraceFile trace;
  ModelConfig config;
  try {
    trace = read_trace_file(o.trace);
    config = config_from_trace(models, trace);
  } catch (const TraceError& e) {
    throw UsageError(e.what());
  }
  if (trace.model != o.model.model)
    throw UsageError(fmt::format("--trace {} is a trace of model {}, not {}", o.trace, trace.model,
                                 o.model.model));
  auto session =
      std::make_unique<ExploreSession>(build_model(models, config), config, trace.init_index);
  const std::string notice = session->open_trace(trace);
  if (!notice.empty()) fmt::print(stderr, "verdict explore: {}: {}\n", o.trace, notice);
  return session;
}

void run(const ExploreOptions& o, const ModelRegistry& models, int& exit_code) {
  if (o.port > 65535) throw UsageError(fmt::format("--port must be below 65536, not {}", o.port));
  auto session = open_session(o, models);
  session->set_program(self_executable());
  LoopbackServer server(static_cast<std::uint16_t>(o.port), [&session](const HttpRequest& req) {
    if (req.path == "/") {
      if (req.method != "GET")
        return HttpResponse{405, "application/json", "{\"error\": \"the page takes GET\"}\n"};
      return HttpResponse{200, "text/html; charset=utf-8", explore_page()};
    }
    constexpr std::string_view api = "/api/";
    if (req.path.rfind(api, 0) != 0)
      return HttpResponse{404, "application/json", "{\"error\": \"no such page\"}\n"};
    ApiReply reply = session->handle(req.method, req.path.substr(api.size()), req.body);
    return HttpResponse{reply.status, "application/json", reply.body.dump() + "\n"};
  });
  fmt::print("verdict explore: {} at {}\n(Ctrl-C stops it)\n", o.model.model, server.url());
  std::fflush(stdout);
  server.run();
  exit_code = exit_code::ok;
}

}  // namespace

void add_explore_command(CLI::App& app, const ModelRegistry& models, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "explore",
      "Walk a model's states by hand in a web browser: a page on 127.0.0.1 shows the world "
      "(node states, packets, timers, faults, client I/O, invariants) and every enabled step; "
      "click one to take it, go back, save the path as a trace file");
  auto o = std::make_shared<ExploreOptions>();
  add_model_options(*cmd, o->model);
  cmd->add_option("--trace", o->trace,
                  "Open this trace file (of MODEL) to walk forward and back and branch off");
  cmd->add_option("--port", o->port, "Port on 127.0.0.1 (default: any free one)")
      ->check(whole_number());
  cmd->callback([o, &models, &exit_code] { run(*o, models, exit_code); });
}

}  // namespace verdict::cli
