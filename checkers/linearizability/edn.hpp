// A reader of EDN, the notation Jepsen and knossos write histories in
// (https://github.com/edn-format/edn): nil, booleans, integers, floats,
// strings, characters, keywords, symbols, lists, vectors, maps, sets, `;`
// comments, `#_` discards and tagged literals (read as the value they tag, so
// `#jepsen.history.Op{...}` is a map). Debian packages no C++ EDN library, and
// the whole notation is small.
//
// The text is hostile: nesting is limited (kMaxJsonDepth levels), integers
// must fit in 64 bits, and every error is a ParseError naming the line and
// column where the offending form starts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "checkers/linearizability/formats.hpp"

namespace verdict::lincheck {

class EdnReader {
 public:
  // `line` and `column` (1-based) are those of text[0] in the file.
  EdnReader(std::string_view text, const std::string& file, std::size_t line = 1,
            std::size_t column = 1);

  // Skips whitespace, commas, comments and discarded (`#_`) forms; true when
  // nothing else is left.
  bool at_end();
  // The next significant character after skipping, or '\0' at the end.
  char peek();
  // Consumes `c` if it is the next significant character.
  bool consume(char c);
  // The next form.
  Value read();

  // Where the next unread character is.
  std::size_t line() const { return line_; }
  std::size_t column() const { return pos_ - line_start_ + first_column_; }

  [[noreturn]] void fail(const std::string& expected) const;

 private:
  Value read_form(std::size_t depth);
  void read_sequence(Value& into, char close, std::size_t depth);
  Value read_dispatch(std::size_t depth);
  Value read_token();
  Value read_number(std::string_view word, std::size_t line, std::size_t column);
  Value read_string();
  Value read_character();
  void skip(std::size_t depth);
  void advance();
  std::string_view token();
  [[noreturn]] void fail_at(std::size_t line, std::size_t column, const std::string& message) const;

  std::string_view text_;
  std::string file_;
  std::size_t pos_ = 0;
  std::size_t line_;
  std::size_t line_start_ = 0;  // offset of the current line's first character
  // Column of text_[line_start_]: the reader may start mid-line (a Jepsen log
  // line's value), then every later line starts at column 1.
  std::size_t first_column_;
};

}  // namespace verdict::lincheck
