// The durable log's hot path (net/durable_log.hpp): append one raft-kv entry
// and sync, as a node does once per batch of ready events, N times; prints
// syncs per second and the latency percentiles of record+sync. Measures what
// a change to the log's format or its syncs costs.
//   build/bench/durable_log_bench [--syncs N] [--entries-per-sync K] [--value-size B] [--dir D]
// D must be on a real disk (default: a new directory under the current one),
// not tmpfs, where fdatasync costs nothing.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "net/durable_log.hpp"

using namespace verdict;
using namespace verdict::net;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::size_t syncs = 2000, per_sync = 1, value_size = 16;
  std::string dir_arg;
  CLI::App app("durable log append+sync benchmark");
  app.add_option("--syncs", syncs)->check(CLI::Range(1, 10'000'000));
  app.add_option("--entries-per-sync", per_sync)->check(CLI::Range(1, 10'000));
  app.add_option("--value-size", value_size)->check(CLI::Range(0, 1 << 20));
  app.add_option("--dir", dir_arg, "an empty directory on the disk to measure");
  CLI11_PARSE(app, argc, argv);

  std::string tmpl = (fs::current_path() / "durable-bench-XXXXXX").string();
  const fs::path dir = dir_arg.empty() ? fs::path(::mkdtemp(tmpl.data())) : fs::path(dir_arg);
  DurableState state;
  Recovery recovery;
  auto log = DurableLog::open(dir, 0, 3, state, recovery);
  state.term = 1;
  std::vector<double> micros;
  micros.reserve(syncs);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < syncs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < per_sync; ++k) {
      const auto id = static_cast<raft::RequestId>(state.log.size() + 1);
      state.log.push_back({1, {7, id, kv::Input::put("key", std::string(value_size, 'v'))}});
      log.record(state.term, state.voted_for, state.log);
    }
    log.sync();
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double p) { return micros[static_cast<std::size_t>(p * (micros.size() - 1))]; };
  fmt::print("durable log: {} syncs of {} entries ({}-byte values) in {:.2f} s\n", syncs, per_sync,
             value_size, seconds);
  fmt::print(
      "{:.0f} syncs/s, {:.0f} entries/s; record+sync p50 {:.0f} us, p90 {:.0f} us, p99 "
      "{:.0f} us; file {} bytes\n",
      syncs / seconds, syncs * per_sync / seconds, pct(0.5), pct(0.9), pct(0.99),
      fs::file_size(dir / DurableLog::kFileName));
  if (dir_arg.empty()) fs::remove_all(dir);
  return 0;
}
