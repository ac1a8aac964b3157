// The durable part of a Raft node — currentTerm, votedFor and the log, what
// on_reboot keeps — in one append-only file, DIR/raft.log. The server records
// what a handler changed, then syncs (write + fdatasync) before any effect that
// depends on it leaves the process. On start the file is replayed. A torn
// tail (the last write cut short by a crash, or zero-filled where its size
// reached the disk but its data did not) is truncated; anything else is
// reported as CorruptData instead of being served: damage before the end, a
// file shorter than the length its header says was synced (a cut at a record
// boundary), or a last record that fails its checksum without looking torn
// (a flipped byte). docs/serve.md describes the format.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/file_layer.hpp"
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
  std::uint64_t synced_bytes = 0;     // what the header said was synced (a lower bound)
};

class DurableLog {
 public:
  static constexpr const char* kFileName = "raft.log";

  // Opens (or creates) DIR/raft.log for node `node` of `nodes`, replays it
  // into `state` and takes an exclusive lock on it. Throws CorruptData for a
  // file that cannot be trusted, std::system_error for I/O failures. Every
  // file operation goes through `files` (a test's stands in for the disk).
  static DurableLog open(const std::filesystem::path& dir, NodeId node, std::uint32_t nodes,
                         DurableState& state, Recovery& recovery, FileLayer& files = posix_files());

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
  // Writes the buffered records and waits for them to reach the disk: one
  // fdatasync, which also carries the header's note that everything up to the
  // previous sync's end is on disk (so recovery can tell a cut file).
  void sync();

  std::uint64_t syncs() const { return syncs_; }

 private:
  explicit DurableLog(std::unique_ptr<LogFile> file) : file_(std::move(file)) {}

  std::unique_ptr<LogFile> file_;
  std::uint64_t end_ = 0;         // the file's length: where the next record goes
  std::uint64_t synced_end_ = 0;  // end_ after this process's last sync (0: none yet)
  std::uint64_t noted_end_ = 0;   // the synced length the header says
  std::uint64_t note_sequence_ = 0;
  raft::Term term_ = 0;
  std::optional<NodeId> voted_for_;
  std::vector<raft::Term> terms_;  // the terms of the entries the file holds
  std::string pending_;
  std::uint64_t syncs_ = 0;
};

// The record encoding, exposed for tests that damage files on purpose and
// for the fuzz target of the reader.
namespace durable_format {
inline constexpr std::size_t kFixedHeader = 24;  // magic 8, version 4, node 4, nodes 4, crc 4
inline constexpr std::size_t kNoteSize = 20;     // sequence 8, synced length 8, crc 4
inline constexpr std::size_t kHeaderSize = kFixedHeader + 2 * kNoteSize;  // two note slots
inline constexpr std::size_t kRecordHeader = 8;  // body length 4, crc32 of the body 4
inline constexpr std::uint32_t kMaxRecord = 64u << 20;
inline constexpr std::uint64_t kMaxFile = std::uint64_t{4} << 30;  // read no more than this
inline constexpr std::size_t kSector = 512;  // the unit a torn write zero-fills
enum RecordType : std::uint8_t { kTermVote = 1, kTruncate = 2, kAppend = 3 };
std::uint32_t crc32(std::string_view bytes);

// The header's note that the first `synced_end` bytes of the file are on disk.
struct SyncNote {
  std::uint64_t sequence = 0;
  std::uint64_t synced_end = 0;
};
std::string encode_note(const SyncNote& note);

// A whole file's bytes read back: the state, the length of the part that is
// kept (a torn tail after it is cut off) and the newest note. Throws
// CorruptData (prefixed with `name`) for a file that cannot be trusted.
struct Replayed {
  DurableState state;
  std::uint64_t records = 0;
  std::uint64_t valid_end = 0;
  SyncNote note;
};
Replayed replay(std::string_view file, NodeId node, std::uint32_t nodes, const std::string& name);
}  // namespace durable_format

}  // namespace verdict::net
