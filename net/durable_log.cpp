#include "net/durable_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <fmt/format.h>
#include <boost/crc.hpp>

namespace verdict::net {

using namespace durable_format;

namespace {

constexpr char kMagic[8] = {'V', 'R', 'D', 'K', 'V', 'L', 'O', 'G'};
constexpr std::uint32_t kVersion = 1;

[[noreturn]] void fail_io(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void write_all(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    const auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_io(what);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void sync_fd(int fd, const std::string& what) {
  if (::fdatasync(fd) != 0) fail_io(what);
}

void sync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_io("open " + dir.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail_io("fsync " + dir.string());
}

std::string header(NodeId node, std::uint32_t nodes) {
  Writer w;
  w.bytes().append(kMagic, sizeof kMagic);
  w.u32le(kVersion);
  w.u32le(node);
  w.u32le(nodes);
  w.u32le(crc32(w.bytes()));
  return std::move(w.bytes());
}

std::string read_file(int fd, const std::string& name) {
  std::string data;
  char buf[1 << 16];
  for (;;) {
    const auto n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_io("read " + name);
    }
    if (n == 0) return data;
    data.append(buf, static_cast<std::size_t>(n));
  }
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

DurableLog DurableLog::open(const std::filesystem::path& dir, NodeId node, std::uint32_t nodes,
                            DurableState& state, Recovery& recovery) {
  std::filesystem::create_directories(dir);
  const auto path = dir / kFileName;
  const auto name = path.string();
  recovery = {};
  state = {};
  if (!std::filesystem::exists(path)) {
    // Written aside and renamed, so that a crash never leaves a file
    // without its header.
    const auto tmp = dir / (std::string(kFileName) + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail_io("create " + tmp.string());
    write_all(fd, header(node, nodes), "write " + tmp.string());
    if (::fsync(fd) != 0) fail_io("fsync " + tmp.string());
    ::close(fd);
    std::filesystem::rename(tmp, path);
    sync_dir(dir);
    recovery.created = true;
  }

  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fd < 0) fail_io("open " + name);
  DurableLog log(fd);  // closes the file if anything below throws
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    throw std::runtime_error(name + " is in use by another process");

  const std::string file = read_file(fd, name);
  const std::string_view view(file);
  if (view.size() < kHeaderSize || view.substr(0, 8) != std::string_view(kMagic, 8))
    throw CorruptData(name + ": not a Verdict Raft log (bad header)");
  Reader h(view.substr(8, kHeaderSize - 8));
  const auto version = h.u32le();
  const auto file_node = h.u32le();
  const auto file_nodes = h.u32le();
  const auto crc = h.u32le();
  if (crc != crc32(view.substr(0, kHeaderSize - 4)))
    throw CorruptData(name + ": header fails its checksum");
  if (version != kVersion)
    throw CorruptData(
        fmt::format("{}: format version {}, this program reads {}", name, version, kVersion));
  if (file_node != node || file_nodes != nodes)
    throw CorruptData(fmt::format("{}: belongs to node {} of a {}-node cluster, not node {} of {}",
                                  name, file_node, file_nodes, node, nodes));

  std::size_t offset = kHeaderSize;
  while (offset < view.size()) {
    const auto body = record_at(view, offset);
    if (!body) {
      // Damage. A torn tail has nothing valid after it; anything else is
      // corruption that truncating would silently lose.
      for (std::size_t later = offset + 1; later + kRecordHeader < view.size(); ++later)
        if (record_at(view, later))
          throw CorruptData(
              fmt::format("{}: record at byte {} is damaged but a valid record follows at byte {}",
                          name, offset, later));
      recovery.truncated_bytes = view.size() - offset;
      if (::ftruncate(fd, static_cast<off_t>(offset)) != 0) fail_io("truncate " + name);
      sync_fd(fd, "fdatasync " + name);
      break;
    }
    try {
      apply_record(*body, nodes, state);
    } catch (const DecodeError& e) {
      throw CorruptData(fmt::format("{}: record at byte {}: {}", name, offset, e.what()));
    }
    ++recovery.records;
    offset += kRecordHeader + body->size();
  }

  log.term_ = state.term;
  log.voted_for_ = state.voted_for;
  log.terms_.reserve(state.log.size());
  for (const auto& e : state.log) log.terms_.push_back(e.term);
  return log;
}

DurableLog::DurableLog(DurableLog&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      term_(other.term_),
      voted_for_(other.voted_for_),
      terms_(std::move(other.terms_)),
      pending_(std::move(other.pending_)),
      syncs_(other.syncs_) {}

DurableLog::~DurableLog() {
  if (fd_ >= 0) ::close(fd_);
}

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
  write_all(fd_, pending_, "write raft.log");
  sync_fd(fd_, "fdatasync raft.log");
  pending_.clear();
  ++syncs_;
}

}  // namespace verdict::net
