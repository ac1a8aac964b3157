// The wire encoding: every frame kind round-trips, and malformed bytes —
// truncations, bad tags, bad lengths, values of the wrong shape, random
// garbage — are rejected with DecodeError, never accepted or crashed on; a
// count is checked against the bytes left before anything is allocated for it
// (allocation_probe.hpp sees the largest allocation).
#include <catch2/catch.hpp>

#include <random>

#include "net/tests/allocation_probe.hpp"
#include "net/wire.hpp"

using namespace verdict;
using namespace verdict::net;

namespace {

KvEntry entry(raft::Term term, raft::ClientId client, raft::RequestId id, kv::Input op) {
  return {term, {client, id, std::move(op)}};
}

std::vector<Frame> sample_frames() {
  raft::AppendEntries<kv::Input> ae{7, 41, 6, {}, 40};
  ae.entries.push_back(entry(7, 0xdeadbeefcafef00dULL, 1, kv::Input::put("k", "v")));
  ae.entries.push_back(entry(7, 3, 300, kv::Input::cas("key", std::nullopt, "new")));
  ae.entries.push_back(entry(7, 3, 301, kv::Input::cas("key", "old", std::string(1000, 'x'))));
  ae.entries.push_back(entry(7, 4, 2, kv::Input::cad("k", "")));
  ae.entries.push_back(entry(7, 4, 3, kv::Input::del("k")));
  ae.entries.push_back(entry(7, 4, 4, kv::Input::get(std::string("\0\xff", 2))));
  return {
      Hello{2, 0, 3, {1, 2, 3}},
      Challenge{{9}, {8, 7}},
      Proof{{0xff}},
      ClientHello{{1, 2}},
      PeerMsg{raft::RequestVote{5, 100000, 4}},
      PeerMsg{raft::Vote{5, true}},
      PeerMsg{raft::AppendReply{9, false, 0}},
      PeerMsg{raft::AppendReply{9, true, 4000000000u}},
      PeerMsg{ae},
      PeerMsg{raft::AppendEntries<kv::Input>{1, 0, 0, {}, 0}},
      KvRequest{1ULL << 63, 12, kv::Input::put("a", "b")},
      ClientReply{1, 2, kv::Response{"k", "after", std::nullopt}, std::nullopt},
      ClientReply{1, 2, std::nullopt, NodeId{2}},
      Control{Control::Kind::cut, 0b101},
      Control{Control::Kind::heal, 0},
      Control{Control::Kind::drop_replies, 30},
      ControlReply{true, "cut 0,2"},
  };
}

std::string body_of(const Frame& f) {
  return encode_frame(f).substr(4);
}

}  // namespace

TEST_CASE("wire: every frame kind round-trips") {
  for (const auto& f : sample_frames()) {
    const auto bytes = encode_frame(f);
    FrameBuffer buf;
    buf.append(bytes.data(), bytes.size());
    const auto body = buf.next();
    REQUIRE(body);
    CHECK(decode_body(*body) == f);
    CHECK_FALSE(buf.next());
  }
}

TEST_CASE("wire: small integers take one byte, so a heartbeat is small") {
  const auto bytes = encode_frame(PeerMsg{raft::AppendEntries<kv::Input>{3, 10, 3, {}, 9}});
  CHECK(bytes.size() == 4 + 1 + 5);  // length, tag, five one-byte varints
}

TEST_CASE("wire: a stream split at every byte yields the same frames") {
  std::string stream;
  const auto frames = sample_frames();
  for (const auto& f : frames) stream += encode_frame(f);
  FrameBuffer buf;
  std::vector<Frame> got;
  for (char c : stream) {
    buf.append(&c, 1);
    while (auto body = buf.next()) got.push_back(decode_body(*body));
  }
  CHECK(got == frames);
}

TEST_CASE("wire: every truncation of a frame body is rejected") {
  for (const auto& f : sample_frames()) {
    const auto body = body_of(f);
    for (std::size_t n = 0; n < body.size(); ++n)
      CHECK_THROWS_AS(decode_body(std::string_view(body).substr(0, n)), DecodeError);
    CHECK_THROWS_AS(decode_body(body + '\0'), DecodeError);  // a byte left over
  }
}

TEST_CASE("wire: malformed fields are rejected") {
  SECTION("unknown tag") {
    CHECK_THROWS_AS(decode_body("\x63"), DecodeError);
  }
  SECTION("wrong protocol version") {
    auto hello = body_of(Hello{1, 0, 3, {}});
    hello[1] = 1;  // the version before peers proved a key
    CHECK_THROWS_AS(decode_body(hello), DecodeError);
  }
  SECTION("unknown operation") {
    auto body = body_of(KvRequest{1, 1, kv::Input::get("k")});
    body[3] = 9;  // tag, client, id, then the operation
    CHECK_THROWS_AS(decode_body(body), DecodeError);
  }
  SECTION("a put without a value, a get with one") {
    auto get = kv::Input::get("k");
    get.value.emplace(1, 'v');  // not = "v": GCC 12 warns falsely (-Wrestrict)
    CHECK_THROWS_AS(decode_body(body_of(KvRequest{1, 1, get})), DecodeError);
    auto put = kv::Input::put("k", "v");
    put.value.reset();
    CHECK_THROWS_AS(decode_body(body_of(KvRequest{1, 1, put})), DecodeError);
  }
  SECTION("a term past 32 bits") {
    Writer w;
    w.u8(3);  // Vote
    w.varint(1ULL << 40);
    w.u8(1);
    CHECK_THROWS_AS(decode_body(w.bytes()), DecodeError);
  }
  SECTION("an overlong varint and one past 64 bits") {
    CHECK_THROWS_AS(decode_body(std::string("\x03\x80\x00\x01", 4)), DecodeError);
    CHECK_THROWS_AS(decode_body(std::string("\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x01")),
                    DecodeError);
  }
  SECTION("a flag that is neither 0 nor 1") {
    CHECK_THROWS_AS(decode_body(std::string("\x03\x01\x02", 3)), DecodeError);
  }
  SECTION("an entry count larger than the frame") {
    Writer w;
    w.u8(4);  // AppendEntries
    for (int i = 0; i < 4; ++i) w.varint(1);
    w.varint(1u << 30);
    CHECK_THROWS_AS(decode_body(w.bytes()), DecodeError);
  }
  SECTION("a string longer than the frame") {
    Writer w;
    w.u8(9);  // ControlReply
    w.u8(1);
    w.varint(1000);
    w.bytes() += "short";
    CHECK_THROWS_AS(decode_body(w.bytes()), DecodeError);
  }
}

// An entry takes at least kMinEntryBytes: a count of entries the bytes left
// cannot hold is refused before anything is reserved for it. (Checked
// against the body size, as before, a count of 64 Ki in a 64 KiB frame
// reserved 64 Ki entries, about 10 MB, before the first entry failed.)
TEST_CASE("wire: an entry count is checked against the bytes left before anything is reserved") {
  auto append_entries = [](std::uint64_t count, const std::string& rest) {
    Writer w;
    w.u8(4);  // AppendEntries
    for (int i = 0; i < 4; ++i) w.varint(1);
    w.varint(count);
    w.bytes() += rest;
    return w.bytes();
  };
  // n minimal entries (term, client, id, get, empty key, two absent values).
  std::string minimal;
  const int n = 1000;
  for (int i = 0; i < n; ++i) minimal += std::string("\x01\x01\x01\x00\x00\x00\x00", 7);
  const auto exact = decode_body(append_entries(n, minimal));
  CHECK(std::get<raft::AppendEntries<kv::Input>>(std::get<PeerMsg>(exact).body).entries.size() ==
        n);
  CHECK_THROWS_AS(decode_body(append_entries(n + 1, minimal)), DecodeError);
  // However many bytes come, at most kMaxBatchEntries entries a frame.
  std::string most;
  for (std::size_t i = 0; i < kMaxBatchEntries + 1; ++i) most += minimal.substr(0, 7);
  CHECK_THROWS_AS(decode_body(append_entries(kMaxBatchEntries + 1, most)), DecodeError);
  most.resize(most.size() - 7);
  CHECK_NOTHROW(decode_body(append_entries(kMaxBatchEntries, most)));

  const std::string garbage(64 << 10, '\x01');
  for (const std::uint64_t count : {std::uint64_t{garbage.size()}, std::uint64_t{1} << 24,
                                    std::numeric_limits<std::uint64_t>::max()}) {
    INFO(count);
    const auto body = append_entries(count, garbage);
    testing::reset_largest_allocation();
    CHECK_THROWS_AS(decode_body(body), DecodeError);
    if (testing::kAllocationProbe) CHECK(testing::largest_allocation() < body.size());
  }
}

TEST_CASE("wire: a frame length of zero or over the limit is rejected") {
  FrameBuffer buf(1024);
  const std::string zero(4, '\0');
  buf.append(zero.data(), zero.size());
  CHECK_THROWS_AS(buf.next(), DecodeError);
  FrameBuffer big(1024);
  const std::string huge("\x01\x04\x00\x00", 4);  // 1025
  big.append(huge.data(), huge.size());
  CHECK_THROWS_AS(big.next(), DecodeError);
}

TEST_CASE("wire: random garbage never decodes into something it does not re-encode to") {
  std::mt19937_64 rng(42);
  const auto frames = sample_frames();
  int rejected = 0, accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    // Mutate a valid body: flip, insert or delete a few bytes.
    auto body = body_of(frames[rng() % frames.size()]);
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const auto pos = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body[pos] = static_cast<char>(rng());
          break;
        case 1:
          body.insert(pos, 1, static_cast<char>(rng()));
          break;
        default:
          body.erase(pos, 1);
      }
    }
    try {
      const auto f = decode_body(body);
      // Accepted bytes must be exactly the canonical encoding of what they
      // decode to: no two encodings of one frame, nothing ignored.
      CHECK(body_of(f) == body);
      ++accepted;
    } catch (const DecodeError&) {
      ++rejected;
    }
  }
  CHECK(rejected > 0);
  CHECK(accepted > 0);
}
