// The registration functions of the built-in models; builtin.cpp calls them
// in the order `verdict models` lists them.
#pragma once

#include "app/registry.hpp"

namespace verdict {
namespace kv {
void register_model(ModelRegistry& registry);
}
namespace lockserv {
void register_model(ModelRegistry& registry);
}
namespace raft {
void register_model(ModelRegistry& registry);
}
}  // namespace verdict
