// The file operations the durable log (net/durable_log.hpp) makes, behind an
// interface, so that a test can stand in for the disk. posix_files() is the
// real one. The power-cut test's (net/tests/power_cut_files.hpp) keeps synced
// and unsynced bytes and directory entries apart and drops the unsynced ones
// at a simulated power cut, which the page cache hides from a SIGKILL test.
//
// What each sync makes durable is POSIX's promise, no more: LogFile::sync
// (fdatasync) the file's bytes and size, not its name; sync_dir (fsync of the
// directory) the entries of that directory — a created or renamed name — but
// not the files' contents.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace verdict::net {

class LogFile {
 public:
  virtual ~LogFile() = default;
  // The whole file; throws std::system_error past `max_bytes`.
  virtual std::string read_all(std::uint64_t max_bytes) = 0;
  virtual void write_at(std::uint64_t offset, std::string_view bytes) = 0;
  virtual void truncate(std::uint64_t size) = 0;
  virtual void sync() = 0;  // fdatasync
};

class FileLayer {
 public:
  virtual ~FileLayer() = default;
  virtual bool exists(const std::filesystem::path& path) = 0;
  // One directory, whose parent exists.
  virtual void create_directory(const std::filesystem::path& dir) = 0;
  // A new, empty file for writing (an existing one is emptied).
  virtual std::unique_ptr<LogFile> create(const std::filesystem::path& path) = 0;
  // An existing file for reading and writing, locked against a second opener
  // (a std::runtime_error saying "in use" if another holds it).
  virtual std::unique_ptr<LogFile> open(const std::filesystem::path& path) = 0;
  virtual void rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  virtual void sync_dir(const std::filesystem::path& dir) = 0;  // fsync of the directory
};

// open(2), pwrite(2), fdatasync(2), flock(2) and friends; errors are
// std::system_error naming the file.
FileLayer& posix_files();

}  // namespace verdict::net
