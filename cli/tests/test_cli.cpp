// The `verdict` program as scripts see it: exit codes, messages, reports.
#include <sys/wait.h>
#include <algorithm>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
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

// The JSON report a `--json` run printed, without the lines around it (the
// trace path and the replay command go to stderr, which `verdict` merges).
nlohmann::json json_report(const Run& run) {
  const auto at = run.output.find('{');
  const auto end = run.output.rfind('}');
  REQUIRE(at != std::string::npos);
  REQUIRE(end != std::string::npos);
  return nlohmann::json::parse(run.output.substr(at, end - at + 1));
}

}  // namespace

TEST_CASE("verdict check lockserv: 0 on a reliable network, 1 under duplication", "[cli]") {
  CHECK(verdict("check lockserv").exit_code == 0);
  auto dup = verdict("check lockserv --faults duplicate --trace-out cli-dup.json");
  CHECK(dup.exit_code == 1);
  CHECK_THAT(dup.output, Catch::Contains("mutual-exclusion") && Catch::Contains("duplicate"));
  std::remove("cli-dup.json");
  CHECK(verdict("check lockserv --faults duplicate --transform seqnum").exit_code == 0);
}

TEST_CASE("The JSON report has the documented fields", "[cli]") {
  std::string path = "cli-test-report.json";
  REQUIRE(verdict("check lockserv --faults duplicate --budget duplicate=1 --trace-out "
                  "cli-report-trace.json --report " +
                  path)
              .exit_code == 1);
  std::remove("cli-report-trace.json");
  std::ifstream in(path);
  auto report = nlohmann::json::parse(in);
  for (const char* field : {"verdict_version", "model", "params", "transforms", "faults", "budgets",
                            "strategy", "threads", "unique_states", "generated_states", "max_depth",
                            "seconds", "complete", "properties", "violation"})
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
  for (const char* twice : {"seqnum,seqnum", "ghost,ghost", "retransmit,retransmit"}) {
    auto repeated = verdict(std::string("check lockserv --transform ") + twice);
    CHECK(repeated.exit_code == 2);
    CHECK_THAT(repeated.output, Catch::Contains("twice in a row"));
  }
  CHECK(verdict("check").exit_code == 2);
  CHECK(verdict("frobnicate").exit_code == 2);
  CHECK(verdict("check lockserv --threads 0").exit_code == 2);
  CHECK(verdict("check lockserv --strategy sideways").exit_code == 2);
}

TEST_CASE("verdict explore refuses bad usage with exit 2 before it serves", "[cli][explore]") {
  CHECK_THAT(verdict("explore nosuchmodel").output, Catch::Contains("known models"));
  CHECK(verdict("explore nosuchmodel").exit_code == 2);
  CHECK(verdict("explore lockserv --param agents=many").exit_code == 2);
  CHECK(verdict("explore lockserv --port 70000").exit_code == 2);
  CHECK(verdict("explore lockserv --port http").exit_code == 2);
  auto missing = verdict("explore lockserv --trace /nonexistent/t.json");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("/nonexistent/t.json"));
  REQUIRE(verdict("check lockserv --faults duplicate --trace-out cli-e.json").exit_code == 1);
  auto both = verdict("explore lockserv --trace cli-e.json --param agents=3");
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.output, Catch::Contains("records the model's configuration"));
  std::remove("cli-e.json");
}

TEST_CASE("--symmetry on a model without one is a usage error naming it", "[cli]") {
  auto run = verdict("check lockserv --symmetry");
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.output, Catch::Contains("lockserv") && Catch::Contains("no symmetry"));
  CHECK(verdict("check two-phase-commit --symmetry").exit_code == 0);
}

TEST_CASE("kv --transform raft is the model raft-kv", "[cli]") {
  auto run = verdict(
      "check kv --transform raft --param bug=vote-without-log-check --json --trace-out "
      "cli-raft.json");
  CHECK(run.exit_code == 1);
  auto report = json_report(run);
  CHECK(report["model"] == "raft-kv");
  CHECK(report["transforms"].empty());
  CHECK(verdict("replay -q cli-raft.json").exit_code == 1);
  std::remove("cli-raft.json");
  auto elsewhere = verdict("check lockserv --transform raft");
  CHECK(elsewhere.exit_code == 2);
  CHECK_THAT(elsewhere.output, Catch::Contains("kv --transform raft"));
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

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("Liveness on the command line: models lists it, check finds a lasso, replay confirms it",
          "[cli][liveness]") {
  auto models = verdict("models --json");
  REQUIRE(models.exit_code == 0);
  bool listed = false;
  const auto listing = nlohmann::json::parse(models.output);
  for (const auto& m : listing["models"])
    for (const auto& l : m["liveness"]) listed = listed || l["kind"] == "leads-to";
  CHECK(listed);
  CHECK(verdict("check lockserv --param rounds=0").exit_code == 0);
  auto found = verdict(
      "check lockserv --param rounds=0 --param bug=forget-waiter --trace-out cli-lasso.json");
  CHECK(found.exit_code == 1);
  CHECK_THAT(found.output, Catch::Contains("gets-lock") && Catch::Contains("cycle"));
  auto replayed = verdict("replay cli-lasso.json");
  CHECK(replayed.exit_code == 1);
  CHECK_THAT(replayed.output, Catch::Contains("back to the same world"));
  auto dfs = verdict("check lockserv --param rounds=0 --param bug=forget-waiter --strategy dfs");
  CHECK(dfs.exit_code == 0);  // unchecked, and said so
  CHECK_THAT(dfs.output, Catch::Contains("liveness unchecked"));
  auto off = verdict("check lockserv --param rounds=0 --param bug=forget-waiter --no-liveness");
  CHECK(off.exit_code == 0);
  CHECK_THAT(off.output, Catch::Contains("--no-liveness"));
  std::remove("cli-lasso.json");
  // raft-kv's liveness runs on its own network settings, without transformers.
  CHECK_THAT(verdict("models").output, Catch::Contains("leader-log-replicated"));
  auto chained = verdict("check raft-kv --param preset=liveness --transform seqnum");
  CHECK(chained.exit_code == 2);
  CHECK_THAT(chained.output, Catch::Contains("without transformers"));
}

TEST_CASE("A violation without --trace-out writes a trace and prints how to replay it",
          "[cli][traces]") {
  auto run = verdict("check lockserv --param bug=grant-when-held");
  REQUIRE(run.exit_code == 1);
  auto at = run.output.find("verdict-trace-lockserv-");
  REQUIRE(at != std::string::npos);
  std::string path = run.output.substr(at, run.output.find(".json", at) + 5 - at);
  CHECK_THAT(run.output, Catch::Contains("verdict replay " + path));
  CHECK(verdict("replay --quiet " + path).exit_code == 1);
  std::remove(path.c_str());
}

TEST_CASE("check, replay, shrink and export a lockserv trace", "[cli][traces]") {
  REQUIRE(verdict("check lockserv --faults duplicate --trace-out cli-t.json").exit_code == 1);
  auto replay = verdict("replay cli-t.json");
  CHECK(replay.exit_code == 1);
  CHECK_THAT(replay.output, Catch::Contains("reproduced"));
  auto json = verdict("replay --json cli-t.json");
  CHECK(json.exit_code == 1);
  const auto replayed = nlohmann::json::parse(json.output);
  CHECK(replayed["verdict"] == "reproduced");
  auto before = nlohmann::json::parse(read_file("cli-t.json"));
  // Every step replayed, with the recorded fingerprints and the violation last.
  REQUIRE(replayed["steps"].size() == before["steps"].size());
  CHECK(replayed["initial_fingerprint"] == before["initial_fingerprint"]);
  for (std::size_t i = 0; i < before["steps"].size(); ++i) {
    CHECK(replayed["steps"][i]["step"] == i + 1);
    CHECK(replayed["steps"][i]["fingerprint"] == before["steps"][i]["fingerprint"]);
    CHECK(replayed["steps"][i]["label"] == before["steps"][i]["label"]);
  }
  CHECK(replayed["steps"].back()["violated"] == nlohmann::json{"mutual-exclusion"});

  REQUIRE(verdict("shrink cli-t.json -o cli-s.json").exit_code == 0);
  auto after = nlohmann::json::parse(read_file("cli-s.json"));
  CHECK(after["steps"].size() <= before["steps"].size());
  CHECK(verdict("replay -q cli-s.json").exit_code == 1);

  for (const char* format : {"html", "dot", "shiviz"}) {
    std::string out = std::string("cli-t.") + format;
    CHECK(verdict("export cli-t.json --format " + std::string(format) + " -o " + out).exit_code ==
          0);
    CHECK(read_file(out).size() > 200);
    std::remove(out.c_str());
  }
  CHECK(verdict("export cli-t.json --format png -o x.png").exit_code == 2);
  std::remove("cli-t.json");
  std::remove("cli-s.json");
}

TEST_CASE("A trace of a model this program lacks is handed over only to a program --with names",
          "[cli][traces]") {
  REQUIRE(verdict("check lockserv --faults duplicate --trace-out cli-h.json").exit_code == 1);
  auto trace = nlohmann::json::parse(read_file("cli-h.json"));
  CHECK(trace["origin"]["program"].get<std::string>().find("verdict") != std::string::npos);

  // A stand-in for a user's run_cli program: it shows the arguments it got.
  {
    std::ofstream script("cli-h-user-program");
    script
        << "#!/bin/sh\necho \"user program: $*\"\necho \"tunables: [$GLIBC_TUNABLES]\"\nexit 7\n";
  }
  REQUIRE(std::system("chmod +x cli-h-user-program") == 0);
  std::string user_program = std::filesystem::absolute("cli-h-user-program").string();
  trace["model"] = "users-own-model";
  trace["origin"]["program"] = user_program;
  std::ofstream("cli-h-user.json") << trace.dump();

  // The program the trace names is never run on the trace's say-so: the
  // message quotes it and asks for --with.
  auto refused = verdict("replay --quiet cli-h-user.json");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output, Catch::Contains(user_program) && Catch::Contains("--with") &&
                                 !Catch::Contains("user program:"));
  CHECK(verdict("shrink cli-h-user.json -o cli-h-out.json").exit_code == 2);

  auto replay = verdict("replay --quiet cli-h-user.json --with " + user_program);
  CHECK(replay.exit_code == 7);
  CHECK_THAT(replay.output, Catch::Contains("handing over to " + user_program) &&
                                Catch::Contains("user program: replay cli-h-user.json --quiet"));
  // It gets the environment verdict got: not the malloc tunables verdict
  // re-executed itself with (cli/malloc_tuning.hpp).
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  CHECK_THAT(replay.output,
             Catch::Contains(std::string("tunables: [") + (tunables ? tunables : "") + "]"));
  auto shrink = verdict("shrink cli-h-user.json -o cli-h-out.json --with " + user_program);
  CHECK(shrink.exit_code == 7);
  CHECK_THAT(shrink.output,
             Catch::Contains("user program: shrink cli-h-user.json --output cli-h-out.json"));

  // The recorded program is gone: say so, and how to name another.
  trace["origin"]["program"] = "/nonexistent/users-own-check";
  std::ofstream("cli-h-gone.json") << trace.dump();
  auto gone = verdict("replay cli-h-gone.json");
  CHECK(gone.exit_code == 2);
  CHECK_THAT(gone.output,
             Catch::Contains("/nonexistent/users-own-check") && Catch::Contains("--with PROGRAM"));
  CHECK(verdict("replay cli-h-gone.json --with " + user_program).exit_code == 7);

  // A built-in model is replayed here, whatever program the trace names.
  CHECK(verdict("replay -q cli-h.json --with " + user_program).exit_code == 7);
  trace = nlohmann::json::parse(read_file("cli-h.json"));
  trace["origin"]["program"] = user_program;
  std::ofstream("cli-h-builtin.json") << trace.dump();
  CHECK(verdict("replay -q cli-h-builtin.json").exit_code == 1);
  for (const char* f : {"cli-h.json", "cli-h-user.json", "cli-h-gone.json", "cli-h-builtin.json",
                        "cli-h-user-program"})
    std::remove(f);
}

TEST_CASE("Corrupted traces exit 2 naming the problem; non-reproducing ones exit 3",
          "[cli][traces]") {
  REQUIRE(verdict("check lockserv --faults duplicate --trace-out cli-c.json").exit_code == 1);
  auto good = nlohmann::json::parse(read_file("cli-c.json"));
  auto write = [](const nlohmann::json& j) { std::ofstream("cli-bad.json") << j.dump(); };

  auto j = good;
  j["steps"][1]["label"]["step"] = "teleport";
  write(j);
  auto bad_label = verdict("replay cli-bad.json");
  CHECK(bad_label.exit_code == 2);
  CHECK_THAT(bad_label.output, Catch::Contains("step 2") && Catch::Contains("teleport"));

  j = good;
  j["model"] = "nosuchmodel";
  write(j);
  auto bad_model = verdict("replay cli-bad.json");
  CHECK(bad_model.exit_code == 2);
  CHECK_THAT(bad_model.output, Catch::Contains("known models"));

  std::ofstream("cli-bad.json") << good.dump().substr(0, 300);
  auto truncated = verdict("replay cli-bad.json");
  CHECK(truncated.exit_code == 2);
  CHECK_THAT(truncated.output, Catch::Contains("cli-bad.json:1:"));
  CHECK(verdict("shrink cli-bad.json -o x.json").exit_code == 2);
  CHECK(verdict("replay no-such-file.json").exit_code == 2);

  j = good;
  j["steps"].erase(j["steps"].size() - 1);
  j["violation_step"] = j["steps"].size();
  write(j);
  CHECK(verdict("shrink cli-bad.json -o cli-x.json").exit_code == 3);
  j["violation_step"] = nullptr;
  write(j);
  CHECK(verdict("replay cli-bad.json").exit_code == 0);

  j = good;
  j["steps"][3]["fingerprint"] = "00000000000000ff";
  write(j);
  auto diverged = verdict("replay cli-bad.json");
  CHECK(diverged.exit_code == 3);
  CHECK_THAT(diverged.output, Catch::Contains("step 4"));
  std::remove("cli-bad.json");
  std::remove("cli-c.json");
}

TEST_CASE("simulate: a violation gives a trace and the command that reruns its walk",
          "[cli][walks]") {
  auto run = verdict(
      "simulate lockserv --faults duplicate --seed 3 --walks 500 --threads 2 "
      "--trace-out cli-w.json --report cli-w-report.json");
  REQUIRE(run.exit_code == 1);
  CHECK_THAT(run.output, Catch::Contains("--walk-range"));
  CHECK(verdict("replay -q cli-w.json").exit_code == 1);
  auto report = nlohmann::json::parse(read_file("cli-w-report.json"));
  const auto walk = report["violation"]["walk"].get<std::uint64_t>();
  auto alone =
      verdict("simulate lockserv --faults duplicate --seed 3 --walk-range " + std::to_string(walk) +
              ":" + std::to_string(walk + 1) + " --trace-out cli-w1.json");
  CHECK(alone.exit_code == 1);
  CHECK(nlohmann::json::parse(read_file("cli-w1.json"))["steps"] ==
        nlohmann::json::parse(read_file("cli-w.json"))["steps"]);
  for (const char* f : {"cli-w.json", "cli-w1.json", "cli-w-report.json"}) std::remove(f);
}

TEST_CASE("simulate: a liveness goal owed at a walk's end is suspected, not a violation",
          "[cli][walks][liveness]") {
  const std::string bug = "simulate lockserv --param rounds=0 --param bug=forget-waiter --seed 1 ";
  auto run = verdict(bug + "--walks 50 --trace-out cli-sus.json --report cli-sus-r.json");
  CHECK(run.exit_code == 0);  // a heuristic does not fail the run
  CHECK_THAT(run.output, Catch::Contains("SUSPECTED"));
  CHECK_THAT(run.output, Catch::Contains("--walk-range"));
  auto report = nlohmann::json::parse(read_file("cli-sus-r.json"));
  REQUIRE(report["suspected"].is_object());
  CHECK(report["suspected"]["property"] == "agent-1-gets-lock");
  CHECK(report["suspected_walks"].get<std::uint64_t>() > 0);
  CHECK(report["properties"][1]["outcome"] == "suspected");
  // The trace claims no violation: it replays through and says so.
  auto trace = nlohmann::json::parse(read_file("cli-sus.json"));
  CHECK(trace["property"] == "");
  CHECK(trace["origin"]["suspected"] == "agent-1-gets-lock");
  auto replayed = verdict("replay -q cli-sus.json");
  CHECK(replayed.exit_code == 0);
  CHECK_THAT(replayed.output, Catch::Contains("no violation"));
  // Shards keep the suspicion.
  REQUIRE(verdict(bug + "--walk-range 0:20 --report cli-sus1.json").exit_code == 0);
  REQUIRE(verdict(bug + "--walk-range 20:50 --report cli-sus2.json").exit_code == 0);
  REQUIRE(verdict("merge-reports cli-sus2.json cli-sus1.json -o cli-sus-m.json").exit_code == 0);
  auto merged = nlohmann::json::parse(read_file("cli-sus-m.json"));
  CHECK(merged["suspected"] == report["suspected"]);
  CHECK(merged["suspected_walks"] == report["suspected_walks"]);
  CHECK(merged["properties"][1]["outcome"] == "suspected");
  // The correct server: every walk's waiting agents get the lock.
  auto fine = verdict("simulate lockserv --param rounds=0 --seed 1 --walks 300 --json");
  CHECK(fine.exit_code == 0);
  CHECK_THAT(fine.output, !Catch::Contains("SUSPECTED"));
  CHECK_THAT(fine.output, Catch::Contains("\"suspected_walks\": 0"));
  for (const char* f :
       {"cli-sus.json", "cli-sus-r.json", "cli-sus1.json", "cli-sus2.json", "cli-sus-m.json"})
    std::remove(f);
}

TEST_CASE("merge-reports joins walk-range shards", "[cli][walks]") {
  REQUIRE(verdict("simulate lockserv --seed 5 --walk-range 0:100 --report cli-s1.json").exit_code ==
          0);
  REQUIRE(
      verdict("simulate lockserv --seed 5 --walk-range 100:300 --report cli-s2.json").exit_code ==
      0);
  REQUIRE(verdict("simulate lockserv --seed 5 --walks 300 --report cli-all.json").exit_code == 0);
  REQUIRE(verdict("merge-reports cli-s1.json cli-s2.json -o cli-m.json").exit_code == 0);
  auto merged = nlohmann::json::parse(read_file("cli-m.json"));
  auto all = nlohmann::json::parse(read_file("cli-all.json"));
  CHECK(merged["walks"] == all["walks"]);
  CHECK(merged["steps"] == all["steps"]);
  CHECK(merged["complete"] == true);
  // A gap between shards makes the merge incomplete (exit 4).
  REQUIRE(
      verdict("simulate lockserv --seed 5 --walk-range 400:500 --report cli-s3.json").exit_code ==
      0);
  CHECK(verdict("merge-reports cli-s1.json cli-s3.json -o cli-m.json").exit_code == 4);
  CHECK(verdict("merge-reports cli-s1.json no-such.json -o cli-m.json").exit_code == 2);
  CHECK(verdict("simulate lockserv --seed 5 --walk-range 9:3").exit_code == 2);
  CHECK(verdict("simulate lockserv --seed 5 --weight teleport=3").exit_code == 2);
  CHECK(verdict("simulate lockserv").exit_code == 2);  // --seed is required
  for (const char* f : {"cli-s1.json", "cli-s2.json", "cli-s3.json", "cli-all.json", "cli-m.json"})
    std::remove(f);
}

TEST_CASE("raft-kv --symmetry: half the states, the same verdicts, traces that replay unreduced",
          "[cli]") {
  auto plain = verdict("check raft-kv --json --param client-timeouts=0 --param drops=0");
  auto reduced =
      verdict("check raft-kv --json --symmetry --param client-timeouts=0 --param drops=0");
  REQUIRE(plain.exit_code == 0);
  REQUIRE(reduced.exit_code == 0);
  const auto p = nlohmann::json::parse(plain.output);
  const auto r = nlohmann::json::parse(reduced.output);
  CHECK(r["symmetry"] == true);
  CHECK(r["unique_states"].get<std::uint64_t>() < p["unique_states"].get<std::uint64_t>());
  CHECK(r["max_depth"] == p["max_depth"]);
  // A counterexample found on representatives is a path of the real model,
  // as short as the unreduced search's (BFS over classes keeps depths).
  REQUIRE(verdict("check raft-kv --symmetry --param bug=no-truncate --trace-out cli-sym.json "
                  "--report cli-sym-report.json")
              .exit_code == 1);
  REQUIRE(verdict("check raft-kv --param bug=no-truncate --trace-out cli-plain.json "
                  "--report cli-plain-report.json")
              .exit_code == 1);
  CHECK(nlohmann::json::parse(read_file("cli-sym-report.json"))["violation"]["depth"] ==
        nlohmann::json::parse(read_file("cli-plain-report.json"))["violation"]["depth"]);
  CHECK(verdict("replay -q cli-sym.json").exit_code == 1);
  for (const char* f :
       {"cli-sym.json", "cli-plain.json", "cli-sym-report.json", "cli-plain-report.json"})
    std::remove(f);
  // A transformer that does not pass the symmetry on: a usage error.
  CHECK(verdict("check kv --transform raft,seqnum --symmetry").exit_code == 2);
}

TEST_CASE(
    "simulate reports a `sometimes` property as reached or not, and histories only where "
    "there are some",
    "[cli]") {
  auto paxos = verdict("simulate paxos --walks 200 --seed 1");
  REQUIRE(paxos.exit_code == 0);
  CHECK_THAT(paxos.output, Catch::Contains("sometimes value chosen: reached") &&
                               Catch::Contains("always linearizable: holds") &&
                               !Catch::Contains("histories checked"));
  // One walk of one step cannot choose a value.
  auto short_walk = verdict("simulate paxos --walks 1 --depth 1 --seed 1");
  CHECK_THAT(short_walk.output, Catch::Contains("sometimes value chosen: not reached"));
  auto raft = verdict("simulate raft-kv --walks 50 --seed 1");
  CHECK_THAT(raft.output, Catch::Contains("50 histories checked"));
}

TEST_CASE("Numbers and paths on the command line are checked before anything runs", "[cli]") {
  for (const char* bad :
       {"--time-limit -5", "--time-limit nan", "--time-limit inf", "--time-limit 0",
        "--max-states -1", "--max-depth 1.5", "--memory-limit -1",
        "--trace-out /nonexistent-dir/t.json", "--report /nonexistent-dir/r.json", "--trace-out .",
        "--budget duplicate=1"}) {
    INFO(bad);
    auto run = verdict(std::string("check lockserv ") + bad);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.output, !Catch::Contains("internal error"));
  }
  CHECK(verdict("simulate lockserv --seed 1 --walks -1").exit_code == 2);
  CHECK(verdict("simulate lockserv --seed 1 --time-limit nan").exit_code == 2);
  // A budget for a fault the model already has only changes the budget.
  CHECK(verdict("check raft-kv --budget drop=0 --param client-timeouts=0").exit_code == 0);
  CHECK(verdict("check lockserv --faults duplicate --budget duplicate=1").exit_code == 1);
}

TEST_CASE("Hostile files: deep nesting and endless input are refused with exit 2", "[cli]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::ofstream("cli-deep-trace.json")
      << "{\"format\": \"verdict-trace\", \"steps\": " << deep << "}";
  auto trace = verdict("replay cli-deep-trace.json");
  CHECK(trace.exit_code == 2);
  CHECK_THAT(trace.output, Catch::Contains("nested deeper than 256"));
  std::ofstream("cli-deep-history.json") << "{\"events\": " << deep << "}";
  auto history = verdict("lincheck --model register cli-deep-history.json");
  CHECK(history.exit_code == 2);
  CHECK_THAT(history.output, Catch::Contains("nested deeper than 256"));
  auto endless = verdict("replay /dev/zero");
  CHECK(endless.exit_code == 2);
  CHECK_THAT(endless.output, Catch::Contains("larger than 64 MiB"));
  // A regular file over the limit is refused (sparse: it takes no disk).
  std::ofstream("cli-huge-history.json").put('[');
  std::filesystem::resize_file("cli-huge-history.json", std::uintmax_t{300} << 20);
  auto huge = verdict("lincheck --model kv cli-huge-history.json");
  CHECK(huge.exit_code == 2);
  CHECK_THAT(huge.output, Catch::Contains("larger than 256 MiB; refused"));
  std::remove("cli-huge-history.json");
  std::remove("cli-deep-trace.json");
  std::remove("cli-deep-history.json");
}

TEST_CASE("lincheck: EDN shapes, readings of failures, initial values, hostile EDN",
          "[cli][lincheck]") {
  const char* source = std::getenv("VERDICT_SOURCE_DIR");
  REQUIRE(source != nullptr);
  const std::string edn = std::string(source) + "/checkers/linearizability/tests/edn/";
  // A store directory: its history.edn.
  CHECK(verdict("lincheck --model register " + edn + "store").exit_code == 1);
  // knossos's reading (EDN's own) drops the failed cas; Porcupine's does not.
  CHECK(verdict("lincheck --model register " + edn + "forms.edn").exit_code == 0);
  auto porcupine =
      verdict("lincheck --model register --failed-ops porcupine --json " + edn + "forms.edn");
  CHECK(porcupine.exit_code == 1);
  CHECK_THAT(porcupine.output, Catch::Contains("\"failed_ops\": \"porcupine\""));
  CHECK(verdict("lincheck --model register --failed-ops jepsen " + edn + "forms.edn").exit_code ==
        2);
  // knossos's cas-register starts at 0.
  CHECK(verdict("lincheck --model register " + edn + "vector.edn").exit_code == 1);
  CHECK(verdict("lincheck --model register --initial 0 " + edn + "vector.edn").exit_code == 0);
  CHECK(verdict("lincheck --model register --initial zero " + edn + "vector.edn").exit_code == 2);
  CHECK(verdict("lincheck --model kv --initial 0 " + edn + "list.edn").exit_code == 2);
  std::ofstream("cli-initial.json") << R"({"y": "z"})";
  CHECK(verdict("lincheck --model kv " + edn + "list.edn").exit_code == 1);
  CHECK(verdict("lincheck --model kv --initial-file cli-initial.json " + edn + "list.edn")
            .exit_code == 0);
  CHECK(verdict("lincheck --model register --initial-file cli-initial.json " + edn + "list.edn")
            .exit_code == 2);
  std::ofstream("cli-initial.json") << R"({"y": ["z"]})";
  auto bad_initial =
      verdict("lincheck --model kv --initial-file cli-initial.json " + edn + "list.edn");
  CHECK(bad_initial.exit_code == 2);
  CHECK_THAT(bad_initial.output, Catch::Contains("key \"y\": expected a string"));
  // Deep EDN, an unterminated string: exit 2 with the line, never a crash.
  std::ofstream("cli-deep.edn") << "(" << std::string(100000, '(') << std::string(100001, ')');
  auto deep = verdict("lincheck --model register cli-deep.edn");
  CHECK(deep.exit_code == 2);
  CHECK_THAT(deep.output, Catch::Contains("cli-deep.edn:1:259: nested deeper than 256"));
  std::ofstream("cli-deep.edn") << "{:process 0, :type :invoke,\n :f :read, :value \"nil}\n";
  auto open_string = verdict("lincheck --model register cli-deep.edn");
  CHECK(open_string.exit_code == 2);
  CHECK_THAT(open_string.output, Catch::Contains("cli-deep.edn:2:19: expected a closing '\"'"));
  std::remove("cli-initial.json");
  std::remove("cli-deep.edn");
}

TEST_CASE("Values in a trace are read strictly: unknown names, wrapped and fractional numbers",
          "[cli][traces]") {
  const char* source = std::getenv("VERDICT_SOURCE_DIR");
  REQUIRE(source != nullptr);
  const auto golden = nlohmann::json::parse(
      read_file(std::string(source) + "/traces/tests/golden/raft-kv-vote-not-persisted.json"));
  REQUIRE(verdict("replay -q " + std::string(source) +
                  "/traces/tests/golden/raft-kv-vote-not-persisted.json")
              .exit_code == 1);
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> spoil;
    const char* message;
  };
  const Case cases[] = {
      {"an unknown timer name (once read as the first name)",
       [](auto& t) { t["steps"][0]["label"]["timer"] = "electionX"; }, "electionX"},
      {"a term of 2^32 (once wrapped to 0)",
       [](auto& t) { t["steps"][1]["label"]["msg"]["term"] = 4294967296ULL; }, "4294967296"},
      {"a fractional term", [](auto& t) { t["steps"][1]["label"]["msg"]["term"] = 2.5; }, "2.5"},
      {"format_version 1.9 (once read as 1)", [](auto& t) { t["format_version"] = 1.9; },
       "format_version"},
      {"an unknown message type",
       [](auto& t) { t["steps"][1]["label"]["msg"]["type"] = "Teleport"; }, "Teleport"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto spoiled = golden;
    c.spoil(spoiled);
    std::ofstream("cli-strict.json") << spoiled.dump();
    auto run = verdict("replay cli-strict.json");
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.output, Catch::Contains(c.message));
  }
  std::remove("cli-strict.json");
}

TEST_CASE("raft-kv's check suite: configurations in turn, the first violation stops it", "[cli]") {
  // --max-states bounds each configuration (kept small for the sanitizer
  // build): timeouts stops early, and the suite goes on to crash, which finds
  // the bug at 10,781 states; the violation wins over the incomplete part.
  auto run = verdict(
      "check raft-kv --json --symmetry --threads 2 --param bug=vote-not-persisted "
      "--max-states 20000 --trace-out cli-suite.json");
  CHECK(run.exit_code == 1);
  auto report = json_report(run);
  REQUIRE(report["configurations"].size() == 2);  // timeouts (no crash), then crash
  CHECK(report["configurations"][0]["configuration"] == "timeouts");
  CHECK(report["configurations"][0]["complete"] == false);
  CHECK(report["configurations"][1]["complete"] == true);
  CHECK(report["configurations"][0]["params"]["crashes"] == "0");
  CHECK(report["configurations"][1]["params"]["crashes"] == "1");
  auto listing = verdict("models --json");
  auto models = nlohmann::json::parse(listing.output)["models"];
  auto raft = std::find_if(models.begin(), models.end(),
                           [](const auto& m) { return m["name"] == "raft-kv"; });
  REQUIRE(raft != models.end());
  CHECK((*raft)["check_suite"].size() > 2);
  CHECK(report["planned_configurations"] == (*raft)["check_suite"].size());
  CHECK((*raft)["walk_preset"] == "deep");
  CHECK(report["violation"]["configuration"] == "crash");
  CHECK(report["violation"]["property"] == "election-safety");
  CHECK(report["unique_states"] == report["configurations"][0]["unique_states"].get<int>() +
                                       report["configurations"][1]["unique_states"].get<int>());
  // The trace records the configuration's parameters: it replays alone.
  CHECK(verdict("replay -q cli-suite.json").exit_code == 1);
  std::remove("cli-suite.json");

  // Any other parameter, or --single, asks for one configuration.
  for (const char* one : {"check raft-kv --json --param bug=no-dedup --param drops=0 "
                          "--trace-out cli-one.json",
                          "check raft-kv --json --single --param bug=no-dedup "
                          "--trace-out cli-one.json"}) {
    auto single = verdict(one);
    CHECK(single.exit_code == 1);
    auto r = json_report(single);
    CHECK_FALSE(r.contains("configurations"));
    CHECK(r["params"]["bug"] == "no-dedup");
    std::remove("cli-one.json");
  }
  // A suite cut short by a limit is incomplete (exit 4), never "covered".
  auto cut = verdict("check raft-kv --max-states 100");
  CHECK(cut.exit_code == 4);
  CHECK_THAT(cut.output, Catch::Contains("stopped early"));
}

TEST_CASE("A sometimes property a complete check never reaches fails it (exit 1, NOT REACHED)",
          "[cli]") {
  // One term: no second leader can be elected, so raft-kv's reach witnesses
  // are out of reach, and the check says so although every invariant holds.
  auto run = verdict("check raft-kv --json --param max-term=1 --param client-timeouts=0");
  CHECK(run.exit_code == 1);
  auto report = json_report(run);
  CHECK(report["violation"].is_null());
  CHECK(report["complete"] == true);
  auto text = verdict("check raft-kv --param max-term=1 --param client-timeouts=0");
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.output,
             Catch::Contains("NOT REACHED: new-leader-elected, committed-in-later-term"));
  // Cut short, the search proved nothing about reach: exit 4, not 1.
  CHECK(verdict("check raft-kv --param max-term=1 --max-states 50").exit_code == 4);
}

TEST_CASE("A linearizability violation's trace carries its history; export draws it", "[cli]") {
  REQUIRE(
      verdict("check raft-kv --param bug=reply-before-commit --trace-out cli-lin.json").exit_code ==
      1);
  auto read = [](const char* path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
  };
  const auto trace = read("cli-lin.json");
  CHECK(trace["property"] == "linearizability");
  REQUIRE(trace.contains("evidence"));
  CHECK(trace["evidence"]["history"]["model"] == "vard");
  CHECK(trace["evidence"]["history"]["events"].size() >= 4);
  // The shrunk trace's evidence is the shrunk run's history.
  REQUIRE(verdict("shrink cli-lin.json -o cli-lin-s.json").exit_code == 0);
  CHECK(read("cli-lin-s.json").contains("evidence"));
  REQUIRE(verdict("export cli-lin-s.json --format html -o cli-lin.html").exit_code == 0);
  std::ifstream page("cli-lin.html");
  const std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  CHECK(html.find("not-linearizable") != std::string::npos);
  CHECK(html.find("process 0") != std::string::npos);
  for (const char* f : {"cli-lin.json", "cli-lin-s.json", "cli-lin.html"}) std::remove(f);
}

TEST_CASE("raft-kv's random walks run the deep preset unless parameters are given", "[cli]") {
  auto deep = verdict("simulate raft-kv --seed 1 --walks 3 --json");
  CHECK(deep.exit_code == 0);
  auto report = json_report(deep);
  CHECK(report["params"]["preset"] == "deep");
  CHECK(report["params"]["clients"] == "2");
  auto plain = verdict("simulate raft-kv --seed 1 --walks 3 --json --param clients=1");
  auto plain_report = json_report(plain);
  CHECK(plain_report["params"]["preset"] == "main");
  CHECK(plain_report["params"]["crashes"] == "0");
}
