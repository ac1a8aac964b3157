// Reading what a user or anyone else hands us (a trace file, a history, a
// report) without trusting it: a file is read only up to a size limit (a
// path such as /dev/zero never ends; a huge file is refused once the limit is
// read, not after all of it), and a JSON text is refused when it nests deeper than a limit
// before it is parsed (everything downstream of the parser walks values
// recursively: printing, converting, comparing).
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

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

// Reads in chunks, so a file that never ends is cut off at max_bytes.
inline BoundedRead read_bounded_file(const std::string& path,
                                     std::size_t max_bytes = kMaxInputFileBytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, "cannot open the file"};
  std::string content;
  // Room for the whole file at once when its size is known (not a pipe).
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (!size_error) content.reserve(std::min<std::uintmax_t>(size, max_bytes + 1));
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_bytes)
      return {std::nullopt, fmt::format("larger than {} MiB; refused", max_bytes >> 20)};
  }
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
