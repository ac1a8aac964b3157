// Node ids kept inside a System's values: a vote (NodeRef), a set of nodes
// as a bit mask (NodeSet) and an array with one slot per node (PerNode).
//
// Handlers name nodes with plain NodeId numbers; a value that *stores* a node
// id uses these types instead, so that symmetry reduction
// (simulator/symmetry.hpp) can rename nodes in any value generically: a
// NodeRef is mapped, a NodeSet's bits and a PerNode's slots are permuted. A
// node id stored as a bare integer is invisible to the renaming, and a
// System that declares symmetric nodes with one would be reduced unsoundly;
// simulator/tests/test_symmetry.cpp shows how to test a System for that.
//
// Each type hashes, compares and converts to JSON exactly as the integer or
// vector it wraps, so trace files and fingerprints do not change when a
// System switches to them.
#pragma once

#include <bit>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"
#include "simulator/system.hpp"

namespace verdict {

// A node id held in a value. Converts to and from NodeId implicitly, and
// compares through that conversion.
struct NodeRef {
  NodeId id = 0;

  constexpr NodeRef() = default;
  constexpr NodeRef(NodeId n) : id(n) {}  // NOLINT: implicit on purpose
  constexpr operator NodeId() const { return id; }

  template <class H>
  void hash(H& h) const {
    h(id);
  }
  friend void to_json(nlohmann::json& j, const NodeRef& r) { j = r.id; }
  friend void from_json(const nlohmann::json& j, NodeRef& r) { r.id = checked_get<NodeId>(j); }
};

// A set of nodes (at most kMaxNodes), as a bit mask: bit n is node n.
struct NodeSet {
  std::uint64_t bits = 0;

  static NodeSet of(NodeId n) { return NodeSet{std::uint64_t{1} << n}; }
  void insert(NodeId n) { bits |= std::uint64_t{1} << n; }
  bool contains(NodeId n) const { return (bits >> n) & 1U; }
  std::size_t size() const { return static_cast<std::size_t>(std::popcount(bits)); }
  bool empty() const { return bits == 0; }
  void clear() { bits = 0; }

  auto operator<=>(const NodeSet&) const = default;
  template <class H>
  void hash(H& h) const {
    h(bits);
  }
  friend void to_json(nlohmann::json& j, const NodeSet& s) { j = s.bits; }
  friend void from_json(const nlohmann::json& j, NodeSet& s) {
    s.bits = checked_get<std::uint64_t>(j);
  }
};

// One T per node, indexed by node id (e.g. a Raft leader's next_index). Empty
// when the value has nothing to say about any node; otherwise one slot per node.
template <class T>
struct PerNode : std::vector<T> {
  using std::vector<T>::vector;

  friend void to_json(nlohmann::json& j, const PerNode& v) {
    j = static_cast<const std::vector<T>&>(v);
  }
  friend void from_json(const nlohmann::json& j, PerNode& v) {
    if (!j.is_array() || j.size() > kMaxNodes)
      throw std::invalid_argument("expected an array of at most one value per node");
    v.clear();
    for (const auto& element : j) v.push_back(checked_get<T>(element));
  }
};

}  // namespace verdict
