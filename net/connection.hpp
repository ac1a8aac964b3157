// One TCP connection carrying frames (net/wire.hpp), for the server's peer
// and client links: a read loop that hands each complete frame body to a
// callback, and a write queue whose frames go out together in one write
// while another is in flight. Malformed framing closes the connection.
//
// What a connection holds is bounded: its read buffer by the frame limit
// (one frame plus one read), its write queue by `max_queued`; and a deadline
// (`expire_after`) closes a connection that has not finished its handshake.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>

#include "net/wire.hpp"

namespace verdict::net {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Returns false to close the connection (a frame it does not accept).
  using OnFrame = std::function<bool(Connection&, std::string_view body)>;
  using OnClose = std::function<void(Connection&, const std::string& why)>;

  static constexpr std::size_t kDefaultMaxQueued = 64u << 20;

  explicit Connection(boost::asio::ip::tcp::socket socket, std::size_t max_frame = kMaxFrame,
                      std::size_t max_queued = kDefaultMaxQueued);

  void start(OnFrame on_frame, OnClose on_close);
  // Queues an encoded frame; dropped (false) if the connection is closed or
  // more than `max_queued` bytes already wait.
  bool send(std::string_view frame);
  void close(const std::string& why);
  bool is_open() const { return !closed_; }
  std::string peer_text() const { return peer_; }
  // Frames after the handshake may be larger than before it.
  void set_max_frame(std::size_t max_frame) { frames_.set_max_frame(max_frame); }
  // Closes the connection with `why` unless `keep()` is called in time.
  void expire_after(std::chrono::milliseconds after, std::string why);
  void keep() { deadline_.cancel(); }

 private:
  void read();
  void write();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_;
  FrameBuffer frames_;
  std::size_t max_queued_;
  std::array<char, 1 << 16> buffer_{};
  std::string queued_, writing_;
  bool closed_ = false;
  std::string peer_;
  OnFrame on_frame_;
  OnClose on_close_;
};

}  // namespace verdict::net
