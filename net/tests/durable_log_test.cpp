// The durable log: what is synced comes back after a reopen (truncations
// included); a torn tail — every cut of what was written after the header's
// note of the last sync, or a last record zero-filled from a sector boundary —
// is truncated and the records before it kept; a cut before the note (at a
// record boundary too), a flipped byte in the last record, damage with valid
// records after it, a foreign header or records that make no sense are
// reported as CorruptData, and `serve` exits 2 for them.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "net/durable_log.hpp"
#include "net/server.hpp"

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

namespace {

// The record boundaries of a log file.
std::vector<std::size_t> boundaries(const std::string& file) {
  std::vector<std::size_t> at{durable_format::kHeaderSize};
  while (at.back() < file.size()) {
    Reader len(std::string_view(file).substr(at.back(), 4));
    at.push_back(at.back() + durable_format::kRecordHeader + len.u32le());
  }
  return at;
}

}  // namespace

TEST_CASE("durable log: a cut after the synced note is a torn tail, one before it is refused") {
  TempDir dir;
  const auto w = write_history(dir.path);
  const auto path = dir.path / DurableLog::kFileName;
  const auto full = read_bytes(path);
  const auto at = boundaries(full);
  REQUIRE(at.back() == full.size());
  // Each sync notes the previous one's end in the header: the last note is
  // the end of the second-to-last sync.
  const auto noted = w.sizes[w.sizes.size() - 2];
  Recovery first;
  reopen(dir.path, &first);
  REQUIRE(first.synced_bytes == noted);
  std::size_t refused = 0, torn = 0;
  for (std::size_t cut = durable_format::kHeaderSize; cut < full.size(); ++cut) {
    write_bytes(path, full.substr(0, cut));
    if (cut < noted) {
      // Records the header says were synced are missing: at a record
      // boundary too, where the file would otherwise look whole.
      CHECK_THROWS_AS(reopen(dir.path), CorruptData);
      CHECK(read_bytes(path).size() == cut);  // nothing was truncated
      ++refused;
      continue;
    }
    ++torn;
    Recovery r;
    const auto s = reopen(dir.path, &r);
    if (cut == noted) CHECK(same(s, w.states[w.states.size() - 2]));
    const auto kept = *std::prev(std::upper_bound(at.begin(), at.end(), cut));
    CHECK(r.truncated_bytes == cut - kept);
    // The truncation is in the file: a second open finds nothing to cut.
    Recovery again;
    const auto s2 = reopen(dir.path, &again);
    CHECK(again.truncated_bytes == 0);
    CHECK(same(s, s2));
  }
  CHECK(refused == noted - durable_format::kHeaderSize);
  CHECK(torn == full.size() - noted);
}

TEST_CASE("durable log: a flipped byte in the last record is damage, a zero-filled one is torn") {
  TempDir dir;
  const auto w = write_history(dir.path);
  const auto path = dir.path / DurableLog::kFileName;
  const auto full = read_bytes(path);
  const auto at = boundaries(full);
  const auto last = at[at.size() - 2];

  SECTION("a flipped byte inside the last entry's value") {
    auto bytes = full;
    bytes[bytes.size() - 2] ^= 0x40;
    write_bytes(path, bytes);
    CHECK_THROWS_WITH(reopen(dir.path), Catch::Contains("not cut short or zero-filled"));
    CHECK(read_bytes(path) == bytes);
  }
  SECTION("a flipped byte in the last record's length") {
    auto bytes = full;
    bytes[last] ^= 0x10;  // longer than the file: it would look cut short
    write_bytes(path, bytes);
    CHECK_THROWS_AS(reopen(dir.path), CorruptData);
  }
  // A last record long enough to span a sector boundary, with zeros from
  // `aligned` a sector boundary inside it (as a torn write of it may leave
  // it), or else from just after the last sector boundary, to the end.
  auto long_last_record = [&](bool aligned) {
    DurableState s;
    Recovery r;
    {
      auto log = DurableLog::open(dir.path, 1, 3, s, r);
      s.log.push_back(entry(2, 7, std::string(1000, 'g')));
      log.record(s.term, s.voted_for, s.log);
      log.sync();
    }
    auto bytes = read_bytes(path);
    constexpr auto kSector = durable_format::kSector;
    const auto from =
        aligned ? (full.size() + durable_format::kRecordHeader + kSector) / kSector * kSector
                : (bytes.size() - 1) / kSector * kSector + 1;
    REQUIRE(from + 1 < bytes.size());
    REQUIRE(bytes[from - 1] == 'g');
    std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end(), '\0');
    write_bytes(path, bytes);
    return bytes;
  };
  SECTION("the last record zero from a sector boundary to the end is torn") {
    const auto bytes = long_last_record(true);
    Recovery r;
    CHECK(same(reopen(dir.path, &r), w.states.back()));
    CHECK(r.truncated_bytes == bytes.size() - full.size());
  }
  SECTION("zeros from inside the last sector are not a torn write") {
    long_last_record(false);
    CHECK_THROWS_AS(reopen(dir.path), CorruptData);
  }
  SECTION("the last record zero from its start is torn") {
    auto bytes = full;
    std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(last), bytes.end(), '\0');
    write_bytes(path, bytes);
    Recovery r;
    CHECK(same(reopen(dir.path, &r), w.states[w.states.size() - 2]));
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
  SECTION("one damaged note slot (a crash while it was rewritten): the other one counts") {
    auto bytes = full;
    Recovery before;
    reopen(dir.path, &before);
    for (std::size_t slot = 0; slot < 2; ++slot) {
      auto damaged = bytes;
      damaged[durable_format::kFixedHeader + slot * durable_format::kNoteSize] ^= 0x01;
      write_bytes(path, damaged);
      Recovery r;
      CHECK(same(reopen(dir.path, &r), w.states.back()));
      CHECK(r.synced_bytes <= before.synced_bytes);
    }
    bytes[durable_format::kFixedHeader] ^= 0x01;
    bytes[durable_format::kFixedHeader + durable_format::kNoteSize] ^= 0x01;
    write_bytes(path, bytes);
    CHECK_THROWS_WITH(reopen(dir.path), Catch::Contains("both sync notes"));
  }
}

TEST_CASE("durable log: a file cut at a record boundary is refused; serve exits 2 for it") {
  TempDir dir;
  write_history(dir.path);
  const auto path = dir.path / DurableLog::kFileName;
  const auto full = read_bytes(path);
  const auto at = boundaries(full);
  ServerOptions o;
  o.id = 1;
  o.peers = {{"127.0.0.1", 1}, {"127.0.0.1", 2}, {"127.0.0.1", 3}};
  o.data_dir = dir.path;
  write_bytes(path, full.substr(0, at[at.size() / 2]));
  CHECK_THROWS_WITH(reopen(dir.path), Catch::Contains("were synced: it was cut short"));
  CHECK(run_server(o) == 2);
  auto flipped = full;
  flipped[flipped.size() - 2] ^= 0x40;
  write_bytes(path, flipped);
  CHECK(run_server(o) == 2);
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
