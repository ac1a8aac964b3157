// The state of the key-value specifications: a map from string keys to string
// values, cheap to copy and to hash because the search copies and hashes a
// state at every step. A value is a Text: an append adds a node that points at
// the value it extends, so an append copies only the appended piece (the
// search builds a state for every order of the appends it tries, and copying
// whole values made that quadratic); a map of one key (one partition of a
// per-key check) needs no allocation of its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/container/small_vector.hpp>

namespace verdict::lincheck {

// An immutable string made of a chain of pieces, shared by every copy and
// by every longer Text appended to it. Its hash (a polynomial one, extended
// piece by piece) and its length are kept in the last node, so comparing two
// Texts is O(1) unless they are equal and were built apart.
class Text {
 public:
  Text() = default;  // ""
  explicit Text(std::string_view s);
  Text(const Text& other) noexcept : last_(other.last_) { retain(); }
  Text(Text&& other) noexcept : last_(other.last_) { other.last_ = nullptr; }
  Text& operator=(const Text& other) noexcept;
  Text& operator=(Text&& other) noexcept;
  ~Text() { release(last_); }

  // This text followed by `piece`.
  Text appended(std::string_view piece) const;

  // The hash of a text is extend(0, text), and extend(hash(a), b) = hash(a + b).
  static std::uint64_t extend_hash(std::uint64_t hash, std::string_view piece);

  std::size_t size() const { return last_ ? last_->length : 0; }
  std::uint64_t hash() const { return last_ ? last_->hash : 0; }
  bool operator==(const Text& other) const;
  bool operator==(std::string_view s) const;
  std::string str() const;

 private:
  // One allocation: the node, then its piece's characters.
  struct Node {
    mutable std::atomic<std::uint32_t> refs{1};
    std::uint32_t piece_size = 0;
    const Node* prev = nullptr;
    std::size_t length = 0;
    std::uint64_t hash = 0;
    std::string_view piece() const { return {reinterpret_cast<const char*>(this + 1), piece_size}; }
  };
  Text(const Text& prefix, std::string_view piece);
  void retain() const {
    if (last_) last_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  // Drops a reference, and the nodes no Text holds any more (in a loop, not
  // recursively: a chain may be as long as the history).
  static void release(const Node* node);

  const Node* last_ = nullptr;  // nullptr: ""
};

class StringMap {
 public:
  // The value of a key, or nullptr when the key is absent.
  const Text* find(const std::string& key) const;
  void set(const std::string& key, std::string_view value);
  // Appends to the value (an absent key counts as "").
  void append(const std::string& key, std::string_view piece);
  void erase(const std::string& key);
  // The map of that key alone (empty when it is absent), sharing its value.
  StringMap only(const std::string& key) const;

  std::size_t hash() const;
  bool operator==(const StringMap& other) const;
  std::string describe() const;  // {"k": "v", ...}

 private:
  struct Entry {
    std::string key;
    Text value;
  };
  Text& slot(const std::string& key);                 // inserted ("") when absent
  boost::container::small_vector<Entry, 1> entries_;  // sorted by key
};

}  // namespace verdict::lincheck
