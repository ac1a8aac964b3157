// Reading what a user or anyone else hands us (a trace file, a history, a
// report) without trusting it: a file is read only up to a size limit (a
// path such as /dev/zero never ends; a huge file is refused once the limit is
// read, not after all of it), and a JSON text is refused when it nests deeper than a limit
// before it is parsed (everything downstream of the parser walks values
// recursively: printing, converting, comparing).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "checkers/prefault.hpp"

namespace verdict {

inline constexpr std::size_t kMaxInputFileBytes = std::size_t{256} << 20;  // histories: 256 MiB
inline constexpr std::size_t kMaxTraceFileBytes = std::size_t{64} << 20;   // traces, reports
inline constexpr std::size_t kMaxJsonDepth = 256;

// A file's whole text, or why there is none (`error`, to be prefixed with the
// path by the caller's own error type).
struct BoundedRead {
  std::optional<std::string> text;
  std::string error;
};

// Reads straight into the text, in one read when the file's size is known,
// and then in chunks, so that a file that never ends (a pipe, /dev/zero) or
// grows while it is read is cut off at max_bytes.
inline BoundedRead read_bounded_file(const std::string& path,
                                     std::size_t max_bytes = kMaxInputFileBytes) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return {std::nullopt, "cannot open the file"};
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  const auto refused = [&] {
    return BoundedRead{std::nullopt, fmt::format("larger than {} MiB; refused", max_bytes >> 20)};
  };
  if (!size_error && size > max_bytes) return refused();  // before anything is allocated
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  // One byte more than the file holds: reading it tells that the file ended.
  std::size_t want =
      size_error ? kChunk : static_cast<std::size_t>(std::min<std::uintmax_t>(size, max_bytes)) + 1;
  std::string content;
  for (;;) {
    const std::size_t used = content.size();
    content.reserve(used + want);
    prefault_for_writing(content.data() + used, want);
    content.resize(used + want);
    const std::size_t got = std::fread(content.data() + used, 1, want, file.get());
    content.resize(used + got);
    if (content.size() > max_bytes) return refused();
    if (got < want) break;
    want = kChunk;
  }
  if (std::ferror(file.get())) return {std::nullopt, "cannot read the file"};
  return {std::move(content), {}};
}

// The byte offset at which a JSON text first nests deeper than max_depth
// arrays and objects (brackets inside strings do not count), or nullopt.
// Malformed text is the parser's to report.
inline std::optional<std::size_t> json_too_deep(std::string_view text,
                                                std::size_t max_depth = kMaxJsonDepth) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace verdict
