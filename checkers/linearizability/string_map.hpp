// The state of the key-value specifications: a map from string keys to string
// values, cheap to copy and to hash because the search copies and hashes a
// state at every step. Values are shared immutable strings with their hash
// kept beside them (a polynomial hash, so that an append extends it in time
// proportional to the appended piece); a map of one key (one partition of a
// per-key check) needs no allocation of its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/container/small_vector.hpp>

namespace verdict::lincheck {

class StringMap {
 public:
  // The value of a key, or nullptr when the key is absent.
  const std::string* find(const std::string& key) const;
  void set(const std::string& key, std::string value);
  // Appends to the value (an absent key counts as "").
  void append(const std::string& key, const std::string& piece);
  void erase(const std::string& key);
  // The map of that key alone (empty when it is absent), sharing its value.
  StringMap only(const std::string& key) const;

  std::size_t hash() const;
  bool operator==(const StringMap& other) const;
  std::string describe() const;  // {"k": "v", ...}

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const std::string> value;
    std::uint64_t value_hash = 0;
  };
  Entry* slot(const std::string& key);                // inserted (with no value) when absent
  boost::container::small_vector<Entry, 1> entries_;  // sorted by key
};

}  // namespace verdict::lincheck
