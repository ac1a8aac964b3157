// DynModel: any Model behind virtual calls, so that the explorers are
// compiled once for all the models that go through it rather than once per
// model type. The registry uses it for the --transform chains: every chain is
// a System type of its own, and compiling BFS, DFS, the random walks and the
// reports for each cost about 5 s of build time per chain. Through DynModel
// a chain compiles only its own steps, hash and JSON (DynAdapter<M> below);
// the explorers over DynModel are compiled once (app/erased_dyn.cpp). The
// price is a heap-allocated state per successor and a virtual call per step:
// docs/explorer.md gives the measured factor. A model's own type, searched
// without a transformer, keeps the templated explorers.
//
//   DynModel m = make_dyn_model(SystemModel<SeqNum<LockServ>>(...));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/model.hpp"
#include "checkers/state_codec.hpp"

namespace verdict {

struct Semantics;

// A state of some model, immutable and shared: copying one copies a pointer.
// Its search fingerprint is computed once, when the state is made.
class DynState {
 public:
  struct Box {
    virtual ~Box() = default;
    virtual bool equals(const Box& other) const = 0;
    // The state codec (state_codec.hpp), so that BFS keeps its frontier
    // encoded as it does for the held type itself: encode writes the held
    // state; decode reads one into a new Box of the same type and returns it
    // with its fingerprint; blank is a default state of the same type.
    virtual void encode(StateEncoder& e) const = 0;
    virtual std::pair<std::shared_ptr<const Box>, std::uint64_t> decode(StateDecoder& d) const = 0;
    virtual std::shared_ptr<const Box> blank() const = 0;
  };

  DynState() = default;
  DynState(std::shared_ptr<const Box> box, std::uint64_t search_fingerprint)
      : box_(std::move(box)), fingerprint_(search_fingerprint) {}

  const Box& box() const { return *box_; }
  std::uint64_t search_fingerprint() const { return fingerprint_; }
  bool operator==(const DynState& other) const {
    return fingerprint_ == other.fingerprint_ &&
           (box_ == other.box_ || (box_ && other.box_ && box_->equals(*other.box_)));
  }

  // For the state codec. Decoding replaces the box (a copy of this DynState
  // that shares the old one keeps it), so it needs a state that knows its
  // type: blank(), which BFS decodes into (blank_like).
  DynState blank() const { return DynState(box_->blank(), 0); }
  void hash(StateEncoder& e) const { box_->encode(e); }
  void hash(StateDecoder& d) const {
    if (!box_) throw CodecError("state codec: a DynState decoded without a blank() to decode into");
    // The codec writes through const references (state_codec.hpp), and so
    // does this: the object is the decoder's, not shared.
    auto& self = const_cast<DynState&>(*this);
    std::tie(self.box_, self.fingerprint_) = box_->decode(d);
  }

 private:
  std::shared_ptr<const Box> box_;
  std::uint64_t fingerprint_ = 0;
};

// An action of some model: one of the actions enabled in a state, which are
// made together and shared (one allocation per state, not per action).
class DynAction {
 public:
  struct Box {
    virtual ~Box() = default;
  };
  DynAction() = default;
  DynAction(std::shared_ptr<const Box> box, std::size_t index)
      : box_(std::move(box)), index_(index) {}
  const Box& box() const { return *box_; }
  std::size_t index() const { return index_; }

 private:
  std::shared_ptr<const Box> box_;
  std::size_t index_ = 0;
};

// What DynModel asks of the model it holds (DynAdapter implements it).
class DynModelImpl {
 public:
  virtual ~DynModelImpl() = default;
  virtual std::vector<DynState> init_states() const = 0;
  virtual void actions(const DynState& s, std::vector<DynAction>& out) const = 0;
  virtual std::optional<DynState> next_state(const DynState& s, const DynAction& a) const = 0;
  virtual const std::vector<Property<DynState>>& properties() const = 0;
  virtual std::uint64_t fingerprint(const DynState& s) const = 0;  // the stable one
  virtual nlohmann::json action_json(const DynAction& a) const = 0;
  virtual DynAction action_from_json(const nlohmann::json& label) const = 0;
  virtual std::string action_text(const DynAction& a) const = 0;
  virtual nlohmann::json describe_step(const DynState& before, const DynAction& a,
                                       const DynState& after) const = 0;
  virtual nlohmann::json state_json(const DynState& s) const = 0;
  virtual bool within_boundary(const DynState& s) const = 0;
  virtual bool is_terminal(const DynState& s) const = 0;
  virtual std::optional<std::uint64_t> fairness_key(const DynAction& a) const = 0;
  virtual std::vector<std::string> action_kinds() const = 0;
  virtual std::size_t action_kind(const DynAction& a) const = 0;
  virtual bool has_symmetry() const = 0;
  // s turned into its class's representative; returns its fingerprint (s is
  // left alone when the model declares no symmetry).
  virtual std::uint64_t canonicalize(DynState& s) const = 0;
  virtual const Semantics* semantics() const = 0;  // nullptr: not a System
};

// The Model the explorers see. Every optional part of the Model concept is
// there; has_symmetry() and semantics_if_any() say at run time which the
// held model really has.
class DynModel {
 public:
  using State = DynState;
  using Action = DynAction;

  explicit DynModel(std::shared_ptr<const DynModelImpl> impl) : impl_(std::move(impl)) {}

  std::vector<State> init_states() const { return impl_->init_states(); }
  void actions(const State& s, std::vector<Action>& out) const { impl_->actions(s, out); }
  std::optional<State> next_state(const State& s, const Action& a) const {
    return impl_->next_state(s, a);
  }
  std::vector<Property<State>> properties() const { return impl_->properties(); }
  std::uint64_t fingerprint(const State& s) const { return impl_->fingerprint(s); }
  std::uint64_t search_fingerprint(const State& s) const { return s.search_fingerprint(); }
  nlohmann::json action_json(const Action& a) const { return impl_->action_json(a); }
  Action action_from_json(const nlohmann::json& label) const {
    return impl_->action_from_json(label);
  }
  std::string action_text(const Action& a) const { return impl_->action_text(a); }
  nlohmann::json describe_step(const State& before, const Action& a, const State& after) const {
    return impl_->describe_step(before, a, after);
  }
  nlohmann::json state_json(const State& s) const { return impl_->state_json(s); }
  bool within_boundary(const State& s) const { return impl_->within_boundary(s); }
  bool is_terminal(const State& s) const { return impl_->is_terminal(s); }
  std::optional<std::uint64_t> fairness_key(const Action& a) const {
    return impl_->fairness_key(a);
  }
  std::vector<std::string> action_kinds() const { return impl_->action_kinds(); }
  std::size_t action_kind(const Action& a) const { return impl_->action_kind(a); }
  bool has_symmetry() const { return impl_->has_symmetry(); }
  State representative(const State& s) const {
    State out = s;
    impl_->canonicalize(out);
    return out;
  }
  std::uint64_t canonicalize(State& s) const { return impl_->canonicalize(s); }
  const Semantics* semantics_if_any() const { return impl_->semantics(); }

 private:
  std::shared_ptr<const DynModelImpl> impl_;
};

// M behind DynModelImpl. M needs fairness_key (liveness is judged under
// weak fairness) and action_from_json (traces of a DynModel replay); the
// other optional parts default as the explorers would default them.
template <Model M>
class DynAdapter final : public DynModelImpl {
 public:
  using S = typename M::State;
  using A = typename M::Action;

  explicit DynAdapter(M model) : model_(std::move(model)) {
    for (auto& p : model_.properties()) {
      Property<DynState> q;
      q.name = p.name;
      q.expectation = p.expectation;
      q.at_end = p.at_end;
      if (p.condition) q.condition = [f = p.condition](const DynState& s) { return f(get(s)); };
      if (p.trigger) q.trigger = [f = p.trigger](const DynState& s) { return f(get(s)); };
      if (p.evidence) q.evidence = [f = p.evidence](const DynState& s) { return f(get(s)); };
      properties_.push_back(std::move(q));
    }
  }

  std::vector<DynState> init_states() const override {
    std::vector<DynState> out;
    for (auto& s : model_.init_states()) out.push_back(wrap(std::move(s)));
    return out;
  }
  void actions(const DynState& s, std::vector<DynAction>& out) const override {
    auto list = std::make_shared<Actions>();
    model_.actions(get(s), list->actions);
    const std::size_t n = list->actions.size();
    std::shared_ptr<const DynAction::Box> shared = std::move(list);
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(shared, i);
  }
  std::optional<DynState> next_state(const DynState& s, const DynAction& a) const override {
    auto next = model_.next_state(get(s), get(a));
    if (!next) return std::nullopt;
    return wrap(std::move(*next));
  }
  const std::vector<Property<DynState>>& properties() const override { return properties_; }
  std::uint64_t fingerprint(const DynState& s) const override { return model_.fingerprint(get(s)); }
  nlohmann::json action_json(const DynAction& a) const override {
    return model_.action_json(get(a));
  }
  DynAction action_from_json(const nlohmann::json& label) const override {
    auto list = std::make_shared<Actions>();
    list->actions.push_back(model_.action_from_json(label));
    return DynAction(std::move(list), 0);
  }
  std::string action_text(const DynAction& a) const override {
    if constexpr (requires { model_.action_text(get(a)); })
      return model_.action_text(get(a));
    else
      return model_.action_json(get(a)).dump();
  }
  nlohmann::json describe_step(const DynState& before, const DynAction& a,
                               const DynState& after) const override {
    if constexpr (requires { model_.describe_step(get(before), get(a), get(after)); })
      return model_.describe_step(get(before), get(a), get(after));
    else
      return nullptr;
  }
  nlohmann::json state_json(const DynState& s) const override {
    if constexpr (requires { model_.state_json(get(s)); })
      return model_.state_json(get(s));
    else if constexpr (std::is_constructible_v<nlohmann::json, const S&>)
      return nlohmann::json(get(s));
    else
      return nullptr;
  }
  bool within_boundary(const DynState& s) const override {
    if constexpr (HasBoundary<M>)
      return model_.within_boundary(get(s));
    else
      return true;
  }
  bool is_terminal(const DynState& s) const override {
    if constexpr (HasTerminal<M>)
      return model_.is_terminal(get(s));
    else
      return false;
  }
  std::optional<std::uint64_t> fairness_key(const DynAction& a) const override {
    return model_.fairness_key(get(a));
  }
  std::vector<std::string> action_kinds() const override {
    if constexpr (requires { model_.action_kinds(); })
      return model_.action_kinds();
    else
      return {"step"};
  }
  std::size_t action_kind(const DynAction& a) const override {
    if constexpr (requires { model_.action_kind(get(a)); })
      return model_.action_kind(get(a));
    else
      return 0;
  }
  bool has_symmetry() const override { return HasSymmetry<M>; }
  std::uint64_t canonicalize(DynState& s) const override {
    if constexpr (HasSymmetry<M>) {
      S rep = get(s);
      std::uint64_t fp = 0;
      if constexpr (HasCanonicalize<M>) {
        fp = model_.canonicalize(rep);
      } else {
        rep = model_.representative(rep);
        fp = verdict::search_fingerprint(model_, rep);
      }
      if (fp != s.search_fingerprint())
        s = DynState(std::make_shared<Held>(model_, std::move(rep)), fp);
    }
    return s.search_fingerprint();
  }
  const Semantics* semantics() const override {
    if constexpr (requires { model_.semantics(); })
      return &model_.semantics();
    else
      return nullptr;
  }

 private:
  struct Held final : DynState::Box {
    Held(const M& m, S s) : model(m), state(std::move(s)) {}
    bool equals(const DynState::Box& other) const override {
      return state == static_cast<const Held&>(other).state;
    }
    // A held type the codec cannot walk is never encoded: round_trips()
    // fails on the exception and BFS keeps whole states.
    void encode(StateEncoder& e) const override {
      if constexpr (EncodableState<S>)
        e(state);
      else
        throw CodecError("state codec: this model's states do not encode");
    }
    std::pair<std::shared_ptr<const DynState::Box>, std::uint64_t> decode(
        StateDecoder& d) const override {
      if constexpr (EncodableState<S>) {
        auto fresh = std::make_shared<Held>(model, S{});
        d.read_held(fresh->state);
        const std::uint64_t fp = verdict::search_fingerprint(model, fresh->state);
        return {std::move(fresh), fp};
      } else {
        throw CodecError("state codec: this model's states do not encode");
      }
    }
    std::shared_ptr<const DynState::Box> blank() const override {
      if constexpr (std::is_default_constructible_v<S>)
        return std::make_shared<Held>(model, S{});
      else
        return std::make_shared<Held>(model, state);
    }
    const M& model;  // the adapter's, which outlives every state it makes
    S state;
  };
  struct Actions final : DynAction::Box {
    std::vector<A> actions;
  };

  static const S& get(const DynState& s) { return static_cast<const Held&>(s.box()).state; }
  static const A& get(const DynAction& a) {
    return static_cast<const Actions&>(a.box()).actions[a.index()];
  }
  DynState wrap(S s) const {
    const std::uint64_t fp = verdict::search_fingerprint(model_, s);
    return DynState(std::make_shared<Held>(model_, std::move(s)), fp);
  }

  M model_;
  std::vector<Property<DynState>> properties_;
};

template <Model M>
DynModel make_dyn_model(M model) {
  return DynModel(std::make_shared<DynAdapter<M>>(std::move(model)));
}

}  // namespace verdict
