#include "app/builtin/reference.hpp"

#include <fmt/format.h>

#include "app/builtin/reference_search.hpp"
#include "app/erased_model.hpp"

namespace verdict {

namespace {

using namespace reference;

constexpr const char* kBugNone = "none";
constexpr const char* kCommitWithoutAllPrepared = "commit-without-all-prepared";

void reject_transforms(const ModelConfig& config) {
  if (!config.transforms.empty())
    throw UsageError(fmt::format(
        "model {} is a reference model ported from Stateright, checked as is: it takes no "
        "--transform",
        config.model));
}

std::unique_ptr<AnyModel> build_two_phase_commit(const ModelConfig& config) {
  reject_transforms(config);
  if (!config.faults.faults.empty() || config.faults.ordered)
    throw UsageError(
        "two-phase-commit is a plain state machine (TLA+'s TwoPhase), not a system on a "
        "network: it takes no --faults or --ordered");
  const auto rms = static_cast<unsigned>(config.params.integer("rms", 1, TwoPhaseState::kMaxRms));
  const auto bug = config.params.text("bug") == kCommitWithoutAllPrepared
                       ? TwoPhaseBug::commit_without_all_prepared
                       : TwoPhaseBug::none;
  TwoPhaseCommit model(rms, bug);
  model.set_liveness(true);
  return make_any_model(std::move(model), config);
}

// Servers and clients of a register model: at most 8 nodes in all.
std::pair<unsigned, unsigned> register_nodes(const ModelConfig& config) {
  const auto servers = static_cast<unsigned>(config.params.integer("servers", 1, 7));
  const auto clients =
      static_cast<unsigned>(config.params.integer("clients", 1, kMaxRegisterNodes - servers));
  return {servers, clients};
}

template <class MakeModel>
std::unique_ptr<AnyModel> build_register(const ModelConfig& config, MakeModel make_model) {
  reject_transforms(config);
  const auto [servers, clients] = register_nodes(config);
  return make_any_model(
      make_model(servers, clients, config.faults.apply_to(Semantics::stateright_actor())), config);
}

ParamSpec servers_param(const char* default_value) {
  return {"servers", default_value, "number of servers (node ids 0..S-1)", {}};
}
ParamSpec clients_param(const char* default_value) {
  return {"clients",
          default_value,
          "number of clients (node ids S..S+C-1; at most 8 nodes in all); each client puts a "
          "value, then gets",
          {}};
}

constexpr const char* kRegisterProperties =
    "; properties: linearizable (always), value chosen (sometimes). Stateright's actor "
    "semantics: unordered, non-duplicating, lossless network, no-op deliveries are not steps";

}  // namespace

void register_reference_models(ModelRegistry& registry) {
  registry.add(
      {{"two-phase-commit",
        "TLA+'s TwoPhase (Stateright's examples/2pc.rs) as a plain state machine; properties: "
        "abort agreement, commit agreement (sometimes), consistent (always); --symmetry "
        "treats RMs as interchangeable",
        {{"rms", "3", "number of resource managers (1..12)", {}},
         {"bug", kBugNone, "seeded bug", {kBugNone, kCommitWithoutAllPrepared}}},
        {{kCommitWithoutAllPrepared,
          "the TM commits without waiting for every RM's Prepared; an RM that chose to abort "
          "then disagrees with one that received Commit: caught by consistent"}},
        false,
        {},
        {{"all-decide", "eventually",
          "every RM eventually commits or aborts, under weak fairness of every action "
          "instance (TLA+'s WF per action); holds, as TLC finds for TwoPhase under the same "
          "fairness (models/reference/tests)"}}},
       build_two_phase_commit});
  registry.add({{"paxos",
                 fmt::format("single-decree Paxos as a register (Stateright's "
                             "examples/paxos.rs){}",
                             kRegisterProperties),
                 {servers_param("3"), clients_param("2")},
                 {},
                 true},
                [](const ModelConfig& config) {
                  return build_register(config, [](unsigned s, unsigned c, const Semantics& sem) {
                    return paxos_model(s, c, sem);
                  });
                }});
  registry.add({{"abd-register",
                 fmt::format("the ABD linearizable register (Stateright's "
                             "examples/linearizable-register.rs){}",
                             kRegisterProperties),
                 {servers_param("2"), clients_param("2")},
                 {},
                 true},
                [](const ModelConfig& config) {
                  return build_register(config, [](unsigned s, unsigned c, const Semantics& sem) {
                    return abd_model(s, c, sem);
                  });
                }});
  registry.add({{"single-copy-register",
                 fmt::format("one unreplicated register per server (Stateright's "
                             "examples/single-copy-register.rs): linearizable with 1 server, "
                             "not with more{}",
                             kRegisterProperties),
                 {servers_param("1"), clients_param("2")},
                 {},
                 true},
                [](const ModelConfig& config) {
                  return build_register(config, [](unsigned s, unsigned c, const Semantics& sem) {
                    return single_copy_model(s, c, sem);
                  });
                }});
}

}  // namespace verdict

VERDICT_EXPLORE_INSTANCE(reference::TwoPhaseCommit);
VERDICT_EXPLORE_INSTANCE(SystemModel<reference::RegisterSystem<reference::PaxosServer>>);
VERDICT_EXPLORE_INSTANCE(SystemModel<reference::RegisterSystem<reference::AbdServer>>);
VERDICT_EXPLORE_INSTANCE(SystemModel<reference::RegisterSystem<reference::SingleCopyServer>>);
