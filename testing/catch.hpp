// Catch2 (v2) assertions for bounded checks in a user's own tests:
//
//   REQUIRE_NO_VIOLATION(verdict::check(model, verdict::Bounds().max_depth(20)));
//   REQUIRE_VIOLATION(verdict::check(entry, verdict::ModelArgs().param("bug", "overwrite")),
//                     "converged");
//
// A failing assertion prints the check's summary: the outcome, the violated
// property, the steps that lead to it and the trace file written for replay.
// A check that a limit stopped early (exit 4) is not a pass: its bounds were
// not covered.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "testing/check.hpp"

namespace Catch {
template <>
struct StringMaker<verdict::CheckResult> {
  static std::string convert(const verdict::CheckResult& r) { return "\n" + r.summary() + "\n"; }
};
}  // namespace Catch

namespace verdict::testing {

// Matches a check that covered its bounds without a violation.
class NoViolation : public Catch::MatcherBase<CheckResult> {
 public:
  bool match(const CheckResult& r) const override { return r.ok(); }
  std::string describe() const override { return "has no violation within its bounds"; }
};

// Matches a check that found a violation of `property` (any property if empty).
class Violates : public Catch::MatcherBase<CheckResult> {
 public:
  explicit Violates(std::string property = "") : property_(std::move(property)) {}
  bool match(const CheckResult& r) const override {
    return r.violated() && !r.trace_path.empty() &&
           (property_.empty() || r.violated_property() == property_);
  }
  std::string describe() const override {
    return "violates " + (property_.empty() ? std::string("a property") : property_) +
           " and wrote its trace";
  }

 private:
  std::string property_;
};

}  // namespace verdict::testing

#define REQUIRE_NO_VIOLATION(...) REQUIRE_THAT((__VA_ARGS__), ::verdict::testing::NoViolation())
#define CHECK_NO_VIOLATION(...) CHECK_THAT((__VA_ARGS__), ::verdict::testing::NoViolation())
// REQUIRE_VIOLATION(check, "property") or REQUIRE_VIOLATION(check, "") for any property.
#define REQUIRE_VIOLATION(result, property) \
  REQUIRE_THAT((result), ::verdict::testing::Violates(property))
#define CHECK_VIOLATION(result, property) \
  CHECK_THAT((result), ::verdict::testing::Violates(property))
