// The durable log: what is synced comes back after a reopen (truncations
// included); a torn tail — every possible cut of the last write, or a
// damaged last record — is truncated and the records before it kept; damage
// with valid records after it, a foreign header or records that make no
// sense are reported as CorruptData.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "net/durable_log.hpp"

using namespace verdict;
using namespace verdict::net;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/verdict-durable-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

KvEntry entry(raft::Term term, raft::RequestId id, std::string value) {
  return {term, {7, id, kv::Input::put("k", std::move(value))}};
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

DurableState reopen(const fs::path& dir, Recovery* recovery = nullptr) {
  DurableState s;
  Recovery r;
  DurableLog::open(dir, 1, 3, s, r);
  if (recovery) *recovery = r;
  return s;
}

bool same(const DurableState& a, const DurableState& b) {
  return a.term == b.term && a.voted_for == b.voted_for && a.log == b.log;
}

// Writes a history of changes, syncing after each; returns the states after
// each sync and the file size after each.
struct Written {
  std::vector<DurableState> states;
  std::vector<std::uintmax_t> sizes;
};

Written write_history(const fs::path& dir) {
  DurableState s;
  Recovery r;
  auto log = DurableLog::open(dir, 1, 3, s, r);
  CHECK(r.created);
  Written w;
  auto step = [&] {
    log.record(s.term, s.voted_for, s.log);
    log.sync();
    w.states.push_back(s);
    w.sizes.push_back(fs::file_size(dir / DurableLog::kFileName));
  };
  step();  // nothing to write yet
  s.term = 1;
  s.voted_for = 0;
  step();
  s.log = {entry(1, 1, "a"), entry(1, 2, "b"), entry(1, 3, "c")};
  step();
  s.term = 2;
  s.voted_for.reset();
  step();
  s.voted_for = 2;
  s.log.resize(1);  // a conflict: the new leader's entries replace ours
  s.log.push_back(entry(2, 4, "d"));
  s.log.push_back(entry(2, 5, std::string(300, 'e')));
  step();
  s.log.push_back(entry(2, 6, "f"));
  step();
  return w;
}

}  // namespace

TEST_CASE("durable log: what was synced comes back") {
  TempDir dir;
  const auto w = write_history(dir.path);
  CHECK(w.sizes[0] == durable_format::kHeaderSize);  // the empty step wrote nothing
  Recovery r;
  const auto s = reopen(dir.path, &r);
  CHECK(same(s, w.states.back()));
  CHECK_FALSE(r.created);
  CHECK(r.truncated_bytes == 0);
  CHECK(s.log.size() == 4);
  CHECK(s.log[1].request.id == 4);  // the truncated entries are gone
}

TEST_CASE("durable log: a second open of the same directory is refused while the first holds it") {
  TempDir dir;
  DurableState s;
  Recovery r;
  auto first = DurableLog::open(dir.path, 1, 3, s, r);
  CHECK_THROWS_WITH(DurableLog::open(dir.path, 1, 3, s, r), Catch::Contains("in use"));
}

TEST_CASE("durable log: every cut of the file is a torn tail back to the last whole record") {
  TempDir dir;
  const auto w = write_history(dir.path);
  const auto path = dir.path / DurableLog::kFileName;
  const auto full = read_bytes(path);
  std::vector<std::size_t> boundaries{durable_format::kHeaderSize};
  while (boundaries.back() < full.size()) {
    Reader len(std::string_view(full).substr(boundaries.back(), 4));
    boundaries.push_back(boundaries.back() + durable_format::kRecordHeader + len.u32le());
  }
  REQUIRE(boundaries.back() == full.size());
  for (std::size_t cut = durable_format::kHeaderSize; cut < full.size(); ++cut) {
    write_bytes(path, full.substr(0, cut));
    Recovery r;
    const auto s = reopen(dir.path, &r);
    // The state is the one after the last sync that fits; at a record
    // boundary within a sync the state is in between, so compare there only.
    std::size_t k = 0;
    while (k + 1 < w.sizes.size() && w.sizes[k + 1] <= cut) ++k;
    if (w.sizes[k] == cut) {
      CHECK(same(s, w.states[k]));
      CHECK(r.truncated_bytes == 0);
    }
    const auto kept = *std::prev(std::upper_bound(boundaries.begin(), boundaries.end(), cut));
    CHECK(r.truncated_bytes == cut - kept);
    // The truncation is written back: a second open finds nothing to cut.
    Recovery again;
    const auto s2 = reopen(dir.path, &again);
    CHECK(again.truncated_bytes == 0);
    CHECK(same(s, s2));
  }
}

TEST_CASE("durable log: a damaged last record is truncated, a damaged middle one is reported") {
  TempDir dir;
  const auto w = write_history(dir.path);
  const auto path = dir.path / DurableLog::kFileName;
  const auto full = read_bytes(path);

  SECTION("last record") {
    auto bytes = full;
    bytes[bytes.size() - 2] ^= 0x40;  // inside the last entry's value
    write_bytes(path, bytes);
    Recovery r;
    const auto s = reopen(dir.path, &r);
    CHECK(r.truncated_bytes > 0);
    CHECK(same(s, w.states[w.states.size() - 2]));
  }
  SECTION("a record in the middle") {
    auto bytes = full;
    bytes[durable_format::kHeaderSize + durable_format::kRecordHeader + 1] ^= 0x01;
    write_bytes(path, bytes);
    CHECK_THROWS_AS(reopen(dir.path), CorruptData);
    CHECK(read_bytes(path) == bytes);  // nothing was truncated
  }
  SECTION("garbage appended after the last record is a torn tail") {
    write_bytes(path, full + std::string("\x10\x00\x00\x00garbage", 11));
    Recovery r;
    CHECK(same(reopen(dir.path, &r), w.states.back()));
    CHECK(r.truncated_bytes == 11);
  }
}

TEST_CASE("durable log: a data directory that is not this node's is reported") {
  TempDir dir;
  write_history(dir.path);
  const auto path = dir.path / DurableLog::kFileName;
  const auto full = read_bytes(path);
  DurableState s;
  Recovery r;
  SECTION("another node's") {
    CHECK_THROWS_WITH(DurableLog::open(dir.path, 2, 3, s, r), Catch::Contains("belongs to node 1"));
  }
  SECTION("a damaged header") {
    auto bytes = full;
    bytes[10] ^= 0x01;
    write_bytes(path, bytes);
    CHECK_THROWS_AS(DurableLog::open(dir.path, 1, 3, s, r), CorruptData);
  }
  SECTION("not a log at all") {
    write_bytes(path, "hello");
    CHECK_THROWS_AS(DurableLog::open(dir.path, 1, 3, s, r), CorruptData);
  }
}

TEST_CASE("durable log: a well-formed record that makes no sense is reported") {
  TempDir dir;
  DurableState s;
  Recovery r;
  { auto log = DurableLog::open(dir.path, 0, 3, s, r); }
  const auto path = dir.path / DurableLog::kFileName;
  auto with_record = [&](std::string body) {
    Writer w;
    w.u32le(static_cast<std::uint32_t>(body.size()));
    w.u32le(durable_format::crc32(body));
    write_bytes(path, read_bytes(path).substr(0, durable_format::kHeaderSize) + w.bytes() + body);
  };
  SECTION("an entry appended at the wrong index") {
    Writer w;
    w.u8(durable_format::kAppend);
    w.varint(5);
    w.entry(entry(0, 1, "x"));
    with_record(w.bytes());
  }
  SECTION("a vote for a node outside the cluster") {
    Writer w;
    w.u8(durable_format::kTermVote);
    w.varint(3);
    w.u8(1);
    w.varint(3);
    with_record(w.bytes());
  }
  SECTION("an unknown record type") {
    with_record("\x09");
  }
  CHECK_THROWS_AS(DurableLog::open(dir.path, 0, 3, s, r), CorruptData);
}
