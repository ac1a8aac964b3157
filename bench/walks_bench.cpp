// walks_bench: random-walk throughput — walks/s, steps/s and end-of-walk
// history checks/s — for the built-in systems at 1 and 2 threads, with the
// 2-thread speed-up as a ratio (figures on shared machines are noisy; compare
// within one run). Run: build/bench/walks_bench [--walks N]
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/any_model.hpp"

namespace {

struct Case {
  std::string model;
  std::map<std::string, std::string> params;
  std::vector<std::string> faults;
  bool swarm;
  std::uint64_t depth;
};

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t walks = 20000;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--walks") == 0) walks = std::stoull(argv[i + 1]);

  std::vector<Case> cases = {{"lockserv", {}, {}, false, 60}};
  if (verdict::builtin_models().find("raft-kv")) {
    cases.push_back({"raft-kv", {}, {"drop", "crash", "reboot"}, true, 200});
    // figure8's bounds: longer walks (about 30 steps), more histories to check.
    cases.push_back(
        {"raft-kv", {{"clients", "2"}, {"max-term", "4"}}, {"drop", "crash", "reboot"}, true, 200});
  }

  fmt::print("{:<10} {:<22} {:>7} {:>8} {:>10} {:>9} {:>11} {:>12} {:>10} {:>8}\n", "model",
             "params", "threads", "walks", "steps", "seconds", "walks/s", "steps/s", "hist/s",
             "speedup");
  for (const auto& c : cases) {
    std::string params;
    for (const auto& [k, v] : c.params) params += (params.empty() ? "" : ",") + k + "=" + v;
    if (params.empty()) params = "defaults";
    double one_thread_rate = 0;
    for (unsigned threads : {1U, 2U}) {
      verdict::SimulateRequest req;
      req.model = c.model;
      req.params = verdict::Params(verdict::builtin_models().get(c.model).info, c.params);
      req.faults = verdict::FaultOptions::from_names(c.faults, {}, false);
      req.walk.seed = 1;
      req.walk.walks = walks;
      req.walk.depth = c.depth;
      req.walk.swarm = c.swarm;
      req.walk.threads = threads;
      auto outcome = verdict::build_model(req)->simulate(req);
      const auto& r = outcome.report;
      const double rate = r["walks_per_second"].get<double>();
      if (threads == 1) one_thread_rate = rate;
      fmt::print(
          "{:<10} {:<22} {:>7} {:>8} {:>10} {:>9.2f} {:>11.0f} {:>12.0f} {:>10.0f} {:>8}\n",
          c.model, params, threads, r["walks"].get<std::uint64_t>(),
          r["steps"].get<std::uint64_t>(), r["seconds"].get<double>(), rate,
          r["steps_per_second"].get<double>(), r["histories_per_second"].get<double>(),
          threads == 1 ? std::string("1.00x") : fmt::format("{:.2f}x", rate / one_thread_rate));
      if (!r["violation"].is_null())
        fmt::print("  (stopped at a violation in walk {})\n", r["violation"]["walk"].dump());
    }
  }
  return 0;
}
