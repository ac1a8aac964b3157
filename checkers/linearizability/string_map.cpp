#include "checkers/linearizability/string_map.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <new>
#include <vector>

#include <fmt/format.h>

namespace verdict::lincheck {

namespace {

constexpr std::uint64_t kBase = 0x100000001b3ULL;

// The first entry whose key is not less than `key` (the entries are sorted).
template <class Entries>
auto lower(Entries& entries, const std::string& key) {
  return std::lower_bound(entries.begin(), entries.end(), key,
                          [](const auto& e, const std::string& k) { return e.key < k; });
}

}  // namespace

std::uint64_t Text::extend_hash(std::uint64_t hash, std::string_view piece) {
  for (unsigned char c : piece) hash = hash * kBase + c + 1;
  return hash;
}

Text::Text(std::string_view s) : Text(Text().appended(s)) {}

Text Text::appended(std::string_view piece) const {
  // No node holds an empty piece ("" is always the null chain), nor more
  // characters than its size field counts.
  constexpr std::size_t kMaxPiece = std::numeric_limits<std::uint32_t>::max();
  Text out = *this;
  while (!piece.empty()) {
    const std::size_t n = std::min(piece.size(), kMaxPiece);
    out = Text(out, piece.substr(0, n));
    piece.remove_prefix(n);
  }
  return out;
}

Text::Text(const Text& prefix, std::string_view piece) {
  void* memory = ::operator new(sizeof(Node) + piece.size());
  auto* node = new (memory) Node;
  std::memcpy(static_cast<char*>(memory) + sizeof(Node), piece.data(), piece.size());
  node->piece_size = static_cast<std::uint32_t>(piece.size());
  node->prev = prefix.last_;
  prefix.retain();
  node->length = prefix.size() + piece.size();
  node->hash = extend_hash(prefix.hash(), piece);
  last_ = node;
}

Text& Text::operator=(const Text& other) noexcept {
  other.retain();
  release(last_);
  last_ = other.last_;
  return *this;
}

Text& Text::operator=(Text&& other) noexcept {
  if (this != &other) {
    release(last_);
    last_ = other.last_;
    other.last_ = nullptr;
  }
  return *this;
}

void Text::release(const Node* node) {
  while (node && node->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    const Node* prev = node->prev;
    node->~Node();
    ::operator delete(const_cast<Node*>(node));
    node = prev;
  }
}

bool Text::operator==(const Text& other) const {
  if (size() != other.size() || hash() != other.hash()) return false;
  // Built alike (the common case): the same pieces back to a shared node.
  const Node* a = last_;
  const Node* b = other.last_;
  while (a != b) {
    if (a->piece() != b->piece()) return str() == other.str();
    a = a->prev;
    b = b->prev;
  }
  return true;
}

bool Text::operator==(std::string_view s) const {
  if (s.size() != size()) return false;
  // From the end: the last piece is where a wrong order shows first.
  for (const Node* n = last_; n; n = n->prev) {
    const std::string_view piece = n->piece();
    s.remove_suffix(piece.size());
    if (piece != std::string_view(s.data() + s.size(), piece.size())) return false;
  }
  return true;
}

std::string Text::str() const {
  std::vector<const Node*> chain;
  for (const Node* n = last_; n; n = n->prev) chain.push_back(n);
  std::string out;
  out.reserve(size());
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) out += (*it)->piece();
  return out;
}

const Text* StringMap::find(const std::string& key) const {
  auto it = lower(entries_, key);
  return it != entries_.end() && it->key == key ? &it->value : nullptr;
}

Text& StringMap::slot(const std::string& key) {
  auto it = lower(entries_, key);
  if (it == entries_.end() || it->key != key) it = entries_.insert(it, Entry{key, Text()});
  return it->value;
}

void StringMap::set(const std::string& key, std::string_view value) {
  slot(key) = Text(value);
}

void StringMap::append(const std::string& key, std::string_view piece) {
  Text& value = slot(key);
  value = value.appended(piece);
}

StringMap StringMap::only(const std::string& key) const {
  StringMap part;
  auto it = lower(entries_, key);
  if (it != entries_.end() && it->key == key) part.entries_.push_back(*it);
  return part;
}

void StringMap::erase(const std::string& key) {
  auto it = lower(entries_, key);
  if (it != entries_.end() && it->key == key) entries_.erase(it);
}

std::size_t StringMap::hash() const {
  std::uint64_t h = entries_.size();
  for (const Entry& e : entries_) {
    h = (h ^ std::hash<std::string>{}(e.key)) * kBase;
    h = (h ^ e.value.hash()) * kBase;
  }
  return h;
}

bool StringMap::operator==(const StringMap& other) const {
  if (entries_.size() != other.entries_.size()) return false;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].key != other.entries_[i].key || !(entries_[i].value == other.entries_[i].value))
      return false;
  }
  return true;
}

std::string StringMap::describe() const {
  if (entries_.empty()) return "{}";
  std::string out = "{";
  for (const Entry& e : entries_) {
    if (out.size() > 1) out += ", ";
    out += fmt::format("\"{}\": \"{}\"", e.key, e.value.str());
  }
  return out + "}";
}

}  // namespace verdict::lincheck
