// Test helpers for `verdict serve` end to end: a node process (started from
// $VERDICT_BIN with the arguments a test gives), a temporary directory, a
// cluster key file, free loopback ports, and a raw TCP connection that sends
// bytes and reads frames with a timeout, to play a peer or a client by hand.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

#include "net/client.hpp"

namespace verdict::net::testing {

namespace fs = std::filesystem;

inline std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/verdict-serve-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

// A key file as `serve --cluster-key` wants it: `bytes`, mode 0600.
inline fs::path write_key(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  return file;
}

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// One `verdict serve raft-kv` process: node `id` of the cluster whose peer
// ports are `peer_ports`; its stderr goes to DIR/node<id>.log.
class Node {
 public:
  Node(fs::path dir, NodeId id, std::vector<std::uint16_t> peer_ports,
       std::vector<std::string> extra = {})
      : dir_(std::move(dir)),
        id_(id),
        peer_ports_(std::move(peer_ports)),
        client_(free_port()),
        extra_(std::move(extra)) {}
  explicit Node(fs::path dir, std::vector<std::string> extra = {})
      : Node(std::move(dir), 0, {free_port()}, std::move(extra)) {}
  ~Node() { kill(); }
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // `max_files`: the process's file descriptor limit (RLIMIT_NOFILE), if set.
  void start(std::optional<rlim_t> max_files = std::nullopt) {
    const char* bin = std::getenv("VERDICT_BIN");
    REQUIRE(bin);
    std::string peers;
    for (auto p : peer_ports_)
      peers += (peers.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(p);
    std::vector<std::string> args{bin,
                                  "serve",
                                  "raft-kv",
                                  "--id",
                                  std::to_string(id_),
                                  "--peers",
                                  peers,
                                  "--client-port",
                                  std::to_string(client_),
                                  "--data-dir",
                                  data_dir().string()};
    if (std::find(extra_.begin(), extra_.end(), "--election-timeout-ms") == extra_.end())
      args.insert(args.end(), {"--election-timeout-ms", "20"});  // a one-node cluster leads soon
    args.insert(args.end(), extra_.begin(), extra_.end());
    const auto log = log_path().string();
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      if (!std::freopen(log.c_str(), "a", stderr)) std::_Exit(126);
      if (max_files) {
        const rlimit limit{*max_files, *max_files};
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) std::_Exit(125);
      }
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin, argv.data());
      std::_Exit(127);
    }
    wait_serving(starts_++);
  }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Waits for the process to exit on its own; its exit code.
  int wait_exit() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // Without reaping it, so that wait_exit still sees how it exited.
  bool running() const {
    if (pid_ <= 0) return false;
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
  }
  pid_t pid() const { return pid_; }

  std::optional<kv::Response> op(const kv::Input& in) const {
    ClientOptions o;
    o.op_timeout = std::chrono::seconds(10);
    o.attempt_timeout = std::chrono::milliseconds(300);
    return run_one({{"127.0.0.1", client_}}, in, o);
  }
  std::uint16_t client_port() const { return client_; }
  std::uint16_t peer_port() const { return peer_ports_[id_]; }
  fs::path data_dir() const { return dir_ / ("data" + std::to_string(id_)); }
  fs::path log_path() const { return dir_ / ("node" + std::to_string(id_) + ".log"); }
  std::string log_text() const { return read_text(log_path()); }
  // Whether the log says `text` within 10 s (a node logs a refusal
  // just after it closes the connection).
  bool log_says(const std::string& text) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (log_text().find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

 private:
  // Waits until the log says "serving" for the n-th time (0-based) — the
  // ports are bound — or the process exits (a test of a refusal).
  void wait_serving(int n) const {
    // Generous: a sanitizer build on a loaded machine starts slowly.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && running()) {
      const auto text = log_text();
      int seen = 0;
      for (auto at = text.find("] serving:"); at != std::string::npos;
           at = text.find("] serving:", at + 1))
        ++seen;
      if (seen > n) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  fs::path dir_;
  NodeId id_;
  std::vector<std::uint16_t> peer_ports_;
  std::uint16_t client_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  int starts_ = 0;
};

// The context of the tests' blocking sockets (never run).
inline boost::asio::io_context& sync_io() {
  static boost::asio::io_context io;
  return io;
}

// Listens on a loopback port, to play a peer that a node dials.
class Listener {
 public:
  explicit Listener(std::uint16_t port)
      : acceptor_(sync_io(), {boost::asio::ip::make_address("127.0.0.1"), port}) {}
  boost::asio::ip::tcp::socket accept() { return acceptor_.accept(); }

 private:
  boost::asio::ip::tcp::acceptor acceptor_;
};

// A TCP connection driven by hand: raw bytes out, frames in.
class RawConn {
 public:
  // Retries a refused connection for a while: a node under a sanitizer on a
  // loaded machine may bind its ports after the test moved on.
  explicit RawConn(std::uint16_t port) : socket_(sync_io()) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      boost::system::error_code ec;
      socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
      if (!ec) return;
      if (ec != boost::asio::error::connection_refused ||
          std::chrono::steady_clock::now() > deadline)
        throw boost::system::system_error(ec, "connect");
      socket_.close();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  explicit RawConn(boost::asio::ip::tcp::socket accepted) : socket_(std::move(accepted)) {}
  void send(const std::string& bytes) {
    boost::system::error_code ignored;  // a closed connection shows up when reading
    boost::asio::write(socket_, boost::asio::buffer(bytes), ignored);
  }
  // The next frame body, or nullopt if the connection closed or nothing came
  // within `timeout`.
  std::optional<std::string> read_frame(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto body = frames_.next()) return body;
      if (closed_ || !wait_readable(deadline)) return std::nullopt;
      char buf[4096];
      boost::system::error_code ec;
      const auto n = socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec) {
        closed_ = true;
        return std::nullopt;
      }
      frames_.append(buf, n);
    }
  }
  // True if the other side closes the connection within `timeout` (whatever
  // it sends before).
  bool closed_within(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_ && std::chrono::steady_clock::now() < deadline) read_frame(timeout);
    return closed_;
  }

 private:
  bool wait_readable(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{socket_.native_handle(), POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(left.count())) > 0;
  }

  boost::asio::ip::tcp::socket socket_;
  FrameBuffer frames_;
  bool closed_ = false;
};

}  // namespace verdict::net::testing
