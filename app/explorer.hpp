// The explorer's session (`verdict explore`): one path through a model's
// states that a person walks by hand — take an enabled step, go back, go
// forward again, branch off — and the JSON API the explorer's page calls.
// No HTTP here: the web server (cli/http_server.hpp) hands each checked
// request to `handle`, which is all the page can do to a session.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/any_model.hpp"
#include "app/registry.hpp"
#include "traces/trace_file.hpp"

namespace verdict {

// An API call's answer: an HTTP status and a JSON body (on an error,
// {"error": "..."}).
struct ApiReply {
  int status = 200;
  nlohmann::json body;
};

class ExploreSession {
 public:
  ExploreSession(std::unique_ptr<AnyModel> model, ModelConfig config, std::size_t init_index = 0);

  // Opens a trace of this model: its steps become the path ahead, to walk
  // forward and back and to branch off. Returns what did not go as recorded
  // ("" if nothing): a label that cannot be read or is not enabled ends the
  // path there; a fingerprint that differs is reported and the path goes on.
  std::string open_trace(const TraceFile& trace);

  // The current state: the World as JSON, the one before it, the enabled
  // steps, the path with the position on it, and the invariants' status.
  nlohmann::json view() const;
  // Takes enabled step `index`; the path ahead is kept when it is that same
  // step, else dropped (a branch). False when there is no such step.
  bool step(std::size_t index);
  bool back();
  bool forward();
  // Moves to a position on the path (0: the initial state).
  bool go_to(std::size_t position);
  // The path from the initial state to the current position, as a trace file
  // `verdict replay` accepts.
  TraceFile trace() const;
  // The program a saved trace names as its writer (trace origin "program").
  void set_program(std::string program) { program_ = std::move(program); }

  // An API call: `method` GET or POST, `endpoint` one of view, trace, step,
  // back, forward, goto; `body` the request body (JSON for step and goto).
  // Never throws for bad input: a 4xx reply says what is wrong.
  ApiReply handle(const std::string& method, const std::string& endpoint, const std::string& body);

 private:
  struct Point {
    std::shared_ptr<const HeldState> state;
    StepRecord step;  // how it was reached (empty for the initial state)
  };
  void push(TakenStep taken);

  std::unique_ptr<AnyModel> model_;
  ModelConfig config_;
  std::size_t init_index_ = 0;
  std::vector<Point> path_;  // path_[0]: the initial state
  std::size_t position_ = 0;
  std::string notice_;  // what opening a trace reported
  std::string program_;
};

}  // namespace verdict
