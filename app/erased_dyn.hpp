// A DynModel (checkers/dyn_model.hpp) as an AnyModel. ErasedModel<DynModel>,
// with the explorers, random walks and reports over DynModel, is compiled
// once, in erased_dyn.cpp, for every model type that goes through it.
#pragma once

#include <memory>

#include "app/any_model.hpp"
#include "checkers/dyn_model.hpp"

namespace verdict {

std::unique_ptr<AnyModel> make_any_dyn_model(DynModel model, ModelConfig config);

}  // namespace verdict
