// Registers the reference models (ports of Stateright's examples, whose
// state counts we compare with an independent checker) in a ModelRegistry:
// two-phase-commit, paxos, abd-register and single-copy-register.
#pragma once

#include "app/registry.hpp"

namespace verdict {

void register_reference_models(ModelRegistry& registry);

}  // namespace verdict
