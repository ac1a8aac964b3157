// The durable part of a Raft node — currentTerm, votedFor and the log, what
// on_reboot keeps — in one append-only file, DIR/raft.log. The server records
// what a handler changed, then syncs (write + fdatasync) before any effect that
// depends on it leaves the process. On start the file is replayed; a torn
// tail (a record cut short or failing its checksum, with no valid record
// after it: a crash during the last write) is truncated, and any other damage
// is reported as CorruptData instead of being served. docs/serve.md describes
// the format.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/wire.hpp"

namespace verdict::net {

class CorruptData : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DurableState {
  raft::Term term = 0;
  std::optional<NodeId> voted_for;
  std::vector<KvEntry> log;
};

struct Recovery {
  bool created = false;               // the file did not exist: a first boot
  std::uint64_t records = 0;          // records replayed
  std::uint64_t truncated_bytes = 0;  // torn tail cut off
};

class DurableLog {
 public:
  static constexpr const char* kFileName = "raft.log";

  // Opens (or creates) DIR/raft.log for node `node` of `nodes`, replays it
  // into `state` and takes an exclusive lock on it. Throws CorruptData for a
  // file that cannot be trusted, std::system_error for I/O failures.
  static DurableLog open(const std::filesystem::path& dir, NodeId node, std::uint32_t nodes,
                         DurableState& state, Recovery& recovery);

  DurableLog(DurableLog&& other) noexcept;
  DurableLog& operator=(DurableLog&&) = delete;
  ~DurableLog();

  // Buffers the records that turn what the file holds into (term, voted_for,
  // log). Entries are compared by term from the end: by Raft's Log Matching
  // property (which the checker verifies) two entries at one index with one
  // term are the same entry, and so are all entries before them.
  void record(raft::Term term, const std::optional<NodeId>& voted_for,
              const std::vector<KvEntry>& log);
  bool dirty() const { return !pending_.empty(); }
  // Writes the buffered records and waits for them to reach the disk.
  void sync();

  std::uint64_t syncs() const { return syncs_; }

 private:
  explicit DurableLog(int fd) : fd_(fd) {}

  int fd_ = -1;
  raft::Term term_ = 0;
  std::optional<NodeId> voted_for_;
  std::vector<raft::Term> terms_;  // the terms of the entries the file holds
  std::string pending_;
  std::uint64_t syncs_ = 0;
};

// The record encoding, exposed for tests that damage files on purpose.
namespace durable_format {
inline constexpr std::size_t kHeaderSize = 24;   // magic 8, version 4, node 4, nodes 4, crc 4
inline constexpr std::size_t kRecordHeader = 8;  // body length 4, crc32 of the body 4
inline constexpr std::uint32_t kMaxRecord = 64u << 20;
enum RecordType : std::uint8_t { kTermVote = 1, kTruncate = 2, kAppend = 3 };
std::uint32_t crc32(std::string_view bytes);
}  // namespace durable_format

}  // namespace verdict::net
