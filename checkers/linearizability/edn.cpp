#include "checkers/linearizability/edn.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "checkers/bounded_input.hpp"

namespace verdict::lincheck {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == ',';
}

// Characters that end a token (a number, a symbol, a keyword).
bool is_delimiter(char c) {
  switch (c) {
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case '"':
    case ';':
    case '\\':
      return true;
    default:
      return is_blank(c);
  }
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string shown(std::string_view s) {
  if (s.empty()) return "the end of the input";
  std::string_view head = s.substr(0, 20);
  const std::size_t line_end = head.find('\n');
  if (line_end != std::string_view::npos) head = head.substr(0, line_end);
  return fmt::format("\"{}{}\"", head, s.size() > head.size() ? "..." : "");
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The length of the UTF-8 sequence a byte starts.
std::size_t utf8_length(char lead) {
  const auto b = static_cast<unsigned char>(lead);
  return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

// text.substr that is empty past the end instead of throwing.
std::string_view slice(std::string_view text, std::size_t pos, std::size_t n) {
  return pos > text.size() ? std::string_view() : text.substr(pos, n);
}

// Four hex digits.
std::optional<std::uint32_t> hex4(std::string_view digits) {
  std::uint32_t code = 0;
  if (digits.size() != 4) return std::nullopt;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + 4, code, 16);
  if (error != std::errc() || end != digits.data() + 4) return std::nullopt;
  return code;
}

}  // namespace

EdnReader::EdnReader(std::string_view text, const std::string& file, std::size_t line,
                     std::size_t column)
    : text_(text), file_(file), line_(line), first_column_(column) {}

void EdnReader::fail_at(std::size_t line, std::size_t column, const std::string& message) const {
  throw ParseError(file_, line, column, message);
}

void EdnReader::fail(const std::string& expected) const {
  fail_at(line_, column(),
          fmt::format("expected {}, found {}", expected, shown(text_.substr(pos_))));
}

void EdnReader::advance() {
  if (text_[pos_] == '\n') {
    ++line_;
    line_start_ = pos_ + 1;
    first_column_ = 1;
  }
  ++pos_;
}

void EdnReader::skip(std::size_t depth) {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (is_blank(c)) {
      advance();
    } else if (c == ';') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else if (c == '#' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '_') {
      // `#_ #_ a b` discards a and b: each discard one level deeper.
      if (depth >= kMaxJsonDepth)
        fail_at(line_, column(),
                fmt::format("nested deeper than {} levels; refused", kMaxJsonDepth));
      pos_ += 2;
      skip(depth + 1);
      if (pos_ >= text_.size()) fail("a form after #_");
      read_form(depth + 1);  // discarded
    } else {
      return;
    }
  }
}

bool EdnReader::at_end() {
  skip(0);
  return pos_ >= text_.size();
}

char EdnReader::peek() {
  return at_end() ? '\0' : text_[pos_];
}

bool EdnReader::consume(char c) {
  if (peek() != c) return false;
  advance();
  return true;
}

Value EdnReader::read() {
  skip(0);
  return read_form(0);
}

std::string_view EdnReader::token() {
  const std::size_t start = pos_;
  while (pos_ < text_.size() && !is_delimiter(text_[pos_])) ++pos_;
  return text_.substr(start, pos_ - start);
}

Value EdnReader::read_form(std::size_t depth) {
  if (depth > kMaxJsonDepth)
    fail_at(line_, column(), fmt::format("nested deeper than {} levels; refused", kMaxJsonDepth));
  if (pos_ >= text_.size()) fail("a value");
  Value v;
  switch (text_[pos_]) {
    case '(':
      v.kind = Value::Kind::list;
      read_sequence(v, ')', depth);
      return v;
    case '[':
      v.kind = Value::Kind::vector;
      read_sequence(v, ']', depth);
      return v;
    case '{': {
      const std::size_t line = line_, col = column();
      v.kind = Value::Kind::map;
      read_sequence(v, '}', depth);
      if (v.items.size() % 2 != 0) {
        fail_at(line, col,
                fmt::format("expected a map of keys and values, found a key {} without a value",
                            v.items.back().to_edn()));
      }
      return v;
    }
    case '"':
      return read_string();
    case '\\':
      return read_character();
    case '#':
      return read_dispatch(depth);
    case ')':
    case ']':
    case '}':
      fail("a value");
    default:
      return read_token();
  }
}

void EdnReader::read_sequence(Value& into, char close, std::size_t depth) {
  const std::size_t line = line_, col = column();
  advance();  // the opening bracket
  // An operation map has about five keys: one allocation, not five growths.
  into.items.reserve(close == '}' ? 10 : 2);
  while (true) {
    skip(depth);
    if (pos_ >= text_.size()) {
      const char* open = close == ')' ? "(" : close == ']' ? "[" : "{";
      fail_at(line, col,
              fmt::format("expected a closing '{}' for the '{}' here, found the end of the input",
                          close, open));
    }
    if (text_[pos_] == close) {
      advance();
      return;
    }
    into.items.push_back(read_form(depth + 1));
  }
}

Value EdnReader::read_dispatch(std::size_t depth) {
  const std::size_t line = line_, col = column();
  advance();  // '#'
  if (pos_ >= text_.size()) fail("a tag, '{' or '_' after '#'");
  const char c = text_[pos_];
  if (c == '{') {
    Value v;
    v.kind = Value::Kind::set;
    read_sequence(v, '}', depth);
    return v;
  }
  if (c == '#') {  // ##Inf, ##-Inf, ##NaN
    advance();
    const std::string_view name = token();
    Value v;
    v.kind = Value::Kind::floating;
    if (name == "Inf") {
      v.floating = std::numeric_limits<double>::infinity();
    } else if (name == "-Inf") {
      v.floating = -std::numeric_limits<double>::infinity();
    } else if (name == "NaN") {
      v.floating = std::numeric_limits<double>::quiet_NaN();
    } else {
      fail_at(line, col, fmt::format("expected ##Inf, ##-Inf or ##NaN, found ##{}", name));
    }
    return v;
  }
  // A tagged literal: #inst "...", #uuid "...", #jepsen.history.Op{...}. Its
  // value stands for it.
  const std::string_view tag = token();
  if (tag.empty() || !((tag[0] >= 'a' && tag[0] <= 'z') || (tag[0] >= 'A' && tag[0] <= 'Z'))) {
    fail_at(line, col,
            fmt::format("expected a tag, '{{' or '_' after '#', found {}",
                        shown(text_.substr(pos_ - tag.size()))));
  }
  skip(depth);
  if (pos_ >= text_.size()) fail(fmt::format("a value for the tag #{}", tag));
  return read_form(depth + 1);
}

Value EdnReader::read_token() {
  const std::size_t line = line_, col = column();
  const std::string_view word = token();
  Value v;
  if (word.empty()) fail("a value");
  const char c = word[0];
  if (is_digit(c) || ((c == '-' || c == '+') && word.size() > 1 && is_digit(word[1]))) {
    return read_number(word, line, col);
  }
  if (c == ':') {
    v.kind = Value::Kind::keyword;
    v.text = word.substr(1);
    if (v.text.empty() || v.text[0] == ':' || v.text[0] == '/') {
      fail_at(line, col, fmt::format("expected a keyword name after ':', found {}", shown(word)));
    }
    return v;
  }
  if (word == "nil") return v;
  if (word == "true" || word == "false") {
    v.kind = Value::Kind::boolean;
    v.boolean = word == "true";
    return v;
  }
  for (char ch : word) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      fail_at(line, col, fmt::format("expected a value, found {}", shown(word)));
    }
  }
  v.kind = Value::Kind::symbol;
  v.text = word;
  return v;
}

Value EdnReader::read_number(std::string_view word, std::size_t line, std::size_t col) {
  Value v;
  std::string_view digits = word;
  if (digits.front() == '+') digits.remove_prefix(1);
  const bool is_float = digits.find_first_of(".eEM") != std::string_view::npos;
  if (!is_float) {
    if (digits.back() == 'N') digits.remove_suffix(1);  // Clojure's big-integer suffix
    v.kind = Value::Kind::integer;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), v.integer);
    if (error == std::errc::result_out_of_range) {
      fail_at(line, col,
              fmt::format("expected an integer that fits in 64 bits, found {}", shown(word)));
    }
    if (error != std::errc() || end != digits.data() + digits.size()) {
      fail_at(line, col, fmt::format("expected a number, found {}", shown(word)));
    }
    return v;
  }
  if (digits.back() == 'M') digits.remove_suffix(1);  // Clojure's big-decimal suffix
  v.kind = Value::Kind::floating;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), v.floating);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    fail_at(line, col, fmt::format("expected a number, found {}", shown(word)));
  }
  return v;
}

Value EdnReader::read_string() {
  const std::size_t line = line_, col = column();
  advance();  // the opening quote
  Value v;
  v.kind = Value::Kind::string;
  while (true) {
    if (pos_ >= text_.size()) fail_at(line, col, "expected a closing '\"' for the string here");
    const char c = text_[pos_];
    advance();
    if (c == '"') return v;
    if (c != '\\') {
      v.text += c;
      continue;
    }
    if (pos_ >= text_.size()) fail("an escaped character");
    const char e = text_[pos_];
    switch (e) {
      case 'n':
        v.text += '\n';
        break;
      case 't':
        v.text += '\t';
        break;
      case 'r':
        v.text += '\r';
        break;
      case 'b':
        v.text += '\b';
        break;
      case 'f':
        v.text += '\f';
        break;
      case '"':
      case '\\':
        v.text += e;
        break;
      case 'u': {
        auto code = hex4(slice(text_, pos_ + 1, 4));
        // A lone surrogate has no UTF-8 form; pairs are joined.
        if (code && *code >= 0xD800 && *code < 0xDC00 && slice(text_, pos_ + 5, 2) == "\\u") {
          auto low = hex4(slice(text_, pos_ + 7, 4));
          if (low && *low >= 0xDC00 && *low < 0xE000) {
            append_utf8(v.text, 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00));
            pos_ += 10;
            break;
          }
        }
        if (!code || (*code >= 0xD800 && *code < 0xE000)) fail("\\u and four hex digits");
        append_utf8(v.text, *code);
        pos_ += 4;
        break;
      }
      default:
        fail("an escape among \\n \\t \\r \\b \\f \\\" \\\\ \\uXXXX");
    }
    advance();
  }
}

Value EdnReader::read_character() {
  const std::size_t col = column();
  advance();  // the backslash
  if (pos_ >= text_.size()) fail("a character after '\\'");
  // The first character is taken whatever it is (\( and \; are characters),
  // with the rest of its UTF-8 sequence; then a name may follow.
  const std::size_t start = pos_;
  advance();
  while (pos_ < text_.size() && (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80) ++pos_;
  while (pos_ < text_.size() && !is_delimiter(text_[pos_])) ++pos_;
  const std::string_view name = text_.substr(start, pos_ - start);
  Value v;
  v.kind = Value::Kind::character;
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"newline", '\n'}, {"return", '\r'},   {"space", ' '},
      {"tab", '\t'},     {"formfeed", '\f'}, {"backspace", '\b'}};
  for (const auto& [named, c] : kNamed) {
    if (name == named) {
      v.text.push_back(c);
      return v;
    }
  }
  if (name.size() == 5 && name[0] == 'u') {
    const std::uint32_t code = hex4(name.substr(1)).value_or(0xD800);
    if (code < 0xD800 || code >= 0xE000) {
      append_utf8(v.text, code);
      return v;
    }
  }
  if (name.size() != utf8_length(name[0])) {
    fail_at(line_, col,
            fmt::format("expected a character such as \\a, \\newline or \\u0041, found {}",
                        shown(text_.substr(start - 1))));
  }
  v.text.append(name);
  return v;
}

}  // namespace verdict::lincheck
