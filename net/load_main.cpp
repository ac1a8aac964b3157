// verdict-load: a closed-loop load generator for a raft-kv cluster (`verdict
// serve`) or for etcd (its v3 HTTP/JSON gateway), so that bench/etcd drives
// both with the same code. N sessions each run one operation at a time for a
// while; the program prints throughput and latency percentiles, and (for
// raft-kv) can record the clients' history in the JSON format `verdict
// lincheck --model vard` reads (docs/history-format.md), with a final read of
// every key so that a lost acknowledged write shows up as a violation.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "net/client.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace verdict;
using namespace verdict::net;

namespace {

struct Options {
  std::string target = "verdict";
  std::string endpoints;
  int clients = 8;
  double duration = 10;
  double warmup = 1;
  int keys = 1000;
  double get_ratio = 0.5;
  int value_size = 16;
  bool mixed = false;  // every vard operation, on few values, for the cluster test
  int op_timeout_ms = 5000;
  int attempt_timeout_ms = 1000;
  std::string history;
  bool json = false;
  std::uint64_t seed = 1;
};

// One operation's completion: ok (with the response, for raft-kv), or unknown.
using Done = std::function<void(bool ok, std::optional<kv::Response>)>;

class Session {
 public:
  virtual ~Session() = default;
  virtual void submit(const kv::Input& op, Done done) = 0;
};

class VerdictSession : public Session {
 public:
  VerdictSession(asio::io_context& io, const std::vector<HostPort>& nodes, const Options& o)
      : session_(io, nodes, client_options(o)) {}
  void submit(const kv::Input& op, Done done) override {
    session_.submit(op, [done = std::move(done)](std::optional<kv::Response> r) {
      const bool ok = r.has_value();
      done(ok, std::move(r));
    });
  }

 private:
  static ClientOptions client_options(const Options& o) {
    ClientOptions c;
    c.op_timeout = std::chrono::milliseconds(o.op_timeout_ms);
    c.attempt_timeout = std::chrono::milliseconds(o.attempt_timeout_ms);
    return c;
  }
  ClientSession session_;
};

std::string base64(const std::string& in) {
  static constexpr char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += table[(v >> s) & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < in.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// etcd's v3 gateway over one keep-alive HTTP/1.1 connection: Put is
// POST /v3/kv/put, Get is POST /v3/kv/range (linearizable by default).
class EtcdSession : public Session {
 public:
  EtcdSession(asio::io_context& io, HostPort node, const Options& o)
      : io_(io), node_(std::move(node)), socket_(io), timer_(io), timeout_(o.op_timeout_ms) {}

  void submit(const kv::Input& op, Done done) override {
    nlohmann::json body = {{"key", base64(op.key)}};
    std::string path = "/v3/kv/range";
    if (op.op == kv::Op::put) {
      path = "/v3/kv/put";
      body["value"] = base64(*op.value);
    }
    const auto text = body.dump();
    request_ = fmt::format(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: "
        "{}\r\n\r\n{}",
        path, node_.text(), text.size(), text);
    done_ = std::move(done);
    timer_.expires_after(std::chrono::milliseconds(timeout_));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) fail();
    });
    if (socket_.is_open())
      send();
    else
      connect();
  }

 private:
  void connect() {
    tcp::resolver resolver(io_);
    boost::system::error_code ec;
    const auto results = resolver.resolve(node_.host, std::to_string(node_.port), ec);
    if (ec) return fail();
    asio::async_connect(socket_, results,
                        [this](boost::system::error_code error, const tcp::endpoint&) {
                          if (error) return fail();
                          socket_.set_option(tcp::no_delay(true));
                          send();
                        });
  }
  void send() {
    asio::async_write(
        socket_, asio::buffer(request_), [this](boost::system::error_code ec, std::size_t) {
          if (ec) return fail();
          asio::async_read_until(
              socket_, in_, "\r\n\r\n", [this](boost::system::error_code error, std::size_t n) {
                if (error) return fail();
                std::string head(asio::buffers_begin(in_.data()),
                                 asio::buffers_begin(in_.data()) + static_cast<long>(n));
                in_.consume(n);
                const bool ok = head.starts_with("HTTP/1.1 200");
                std::size_t length = 0;
                if (auto at = head.find("Content-Length: "); at != std::string::npos)
                  length = std::stoul(head.substr(at + 16));
                const auto have = in_.size();
                asio::async_read(socket_, in_,
                                 asio::transfer_exactly(length > have ? length - have : 0),
                                 [this, ok, length](boost::system::error_code e, std::size_t) {
                                   if (e) return fail();
                                   in_.consume(length);
                                   complete(ok);
                                 });
              });
        });
  }
  void fail() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    in_.consume(in_.size());
    complete(false);
  }
  void complete(bool ok) {
    timer_.cancel();
    if (auto done = std::exchange(done_, nullptr)) done(ok, std::nullopt);
  }

  asio::io_context& io_;
  HostPort node_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  int timeout_;
  std::string request_;
  asio::streambuf in_;
  Done done_;
};

struct History {
  nlohmann::json events = nlohmann::json::array();

  static const char* name(kv::Op op) { return kv::to_string(op); }
  static nlohmann::json opt(const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
  }
  void invoke(int process, const kv::Input& in) {
    nlohmann::json value = nullptr;
    if (in.op == kv::Op::put || in.op == kv::Op::cad) value = *in.value;
    if (in.op == kv::Op::cas) value = {opt(in.expected), *in.value};
    events.push_back({{"process", process},
                      {"type", "invoke"},
                      {"f", name(in.op)},
                      {"key", in.key},
                      {"value", value}});
  }
  void complete(int process, const kv::Input& in, const std::optional<kv::Response>& r) {
    if (r)
      events.push_back({{"process", process},
                        {"type", "ok"},
                        {"f", name(in.op)},
                        {"key", in.key},
                        {"value", {opt(r->value_after), opt(r->value_before)}}});
    else
      events.push_back(
          {{"process", process}, {"type", "info"}, {"f", name(in.op)}, {"key", in.key}});
  }
};

struct Stats {
  std::vector<double> latencies_ms;
  std::uint64_t ok = 0, unknown = 0;
  double seconds = 0;
};

class Load {
 public:
  explicit Load(const Options& o) : o_(o), nodes_(parse_host_ports(o.endpoints)), rng_(o.seed) {}
  int final_unknown() const { return final_unknown_; }

  Stats run() {
    for (int c = 0; c < o_.clients; ++c) {
      if (o_.target == "etcd")
        sessions_.push_back(std::make_unique<EtcdSession>(io_, nodes_[c % nodes_.size()], o_));
      else
        sessions_.push_back(std::make_unique<VerdictSession>(io_, nodes_, o_));
      process_.push_back(c);
    }
    start_ = Clock::now();
    measure_from_ = start_ + to_duration(o_.warmup);
    stop_at_ = measure_from_ + to_duration(o_.duration);
    active_ = o_.clients;
    for (int c = 0; c < o_.clients; ++c) next(c);
    io_.run();
    stats_.seconds =
        std::chrono::duration<double>(std::min(last_done_, stop_at_) - measure_from_).count();
    if (!o_.history.empty()) final_reads();
    return stats_;
  }

  void write_history() const {
    std::ofstream out(o_.history);
    out << nlohmann::json{{"verdict_history", 2},
                          {"failed_ops", "knossos"},
                          {"model", "vard"},
                          {"events", history_.events}}
               .dump(1)
        << "\n";
  }

 private:
  static Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  std::string key(std::uint64_t k) const { return fmt::format("k{}", k); }

  kv::Input next_op() {
    const std::string k = key(rng_() % static_cast<std::uint64_t>(o_.keys));
    if (!o_.mixed) {
      if (std::uniform_real_distribution<>(0, 1)(rng_) < o_.get_ratio) return kv::Input::get(k);
      std::string v(static_cast<std::size_t>(o_.value_size), 'x');
      for (auto& ch : v) ch = static_cast<char>('a' + rng_() % 26);
      return kv::Input::put(k, v);
    }
    // Few distinct values, so that CAS and CAD often succeed and often fail.
    auto value = [&] { return std::to_string(rng_() % 5); };
    switch (rng_() % 10) {
      case 0:
      case 1:
      case 2:
        return kv::Input::get(k);
      case 3:
      case 4:
      case 5:
        return kv::Input::put(k, value());
      case 6:
        return kv::Input::del(k);
      case 7:
        return kv::Input::cas(k, std::nullopt, value());
      case 8:
        return kv::Input::cas(k, value(), value());
      default:
        return kv::Input::cad(k, value());
    }
  }

  void next(int c) {
    if (Clock::now() >= stop_at_) {
      // Open connections keep the loop alive: stop it when the last session is done.
      if (--active_ == 0) io_.stop();
      return;
    }
    auto op = next_op();
    const auto started = Clock::now();
    if (!o_.history.empty()) history_.invoke(process_[c], op);
    sessions_[c]->submit(op, [this, c, op, started](bool ok, std::optional<kv::Response> r) {
      const auto now = Clock::now();
      last_done_ = std::max(last_done_, now);
      if (!o_.history.empty()) history_.complete(process_[c], op, ok ? r : std::nullopt);
      if (!ok)
        process_[c] += o_.clients;  // Jepsen's rule: a process with an unknown outcome is retired
      if (started >= measure_from_ && now <= stop_at_) {
        if (ok) {
          ++stats_.ok;
          stats_.latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(now - started).count());
        } else {
          ++stats_.unknown;
        }
      }
      next(c);
    });
  }

  // After the load: read every key once (one client, generous timeout).
  void final_reads() {
    asio::io_context io;
    Options o = o_;
    o.op_timeout_ms = 30000;
    VerdictSession session(io, nodes_, o);
    const int process = 1 << 20;
    std::function<void(int)> read = [&](int k) {
      if (k == o_.keys) return io.stop();
      const auto op = kv::Input::get(key(static_cast<std::uint64_t>(k)));
      history_.invoke(process + k, op);
      session.submit(op, [&, k, op](bool ok, std::optional<kv::Response> r) {
        history_.complete(process + k, op, ok ? r : std::nullopt);
        if (!ok) ++final_unknown_;
        read(k + 1);
      });
    };
    read(0);
    io.run();
    if (final_unknown_)
      fmt::print(stderr, "verdict-load: {} final reads got no answer\n", final_unknown_);
  }

  Options o_;
  std::vector<HostPort> nodes_;
  asio::io_context io_;
  std::vector<std::unique_ptr<Session>> sessions_;
  std::vector<int> process_;
  std::mt19937_64 rng_;
  Clock::time_point start_, measure_from_, stop_at_, last_done_{};
  Stats stats_;
  History history_;
  int final_unknown_ = 0;
  int active_ = 0;  // sessions still issuing operations
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"verdict-load: closed-loop load on a raft-kv cluster or on etcd"};
  app.add_option("--target", o.target, "verdict or etcd")
      ->check(CLI::IsMember({"verdict", "etcd"}));
  app.add_option("--endpoints", o.endpoints,
                 "Client addresses, host:port,... (raft-kv: in id order)")
      ->required();
  app.add_option("--clients", o.clients, "Concurrent sessions")->check(CLI::Range(1, 10000));
  app.add_option("--duration", o.duration, "Seconds of measured load");
  app.add_option("--warmup", o.warmup, "Seconds of load before measuring");
  app.add_option("--keys", o.keys, "Distinct keys")->check(CLI::Range(1, 100000000));
  app.add_option("--get-ratio", o.get_ratio, "Share of Gets (the rest are Puts)");
  app.add_option("--value-size", o.value_size, "Bytes per value")->check(CLI::Range(1, 1 << 20));
  app.add_flag("--mixed", o.mixed, "All vard operations on few values (raft-kv only)");
  app.add_option("--op-timeout-ms", o.op_timeout_ms,
                 "An operation's outcome is unknown after this");
  app.add_option("--attempt-timeout-ms", o.attempt_timeout_ms,
                 "raft-kv: try another node after this");
  app.add_option("--history", o.history, "raft-kv: write the client history (lincheck JSON) here");
  app.add_option("--seed", o.seed, "Seed for keys, values and operations");
  app.add_flag("--json", o.json, "Print the figures as JSON");
  CLI11_PARSE(app, argc, argv);
  if (o.target == "etcd" && (o.mixed || !o.history.empty())) {
    fmt::print(stderr, "verdict-load: --mixed and --history need --target verdict\n");
    return 2;
  }
  try {
    Load load(o);
    auto stats = load.run();
    if (!o.history.empty()) load.write_history();
    const double throughput = stats.seconds > 0 ? static_cast<double>(stats.ok) / stats.seconds : 0;
    nlohmann::json j = {{"target", o.target},
                        {"clients", o.clients},
                        {"seconds", stats.seconds},
                        {"ok", stats.ok},
                        {"unknown", stats.unknown},
                        {"throughput", throughput},
                        {"p50_ms", percentile(stats.latencies_ms, 50)},
                        {"p90_ms", percentile(stats.latencies_ms, 90)},
                        {"p99_ms", percentile(stats.latencies_ms, 99)},
                        {"max_ms", percentile(stats.latencies_ms, 100)}};
    if (o.json)
      fmt::print("{}\n", j.dump());
    else
      fmt::print(
          "{}: {} ok, {} unknown in {:.1f} s: {:.0f} ops/s; latency ms p50 {:.2f} p90 {:.2f} p99 "
          "{:.2f} max {:.2f}\n",
          o.target, stats.ok, stats.unknown, stats.seconds, throughput, j["p50_ms"].get<double>(),
          j["p90_ms"].get<double>(), j["p99_ms"].get<double>(), j["max_ms"].get<double>());
    return load.final_unknown() ? 3 : 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "verdict-load: {}\n", e.what());
    return 2;
  }
}
