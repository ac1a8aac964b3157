#include "app/builtin.hpp"

#include "app/builtin/reference.hpp"

namespace verdict {

const ModelRegistry& builtin_models() {
  static const ModelRegistry registry = [] {
    ModelRegistry r;
    kv::register_model(r);
    lockserv::register_model(r);
    raft::register_model(r);
    r.add_transformed("kv", "raft", "raft-kv");
    register_reference_models(r);
    return r;
  }();
  return registry;
}

const std::vector<TransformerInfo>& builtin_transformers() {
  static const std::vector<TransformerInfo> transformers = {
      {"seqnum",
       "sequence numbering: every message carries a per-sender number and receivers ignore "
       "repeats, so a system correct without duplication stays correct with it"},
      {"retransmit",
       "retransmission: receivers acknowledge every message and senders resend unacknowledged "
       "ones on a timer (at most once each), so a system that makes progress on a reliable "
       "network makes progress on a lossy one; stack on seqnum against the repeats"},
      {"primary-backup",
       "primary-backup: node 0 applies each input and answers only after node 1, the backup, "
       "has applied it too (one-node systems such as kv)"},
      {"raft",
       "Raft: replicates a one-node state machine on several nodes with leader election, log "
       "replication and a client table; `kv --transform raft` is the model raft-kv (its own "
       "parameters, invariants and seeded bugs)"},
      {"ghost",
       "ghost variables: checker-only state beside each node's state, updated after every step "
       "and invisible to the system (on the command line: each node's step count)"},
  };
  return transformers;
}

}  // namespace verdict
