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

#include <array>
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
#include "net/auth.hpp"

namespace verdict::net {

using RaftKv = raft::Raft<kv::Machine>;
using PeerMsg = RaftKv::Msg;
using KvRequest = raft::Request<kv::Input>;
using KvEntry = raft::Entry<kv::Input>;

inline constexpr std::size_t kMaxFrame = 16u << 20;  // bytes in a frame body
// From a client: a 1 MiB value with its key and fields.
inline constexpr std::size_t kMaxClientFrame = (1u << 20) + (4u << 10);
inline constexpr std::uint8_t kProtocolVersion = 2;
// Before a peer has proved the cluster key its frames may be this long at most.
inline constexpr std::size_t kMaxHandshakeFrame = 256;
// The fewest bytes an encoded log entry takes (term, client, id, op, key
// length, two absent optionals): a count of entries is checked against it.
inline constexpr std::size_t kMinEntryBytes = 7;
// The most entries one AppendEntries may carry (`serve --max-entries` is at
// most this), so that a frame of tiny entries cannot make the receiver hold
// more than this many in memory (about 9 MiB).
inline constexpr std::size_t kMaxBatchEntries = 1u << 16;

// The tag byte that starts a frame body.
enum class Tag : std::uint8_t {
  hello = 1,
  request_vote = 2,
  vote = 3,
  append_entries = 4,
  append_reply = 5,
  client_request = 6,
  client_reply = 7,
  control = 8,
  control_reply = 9,
  challenge = 10,
  proof = 11,
  client_hello = 12,
};

class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends encoded values to a byte string.
class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void tag(Tag t) { u8(static_cast<std::uint8_t>(t)); }
  void u32le(std::uint32_t v);
  template <std::size_t N>
  void fixed(const std::array<std::uint8_t, N>& bytes) {
    out_.append(reinterpret_cast<const char*>(bytes.data()), N);
  }
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
  template <std::size_t N>
  std::array<std::uint8_t, N> fixed() {
    std::array<std::uint8_t, N> out{};
    for (auto& b : out) b = u8();
    return out;
  }
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

  std::size_t remaining() const { return in_.size() - pos_; }
  bool done() const { return pos_ == in_.size(); }
  void expect_done() const;

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

// The peer handshake (net/auth.hpp): the dialing node introduces itself and
// its nonce, the accepting node answers with its nonce and its proof of the
// cluster key, the dialer sends its proof. Only then are peer messages read.
struct Hello {
  NodeId from = 0;
  NodeId to = 0;
  std::uint32_t nodes = 0;
  Nonce nonce{};
  auto operator<=>(const Hello&) const = default;
};
struct Challenge {
  Nonce nonce{};
  Mac proof{};
  auto operator<=>(const Challenge&) const = default;
};
struct Proof {
  Mac proof{};
  auto operator<=>(const Proof&) const = default;
};

// A client connection starts with its token; the connection may then send
// requests only for the client id the token gives (client_id_of).
struct ClientHello {
  ClientToken token{};
  auto operator<=>(const ClientHello&) const = default;
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

using Frame = std::variant<Hello, PeerMsg, KvRequest, ClientReply, Control, ControlReply, Challenge,
                           Proof, ClientHello>;

// The frame with its length prefix, ready to write to a socket.
std::string encode_frame(const Frame& f);
// A frame body (without the length prefix).
Frame decode_body(std::string_view body);
// A body's tag, read before anything else is decoded (DecodeError if empty).
Tag tag_of(std::string_view body);

// Splits a byte stream into frame bodies.
class FrameBuffer {
 public:
  explicit FrameBuffer(std::size_t max_frame = kMaxFrame) : max_(max_frame) {}
  void append(const char* data, std::size_t n) { buf_.append(data, n); }
  void set_max_frame(std::size_t max_frame) { max_ = max_frame; }
  // The next complete body, or nullopt if more bytes are needed; throws
  // DecodeError for a length over the limit.
  std::optional<std::string> next();

 private:
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t max_;
};

}  // namespace verdict::net
