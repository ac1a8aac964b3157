// The `verdict` program as scripts see it: exit codes, messages, reports.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace {

struct Run {
  int exit_code;
  std::string output;  // stdout and stderr
};

Run verdict(const std::string& args) {
  const char* bin = std::getenv("VERDICT_BIN");
  REQUIRE(bin != nullptr);
  std::string command = std::string(bin) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace

TEST_CASE("verdict check lockserv: 0 on a reliable network, 1 under duplication", "[cli]") {
  CHECK(verdict("check lockserv").exit_code == 0);
  auto dup = verdict("check lockserv --faults duplicate");
  CHECK(dup.exit_code == 1);
  CHECK_THAT(dup.output, Catch::Contains("mutual-exclusion") && Catch::Contains("duplicate"));
  CHECK(verdict("check lockserv --faults duplicate --transform seqnum").exit_code == 0);
}

TEST_CASE("The JSON report has the documented fields", "[cli]") {
  std::string path = "cli-test-report.json";
  REQUIRE(verdict("check lockserv --faults duplicate --budget duplicate=1 --report " + path)
              .exit_code == 1);
  std::ifstream in(path);
  auto report = nlohmann::json::parse(in);
  for (const char* field :
       {"verdict_version", "model", "params", "transforms", "faults", "budgets", "strategy",
        "threads", "unique_states", "generated_states", "max_depth", "seconds", "complete",
        "properties", "violation"})
    CHECK(report.contains(field));
  CHECK(report["violation"]["property"] == "mutual-exclusion");
  CHECK(report["violation"]["path"].size() + 1 == report["violation"]["depth"].get<std::size_t>());
  std::remove(path.c_str());
}

TEST_CASE("Bad usage exits 2 and says what is wrong", "[cli]") {
  auto unknown = verdict("check nosuchmodel");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("known models") && Catch::Contains("lockserv"));
  auto param = verdict("check lockserv --param agents=many");
  CHECK(param.exit_code == 2);
  CHECK_THAT(param.output, Catch::Contains("agents"));
  auto no_eq = verdict("check lockserv --param agents");
  CHECK(no_eq.exit_code == 2);
  CHECK_THAT(no_eq.output, Catch::Contains("name=value"));
  auto fault = verdict("check lockserv --faults meteor");
  CHECK(fault.exit_code == 2);
  CHECK_THAT(fault.output, Catch::Contains("drop, duplicate"));
  auto budget = verdict("check lockserv --budget drop=lots");
  CHECK(budget.exit_code == 2);
  auto transform = verdict("check lockserv --transform nope");
  CHECK(transform.exit_code == 2);
  CHECK_THAT(transform.output, Catch::Contains("seqnum"));
  CHECK(verdict("check").exit_code == 2);
  CHECK(verdict("frobnicate").exit_code == 2);
  CHECK(verdict("check lockserv --threads 0").exit_code == 2);
  CHECK(verdict("check lockserv --strategy sideways").exit_code == 2);
}

TEST_CASE("verdict models lists models, parameters, bugs and transformers", "[cli]") {
  auto text = verdict("models");
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("lockserv") && Catch::Contains("grant-when-held") &&
                              Catch::Contains("seqnum"));
  auto json = verdict("models --json");
  REQUIRE(json.exit_code == 0);
  auto parsed = nlohmann::json::parse(json.output);
  CHECK(parsed["models"].size() >= 2);
  CHECK(parsed["transformers"][0]["name"] == "seqnum");
  CHECK(verdict("--version").exit_code == 0);
  CHECK(verdict("--help").exit_code == 0);
}
