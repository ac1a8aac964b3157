// The searches of the reference models, compiled once (app/builtin/
// reference.cpp): the registry, the reference tests and explorer_bench all
// call explore() on these types and link to that one copy.
#pragma once

#include "checkers/explore.hpp"
#include "models/reference/register_models.hpp"
#include "models/reference/two_phase_commit.hpp"

VERDICT_EXTERN_EXPLORE(reference::TwoPhaseCommit);
VERDICT_EXTERN_EXPLORE(SystemModel<reference::RegisterSystem<reference::PaxosServer>>);
VERDICT_EXTERN_EXPLORE(SystemModel<reference::RegisterSystem<reference::AbdServer>>);
VERDICT_EXTERN_EXPLORE(SystemModel<reference::RegisterSystem<reference::SingleCopyServer>>);
