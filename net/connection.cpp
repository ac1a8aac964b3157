#include "net/connection.hpp"

namespace verdict::net {

namespace asio = boost::asio;

Connection::Connection(asio::ip::tcp::socket socket, std::size_t max_frame, std::size_t max_queued)
    : socket_(std::move(socket)),
      deadline_(socket_.get_executor()),
      frames_(max_frame),
      max_queued_(max_queued) {
  boost::system::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  const auto remote = socket_.remote_endpoint(ec);
  peer_ = ec ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
}

void Connection::start(OnFrame on_frame, OnClose on_close) {
  on_frame_ = std::move(on_frame);
  on_close_ = std::move(on_close);
  read();
}

void Connection::read() {
  socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](
                                                     boost::system::error_code ec, std::size_t n) {
    if (self->closed_) return;
    if (ec) return self->close(ec == asio::error::eof ? "closed by peer" : ec.message());
    self->frames_.append(self->buffer_.data(), n);
    try {
      while (auto body = self->frames_.next()) {
        if (!self->on_frame_(*self, *body)) return self->close("unexpected frame");
        if (self->closed_) return;
      }
    } catch (const DecodeError& e) {
      return self->close(std::string("malformed frame: ") + e.what());
    }
    self->read();
  });
}

bool Connection::send(std::string_view frame) {
  if (closed_ || queued_.size() + writing_.size() + frame.size() > max_queued_) return false;
  queued_ += frame;
  if (writing_.empty()) write();
  return true;
}

void Connection::write() {
  writing_.swap(queued_);
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      self->writing_.clear();
                      if (self->closed_) return;
                      if (ec) return self->close(ec.message());
                      if (!self->queued_.empty()) self->write();
                    });
}

void Connection::expire_after(std::chrono::milliseconds after, std::string why) {
  deadline_.expires_after(after);
  deadline_.async_wait(
      [self = shared_from_this(), why = std::move(why)](boost::system::error_code ec) {
        if (!ec) self->close(why);
      });
}

void Connection::close(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  deadline_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  auto on_close = std::move(on_close_);
  if (on_close) on_close(*this, why);
}

}  // namespace verdict::net
