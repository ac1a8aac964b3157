#include "checkers/linearizability/string_map.hpp"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

namespace verdict::lincheck {

namespace {

constexpr std::uint64_t kBase = 0x100000001b3ULL;

std::uint64_t extend_hash(std::uint64_t hash, const std::string& piece) {
  for (unsigned char c : piece) hash = hash * kBase + c + 1;
  return hash;
}

// The first entry whose key is not less than `key` (the entries are sorted).
template <class Entries>
auto lower(Entries& entries, const std::string& key) {
  return std::lower_bound(entries.begin(), entries.end(), key,
                          [](const auto& e, const std::string& k) { return e.key < k; });
}

}  // namespace

const std::string* StringMap::find(const std::string& key) const {
  auto it = lower(entries_, key);
  return it != entries_.end() && it->key == key ? it->value.get() : nullptr;
}

StringMap::Entry* StringMap::slot(const std::string& key) {
  auto it = lower(entries_, key);
  if (it == entries_.end() || it->key != key) it = entries_.insert(it, Entry{key, nullptr, 0});
  return &*it;
}

void StringMap::set(const std::string& key, std::string value) {
  Entry* e = slot(key);
  e->value_hash = extend_hash(0, value);
  e->value = std::make_shared<const std::string>(std::move(value));
}

void StringMap::append(const std::string& key, const std::string& piece) {
  Entry* e = slot(key);
  std::string value = e->value ? *e->value + piece : piece;
  e->value_hash = extend_hash(e->value_hash, piece);
  e->value = std::make_shared<const std::string>(std::move(value));
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
    h = (h ^ e.value_hash) * kBase;
  }
  return h;
}

bool StringMap::operator==(const StringMap& other) const {
  if (entries_.size() != other.entries_.size()) return false;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& a = entries_[i];
    const Entry& b = other.entries_[i];
    if (a.key != b.key || a.value_hash != b.value_hash) return false;
    if (a.value != b.value && *a.value != *b.value) return false;
  }
  return true;
}

std::string StringMap::describe() const {
  if (entries_.empty()) return "{}";
  std::string out = "{";
  for (const Entry& e : entries_) {
    if (out.size() > 1) out += ", ";
    out += fmt::format("\"{}\": \"{}\"", e.key, *e.value);
  }
  return out + "}";
}

}  // namespace verdict::lincheck
