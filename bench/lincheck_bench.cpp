// Benchmark of the linearizability checker on the reference histories, against
// Porcupine's published figures (checkers/linearizability/tests/histories/
// README.md: Porcupine 55508eb, Go 1.19, in-process check time, parsing
// excluded, median of 3 on a 2-core machine).
//
// Measured the same way: parsing excluded, each file checked alone (so a
// file's time is the wall time of its own check), median of --runs runs per
// file, summed per set. Shown both with every core (two workers share the
// search of one history; parts run in parallel) and on one thread.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <tbb/info.h>
#include <CLI/CLI.hpp>

#include "checkers/linearizability/history_file.hpp"

namespace lc = verdict::lincheck;

namespace {

struct Row {
  std::string file;
  bool linearizable = false;
};

struct Set {
  std::string name;
  lc::SpecKind spec;
  bool partition;
  std::vector<std::string> prefixes;  // files whose name starts with one of these
  double porcupine_seconds;
  std::string porcupine_slowest;
};

struct FileTiming {
  std::string file;
  double seconds = 0;      // median wall time
  double cpu_seconds = 0;  // median CPU time of the calling thread
  bool verdict_ok = true;
};

// CPU time of this thread: with threads = 1 the whole check runs on it, so
// this is the single-thread cost even when other processes load the machine.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<Row> read_expected(const std::filesystem::path& dir) {
  std::ifstream in(dir / "expected.csv");
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto first = line.find(',');
    const auto last = line.rfind(',');
    rows.push_back({line.substr(0, first), line.substr(last + 1) == "linearizable"});
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Linearizability checker benchmark: the reference histories vs Porcupine");
  int runs = 3;
  std::string dir = VERDICT_HISTORIES_DIR;
  app.add_option("--runs", runs, "runs per file (the median counts)")->check(CLI::PositiveNumber);
  app.add_option("--histories", dir, "directory with expected.csv");
  CLI11_PARSE(app, argc, argv);

  const std::vector<Row> rows = read_expected(dir);
  const std::vector<Set> sets = {
      {"jepsen etcd",
       lc::SpecKind::register_spec,
       true,
       {"jepsen/"},
       0.46,
       "etcd_002 0.18 s, etcd_007 0.12 s"},
      {"kv, partitioned per key", lc::SpecKind::kv, true, {"kv/"}, 0.18, "c50-ok 0.17 s"},
      {"kv c10 ok+bad, not partitioned",
       lc::SpecKind::kv,
       false,
       {"kv/c10-"},
       4.1,
       "c10-bad 2.1 s, c10-ok 1.9 s"},
  };
  const int cores = tbb::info::default_concurrency();
  fmt::print(
      "Verdict lincheck benchmark: median of {} runs per file, parsing excluded, {} cores\n\n",
      runs, cores);
  fmt::print("{:<32} {:>5} {:>9} {:>12} {:>10} {:>10} {:>10} {:>8} {:>8} {:>8}\n", "set", "files",
             "verdicts", "Verdict all", "1 thread", "1 th CPU", "Porcupine", "x all", "x 1 th",
             "x CPU");

  bool all_ok = true;
  std::vector<std::string> notes;
  for (const Set& set : sets) {
    std::vector<FileTiming> timings[2];  // [0] every core, [1] one thread
    std::size_t files = 0, ok = 0;
    for (const Row& row : rows) {
      if (std::none_of(set.prefixes.begin(), set.prefixes.end(),
                       [&](const std::string& p) { return row.file.starts_with(p); })) {
        continue;
      }
      ++files;
      const lc::LoadedHistory loaded =
          lc::load_history_file((std::filesystem::path(dir) / row.file).string(), set.spec);
      bool file_ok = true;
      for (int mode = 0; mode < 2; ++mode) {
        lc::CheckOptions options;
        options.partition = set.partition;
        options.threads = mode == 0 ? 0 : 1;
        std::vector<double> seconds, cpu;
        for (int r = 0; r < runs; ++r) {
          const auto start = std::chrono::steady_clock::now();
          const double cpu_start = thread_cpu_seconds();
          const lc::Result result = lc::check_loaded(loaded, options);
          cpu.push_back(thread_cpu_seconds() - cpu_start);
          seconds.push_back(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
          const auto expected =
              row.linearizable ? lc::Outcome::linearizable : lc::Outcome::not_linearizable;
          if (result.outcome != expected) file_ok = false;
        }
        timings[mode].push_back({row.file, median(seconds), median(cpu), file_ok});
      }
      ok += file_ok;
      all_ok = all_ok && file_ok;
    }
    double total[2] = {0, 0}, cpu_one_thread = 0;
    for (int mode = 0; mode < 2; ++mode) {
      for (const FileTiming& t : timings[mode]) total[mode] += t.seconds;
    }
    for (const FileTiming& t : timings[1]) cpu_one_thread += t.cpu_seconds;
    fmt::print(
        "{:<32} {:>5} {:>5}/{:<3} {:>10.4f} s {:>8.4f} s {:>8.4f} s {:>8.2f} s {:>7.1f}x {:>7.1f}x "
        "{:>7.1f}x\n",
        set.name, files, ok, files, total[0], total[1], cpu_one_thread, set.porcupine_seconds,
        set.porcupine_seconds / total[0], set.porcupine_seconds / total[1],
        set.porcupine_seconds / cpu_one_thread);
    std::vector<FileTiming> slowest = timings[0];
    std::sort(slowest.begin(), slowest.end(),
              [](const FileTiming& a, const FileTiming& b) { return a.seconds > b.seconds; });
    std::string line = fmt::format("  {}: slowest", set.name);
    for (std::size_t i = 0; i < std::min<std::size_t>(3, slowest.size()); ++i) {
      line += fmt::format(" {} {:.4f} s,", std::filesystem::path(slowest[i].file).stem().string(),
                          slowest[i].seconds);
    }
    line.back() = ';';
    notes.push_back(line + " Porcupine: " + set.porcupine_slowest);
  }
  fmt::print("\n");
  for (const std::string& note : notes) fmt::print("{}\n", note);
  fmt::print("\nverdicts: {}\n", all_ok ? "all equal to expected.csv" : "SOME DIFFER");
  return all_ok ? 0 : 1;
}
