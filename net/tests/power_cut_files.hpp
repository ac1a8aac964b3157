// A stand-in for the disk under the durable log (net/file_layer.hpp) that
// knows what a power cut loses: each file keeps the bytes on disk apart from
// the writes since its last sync, each directory its entries on disk apart
// from the names created or renamed since its last sync. power_cut() drops
// what was not synced — every unsynced write, or (torn) a prefix of them with
// the last one cut short or zero-filled from a sector boundary — and every
// name whose directory was not synced since. It can also stop the program at
// its N-th operation (throwing PowerCut) and ignore chosen syncs, so that a
// test can crash at every point and show that each sync is needed.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/file_layer.hpp"

namespace verdict::net::testing {

struct PowerCut {};  // thrown at the operation chosen to crash at

class PowerCutFiles final : public FileLayer {
 public:
  // `root` exists, on disk, from the start.
  explicit PowerCutFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // Throws PowerCut before the `op`-th operation that changes anything (1-based).
  void crash_at(std::optional<std::uint64_t> op) { crash_at_ = op; }
  std::uint64_t ops() const { return ops_; }
  // Syncs to ignore, by sync_name(); the names of the syncs made so far.
  std::set<std::string> skip;
  const std::set<std::string>& syncs_seen() const { return seen_; }

  // Everything not synced is lost; with `torn`, some of it may reach the
  // disk in the ways a crash during writeback leaves.
  void power_cut(bool torn, std::mt19937_64& rng) {
    for (auto& [id, inode] : inodes_) inode.data = torn ? torn_disk(inode, rng) : inode.disk;
    for (auto& [id, inode] : inodes_) {
      inode.disk = inode.data;
      inode.pending.clear();
    }
    names_.clear();
    for (const auto& [path, node] : disk_names_)
      if (reachable(path)) names_[path] = node;
    disk_names_ = names_;
    crash_at_.reset();
  }

  // ---- FileLayer ----
  bool exists(const std::filesystem::path& path) override {
    return path == root_ || names_.contains(path);
  }
  void create_directory(const std::filesystem::path& dir) override {
    step();
    need_directory(dir.parent_path());
    names_.emplace(dir, Name{true, 0});
  }
  std::unique_ptr<LogFile> create(const std::filesystem::path& path) override {
    step();
    need_directory(path.parent_path());
    auto it = names_.find(path);
    if (it == names_.end()) {
      it = names_.emplace(path, Name{false, next_inode_++}).first;
      inodes_[it->second.inode];
    }
    auto file = std::make_unique<File>(*this, it->second.inode, path);
    file->truncate(0);
    return file;
  }
  std::unique_ptr<LogFile> open(const std::filesystem::path& path) override {
    const auto it = names_.find(path);
    if (it == names_.end() || it->second.directory)
      throw std::runtime_error("open " + path.string() + ": no such file");
    return std::make_unique<File>(*this, it->second.inode, path);
  }
  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    step();
    const auto it = names_.find(from);
    if (it == names_.end()) throw std::runtime_error("rename " + from.string() + ": no such file");
    names_[to] = it->second;
    names_.erase(from);
  }
  void sync_dir(const std::filesystem::path& dir) override {
    step();
    if (skipped("fsync dir " + dir.filename().string())) return;
    std::erase_if(disk_names_, [&](const auto& entry) { return entry.first.parent_path() == dir; });
    for (const auto& [path, node] : names_)
      if (path.parent_path() == dir) disk_names_[path] = node;
  }

  // What the disk holds of a file, for tests that look at the bytes.
  std::string disk_bytes(const std::filesystem::path& path) const {
    const auto it = disk_names_.find(path);
    return it == disk_names_.end() ? std::string() : inodes_.at(it->second.inode).disk;
  }

 private:
  struct Write {
    std::uint64_t offset = 0;
    std::string bytes;
    bool truncate = false;  // to `offset`
  };
  struct Inode {
    std::string data;  // what a read returns: the page cache
    std::string disk;  // what survives a power cut
    std::vector<Write> pending;
  };
  struct Name {
    bool directory = false;
    std::uint64_t inode = 0;
  };

  class File final : public LogFile {
   public:
    File(PowerCutFiles& files, std::uint64_t inode, std::filesystem::path path)
        : files_(files), inode_(inode), path_(std::move(path)) {}
    std::string read_all(std::uint64_t max_bytes) override {
      const auto& data = inode().data;
      if (data.size() > max_bytes) throw std::runtime_error("read " + path_.string() + ": too big");
      return data;
    }
    void write_at(std::uint64_t offset, std::string_view bytes) override {
      files_.step();
      Write w{offset, std::string(bytes), false};
      apply(inode().data, w);
      inode().pending.push_back(std::move(w));
    }
    void truncate(std::uint64_t size) override {
      files_.step();
      Write w{size, {}, true};
      apply(inode().data, w);
      inode().pending.push_back(std::move(w));
    }
    void sync() override {
      files_.step();
      if (files_.skipped("fdatasync " + path_.filename().string())) return;
      for (const auto& w : inode().pending) apply(inode().disk, w);
      inode().pending.clear();
    }

   private:
    Inode& inode() { return files_.inodes_.at(inode_); }
    PowerCutFiles& files_;
    std::uint64_t inode_;
    std::filesystem::path path_;
  };

  static void apply(std::string& data, const Write& w) {
    if (w.truncate) {
      data.resize(w.offset);
      return;
    }
    if (data.size() < w.offset + w.bytes.size()) data.resize(w.offset + w.bytes.size(), '\0');
    std::copy(w.bytes.begin(), w.bytes.end(), data.begin() + static_cast<std::ptrdiff_t>(w.offset));
  }

  // The disk after a crash during writeback: the first k pending writes
  // reached it, then part of the next one — a prefix of it, or all of it
  // with zeros from a sector boundary on where the size got there first.
  static std::string torn_disk(const Inode& inode, std::mt19937_64& rng) {
    std::string disk = inode.disk;
    if (inode.pending.empty()) return disk;
    const auto k = std::uniform_int_distribution<std::size_t>(0, inode.pending.size() - 1)(rng);
    for (std::size_t i = 0; i < k; ++i) apply(disk, inode.pending[i]);
    Write last = inode.pending[k];
    if (last.truncate || last.bytes.empty()) return disk;
    const auto cut = std::uniform_int_distribution<std::size_t>(0, last.bytes.size())(rng);
    if (rng() % 2 == 0) {
      last.bytes.resize(cut);
    } else {
      const auto zeros_from = std::max(last.offset, (last.offset + cut) / 512 * 512);
      std::fill(last.bytes.begin() + static_cast<std::ptrdiff_t>(zeros_from - last.offset),
                last.bytes.end(), '\0');
    }
    apply(disk, last);
    return disk;
  }

  void step() {
    ++ops_;
    if (crash_at_ && ops_ >= *crash_at_) throw PowerCut{};
  }
  bool skipped(const std::string& sync) {
    std::string name;  // numbers folded to '#', so that one name covers every node's
    for (const char c : sync) {
      const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
      if (digit && !name.empty() && name.back() == '#') continue;
      name += digit ? '#' : c;
    }
    seen_.insert(name);
    return skip.contains(name);
  }
  void need_directory(const std::filesystem::path& dir) const {
    const auto it = names_.find(dir);
    if (dir != root_ && (it == names_.end() || !it->second.directory))
      throw std::runtime_error(dir.string() + ": no such directory");
  }
  bool reachable(const std::filesystem::path& path) const {
    for (auto p = path.parent_path(); p != root_; p = p.parent_path()) {
      const auto it = disk_names_.find(p);
      if (it == disk_names_.end() || !it->second.directory || p == p.parent_path()) return false;
    }
    return true;
  }

  std::filesystem::path root_;
  std::map<std::filesystem::path, Name> names_, disk_names_;
  std::map<std::uint64_t, Inode> inodes_;
  std::uint64_t next_inode_ = 1;
  std::uint64_t ops_ = 0;
  std::optional<std::uint64_t> crash_at_;
  std::set<std::string> seen_;
};

}  // namespace verdict::net::testing
