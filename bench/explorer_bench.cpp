// explorer_bench: how fast and how lean the exhaustive explorers are, on the
// reference models that Stateright also checks, with Stateright 0.31's
// figures on the same 2-core machine class as ratio columns.
//
//   explorer_bench            2PC 8 RMs and paxos 3 servers/3 clients, BFS and DFS, 1 and 2 threads
//   explorer_bench --quick    smaller configurations (2PC 7 RMs, paxos 3/2), a few seconds
//   explorer_bench --liveness 2PC 7 and 8 RMs by BFS with and without its liveness
//                             property (all-decide): the cost of recording the graph and
//                             of the SCC analysis, and the memory per edge
//   explorer_bench --run MODEL STRATEGY THREADS   one configuration (used internally)
//
// Every configuration runs in a fresh child process (this program re-executed
// with --run), so that each peak RSS (VmHWM) is that run's alone.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/builtin/reference_search.hpp"

namespace {

using namespace verdict;

struct Config {
  std::string model;  // "2pc-8", "2pc-7", "paxos-3-3", "paxos-3-2"
  Strategy strategy;
  unsigned threads;
};

// Stateright 0.31 on this machine class (the figures): unique states
// per second and peak RSS per unique state.
struct Reference {
  double unique_per_second;
  double bytes_per_state;
};

std::optional<Reference> stateright_reference(const std::string& model, unsigned threads) {
  if (model == "2pc-8")  // DFS: 4.5-5.1 s (4.8) at 1 thread, 3.0 s at 2; 23 MiB
    return Reference{1'745'408 / (threads == 1 ? 4.8 : 3.0), 23.0 * 1024 * 1024 / 1'745'408};
  if (model == "paxos-3-3")  // 1,194,428 states in 8.6 s, 854 MiB
    return Reference{1'194'428 / 8.6, 854.0 * 1024 * 1024 / 1'194'428};
  return std::nullopt;
}

// User + system CPU time of this process so far: on a busy machine, the
// figure to compare when wall time includes waiting for a core.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

template <class M>
nlohmann::json run_search(const M& model, const Config& config) {
  SearchOptions options;
  options.strategy = config.strategy;
  options.threads = config.threads;
  const auto result = explore(model, options);
  return {{"unique", result.unique_states},
          {"generated", result.generated_states},
          {"seconds", result.seconds},
          {"complete", result.complete},
          {"cpu_seconds", cpu_seconds()},
          {"peak_rss", peak_rss_bytes()},
          {"visited_bytes", result.visited_bytes},
          {"parent_link_bytes", result.parent_link_bytes},
          {"graph_edges", result.graph_edges},
          {"graph_bytes", result.graph_bytes},
          {"liveness_seconds", result.liveness_seconds}};
}

reference::TwoPhaseCommit two_phase(unsigned rms, bool liveness) {
  reference::TwoPhaseCommit model(rms);
  model.set_liveness(liveness);
  return model;
}

int run_one(const Config& config) {
  nlohmann::json out;
  if (config.model == "2pc-8" || config.model == "2pc-8-live")
    out = run_search(two_phase(8, config.model == "2pc-8-live"), config);
  else if (config.model == "2pc-7" || config.model == "2pc-7-live")
    out = run_search(two_phase(7, config.model == "2pc-7-live"), config);
  else if (config.model == "paxos-3-3")
    out = run_search(reference::paxos_model(3, 3), config);
  else if (config.model == "paxos-3-2")
    out = run_search(reference::paxos_model(3, 2), config);
  else {
    std::fprintf(stderr, "explorer_bench: unknown model %s\n", config.model.c_str());
    return 2;
  }
  std::puts(out.dump().c_str());
  return 0;
}

// Runs one configuration in a child process; its one line of JSON, or null.
nlohmann::json run_child(const Config& config) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return nullptr;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    const std::string threads = std::to_string(config.threads);
    execl("/proc/self/exe", "explorer_bench", "--run", config.model.c_str(),
          to_string(config.strategy), threads.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return nullptr;
  return nlohmann::json::parse(text, nullptr, false);
}

int run_table(const std::vector<std::string>& models) {
  std::puts(fmt::format("{:<10} {:<4} {:>3} {:>10} {:>11} {:>8} {:>7} {:>11} {:>9} {:>8} {:>8} "
                        "{:>9} {:>8} {:>8}",
                        "model", "alg", "thr", "unique", "generated", "seconds", "cpu s",
                        "unique/s", "RSS MiB", "B/state", "link B/s", "speedup", "xSR u/s", "SR/B")
                .c_str());
  for (const auto& model : models)
    for (Strategy strategy : {Strategy::bfs, Strategy::dfs}) {
      double one_thread_seconds = 0;
      for (unsigned threads : {1U, 2U}) {
        const Config config{model, strategy, threads};
        const auto r = run_child(config);
        if (r.is_null() || r.is_discarded()) {
          std::puts(fmt::format("{:<10} {:<4} {:>3} failed", model, to_string(strategy), threads)
                        .c_str());
          continue;
        }
        const double unique = r["unique"].get<double>();
        const double seconds = r["seconds"].get<double>();
        const double rss = r["peak_rss"].get<double>();
        if (threads == 1) one_thread_seconds = seconds;
        const auto reference = stateright_reference(model, threads);
        std::puts(
            fmt::format(
                "{:<10} {:<4} {:>3} {:>10} {:>11} {:>8.2f} {:>7.2f} {:>11.0f} {:>9.1f} {:>8.1f} "
                "{:>8.1f} {:>9} {:>8} {:>8}",
                model, to_string(strategy), threads, r["unique"].get<std::uint64_t>(),
                r["generated"].get<std::uint64_t>(), seconds, r["cpu_seconds"].get<double>(),
                unique / seconds, rss / 1048576.0, rss / unique,
                r["parent_link_bytes"].get<double>() / unique,
                threads == 1 ? std::string("-")
                             : fmt::format("{:.2f}x", one_thread_seconds / seconds),
                reference ? fmt::format("{:.2f}", unique / seconds / reference->unique_per_second)
                          : std::string("-"),
                reference ? fmt::format("{:.2f}", reference->bytes_per_state / (rss / unique))
                          : std::string("-"))
                .c_str());
        std::fflush(stdout);
      }
    }
  std::puts(
      "\nseconds: wall time of the search; cpu s: the child's CPU time (on a busy machine, "
      "compare this);\nunique/s: unique states per (wall) second; RSS: the run's peak resident set "
      "(VmHWM, a fresh "
      "process);\nB/state: peak RSS per unique state; link B/s: BFS parent links per state; "
      "speedup: 1-thread time / 2-thread time;\nxSR u/s: our unique/s over Stateright 0.31's "
      "(2PC 8: DFS 4.8 s at 1 thread, 3.0 s at 2; paxos 3/3: 8.6 s);\nSR/B: Stateright's bytes "
      "per state over ours (2PC 8: 23 MiB; paxos 3/3: 854 MiB); above 1 is better for both.");
  return 0;
}

// Safety-only against liveness on the same configuration (BFS).
int run_liveness_table() {
  std::puts(fmt::format("{:<11} {:>3} {:>10} {:>11} {:>8} {:>7} {:>10} {:>9} {:>8} {:>7}", "model",
                        "thr", "unique", "edges", "seconds", "cpu s", "SCC s", "RSS MiB", "B/edge",
                        "x time")
                .c_str());
  for (const char* rms : {"2pc-7", "2pc-8"})
    for (unsigned threads : {1U, 2U}) {
      double safety_seconds = 0;
      for (const std::string& model : {std::string(rms), std::string(rms) + "-live"}) {
        const auto r = run_child({model, Strategy::bfs, threads});
        if (r.is_null() || r.is_discarded()) {
          std::puts(fmt::format("{:<11} {:>3} failed", model, threads).c_str());
          continue;
        }
        const double seconds = r["seconds"].get<double>();
        const double edges = r["graph_edges"].get<double>();
        if (model == rms) safety_seconds = seconds;
        std::puts(
            fmt::format(
                "{:<11} {:>3} {:>10} {:>11} {:>8.2f} {:>7.2f} {:>10.2f} {:>9.1f} "
                "{:>8} {:>7}",
                model, threads, r["unique"].get<std::uint64_t>(),
                r["graph_edges"].get<std::uint64_t>(), seconds, r["cpu_seconds"].get<double>(),
                r["liveness_seconds"].get<double>(), r["peak_rss"].get<double>() / 1048576.0,
                edges > 0 ? fmt::format("{:.1f}", r["graph_bytes"].get<double>() / edges)
                          : std::string("-"),
                model == rms ? std::string("-") : fmt::format("{:.2f}", seconds / safety_seconds))
                .c_str());
        std::fflush(stdout);
      }
    }
  std::puts(
      "\nseconds: the whole check (search, and for -live the SCC analysis, SCC s, included);\n"
      "B/edge: the recorded graph's bytes per edge after the search (per-state arrays "
      "included);\nx time: -live's seconds over the safety-only run's.");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "--run") {
    const Strategy strategy = args[2] == "dfs" ? Strategy::dfs : Strategy::bfs;
    return run_one({args[1], strategy, static_cast<unsigned>(std::stoul(args[3]))});
  }
  if (args.size() == 1 && args[0] == "--quick") return run_table({"2pc-7", "paxos-3-2"});
  if (args.size() == 1 && args[0] == "--liveness") return run_liveness_table();
  if (args.empty()) return run_table({"2pc-8", "paxos-3-3"});
  std::fputs("usage: explorer_bench [--quick]\n", stderr);
  return 2;
}
