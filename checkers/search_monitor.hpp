// SearchMonitor: what every explorer thread consults between expansions —
// whether the search must stop (a violation, a state/time/memory limit, an
// interrupt such as Ctrl-C) and when to print a progress line on stderr.
// Workers call tick() every few hundred expansions; it costs an atomic load
// and a clock read, and at most every 250 ms one thread reads /proc for the
// memory limit and, every few seconds, prints progress.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>

#include <fmt/format.h>

#include "checkers/search_types.hpp"

namespace verdict {

// A field of /proc/self/status in bytes (VmHWM: peak resident set size,
// VmRSS: current), or 0 where /proc is unavailable.
inline std::uint64_t proc_status_bytes(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(status, line))
    if (line.compare(0, prefix.size(), prefix) == 0)
      return std::stoull(line.substr(prefix.size())) * 1024;  // the kernel reports kB
  return 0;
}
inline std::uint64_t peak_rss_bytes() {
  return proc_status_bytes("VmHWM");
}

// What a progress line and the limits look at; each explorer fills it in.
struct SearchProgress {
  std::uint64_t unique = 0;
  std::uint64_t generated = 0;
  std::uint64_t depth = 0;
  std::uint64_t queue = 0;  // BFS: the frontier; DFS: states on the stacks
};

class SearchMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SearchMonitor(const SearchOptions& options)
      : options_(options), start_(Clock::now()), next_check_(0), next_progress_(kProgressEvery) {}

  bool stopped() const { return stopped_.load(std::memory_order_acquire); }

  // Stops the search; the first reason given is the one reported.
  void stop(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (stopped_.load(std::memory_order_relaxed)) return;
    reason_ = reason;
    stopped_.store(true, std::memory_order_release);
  }
  std::string reason() const {
    std::lock_guard lock(mutex_);
    return reason_;
  }

  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  // Checks the interrupt flag and the time and memory limits, and prints
  // progress when due. `progress()` is called only when a line or a limit
  // needs the counts. Returns false once the search must stop.
  template <class ProgressFn>
  bool tick(ProgressFn&& progress) {
    if (stopped()) return false;
    if (options_.interrupt && options_.interrupt->load(std::memory_order_relaxed)) {
      stop("interrupted");
      return false;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
    const std::int64_t now_ms = elapsed.count();
    if (options_.time_limit_seconds && elapsed.count() >= *options_.time_limit_seconds * 1000) {
      stop("time-limit");
      return false;
    }
    std::int64_t due = next_check_.load(std::memory_order_relaxed);
    if (now_ms < due ||
        !next_check_.compare_exchange_strong(due, now_ms + kCheckEvery, std::memory_order_relaxed))
      return true;
    // One thread at a time gets here, at most every kCheckEvery ms.
    if (options_.memory_limit_mb &&
        peak_rss_bytes() > *options_.memory_limit_mb * std::uint64_t{1024 * 1024}) {
      stop("memory-limit");
      return false;
    }
    if (options_.progress && now_ms >= next_progress_.load(std::memory_order_relaxed)) {
      next_progress_.store(now_ms + kProgressEvery, std::memory_order_relaxed);
      print_progress(progress(), now_ms / 1000.0);
    }
    return true;
  }

  void print_progress(const SearchProgress& p, double secs) const {
    std::fputs(fmt::format("verdict: {:.1f}s {} unique ({:.0f}/s), {} generated, depth {}, "
                           "queue {}, peak RSS {} MiB\n",
                           secs, p.unique, secs > 0 ? static_cast<double>(p.unique) / secs : 0.0,
                           p.generated, p.depth, p.queue, peak_rss_bytes() >> 20)
                   .c_str(),
               stderr);
  }

 private:
  static constexpr std::int64_t kCheckEvery = 250;      // ms
  static constexpr std::int64_t kProgressEvery = 3000;  // ms

  const SearchOptions& options_;
  const Clock::time_point start_;
  std::atomic<bool> stopped_{false};
  mutable std::mutex mutex_;
  std::string reason_;
  std::atomic<std::int64_t> next_check_;
  std::atomic<std::int64_t> next_progress_;
};

}  // namespace verdict
