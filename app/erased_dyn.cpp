#include "app/erased_dyn.hpp"

#include "app/erased_model.hpp"

namespace verdict {

std::unique_ptr<AnyModel> make_any_dyn_model(DynModel model, ModelConfig config) {
  return make_any_model(std::move(model), std::move(config));
}

}  // namespace verdict
