// A small web server for one person on this machine (`verdict explore`):
// bound to 127.0.0.1 only, one thread, with a per-run random session token
// that every request must carry as the first segment of its path
// (http://127.0.0.1:PORT/TOKEN/...). A request with another Host than
// 127.0.0.1:PORT or localhost:PORT (DNS rebinding), another Origin, or
// without the token gets 403 and nothing else; requests are bounded (8 KiB
// of headers, 64 KiB of body, 10 s to arrive, 16 connections at once). The
// handler sees only checked requests. Boost.Beast stays inside
// http_server.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace verdict::cli {

struct HttpRequest {
  std::string method;  // GET, POST...
  std::string path;    // after the token: "/" or "/api/view"; no query string
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class LoopbackServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Binds 127.0.0.1:port (0: any free port); throws UsageError if it cannot.
  LoopbackServer(std::uint16_t port, Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const;
  const std::string& token() const;
  // http://127.0.0.1:PORT/TOKEN/
  std::string url() const;
  // Serves until SIGINT or SIGTERM.
  void run();

  struct Impl;  // in http_server.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace verdict::cli
