// The Stateright register examples as Models: a RegisterSystem of Paxos, ABD
// or single-copy servers plus clients, under Stateright's actor semantics,
// with its two properties — "linearizable" (always: the history kept as
// ghost state has a linearization) and "value chosen" (sometimes: a GetOk
// carrying a written value is in flight).
#pragma once

#include "models/reference/abd.hpp"
#include "models/reference/paxos.hpp"
#include "models/reference/register_actor.hpp"
#include "models/reference/single_copy.hpp"
#include "simulator/semantics.hpp"
#include "simulator/system_model.hpp"

namespace verdict::reference {

template <class Server>
SystemModel<RegisterSystem<Server>> make_register_model(
    Server server, unsigned servers, unsigned clients,
    const Semantics& semantics = Semantics::stateright_actor()) {
  using Sys = RegisterSystem<Server>;
  SystemModel<Sys> model(Sys(std::move(server), servers, clients), semantics, Workload<Sys>{});
  model.add_invariant("linearizable",
                      [](const World<Sys>& w) { return w.ghost.is_linearizable(); });
  model.add_reachable("value chosen", [](const World<Sys>& w) {
    for (const auto& p : w.packets)
      if (p.msg.kind == Sys::Msg::Kind::get_ok && p.msg.value != RegisterValue{0}) return true;
    return false;
  });
  return model;
}

inline auto paxos_model(unsigned servers, unsigned clients,
                        const Semantics& semantics = Semantics::stateright_actor()) {
  return make_register_model(PaxosServer(servers), servers, clients, semantics);
}
inline auto abd_model(unsigned servers, unsigned clients,
                      const Semantics& semantics = Semantics::stateright_actor()) {
  return make_register_model(AbdServer(servers), servers, clients, semantics);
}
inline auto single_copy_model(unsigned servers, unsigned clients,
                              const Semantics& semantics = Semantics::stateright_actor()) {
  return make_register_model(SingleCopyServer{}, servers, clients, semantics);
}

}  // namespace verdict::reference
