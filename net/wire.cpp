#include "net/wire.hpp"

#include <fmt/format.h>

namespace verdict::net {

namespace {

constexpr std::uint8_t kMaxOp = static_cast<std::uint8_t>(kv::Op::cad);

}  // namespace

void Writer::u32le(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
}

void Writer::varint(std::uint64_t v) {
  while (v >= 0x80) {
    u8(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  u8(static_cast<std::uint8_t>(v));
}

void Writer::str(std::string_view s) {
  varint(s.size());
  out_.append(s);
}

void Writer::opt_str(const std::optional<std::string>& s) {
  u8(s ? 1 : 0);
  if (s) str(*s);
}

void Writer::input(const kv::Input& in) {
  u8(static_cast<std::uint8_t>(in.op));
  str(in.key);
  opt_str(in.value);
  opt_str(in.expected);
}

void Writer::response(const kv::Response& r) {
  str(r.key);
  opt_str(r.value_after);
  opt_str(r.value_before);
}

void Writer::request(const KvRequest& r) {
  varint(r.client);
  varint(r.id);
  input(r.op);
}

void Writer::entry(const KvEntry& e) {
  varint(e.term);
  request(e.request);
}

std::uint8_t Reader::u8() {
  if (pos_ >= in_.size()) throw DecodeError("truncated");
  return static_cast<std::uint8_t>(in_[pos_++]);
}

std::uint32_t Reader::u32le() {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(u8()) << (8 * i);
  return v;
}

std::uint64_t Reader::varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const std::uint8_t b = u8();
    if (shift == 63 && b > 1) throw DecodeError("varint overflows 64 bits");
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (b == 0 && shift > 0) throw DecodeError("overlong varint");
      return v;
    }
  }
  throw DecodeError("varint longer than 10 bytes");
}

bool Reader::flag() {
  const auto b = u8();
  if (b > 1) throw DecodeError(fmt::format("expected a 0/1 flag, found {}", b));
  return b == 1;
}

std::string Reader::str() {
  const auto n = varint();
  if (n > in_.size() - pos_) throw DecodeError("string runs past the end");
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  return s;
}

std::optional<std::string> Reader::opt_str() {
  if (!flag()) return std::nullopt;
  return str();
}

kv::Input Reader::input() {
  kv::Input in;
  const auto op = u8();
  if (op > kMaxOp) throw DecodeError(fmt::format("unknown operation {}", op));
  in.op = static_cast<kv::Op>(op);
  in.key = str();
  in.value = opt_str();
  in.expected = opt_str();
  // The shapes the store's operations have (models/kv/kv.hpp): a value for
  // put, cas and cad, an expected value only for cas.
  const bool needs_value = in.op == kv::Op::put || in.op == kv::Op::cas || in.op == kv::Op::cad;
  if (needs_value != in.value.has_value())
    throw DecodeError(
        fmt::format("{} {} a value", kv::to_string(in.op), needs_value ? "needs" : "takes no"));
  if (in.expected && in.op != kv::Op::cas)
    throw DecodeError(fmt::format("{} takes no expected value", kv::to_string(in.op)));
  return in;
}

kv::Response Reader::response() {
  kv::Response r;
  r.key = str();
  r.value_after = opt_str();
  r.value_before = opt_str();
  return r;
}

KvRequest Reader::request() {
  KvRequest r;
  r.client = varint_as<raft::ClientId>();
  r.id = varint_as<raft::RequestId>();
  r.op = input();
  return r;
}

KvEntry Reader::entry() {
  KvEntry e;
  e.term = varint_as<raft::Term>();
  e.request = request();
  return e;
}

void Reader::expect_done() const {
  if (!done()) throw DecodeError(fmt::format("{} bytes left over", in_.size() - pos_));
}

std::string encode_frame(const Frame& f) {
  Writer w;
  w.u32le(0);  // the body length, filled in below
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Hello>) {
          w.tag(Tag::hello);
          w.u8(kProtocolVersion);
          w.varint(v.from);
          w.varint(v.to);
          w.varint(v.nodes);
          w.fixed(v.nonce);
        } else if constexpr (std::is_same_v<T, Challenge>) {
          w.tag(Tag::challenge);
          w.fixed(v.nonce);
          w.fixed(v.proof);
        } else if constexpr (std::is_same_v<T, Proof>) {
          w.tag(Tag::proof);
          w.fixed(v.proof);
        } else if constexpr (std::is_same_v<T, ClientHello>) {
          w.tag(Tag::client_hello);
          w.u8(kProtocolVersion);
          w.fixed(v.token);
        } else if constexpr (std::is_same_v<T, PeerMsg>) {
          std::visit(
              [&](const auto& m) {
                using M = std::decay_t<decltype(m)>;
                if constexpr (std::is_same_v<M, raft::RequestVote>) {
                  w.tag(Tag::request_vote);
                  w.varint(m.term);
                  w.varint(m.last_index);
                  w.varint(m.last_term);
                } else if constexpr (std::is_same_v<M, raft::Vote>) {
                  w.tag(Tag::vote);
                  w.varint(m.term);
                  w.u8(m.granted);
                } else if constexpr (std::is_same_v<M, raft::AppendReply>) {
                  w.tag(Tag::append_reply);
                  w.varint(m.term);
                  w.u8(m.success);
                  w.varint(m.match);
                } else {
                  w.tag(Tag::append_entries);
                  w.varint(m.term);
                  w.varint(m.prev_index);
                  w.varint(m.prev_term);
                  w.varint(m.commit);
                  w.varint(m.entries.size());
                  for (const auto& e : m.entries) w.entry(e);
                }
              },
              v.body);
        } else if constexpr (std::is_same_v<T, KvRequest>) {
          w.tag(Tag::client_request);
          w.request(v);
        } else if constexpr (std::is_same_v<T, ClientReply>) {
          w.tag(Tag::client_reply);
          w.varint(v.client);
          w.varint(v.id);
          w.u8(v.result ? 1 : 0);
          if (v.result) w.response(*v.result);
          w.u8(v.leader ? 1 : 0);
          if (v.leader) w.varint(*v.leader);
        } else if constexpr (std::is_same_v<T, Control>) {
          w.tag(Tag::control);
          w.u8(static_cast<std::uint8_t>(v.kind));
          w.varint(v.arg);
        } else {
          w.tag(Tag::control_reply);
          w.u8(v.ok);
          w.str(v.text);
        }
      },
      f);
  auto& bytes = w.bytes();
  const auto body = static_cast<std::uint32_t>(bytes.size() - 4);
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(body >> (8 * i));
  return std::move(bytes);
}

Tag tag_of(std::string_view body) {
  if (body.empty()) throw DecodeError("empty frame");
  return static_cast<Tag>(body[0]);
}

namespace {

void expect_version(Reader& r) {
  if (const auto version = r.u8(); version != kProtocolVersion)
    throw DecodeError(fmt::format("protocol version {}, expected {}", version, kProtocolVersion));
}

}  // namespace

Frame decode_body(std::string_view body) {
  Reader r(body);
  Frame f;
  switch (const auto tag = static_cast<Tag>(r.u8())) {
    case Tag::hello: {
      expect_version(r);
      Hello h;
      h.from = r.varint_as<NodeId>();
      h.to = r.varint_as<NodeId>();
      h.nodes = r.varint_as<std::uint32_t>();
      h.nonce = r.fixed<kNonceBytes>();
      f = h;
      break;
    }
    case Tag::challenge: {
      Challenge c;
      c.nonce = r.fixed<kNonceBytes>();
      c.proof = r.fixed<kMacBytes>();
      f = c;
      break;
    }
    case Tag::proof:
      f = Proof{r.fixed<kMacBytes>()};
      break;
    case Tag::client_hello:
      expect_version(r);
      f = ClientHello{r.fixed<kTokenBytes>()};
      break;
    case Tag::request_vote: {
      raft::RequestVote m;
      m.term = r.varint_as<raft::Term>();
      m.last_index = r.varint_as<raft::Index>();
      m.last_term = r.varint_as<raft::Term>();
      f = PeerMsg{m};
      break;
    }
    case Tag::vote: {
      raft::Vote m;
      m.term = r.varint_as<raft::Term>();
      m.granted = r.flag();
      f = PeerMsg{m};
      break;
    }
    case Tag::append_reply: {
      raft::AppendReply m;
      m.term = r.varint_as<raft::Term>();
      m.success = r.flag();
      m.match = r.varint_as<raft::Index>();
      f = PeerMsg{m};
      break;
    }
    case Tag::append_entries: {
      raft::AppendEntries<kv::Input> m;
      m.term = r.varint_as<raft::Term>();
      m.prev_index = r.varint_as<raft::Index>();
      m.prev_term = r.varint_as<raft::Term>();
      m.commit = r.varint_as<raft::Index>();
      const auto n = r.varint();
      // Checked against the bytes that are left before anything is reserved,
      // so that a count cannot reserve more than the frame could hold.
      if (n > kMaxBatchEntries)
        throw DecodeError(fmt::format("{} entries, more than {}", n, kMaxBatchEntries));
      if (n > r.remaining() / kMinEntryBytes)
        throw DecodeError(
            fmt::format("{} entries cannot fit in the {} bytes left", n, r.remaining()));
      if (n > std::numeric_limits<raft::Index>::max() - m.prev_index)
        throw DecodeError("entries run past the largest log index");
      m.entries.reserve(n);
      for (std::uint64_t i = 0; i < n; ++i) m.entries.push_back(r.entry());
      f = PeerMsg{std::move(m)};
      break;
    }
    case Tag::client_request:
      f = r.request();
      break;
    case Tag::client_reply: {
      ClientReply c;
      c.client = r.varint_as<raft::ClientId>();
      c.id = r.varint_as<raft::RequestId>();
      if (r.flag()) c.result = r.response();
      if (r.flag()) c.leader = r.varint_as<NodeId>();
      f = std::move(c);
      break;
    }
    case Tag::control: {
      Control c;
      const auto kind = r.u8();
      if (kind < static_cast<std::uint8_t>(Control::Kind::cut) ||
          kind > static_cast<std::uint8_t>(Control::Kind::drop_replies))
        throw DecodeError(fmt::format("unknown control command {}", kind));
      c.kind = static_cast<Control::Kind>(kind);
      c.arg = r.varint();
      if (c.kind == Control::Kind::drop_replies && c.arg > 100)
        throw DecodeError(fmt::format("drop {}% of replies", c.arg));
      f = c;
      break;
    }
    case Tag::control_reply: {
      ControlReply c;
      c.ok = r.flag();
      c.text = r.str();
      f = std::move(c);
      break;
    }
    default:
      throw DecodeError(fmt::format("unknown frame tag {}", static_cast<int>(tag)));
  }
  r.expect_done();
  return f;
}

std::optional<std::string> FrameBuffer::next() {
  if (buf_.size() - pos_ < 4) return std::nullopt;
  Reader header(std::string_view(buf_).substr(pos_, 4));
  const auto len = header.u32le();
  if (len == 0 || len > max_)
    throw DecodeError(fmt::format("frame length {} outside 1..{}", len, max_));
  if (buf_.size() - pos_ - 4 < len) {
    // Keep the buffer from growing without bound on a long stream.
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    return std::nullopt;
  }
  std::string body = buf_.substr(pos_ + 4, len);
  pos_ += 4 + len;
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  return body;
}

}  // namespace verdict::net
