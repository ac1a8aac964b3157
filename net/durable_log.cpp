#include "net/durable_log.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <boost/crc.hpp>

namespace verdict::net {

using namespace durable_format;

namespace {

constexpr char kMagic[8] = {'V', 'R', 'D', 'K', 'V', 'L', 'O', 'G'};
constexpr std::uint32_t kVersion = 2;
// How many bytes the search for a valid record after a damaged one may
// checksum before it gives up and calls the file damaged (a file made to look
// like records at every offset would otherwise take quadratic time).
constexpr std::uint64_t kScanBudget = std::uint64_t{256} << 20;

void u64le(Writer& w, std::uint64_t v) {
  w.u32le(static_cast<std::uint32_t>(v));
  w.u32le(static_cast<std::uint32_t>(v >> 32));
}

std::uint64_t u64le(Reader& r) {
  const std::uint64_t low = r.u32le();
  return low | std::uint64_t{r.u32le()} << 32;
}

std::string header(NodeId node, std::uint32_t nodes) {
  Writer w;
  w.bytes().append(kMagic, sizeof kMagic);
  w.u32le(kVersion);
  w.u32le(node);
  w.u32le(nodes);
  w.u32le(crc32(w.bytes()));
  const auto first = encode_note({0, kHeaderSize});
  return std::move(w.bytes()) + first + first;
}

// One record at `offset`, if it is whole and its checksum matches.
std::optional<std::string_view> record_at(std::string_view file, std::size_t offset) {
  if (file.size() - offset < kRecordHeader) return std::nullopt;
  Reader h(file.substr(offset, kRecordHeader));
  const auto len = h.u32le();
  const auto crc = h.u32le();
  if (len == 0 || len > kMaxRecord || file.size() - offset - kRecordHeader < len)
    return std::nullopt;
  const auto body = file.substr(offset + kRecordHeader, len);
  if (crc32(body) != crc) return std::nullopt;
  return body;
}

// Applies one record to the state; a record that does not make sense after
// the ones before it means the file is not what this program wrote.
void apply_record(std::string_view body, std::uint32_t nodes, DurableState& s) {
  Reader r(body);
  switch (const auto type = r.u8()) {
    case kTermVote: {
      const auto term = r.varint_as<raft::Term>();
      std::optional<NodeId> vote;
      if (r.flag()) vote = r.varint_as<NodeId>();
      if (term < s.term)
        throw DecodeError(fmt::format("term goes back from {} to {}", s.term, term));
      if (vote && *vote >= nodes) throw DecodeError(fmt::format("vote for node {}", *vote));
      s.term = term;
      s.voted_for = vote;
      break;
    }
    case kTruncate: {
      const auto len = r.varint();
      if (len > s.log.size())
        throw DecodeError(fmt::format("truncates a log of {} entries to {}", s.log.size(), len));
      s.log.resize(len);
      break;
    }
    case kAppend: {
      const auto index = r.varint();
      if (index != s.log.size() + 1)
        throw DecodeError(fmt::format("appends entry {} to a log of {}", index, s.log.size()));
      auto e = r.entry();
      if (e.term > s.term || (!s.log.empty() && e.term < s.log.back().term))
        throw DecodeError(fmt::format("entry {} has term {} out of order", index, e.term));
      s.log.push_back(std::move(e));
      break;
    }
    default:
      throw DecodeError(fmt::format("unknown record type {}", type));
  }
  r.expect_done();
}

void add_record(std::string& out, const std::string& body) {
  Writer w;
  w.u32le(static_cast<std::uint32_t>(body.size()));
  w.u32le(crc32(body));
  out += w.bytes();
  out += body;
}

}  // namespace

std::uint32_t durable_format::crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

std::string durable_format::encode_note(const SyncNote& note) {
  Writer w;
  u64le(w, note.sequence);
  u64le(w, note.synced_end);
  w.u32le(crc32(w.bytes()));
  return std::move(w.bytes());
}

namespace {

// The header's newest note whose checksum holds. A crash while one slot is
// rewritten leaves the other.
SyncNote read_note(std::string_view file, const std::string& name) {
  std::optional<SyncNote> newest;
  for (std::size_t slot = 0; slot < 2; ++slot) {
    const auto bytes = file.substr(kFixedHeader + slot * kNoteSize, kNoteSize);
    Reader r(bytes);
    SyncNote note{u64le(r), u64le(r)};
    if (r.u32le() != crc32(bytes.substr(0, kNoteSize - 4))) continue;
    if (!newest || note.sequence > newest->sequence) newest = note;
  }
  if (!newest) throw CorruptData(name + ": both sync notes in the header fail their checksum");
  if (newest->synced_end < kHeaderSize || newest->synced_end > file.size())
    throw CorruptData(
        fmt::format("{}: the file is {} bytes long, but its header says {} bytes "
                    "were synced: it was cut short",
                    name, file.size(), newest->synced_end));
  return *newest;
}

// Whether the damaged record at `offset` is what a crash during its write
// leaves: cut short by the end of the file, or zero from a sector boundary
// (or its own start) to the end (the size reached the disk, the data did
// not; zeros before that boundary may be the record's own). A record of full
// length that fails its checksum otherwise — a flipped byte, a few zeros in
// the last sector — is damage.
bool looks_torn(std::string_view file, std::size_t offset) {
  const auto rest = file.size() - offset;
  if (rest < kRecordHeader) return true;
  Reader h(file.substr(offset, kRecordHeader));
  const auto len = h.u32le();
  const auto crc = h.u32le();
  if (len > rest - kRecordHeader)  // cut short, unless the body is whole and its length damaged
    return len <= kMaxRecord && crc32(file.substr(offset + kRecordHeader)) != crc;
  std::size_t zeros_from = file.size();
  while (zeros_from > offset && file[zeros_from - 1] == '\0') --zeros_from;
  if (zeros_from == file.size()) return false;
  const auto sector = (zeros_from + kSector - 1) / kSector * kSector;  // the first one in the zeros
  return zeros_from == offset || sector < file.size();
}

// Whether a whole record with a matching checksum starts anywhere after `offset`.
bool valid_record_after(std::string_view file, std::size_t offset, const std::string& name) {
  std::uint64_t budget = kScanBudget;
  for (std::size_t later = offset + 1; later + kRecordHeader < file.size(); ++later) {
    Reader h(file.substr(later, kRecordHeader));
    const auto len = h.u32le();
    if (len == 0 || len > kMaxRecord || file.size() - later - kRecordHeader < len) continue;
    if (len > budget)
      throw CorruptData(
          fmt::format("{}: record at byte {} is damaged and what follows it is too "
                      "long to search for a valid record",
                      name, offset));
    budget -= len;
    if (record_at(file, later)) return true;
  }
  return false;
}

}  // namespace

Replayed durable_format::replay(std::string_view file, NodeId node, std::uint32_t nodes,
                                const std::string& name) {
  if (file.size() < kHeaderSize || file.substr(0, 8) != std::string_view(kMagic, 8))
    throw CorruptData(name + ": not a Verdict Raft log (bad header)");
  Reader h(file.substr(8, kFixedHeader - 8));
  const auto version = h.u32le();
  const auto file_node = h.u32le();
  const auto file_nodes = h.u32le();
  if (h.u32le() != crc32(file.substr(0, kFixedHeader - 4)))
    throw CorruptData(name + ": header fails its checksum");
  if (version != kVersion)
    throw CorruptData(
        fmt::format("{}: format version {}, this program reads {}", name, version, kVersion));
  if (file_node != node || file_nodes != nodes)
    throw CorruptData(fmt::format("{}: belongs to node {} of a {}-node cluster, not node {} of {}",
                                  name, file_node, file_nodes, node, nodes));
  Replayed out;
  out.note = read_note(file, name);

  std::size_t offset = kHeaderSize;
  bool note_at_boundary = out.note.synced_end == offset;
  while (offset < file.size()) {
    const auto body = record_at(file, offset);
    if (!body) {
      // Damage. Only the end of what was written after the last noted sync
      // can be torn; anything else is corruption that truncating would
      // silently lose.
      if (offset < out.note.synced_end)
        throw CorruptData(
            fmt::format("{}: record at byte {} is damaged, before the {} bytes the "
                        "header says were synced",
                        name, offset, out.note.synced_end));
      if (!looks_torn(file, offset))
        throw CorruptData(
            fmt::format("{}: the last record, at byte {}, fails its checksum but is "
                        "not cut short or zero-filled as a torn write is",
                        name, offset));
      if (valid_record_after(file, offset, name))
        throw CorruptData(fmt::format("{}: record at byte {} is damaged but a valid record follows",
                                      name, offset));
      break;
    }
    try {
      apply_record(*body, nodes, out.state);
    } catch (const DecodeError& e) {
      throw CorruptData(fmt::format("{}: record at byte {}: {}", name, offset, e.what()));
    }
    ++out.records;
    offset += kRecordHeader + body->size();
    note_at_boundary = note_at_boundary || offset == out.note.synced_end;
  }
  if (!note_at_boundary)
    throw CorruptData(
        fmt::format("{}: the records end at byte {}, but the header says {} bytes "
                    "were synced: it was cut short",
                    name, offset, out.note.synced_end));
  out.valid_end = offset;
  return out;
}

DurableLog DurableLog::open(const std::filesystem::path& dir, NodeId node, std::uint32_t nodes,
                            DurableState& state, Recovery& recovery, FileLayer& files) {
  // Each directory made, then its parent synced, so that its name survives
  // a power cut with the file in it.
  std::vector<std::filesystem::path> missing;
  auto p = dir.lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "data/"
  for (; !p.empty() && !files.exists(p); p = p.parent_path()) missing.push_back(p);
  std::reverse(missing.begin(), missing.end());
  for (const auto& made : missing) files.create_directory(made);
  for (const auto& made : missing)
    files.sync_dir(made.has_parent_path() ? made.parent_path() : ".");

  const auto path = dir / kFileName;
  const auto name = path.string();
  recovery = {};
  state = {};
  if (!files.exists(path)) {
    // Written aside, synced and renamed (and the directory synced), so that
    // a crash never leaves a file without its header.
    const auto tmp = dir / (std::string(kFileName) + ".tmp");
    {
      auto file = files.create(tmp);
      file->write_at(0, header(node, nodes));
      file->sync();
    }
    files.rename(tmp, path);
    files.sync_dir(dir);
    recovery.created = true;
  }

  DurableLog log(files.open(path));  // closes the file if anything below throws
  const std::string bytes = log.file_->read_all(kMaxFile);
  auto replayed = replay(bytes, node, nodes, name);
  if (replayed.valid_end < bytes.size()) {
    // Not synced here: until the next sync writes records after it, a crash
    // brings back the same torn tail, which the next start cuts again.
    recovery.truncated_bytes = bytes.size() - replayed.valid_end;
    log.file_->truncate(replayed.valid_end);
  }
  recovery.records = replayed.records;
  recovery.synced_bytes = replayed.note.synced_end;
  state = std::move(replayed.state);
  log.end_ = replayed.valid_end;
  log.noted_end_ = replayed.note.synced_end;
  log.note_sequence_ = replayed.note.sequence;
  log.term_ = state.term;
  log.voted_for_ = state.voted_for;
  log.terms_.reserve(state.log.size());
  for (const auto& e : state.log) log.terms_.push_back(e.term);
  return log;
}

DurableLog::DurableLog(DurableLog&& other) noexcept
    : file_(std::move(other.file_)),
      end_(other.end_),
      synced_end_(other.synced_end_),
      noted_end_(other.noted_end_),
      note_sequence_(other.note_sequence_),
      term_(other.term_),
      voted_for_(other.voted_for_),
      terms_(std::move(other.terms_)),
      pending_(std::move(other.pending_)),
      syncs_(other.syncs_) {}

DurableLog::~DurableLog() = default;

void DurableLog::record(raft::Term term, const std::optional<NodeId>& voted_for,
                        const std::vector<KvEntry>& log) {
  if (term != term_ || voted_for != voted_for_) {
    Writer w;
    w.u8(kTermVote);
    w.varint(term);
    w.u8(voted_for ? 1 : 0);
    if (voted_for) w.varint(*voted_for);
    add_record(pending_, w.bytes());
    term_ = term;
    voted_for_ = voted_for;
  }
  std::size_t same = std::min(log.size(), terms_.size());
  while (same > 0 && log[same - 1].term != terms_[same - 1]) --same;
  if (same < terms_.size()) {
    Writer w;
    w.u8(kTruncate);
    w.varint(same);
    add_record(pending_, w.bytes());
    terms_.resize(same);
  }
  for (std::size_t i = same; i < log.size(); ++i) {
    Writer w;
    w.u8(kAppend);
    w.varint(i + 1);
    w.entry(log[i]);
    add_record(pending_, w.bytes());
    terms_.push_back(log[i].term);
  }
}

void DurableLog::sync() {
  if (pending_.empty()) return;
  // The note rides on this sync: what the previous one made durable. (Not
  // this one's end: a crash during this fdatasync may keep the header and
  // lose the records, and the note must never claim more than the disk has.)
  if (synced_end_ > noted_end_) {
    ++note_sequence_;
    file_->write_at(kFixedHeader + (note_sequence_ % 2) * kNoteSize,
                    encode_note({note_sequence_, synced_end_}));
    noted_end_ = synced_end_;
  }
  file_->write_at(end_, pending_);
  end_ += pending_.size();
  file_->sync();
  synced_end_ = end_;
  pending_.clear();
  ++syncs_;
}

}  // namespace verdict::net
