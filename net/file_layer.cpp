#include "net/file_layer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace verdict::net {

namespace {

[[noreturn]] void fail_io(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

class PosixFile final : public LogFile {
 public:
  PosixFile(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;
  ~PosixFile() override { ::close(fd_); }

  std::string read_all(std::uint64_t max_bytes) override {
    std::string data;
    char buf[1 << 16];
    for (;;) {
      const auto n = ::pread(fd_, buf, sizeof buf, static_cast<off_t>(data.size()));
      if (n < 0) {
        if (errno == EINTR) continue;
        fail_io("read " + name_);
      }
      if (n == 0) return data;
      data.append(buf, static_cast<std::size_t>(n));
      if (data.size() > max_bytes) {
        errno = EFBIG;
        fail_io("read " + name_);
      }
    }
  }

  void write_at(std::uint64_t offset, std::string_view bytes) override {
    while (!bytes.empty()) {
      const auto n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) continue;
        fail_io("write " + name_);
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    }
  }

  void truncate(std::uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) fail_io("truncate " + name_);
  }

  void sync() override {
    if (::fdatasync(fd_) != 0) fail_io("fdatasync " + name_);
  }

 private:
  int fd_;
  std::string name_;
};

class PosixFiles final : public FileLayer {
 public:
  bool exists(const std::filesystem::path& path) override { return std::filesystem::exists(path); }

  void create_directory(const std::filesystem::path& dir) override {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) fail_io("mkdir " + dir.string());
  }

  std::unique_ptr<LogFile> create(const std::filesystem::path& path) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail_io("create " + path.string());
    return std::make_unique<PosixFile>(fd, path.string());
  }

  std::unique_ptr<LogFile> open(const std::filesystem::path& path) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) fail_io("open " + path.string());
    auto file = std::make_unique<PosixFile>(fd, path.string());  // closes it if we throw
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
      throw std::runtime_error(path.string() + " is in use by another process");
    return file;
  }

  void rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    std::filesystem::rename(from, to);
  }

  void sync_dir(const std::filesystem::path& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail_io("open " + dir.string());
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) fail_io("fsync " + dir.string());
  }
};

}  // namespace

FileLayer& posix_files() {
  static PosixFiles files;
  return files;
}

}  // namespace verdict::net
