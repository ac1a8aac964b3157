// Benchmark of `verdict lincheck` against Porcupine, whole processes side by
// side in one run (start-up, parsing, checking and output included), as a user
// would run either tool:
//
//   * the reference histories (checkers/linearizability/tests/histories): the
//     Jepsen etcd logs, the kv histories checked per key, the 10-client kv
//     ones checked as one history;
//   * generated kv histories of 10,000 and 100,000 operations, written both in
//     Verdict's JSON and in Porcupine's kv format (one EDN map a line).
//
// Porcupine is ../shared/peers' porcupinebench (`../shared/peers/run
// porcupine-build` builds it; --porcupine names it). Each command runs --runs
// times, the two tools taking turns; the table shows the median wall time,
// the median CPU time (user + system, which other load on a shared machine
// disturbs less) and the peak resident memory of each, and Porcupine's time
// over Verdict's. Every run's verdicts are checked against expected.csv.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

struct Measure {
  double wall = 0;  // seconds
  double cpu = 0;   // user + system seconds
  long rss_kb = 0;  // peak resident set
  int exit_code = -1;
};

// Runs argv in `dir` with stdout to `out` (stderr discarded); the child's own
// resource usage comes from wait4.
Measure run_process(const std::vector<std::string>& argv, const fs::path& dir,
                    const fs::path& out) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = open("/dev/null", O_WRONLY);
    if (fd < 0 || null < 0 || chdir(dir.c_str()) != 0) _exit(127);
    dup2(fd, 1);
    dup2(null, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) throw std::runtime_error("wait4 failed");
  Measure m;
  m.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  m.cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  m.rss_kb = usage.ru_maxrss;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return m;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::map<std::string, std::string> read_expected(const fs::path& dir) {
  std::ifstream in(dir / "expected.csv");
  std::map<std::string, std::string> verdicts;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    verdicts[line.substr(0, line.find(','))] = line.substr(line.rfind(',') + 1);
  }
  return verdicts;
}

// file -> "linearizable" / "not-linearizable", from each tool's output.
std::map<std::string, std::string> verdict_verdicts(const fs::path& out) {
  std::ifstream in(out);
  std::map<std::string, std::string> verdicts;
  const nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
  if (report.is_discarded() || !report.contains("files")) return verdicts;
  for (const auto& f : report["files"]) {
    std::string v = f.value("verdict", "");
    std::replace(v.begin(), v.end(), '_', '-');
    verdicts[f.value("file", "")] = v;
  }
  return verdicts;
}

std::map<std::string, std::string> porcupine_verdicts(const fs::path& out) {
  std::ifstream in(out);
  std::map<std::string, std::string> verdicts;
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (line.empty() || line[0] == '#' || tab == std::string::npos) continue;
    const std::string file = line.substr(0, tab);
    if (file == "file" || file == "TOTAL") continue;
    verdicts[file] = line.substr(tab + 1, line.find('\t', tab + 1) - tab - 1);
  }
  return verdicts;
}

// A linearizable kv history: `clients` processes on `keys` keys, each
// operation taking effect at its completion; gets half the operations,
// appends 40%, puts 10% (so values stay short). Written in both formats.
void generate_kv(std::size_t operations, std::size_t clients, std::size_t keys,
                 const fs::path& json_path, const fs::path& edn_path) {
  std::mt19937_64 rng(operations);
  struct Pending {
    bool busy = false;
    int kind = 0;  // 0 get, 1 put, 2 append
    std::string key, value;
  };
  std::vector<Pending> pending(clients);
  std::map<std::string, std::string> state;
  std::ofstream json(json_path), edn(edn_path);
  json << R"({"verdict_history": 2, "failed_ops": "knossos", "model": "kv", "events": [)" << '\n';
  static const char* const names[] = {"get", "put", "append"};
  bool first = true;
  auto event = [&](std::size_t c, const char* type, const Pending& p, const std::string* value) {
    json << (first ? "" : ",\n")
         << fmt::format(R"({{"process": {}, "type": "{}", "f": "{}", "key": "{}", "value": {}}})",
                        c, type, names[p.kind], p.key,
                        value ? fmt::format("\"{}\"", *value) : "null");
    edn << fmt::format("{{:process {}, :type :{}, :f :{}, :key \"{}\", :value {}}}\n", c, type,
                       names[p.kind], p.key, value ? fmt::format("\"{}\"", *value) : "nil");
    first = false;
  };
  std::size_t invoked = 0, busy = 0;
  while (invoked < operations || busy > 0) {
    const std::size_t c = rng() % clients;
    Pending& p = pending[c];
    if (!p.busy) {
      if (invoked == operations) continue;
      const unsigned roll = rng() % 10;
      p.kind = roll < 5 ? 0 : roll < 6 ? 1 : 2;
      p.key = std::to_string(rng() % keys);
      p.value = fmt::format("x {} {} y", c, invoked);
      event(c, "invoke", p, p.kind == 0 ? nullptr : &p.value);
      p.busy = true;
      ++invoked, ++busy;
    } else {
      if (p.kind == 0) {
        event(c, "ok", p, &state[p.key]);
      } else {
        state[p.key] = p.kind == 1 ? p.value : state[p.key] + p.value;
        event(c, "ok", p, &p.value);
      }
      p.busy = false;
      --busy;
    }
  }
  json << "\n]}\n";
}

struct Set {
  std::string name;
  std::size_t operations = 0;
  std::vector<std::string> verdict_args;    // after `verdict lincheck`
  std::vector<std::string> porcupine_args;  // after porcupinebench
  std::map<std::string, std::string> expected_verdict, expected_porcupine;  // by file as named
};

struct Row {
  std::vector<double> wall[2], cpu[2];
  long rss_kb[2] = {0, 0};
  bool ok[2] = {true, true};
  bool ran[2] = {false, false};
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("verdict lincheck against Porcupine: whole processes side by side");
  int runs = 3;
  std::string dir = VERDICT_HISTORIES_DIR;
  std::string verdict = VERDICT_BIN;
  const char* peers = std::getenv("PEERS_WORK");
  std::string porcupine =
      (fs::path(peers ? peers : "/tmp/verdict-peers") / "porcupine" / "porcupinebench").string();
  std::string work = (fs::temp_directory_path() / "verdict-lincheck-bench").string();
  std::vector<std::size_t> sizes{10'000, 100'000};
  app.add_option("--runs", runs, "runs per command (the median counts)")
      ->check(CLI::PositiveNumber);
  app.add_option("--histories", dir, "directory with expected.csv");
  app.add_option("--verdict", verdict, "the verdict binary");
  app.add_option("--porcupine", porcupine,
                 "porcupinebench (../shared/peers/run porcupine-build builds it)");
  app.add_option("--work", work, "where the generated histories are written");
  app.add_option("--sizes", sizes, "operations in each generated history");
  CLI11_PARSE(app, argc, argv);

  const bool have_porcupine = fs::exists(porcupine);
  const std::map<std::string, std::string> expected = read_expected(dir);
  std::vector<std::string> etcd, kv, kv10;
  std::size_t etcd_ops = 0, kv_ops = 0, kv10_ops = 0;
  {
    std::ifstream in(fs::path(dir) / "expected.csv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const std::string file = line.substr(0, line.find(','));
      const std::size_t ops = std::stoul(line.substr(line.find(',') + 1));
      if (file.starts_with("jepsen/")) etcd.push_back(file), etcd_ops += ops;
      if (file.starts_with("kv/")) kv.push_back(file), kv_ops += ops;
      if (file.starts_with("kv/c10-")) kv10.push_back(file), kv10_ops += ops;
    }
  }
  auto reference_set = [&](std::string name, std::size_t ops, std::vector<std::string> vargs,
                           std::vector<std::string> pargs, const std::vector<std::string>& files) {
    Set set{std::move(name), ops, std::move(vargs), std::move(pargs), {}, {}};
    for (const std::string& f : files) {
      set.verdict_args.push_back(f);
      set.porcupine_args.push_back(f);
      set.expected_verdict[f] = set.expected_porcupine[f] = expected.at(f);
    }
    return set;
  };
  std::vector<Set> sets;
  sets.push_back(reference_set(fmt::format("jepsen etcd ({} files)", etcd.size()), etcd_ops,
                               {"--model", "register"}, {"-model", "etcd"}, etcd));
  sets.push_back(reference_set(fmt::format("kv per key ({} files)", kv.size()), kv_ops,
                               {"--model", "kv"}, {"-model", "kv"}, kv));
  sets.push_back(reference_set("kv c10 ok+bad, one history", kv10_ops,
                               {"--model", "kv", "--no-partition"},
                               {"-model", "kv", "-partition=false"}, kv10));
  fs::create_directories(work);
  for (std::size_t n : sizes) {
    const fs::path json = fs::path(work) / fmt::format("kv-{}.json", n);
    const fs::path edn = fs::path(work) / fmt::format("kv-{}.edn", n);
    generate_kv(n, 30, std::max<std::size_t>(1, n / 100), json, edn);
    for (const fs::path& mine : {json, edn}) {
      Set set;
      set.name =
          fmt::format("generated kv {} ops, Verdict reads {}", n, mine == json ? "JSON" : "EDN");
      set.operations = n;
      set.verdict_args = {"--model", "kv", mine.string()};
      set.porcupine_args = {"-model", "kv", edn.string()};
      set.expected_verdict[mine.string()] = "linearizable";
      set.expected_porcupine[edn.string()] = "linearizable";
      sets.push_back(std::move(set));
    }
  }

  std::string load_before;
  std::getline(std::ifstream("/proc/loadavg"), load_before);
  fmt::print(
      "verdict lincheck vs Porcupine, whole processes (start-up, parsing, check, output), "
      "median of {} runs, taking turns\n{}\nload average before: {}\n\n",
      runs,
      have_porcupine ? "Porcupine: " + porcupine
                     : "Porcupine: not found at " + porcupine +
                           " (../shared/peers/run porcupine-build builds it); its "
                           "columns are empty",
      load_before.substr(0, load_before.find(' ', load_before.find(' ') + 1)));
  fmt::print("{:<42} {:>7} | {:>8} {:>8} {:>7} | {:>8} {:>8} {:>7} | {:>6} {:>6}\n", "set", "ops",
             "Verdict", "CPU", "peak", "Porcup.", "CPU", "peak", "x wall", "x CPU");
  fmt::print("{:<42} {:>7} | {:>8} {:>8} {:>7} | {:>8} {:>8} {:>7} | {:>6} {:>6}\n", "", "", "s",
             "s", "MB", "s", "s", "MB", "", "");
  const fs::path out = fs::path(work) / "out.txt";
  bool all_ok = true;
  for (const Set& set : sets) {
    Row row;
    for (int r = 0; r < runs; ++r) {
      for (int tool = 0; tool < 2; ++tool) {
        if (tool == 1 && !have_porcupine) continue;
        std::vector<std::string> args;
        if (tool == 0) {
          args = {verdict, "lincheck", "--json"};
          args.insert(args.end(), set.verdict_args.begin(), set.verdict_args.end());
        } else {
          args = {porcupine};
          args.insert(args.end(), set.porcupine_args.begin(), set.porcupine_args.end());
        }
        const Measure m = run_process(args, dir, out);
        row.ran[tool] = true;
        row.wall[tool].push_back(m.wall);
        row.cpu[tool].push_back(m.cpu);
        row.rss_kb[tool] = std::max(row.rss_kb[tool], m.rss_kb);
        const auto got = tool == 0 ? verdict_verdicts(out) : porcupine_verdicts(out);
        const auto& want = tool == 0 ? set.expected_verdict : set.expected_porcupine;
        if (got != want) row.ok[tool] = false;
      }
    }
    auto cell = [&](int tool, double v, const char* spec) {
      return row.ran[tool] ? fmt::format(fmt::runtime(spec), v) : std::string("-");
    };
    const double w[2] = {median(row.wall[0]), median(row.wall[1])};
    const double c[2] = {median(row.cpu[0]), median(row.cpu[1])};
    fmt::print("{:<42} {:>7} | {:>8} {:>8} {:>7} | {:>8} {:>8} {:>7} | {:>6} {:>6}{}\n", set.name,
               set.operations, cell(0, w[0], "{:.3f}"), cell(0, c[0], "{:.3f}"),
               cell(0, static_cast<double>(row.rss_kb[0]) / 1024, "{:.0f}"),
               cell(1, w[1], "{:.3f}"), cell(1, c[1], "{:.3f}"),
               cell(1, static_cast<double>(row.rss_kb[1]) / 1024, "{:.0f}"),
               cell(1, w[1] / w[0], "{:.1f}x"), cell(1, c[1] / c[0], "{:.1f}x"),
               row.ok[0] && row.ok[1] ? ""
               : row.ok[0]            ? "  (Porcupine's verdicts differ)"
                                      : "  (VERDICTS DIFFER)");
    all_ok = all_ok && row.ok[0];
  }
  std::string load_after;
  std::getline(std::ifstream("/proc/loadavg"), load_after);
  fmt::print("\nload average after: {}\nverdicts: {}\n",
             load_after.substr(0, load_after.find(' ', load_after.find(' ') + 1)),
             all_ok ? "Verdict's all as expected" : "SOME OF VERDICT'S DIFFER");
  return all_ok ? 0 : 1;
}
