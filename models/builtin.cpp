#include "models/builtin.hpp"

namespace verdict {

const ModelRegistry& builtin_models() {
  static const ModelRegistry registry = [] {
    ModelRegistry r;
    kv::register_model(r);
    lockserv::register_model(r);
    return r;
  }();
  return registry;
}

const std::vector<TransformerInfo>& builtin_transformers() {
  static const std::vector<TransformerInfo> transformers = {
      {"seqnum",
       "sequence numbering: every message carries a per-sender number and receivers ignore "
       "repeats, so a system correct without duplication stays correct with it"},
  };
  return transformers;
}

}  // namespace verdict
