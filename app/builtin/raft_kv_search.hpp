// The search of raft-kv's checked system, compiled once (app/builtin/
// raft_kv.cpp, whose copy the mutation suite rebuilds with each mutant):
// the registry and the raft tests call explore() on this type and link to
// that one copy.
#pragma once

#include "checkers/explore.hpp"
#include "models/raft/raft_kv.hpp"
#include "simulator/system_model.hpp"

VERDICT_EXTERN_EXPLORE(SystemModel<raft::RaftKvChecked>);
