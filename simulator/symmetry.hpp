// Symmetry reduction for any System: nodes that play interchangeable roles.
//
// A System declares classes of interchangeable nodes:
//   std::vector<std::vector<NodeId>> symmetric_nodes() const;
// (Raft: every node when all start as followers, every node but the
// bootstrap leader otherwise). Renaming nodes within a class then maps a
// reachable World to a reachable World that no property can tell apart, and
// the explorer stores one representative per class of such Worlds (checkers/
// search_common.hpp): the one whose search fingerprint is smallest over every
// renaming in the group.
//
// A renaming must reach every place a node id hides. The World's own fields
// are renamed here: the node states change places, the up and partition
// masks and the packets' and timers' nodes are mapped (and the bag and the
// timers re-sorted into their canonical order), and so are the nodes clients
// wait on and the nodes of the I/O trace. Inside the System's own values the
// renaming walks the fields each type declares once (simulator/value.hpp)
// and maps what is typed as a node (simulator/node_refs.hpp): NodeRef,
// NodeSet and PerNode. Integers, strings and enums are left alone. A type
// the walk cannot see into is a compile error, not a silent skip; a type may
// also rename itself with a member `void rename_nodes(const NodeRenaming&)`.
//
// Nodes that the workload names (a client's first request goes to node 0)
// are not interchangeable with the others, whatever the System says: the
// group keeps them fixed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "simulator/hashing.hpp"
#include "simulator/node_refs.hpp"
#include "simulator/semantics.hpp"
#include "simulator/world.hpp"

namespace verdict {

// A permutation of the nodes: node n becomes to[n], and from[m] is the node
// that becomes m (both kept: hashing a renamed World reads it both ways).
struct NodeRenaming {
  std::vector<NodeId> to;
  std::vector<NodeId> from;
  bool identity = true;

  // A partition (0: none) renamed; a partition is named by the side that
  // holds node 0 (rules/partition.hpp), so the other side may name it now.
  std::uint64_t partition(std::uint64_t side) const {
    if (side == 0) return 0;
    const std::uint64_t all = ~std::uint64_t{0} >> (64 - to.size());
    const std::uint64_t renamed = mask(side);
    return (renamed & 1U) ? renamed : all & ~renamed;
  }

  static NodeRenaming of(std::vector<NodeId> to) {
    NodeRenaming r;
    r.from.resize(to.size());
    for (NodeId n = 0; n < to.size(); ++n) {
      r.from.at(to[n]) = n;
      r.identity = r.identity && to[n] == n;
    }
    r.to = std::move(to);
    return r;
  }

  NodeId operator()(NodeId n) const { return to.at(n); }
  std::uint64_t mask(std::uint64_t bits) const {
    std::uint64_t out = 0;
    for (NodeId n = 0; n < to.size(); ++n)
      if ((bits >> n) & 1U) out |= std::uint64_t{1} << to[n];
    return out;
  }
};

template <class T>
struct is_per_node : std::false_type {};
template <class T>
struct is_per_node<PerNode<T>> : std::true_type {};

template <class T>
struct is_std_map : std::false_type {};
template <class K, class V, class C, class A>
struct is_std_map<std::map<K, V, C, A>> : std::true_type {};
template <class T>
struct is_std_set : std::false_type {};
template <class K, class C, class A>
struct is_std_set<std::set<K, C, A>> : std::true_type {};

template <class T>
void rename_nodes(T& value, const NodeRenaming& r);

// Whether a value of type T can hold a node id at all. The renaming skips
// the rest (a log of requests, a map of strings) without looking at it.
template <class T>
constexpr bool holds_nodes();

namespace symmetry_detail {
template <class Tuple, std::size_t... I>
constexpr bool any_element_holds(std::index_sequence<I...>) {
  return (holds_nodes<std::remove_cvref_t<std::tuple_element_t<I, Tuple>>>() || ...);
}
template <class Tuple>
constexpr bool any_holds() {
  return any_element_holds<Tuple>(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}
template <class... Ts>
constexpr bool variant_holds(std::variant<Ts...>*) {
  return (holds_nodes<Ts>() || ...);
}
}  // namespace symmetry_detail

template <class T>
constexpr bool holds_nodes() {
  if constexpr (std::is_same_v<T, NodeRef> || std::is_same_v<T, NodeSet> || is_per_node<T>::value)
    return true;
  else if constexpr (requires(T & v, const NodeRenaming& r) { v.rename_nodes(r); })
    return true;
  else if constexpr (requires(T & v) { v.fields(); })
    return symmetry_detail::any_holds<decltype(std::declval<T&>().fields())>();
  else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_empty_v<T> ||
                     std::is_same_v<T, std::string>)
    return false;
  else if constexpr (
      requires { typename T::value_type; } &&
      requires(const T& v) {
        v.has_value();
        *v;
      })
    return holds_nodes<typename T::value_type>();
  else if constexpr (requires { std::variant_size<T>::value; })
    return symmetry_detail::variant_holds(static_cast<T*>(nullptr));
  else if constexpr (is_std_map<T>::value)
    return holds_nodes<typename T::key_type>() || holds_nodes<typename T::mapped_type>();
  else if constexpr (
      requires { std::tuple_size<T>::value; } && !requires(const T& v) { v.begin(); })
    return symmetry_detail::any_holds<T>();
  else if constexpr (requires { typename T::value_type; })
    return holds_nodes<std::remove_cv_t<typename T::value_type>>();
  else
    return true;  // unknown: rename_nodes says why it cannot see into it
}

namespace symmetry_detail {
template <class T>
void rename_each(T& range, const NodeRenaming& r) {
  for (auto& element : range) rename_nodes(element, r);
}
}  // namespace symmetry_detail

template <class T>
void rename_nodes(T& value, const NodeRenaming& r) {
  if constexpr (!holds_nodes<T>()) {
    (void)value;
    (void)r;
  } else if constexpr (std::is_same_v<T, NodeRef>) {
    value.id = r(value.id);
  } else if constexpr (std::is_same_v<T, NodeSet>) {
    value.bits = r.mask(value.bits);
  } else if constexpr (is_per_node<T>::value) {
    if (value.empty()) return;
    if (value.size() != r.to.size())
      throw std::logic_error("a PerNode value has a slot count other than the node count");
    T renamed(value.size());
    for (NodeId n = 0; n < value.size(); ++n) renamed[r(n)] = std::move(value[n]);
    value = std::move(renamed);
    symmetry_detail::rename_each(value, r);
  } else if constexpr (requires { value.rename_nodes(r); }) {
    value.rename_nodes(r);
  } else if constexpr (requires { value.fields(); }) {
    std::apply([&r](auto&... field) { (rename_nodes(field, r), ...); }, value.fields());
  } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_empty_v<T> ||
                       std::is_same_v<T, std::string>) {
    // no node ids in here
  } else if constexpr (requires {
                         value.has_value();
                         *value;
                       }) {
    if (value) rename_nodes(*value, r);
  } else if constexpr (requires {
                         value.index();
                         std::variant_size<T>::value;
                       }) {
    std::visit([&r](auto& alternative) { rename_nodes(alternative, r); }, value);
  } else if constexpr (is_std_map<T>::value) {
    T renamed;
    for (auto& [key, mapped] : value) {
      auto k = key;
      rename_nodes(k, r);
      rename_nodes(mapped, r);
      renamed.emplace(std::move(k), std::move(mapped));
    }
    value = std::move(renamed);
  } else if constexpr (is_std_set<T>::value) {
    T renamed;
    for (auto key : value) {
      rename_nodes(key, r);
      renamed.insert(std::move(key));
    }
    value = std::move(renamed);
  } else if constexpr (
      requires { std::tuple_size<T>::value; } && !requires { value.begin(); }) {
    std::apply([&r](auto&... part) { (rename_nodes(part, r), ...); }, value);
  } else if constexpr (requires {
                         value.begin();
                         value.end();
                       }) {
    symmetry_detail::rename_each(value, r);
  } else {
    static_assert(sizeof(T) == 0,
                  "verdict::rename_nodes: cannot see into this type. Declare its fields with "
                  "VERDICT_VALUE / VERDICT_FIELDS (simulator/value.hpp), or give it a member "
                  "`void rename_nodes(const verdict::NodeRenaming&)`");
  }
}

// A System that declares interchangeable nodes.
template <class S>
concept HasSymmetricNodes = requires(const S& sys) {
  { sys.symmetric_nodes() } -> std::convertible_to<std::vector<std::vector<NodeId>>>;
};

// The World renamed by r, in its canonical order again.
template <class S>
void rename_world(World<S>& w, const Semantics& sem, const NodeRenaming& r) {
  std::vector<typename S::State> states(w.states.size());
  for (NodeId n = 0; n < w.states.size(); ++n) {
    rename_nodes(w.states[n], r);
    states[r(n)] = std::move(w.states[n]);
  }
  w.states = std::move(states);
  w.up = r.mask(w.up);
  w.partition = r.partition(w.partition);
  for (auto& p : w.packets) {
    p.from = r(p.from);
    p.to = r(p.to);
    rename_nodes(p.msg, r);
  }
  if (sem.ordered)
    std::stable_sort(w.packets.begin(), w.packets.end(), [](const auto& a, const auto& b) {
      return std::tie(a.from, a.to) < std::tie(b.from, b.to);
    });
  else
    std::sort(w.packets.begin(), w.packets.end());
  for (auto& t : w.timers) {
    t.node = r(t.node);
    rename_nodes(t.timer, r);
  }
  std::sort(w.timers.begin(), w.timers.end());
  // A client that has sent nothing waits on no node: its waiting_on means nothing yet.
  for (auto& c : w.clients)
    if (c.next_op > 0) c.waiting_on = r(c.waiting_on);
  for (auto& e : w.trace) {
    e.node = r(e.node);
    std::visit([&r](auto& event) { rename_nodes(event, r); }, e.event);
  }
  rename_nodes(w.ghost, r);
}

// Every renaming that permutes nodes within the given classes and fixes
// every other node (the identity first).
inline std::vector<NodeRenaming> node_permutations(std::size_t node_count,
                                                   std::vector<std::vector<NodeId>> classes,
                                                   std::size_t limit = 40320) {
  std::vector<NodeId> identity(node_count);
  std::iota(identity.begin(), identity.end(), NodeId{0});
  std::vector<std::vector<NodeId>> group{identity};
  for (auto& cls : classes) {
    std::sort(cls.begin(), cls.end());
    cls.erase(std::unique(cls.begin(), cls.end()), cls.end());
    for (NodeId n : cls)
      if (n >= node_count) throw std::invalid_argument("symmetric_nodes: no such node");
    if (cls.size() < 2) continue;
    std::vector<std::vector<NodeId>> grown;
    std::vector<NodeId> image = cls;
    do {
      for (const auto& g : group) {
        std::vector<NodeId> composed = g;
        for (std::size_t i = 0; i < cls.size(); ++i) composed[cls[i]] = image[i];
        grown.push_back(std::move(composed));
        if (grown.size() > limit)
          throw std::invalid_argument("symmetry: more than " + std::to_string(limit) +
                                      " renamings; declare smaller classes of nodes");
      }
    } while (std::next_permutation(image.begin(), image.end()));
    group = std::move(grown);
  }
  std::vector<NodeRenaming> renamings;
  for (auto& to : group) renamings.push_back(NodeRenaming::of(std::move(to)));
  return renamings;
}

// The symmetry group of a System under a workload: the System's classes of
// interchangeable nodes, less the nodes the workload names.
template <class S>
std::vector<NodeRenaming> system_symmetry(const S& sys, const Workload<S>& workload) {
  std::vector<std::vector<NodeId>> classes;
  if constexpr (HasSymmetricNodes<S>) classes = sys.symmetric_nodes();
  std::set<NodeId> named;
  for (const auto& client : workload.clients)
    for (const auto& op : client.ops) named.insert(op.node);
  for (auto& cls : classes) std::erase_if(cls, [&named](NodeId n) { return named.count(n) > 0; });
  return node_permutations(sys.node_count(), std::move(classes));
}

// Hashes a value as verdict::SearchHasher would hash the value renamed (the
// explorers' fingerprint: symmetry is the search's business, never stored),
// without building it: the same walk as the hasher's, in the same order, with NodeRef,
// NodeSet and PerNode renamed on the way and every part that holds no node id
// handed to the Hasher whole.
class RenamingHasher {
 public:
  RenamingHasher(SearchHasher& inner, const NodeRenaming& r) : inner_(inner), r_(r) {}

  template <class... Ts>
  void operator()(const Ts&... values) {
    (add(values), ...);
  }

 private:
  template <class T>
  void add(const T& value) {
    if constexpr (!holds_nodes<T>()) {
      inner_(value);
    } else if constexpr (std::is_same_v<T, NodeRef>) {
      inner_(r_(value.id));
    } else if constexpr (std::is_same_v<T, NodeSet>) {
      inner_(r_.mask(value.bits));
    } else if constexpr (is_per_node<T>::value) {
      inner_.mix(value.size());
      if (value.empty()) return;
      if (value.size() != r_.from.size())
        throw std::logic_error("a PerNode value has a slot count other than the node count");
      for (NodeId m = 0; m < value.size(); ++m) add(value[r_.from[m]]);
    } else if constexpr (requires { value.rename_nodes(r_); }) {
      T renamed = value;
      renamed.rename_nodes(r_);
      inner_(renamed);
    } else if constexpr (requires { value.hash(*this); }) {
      value.hash(*this);
    } else if constexpr (requires {
                           value.has_value();
                           *value;
                         }) {
      inner_.mix(value.has_value());
      if (value) add(*value);
    } else if constexpr (
        requires { std::tuple_size<T>::value; } && !requires { value.begin(); }) {
      std::apply([this](const auto&... parts) { (add(parts), ...); }, value);
    } else if constexpr (requires {
                           value.index();
                           std::variant_size<T>::value;
                         }) {
      inner_.mix(value.index());
      std::visit([this](const auto& alternative) { add(alternative); }, value);
    } else if constexpr (!is_std_map<T>::value && !is_std_set<T>::value && requires {
                           value.begin();
                           value.size();
                         }) {
      inner_.mix(value.size());  // a sequence keeps its order under renaming
      for (const auto& element : value) add(element);
    } else {
      // Maps and sets keyed by nodes, whose order a renaming changes: rename
      // a copy, which restores their order, and hash that.
      T renamed = value;
      rename_nodes(renamed, r_);
      inner_(renamed);
    }
  }

  SearchHasher& inner_;
  const NodeRenaming& r_;
};

// The search fingerprint rename_world(w, sem, r) would have, computed without
// renaming anything in place or copying the World: the node states, the
// trace and the ghost are hashed through a RenamingHasher, and the packets
// and timers, whose canonical order depends on the names, are hashed in the
// order their renamed forms sort in.
template <class S>
std::uint64_t renamed_fingerprint(const World<S>& w, const Semantics& sem, const NodeRenaming& r) {
  SearchHasher h;
  RenamingHasher renaming(h, r);
  h.mix(w.states.size());
  for (NodeId m = 0; m < w.states.size(); ++m) renaming(w.states[r.from[m]]);
  h(r.mask(w.up), r.partition(w.partition));

  if constexpr (holds_nodes<typename S::Msg>() || holds_nodes<typename S::Timer>()) {
    World<S> parts;  // renamed copies, sorted as rename_world sorts them
    parts.states.resize(w.states.size());
    parts.packets = w.packets;
    parts.timers = w.timers;
    rename_world(parts, sem, r);
    h(parts.packets, parts.timers);
  } else {
    thread_local std::vector<std::uint32_t> order;
    order.resize(w.packets.size());
    std::iota(order.begin(), order.end(), 0U);
    const auto link = [&](std::uint32_t i) {
      return std::pair{r(w.packets[i].from), r(w.packets[i].to)};
    };
    if (sem.ordered)
      std::stable_sort(order.begin(), order.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return link(a) < link(b); });
    else
      std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto la = link(a), lb = link(b);
        return la != lb ? la < lb : w.packets[a].msg < w.packets[b].msg;
      });
    h.mix(order.size());
    for (std::uint32_t i : order) h(r(w.packets[i].from), r(w.packets[i].to), w.packets[i].msg);
    order.resize(w.timers.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const NodeId na = r(w.timers[a].node), nb = r(w.timers[b].node);
      return na != nb ? na < nb : w.timers[a].timer < w.timers[b].timer;
    });
    h.mix(order.size());
    for (std::uint32_t i : order) h(r(w.timers[i].node), w.timers[i].timer);
  }
  h(w.faults_used);
  h.mix(w.clients.size());
  for (const auto& c : w.clients)
    h(c.next_op, c.waiting, c.resend, c.next_op > 0 ? r(c.waiting_on) : c.waiting_on, c.redirects,
      c.timeouts);
  h.mix(w.trace.size());
  for (const auto& e : w.trace) {
    h(r(e.node), e.client);
    renaming(e.event);
  }
  renaming(w.ghost);
  return h.digest();
}

// Turns w into the representative of its class, the renaming with the
// smallest search fingerprint, and returns that fingerprint. Only the winning
// renaming is applied.
template <class S>
std::uint64_t canonicalize_world(World<S>& w, const Semantics& sem,
                                 const std::vector<NodeRenaming>& group) {
  std::uint64_t best_fp = w.search_fingerprint();
  const NodeRenaming* best = nullptr;
  for (const auto& r : group) {
    if (r.identity) continue;
    const std::uint64_t fp = renamed_fingerprint(w, sem, r);
    if (fp < best_fp) {
      best_fp = fp;
      best = &r;
    }
  }
  if (best) rename_world(w, sem, *best);
  return best_fp;
}

}  // namespace verdict
