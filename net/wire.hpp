// The wire encoding of `verdict serve` and `verdict client`: how Raft
// messages, client requests and replies and control commands travel in a TCP
// byte stream, and the primitives the durable log reuses. docs/serve.md
// describes it byte by byte.
//
// A frame is a 4-byte little-endian body length, then the body: a tag byte
// and the fields in a fixed order. Integers are LEB128 varints, strings a
// varint length and the bytes, an optional value a 0/1 byte and the value.
// Decoding checks every length, range and tag and that nothing is left over,
// and throws DecodeError otherwise: a malformed frame closes its connection,
// it never reaches a handler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "models/kv/kv.hpp"
#include "models/raft/raft.hpp"

namespace verdict::net {

using RaftKv = raft::Raft<kv::Machine>;
using PeerMsg = RaftKv::Msg;
using KvRequest = raft::Request<kv::Input>;
using KvEntry = raft::Entry<kv::Input>;

inline constexpr std::size_t kMaxFrame = 16u << 20;  // bytes in a frame body
inline constexpr std::uint8_t kProtocolVersion = 1;

class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends encoded values to a byte string.
class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32le(std::uint32_t v);
  void varint(std::uint64_t v);
  void str(std::string_view s);
  void opt_str(const std::optional<std::string>& s);
  void input(const kv::Input& in);
  void response(const kv::Response& r);
  void request(const KvRequest& r);
  void entry(const KvEntry& e);

  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads encoded values from a byte range; throws DecodeError on anything
// short, too long, out of range or unknown.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint8_t u8();
  std::uint32_t u32le();
  std::uint64_t varint();
  template <class T>
  T varint_as() {  // a varint that must fit T
    const auto v = varint();
    if (v > std::numeric_limits<T>::max()) throw DecodeError("integer too large");
    return static_cast<T>(v);
  }
  bool flag();
  std::string str();
  std::optional<std::string> opt_str();
  kv::Input input();
  kv::Response response();
  KvRequest request();
  KvEntry entry();

  bool done() const { return pos_ == in_.size(); }
  void expect_done() const;

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

// A node introduces itself on a peer connection before sending messages.
struct Hello {
  NodeId from = 0;
  std::uint32_t nodes = 0;
  auto operator<=>(const Hello&) const = default;
};

// A reply to a client. `result` empty: this node is not the leader;
// `leader`, if known, says which node the client should try next.
struct ClientReply {
  raft::ClientId client = 0;
  raft::RequestId id = 0;
  std::optional<kv::Response> result;
  std::optional<NodeId> leader;
  auto operator<=>(const ClientReply&) const = default;
};

// Fault injection for tests (`verdict serve --fault-injection`): cut drops
// every message to and from the peers in `arg` (a bit mask of node ids), heal
// restores them; drop_replies drops `arg` percent of the answers to clients
// (so that clients retry requests that took effect).
struct Control {
  enum class Kind : std::uint8_t { cut = 1, heal = 2, drop_replies = 3 };
  Kind kind = Kind::heal;
  std::uint64_t arg = 0;
  auto operator<=>(const Control&) const = default;
};

struct ControlReply {
  bool ok = false;
  std::string text;
  auto operator<=>(const ControlReply&) const = default;
};

using Frame = std::variant<Hello, PeerMsg, KvRequest, ClientReply, Control, ControlReply>;

// The frame with its length prefix, ready to write to a socket.
std::string encode_frame(const Frame& f);
// A frame body (without the length prefix).
Frame decode_body(std::string_view body);

// Splits a byte stream into frame bodies.
class FrameBuffer {
 public:
  explicit FrameBuffer(std::size_t max_frame = kMaxFrame) : max_(max_frame) {}
  void append(const char* data, std::size_t n) { buf_.append(data, n); }
  // The next complete body, or nullopt if more bytes are needed; throws
  // DecodeError for a length over the limit.
  std::optional<std::string> next();

 private:
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t max_;
};

}  // namespace verdict::net
