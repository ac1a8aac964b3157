// Linearizability of a user's System (store.hpp): two clients write and read
// one register at node 0; the I/O of every run must be linearizable.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "simulator/system_model.hpp"
#include "store.hpp"
#include "testing/catch.hpp"

using store::Request;
using store::Store;

namespace {

verdict::SystemModel<Store> model_of(Store system, bool record_io = true) {
  verdict::Workload<Store> workload;
  for (std::int32_t c : {0, 1}) {
    verdict::Client<Store> client;  // closed loop: one request at a time
    client.ops.push_back({0, Request{c, 1, true, 10 + c}});
    client.ops.push_back({0, Request{c, 2, false, 0}});
    client.ops.push_back({0, Request{c, 3, true, 20 + c}});
    client.ops.push_back({0, Request{c, 4, false, 0}});
    workload.clients.push_back(client);
  }
  verdict::Semantics semantics = verdict::Semantics::step_async();
  semantics.record_io_trace = record_io;  // linearizability reads the run's I/O trace
  verdict::SystemModel<Store> model(system, semantics, workload);
  model.add_invariant_at_end(
      "linearizable", verdict::lincheck::io_linearizable<Store>(
                          model, store::spec(), [](const Request& r) { return store::to_spec(r); },
                          [](const store::Answer& a) { return store::to_spec(a); }));
  return model;
}

}  // namespace

TEST_CASE("Two clients at one node: every run's I/O is linearizable") {
  REQUIRE_NO_VIOLATION(verdict::check(model_of(Store{}), verdict::Bounds(), "store"));
}

TEST_CASE("Stale reads are not linearizable, and the check says so") {
  REQUIRE_VIOLATION(verdict::check(model_of(Store{true}), verdict::Bounds(), "store"),
                    "linearizable");
}

TEST_CASE("A model that does not record its I/O cannot pass vacuously") {
  REQUIRE_THROWS_WITH(model_of(Store{true}, false),
                      Catch::Contains("does not record the I/O trace"));
}
