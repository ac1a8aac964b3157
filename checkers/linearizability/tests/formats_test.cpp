// The history parsers: the three formats, detection, the vard model's
// encoding, clear errors for malformed input, and a seeded mutation fuzz test
// over the reference files (no crash, no hang, only ParseError).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>

#include <fmt/format.h>

#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/history_writer.hpp"
#include "checkers/linearizability/json_fast.hpp"
#include "checkers/linearizability/tests/reference_data.hpp"

namespace lc = verdict::lincheck;

namespace {

std::string error_of(const std::string& text, lc::SpecKind spec,
                     std::optional<lc::Format> format = std::nullopt) {
  try {
    lc::LoadOptions options;
    options.format = format;
    lc::load_history(text, "h.log", spec, options);
  } catch (const lc::ParseError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("format detection", "[lincheck][formats]") {
  CHECK(lc::detect_format("INFO  jepsen.util - 0\t:invoke\t:read\tnil\n") == lc::Format::jepsen);
  CHECK(lc::detect_format("\n  {:process 0, :type :invoke, :f :read}\n") == lc::Format::edn);
  CHECK(lc::detect_format("{\"events\": []}") == lc::Format::json);
  CHECK(lc::detect_format("[]") == lc::Format::json);
  CHECK(lc::detect_format("") == lc::Format::jepsen);
}

TEST_CASE("the same register history in the three formats", "[lincheck][formats]") {
  const std::string jepsen =
      "INFO  jepsen.util - 0\t:invoke\t:write\t1\n"
      "INFO  jepsen.util - 1   :invoke :read   nil\n"
      "INFO  jepsen.util - 0\t:ok\t:write\t1\n"
      "INFO  jepsen.util - 1   :ok     :read   1\n"
      "INFO  jepsen.util - 2\t:invoke\t:cas\t[1 2]\n"
      "INFO  jepsen.util - 2\t:info\t:cas\t:timed-out\n"
      "INFO  jepsen.util - 3\t:invoke\t:cas\t[5 6]\n"
      "INFO  jepsen.util - 3\t:fail\t:cas\t[5 6]\n";
  const std::string edn =
      "{:process 0, :type :invoke, :f :write, :value 1}\n"
      "{:process 1, :type :invoke, :f :read, :value nil}\n"
      "{:process 0, :type :ok, :f :write, :value 1}\n"
      "{:process 1, :type :ok, :f :read, :value 1}\n"
      "{:process 2, :type :invoke, :f :cas, :value [1 2]}\n"
      "{:process 2, :type :info, :f :cas, :value :timed-out}\n"
      "{:process 3, :type :invoke, :f :cas, :value [5 6]}\n"
      "{:process 3, :type :fail, :f :cas, :value [5 6]}\n";
  const std::string json = R"({"verdict_history": 1, "events": [
      {"process": 0, "type": "invoke", "f": "write", "value": 1},
      {"process": 1, "type": "invoke", "f": "read", "value": null},
      {"process": 0, "type": "ok", "f": "write", "value": 1},
      {"process": 1, "type": "ok", "f": "read", "value": 1},
      {"process": 2, "type": "invoke", "f": "cas", "value": [1, 2]},
      {"process": 2, "type": "info", "f": "cas"},
      {"process": 3, "type": "invoke", "f": "cas", "value": [5, 6]},
      {"process": 3, "type": "fail", "f": "cas", "value": [5, 6]}]})";
  for (const std::string& text : {jepsen, edn, json}) {
    for (lc::Reading reading : {lc::Reading::knossos, lc::Reading::porcupine}) {
      lc::LoadOptions options;
      options.reading = reading;
      const lc::LoadedHistory loaded =
          lc::load_history(text, "h", lc::SpecKind::register_spec, options);
      const auto& h = std::get<lc::History<lc::RegisterSpec>>(loaded.history);
      CHECK(h[1].output == lc::RegisterSpec::read_ok(1));
      CHECK_FALSE(h[2].output);  // :info: unknown
      if (reading == lc::Reading::knossos) {
        CHECK(h.size() == 3);  // the failed cas did not happen
      } else {
        REQUIRE(h.size() == 4);  // the failed cas saw a value other than 5
        CHECK(h[3].output == lc::RegisterSpec::cas_ok(false));
        CHECK(h[3].ret == h[3].call + 1);  // the next line (event)
      }
      CHECK(lc::check_loaded(loaded).outcome == lc::Outcome::linearizable);
    }
  }
  // Each format's own reading when none is chosen.
  CHECK(lc::load_history(jepsen, "h", lc::SpecKind::register_spec).reading ==
        lc::Reading::porcupine);
  CHECK(lc::load_history(edn, "h", lc::SpecKind::register_spec).reading == lc::Reading::knossos);
  CHECK(lc::load_history(json, "h", lc::SpecKind::register_spec).reading == lc::Reading::knossos);
}

TEST_CASE("vard histories: Response(key, after, before)", "[lincheck][formats]") {
  const std::string ok =
      "{:process 0, :type :invoke, :f :put, :key \"k\", :value \"a\"}\n"
      "{:process 0, :type :ok, :f :put, :key \"k\", :value [\"a\" nil]}\n"
      "{:process 1, :type :invoke, :f :cas, :key \"k\", :value [\"a\" \"b\"]}\n"
      "{:process 2, :type :invoke, :f :cas, :key \"k\", :value [nil \"c\"]}\n"
      "{:process 1, :type :ok, :f :cas, :key \"k\", :value [\"b\" \"a\"]}\n"
      "{:process 2, :type :ok, :f :cas, :key \"k\", :value [\"b\" \"b\"]}\n"
      "{:process 0, :type :invoke, :f :cad, :key \"k\", :value \"b\"}\n"
      "{:process 0, :type :ok, :f :cad, :key \"k\", :value [nil \"b\"]}\n"
      "{:process 0, :type :invoke, :f :get, :key \"k\"}\n"
      "{:process 0, :type :ok, :f :get, :key \"k\", :value [nil nil]}\n"
      "{:process 1, :type :invoke, :f :del, :key \"j\"}\n"
      "{:process 1, :type :ok, :f :del, :key \"j\", :value [nil nil]}\n";
  CHECK(lc::check_loaded(lc::load_history(ok, "v", lc::SpecKind::vard)).outcome ==
        lc::Outcome::linearizable);
  // The get after the CAD cannot still see "b".
  std::string bad = ok;
  bad.replace(bad.find("[nil nil]"), 9, "[\"b\" \"b\"]");
  const lc::Result r = lc::check_loaded(lc::load_history(bad, "v", lc::SpecKind::vard));
  CHECK(r.outcome == lc::Outcome::not_linearizable);
  REQUIRE(r.counterexample);
  CHECK(r.counterexample->partition == "key k");
}

TEST_CASE("malformed input names the file, the line and what was expected", "[lincheck][formats]") {
  using lc::SpecKind;
  CHECK(error_of("INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - x :ok :read 1\n",
                 SpecKind::register_spec) == "h.log:2:21: expected an integer process, found x");
  CHECK(error_of("INFO  jepsen.util - 0 :invoke :read nil\nINFO  jepsen.util - 0 :ok :read zz\n",
                 SpecKind::register_spec) == "h.log:2: expected an integer or nil, found zz");
  CHECK(error_of("INFO  jepsen.util - 0 :begin :read nil\n", SpecKind::register_spec) ==
        "h.log:1:23: expected :invoke, :ok, :fail or :info, found :begin");
  CHECK(error_of("INFO  jepsen.util - 0 :ok :read 3\n", SpecKind::register_spec) ==
        "h.log:1: expected an :invoke by process 0 before this completion");
  CHECK(error_of("INFO  jepsen.util - 0 :invoke :cas 3\n", SpecKind::register_spec) ==
        "h.log:1: expected a cas value [expected new], found 3");
  CHECK(
      error_of("INFO  jepsen.util - 0 :invoke :read nil\nINFO  jepsen.util - 0 :invoke :read nil\n",
               SpecKind::register_spec) ==
      "h.log:2: process 0 invokes :read before its :read of line 1 completed");
  CHECK(error_of("{:process 0, :type :invoke, :f :get, :key \"1\"\n", SpecKind::kv) ==
        "h.log:1:1: expected a closing '}' for the '{' here, found the end of the input");
  CHECK(error_of("{:process 0, :type :invoke, :f :get, :key \"1}\n", SpecKind::kv) ==
        "h.log:1:43: expected a closing '\"' for the string here");
  CHECK(error_of("{:process 0, :type :invoke, :f :frob, :key \"1\"}\n", SpecKind::kv) ==
        "h.log:1: expected :get, :put or :append, found :frob");
  CHECK(error_of("{\"events\": [{\"process\": 0, \"type\": \"invoke\"}]}",
                 SpecKind::register_spec) == "h.log:1: event 1: expected a string \"f\"");
  CHECK(error_of("{\"events\": [\n{\"process\": 0,,}]}", SpecKind::register_spec)
            .starts_with("h.log:2: expected valid JSON"));
  // A number no double holds is an error of the input, not a crash (found by fuzz_history_json).
  CHECK(error_of("{\"events\": [{\"process\": 6e4444444444444}]}", SpecKind::register_spec)
            .starts_with("h.log:1: expected valid JSON"));
  // Other log lines of a Jepsen run are not history lines.
  CHECK(error_of("INFO  jepsen.core - Running test\n", SpecKind::register_spec).empty());
}

TEST_CASE("fuzz: random mutations of the reference files never crash or hang",
          "[lincheck][formats][fuzz]") {
  namespace t = lc::testing;
  std::vector<std::pair<std::string, lc::SpecKind>> seeds;
  for (const auto& row : t::expected_verdicts()) {
    if (row.file == "jepsen/etcd_000.log" || row.file == "jepsen/etcd_002.log" ||
        row.file == "kv/c01-ok.txt" || row.file == "kv/c01-bad.txt") {
      seeds.emplace_back(
          t::read_text(t::histories_dir() / row.file),
          row.file.starts_with("kv/") ? lc::SpecKind::kv : lc::SpecKind::register_spec);
    }
  }
  const auto edn = t::histories_dir().parent_path() / "edn";
  seeds.emplace_back(t::read_text(edn / "vector.edn"), lc::SpecKind::register_spec);
  seeds.emplace_back(t::read_text(edn / "list.edn"), lc::SpecKind::kv);
  REQUIRE(seeds.size() == 6);
  const std::string alphabet = " \t\n:[]{}()#_;\\\",-0123456789nilokfailinfo";
  std::mt19937_64 rng(5);
  int parsed = 0, rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    auto [text, spec] = seeds[round % seeds.size()];
    const int mutations = 1 + static_cast<int>(rng() % 8);
    for (int m = 0; m < mutations && !text.empty(); ++m) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 5) {
        case 0:  // flip a byte
          text[at] = static_cast<char>(rng() % 256);
          break;
        case 1:  // a syntax character
          text[at] = alphabet[rng() % alphabet.size()];
          break;
        case 2:  // cut
          text.erase(at, 1 + rng() % 40);
          break;
        case 3:  // duplicate a piece
          text.insert(at, text.substr(rng() % text.size(), 1 + rng() % 60));
          break;
        case 4:  // truncate
          text.resize(at);
          break;
      }
    }
    lc::CheckOptions options;
    options.timeout_seconds = 2;  // a mutated history may be hard; it must not hang
    try {
      const lc::LoadedHistory loaded = lc::load_history(text, "fuzz", spec);
      lc::check_loaded(loaded, options);
      ++parsed;
    } catch (const lc::ParseError&) {
      ++rejected;
    }
  }
  CHECK(parsed > 100);
  CHECK(rejected > 100);
}

TEST_CASE("Verdict's JSON names its reading from version 2", "[lincheck][formats]") {
  auto json = [](const std::string& head) {
    return "{" + head +
           "\"events\": [{\"process\": 0, \"type\": \"invoke\", \"f\": \"cas\", \"value\": [1, 2]},"
           "{\"process\": 0, \"type\": \"fail\", \"f\": \"cas\"}]}";
  };
  auto load = [](const std::string& text) {
    return lc::load_history(text, "h.json", lc::SpecKind::register_spec);
  };
  CHECK(load(json("")).reading == lc::Reading::knossos);  // no version: as version 1
  CHECK(load(json("\"verdict_history\": 1, ")).size() == 0);
  const lc::LoadedHistory v2 =
      load(json("\"verdict_history\": 2, \"failed_ops\": \"porcupine\", "));
  CHECK(v2.reading == lc::Reading::porcupine);
  CHECK(v2.size() == 1);
  CHECK(load(json("\"verdict_history\": 2, \"failed_ops\": \"knossos\", ")).size() == 0);
  // The option overrides the file.
  lc::LoadOptions knossos;
  knossos.reading = lc::Reading::knossos;
  CHECK(lc::load_history(json("\"verdict_history\": 2, \"failed_ops\": \"porcupine\", "), "h",
                         lc::SpecKind::register_spec, knossos)
            .size() == 0);
  CHECK(error_of(json("\"verdict_history\": 2, "), lc::SpecKind::register_spec) ==
        "h.log:1: \"failed_ops\": expected \"knossos\" or \"porcupine\" (version 2 names its "
        "reading of failed operations), found nothing");
  CHECK(error_of(json("\"verdict_history\": 2, \"failed_ops\": \"jepsen\", "),
                 lc::SpecKind::register_spec)
            .ends_with("found \"jepsen\""));
  CHECK(error_of(json("\"verdict_history\": 3, "), lc::SpecKind::register_spec) ==
        "h.log:1: \"verdict_history\": expected 1 or 2, found 3 (a newer Verdict's format?)");
  CHECK(error_of(json("\"verdict_history\": \"2\", "), lc::SpecKind::register_spec)
            .starts_with("h.log:1: \"verdict_history\": expected 1 or 2"));
}

TEST_CASE("a JSON history read as it is parsed: the shape and errors of the whole tree",
          "[lincheck][formats]") {
  using lc::SpecKind;
  const std::string bad_event = R"({"process": 0, "type": "invoke"})";
  const std::string cas = R"({"process": 0, "type": "invoke", "f": "cas", "value": [1, 2]},)"
                          R"({"process": 0, "type": "fail", "f": "cas"})";
  auto load = [](const std::string& text) {
    return lc::load_history(text, "h.json", SpecKind::register_spec);
  };
  // The fields may come after the events, and hold nested values.
  const lc::LoadedHistory late = load(R"({"events": [)" + cas +
                                      R"(], "extra": {"a": [1, {"b": null}], "c": []},)"
                                      R"( "failed_ops": "porcupine", "verdict_history": 2})");
  CHECK(late.reading == lc::Reading::porcupine);
  CHECK(late.size() == 1);
  CHECK(load("[" + cas + "]").size() == 0);  // a bare array: knossos's reading
  // Malformed JSON first, then the version, then the first bad event.
  CHECK(error_of(R"({"events": [)" + bad_event + R"(], "verdict_history": 7,,})",
                 SpecKind::register_spec)
            .starts_with("h.log:1: expected valid JSON"));
  CHECK(error_of(R"({"events": [)" + bad_event + R"(], "verdict_history": 7})",
                 SpecKind::register_spec)
            .starts_with("h.log:1: \"verdict_history\": expected 1 or 2, found 7"));
  CHECK(error_of(R"({"events": [)" + cas + "," + bad_event + "," + bad_event + "]}",
                 SpecKind::register_spec) == "h.log:3: event 3: expected a string \"f\"");
  // A repeated "events": the last counts, as in a tree.
  CHECK(load(R"({"events": [)" + bad_event + R"(], "events": [)" + cas + "]}").size() == 0);
  CHECK(
      error_of(R"({"events": [)" + cas + R"(], "events": {"a": [1]}})", SpecKind::register_spec) ==
      "h.log:1: expected an object with an \"events\" array");
  CHECK(error_of(R"({"event": [)" + cas + "]}", SpecKind::register_spec) ==
        "h.log:1: expected an object with an \"events\" array");
  CHECK(error_of("3", SpecKind::register_spec, lc::Format::json) ==
        "h.log:1: expected an object with an \"events\" array, or an array of events");
  CHECK(error_of(R"([3])", SpecKind::register_spec) ==
        "h.log:1: event 1: expected an event object");
}

TEST_CASE("initial values: --initial and --initial-file", "[lincheck][formats]") {
  CHECK(lc::register_value_from_string("nil") == lc::RegisterSpec::kNil);
  CHECK(lc::register_value_from_string("0") == 0);
  CHECK(lc::register_value_from_string("-12") == -12);
  CHECK_FALSE(lc::register_value_from_string("1x"));
  CHECK_FALSE(lc::register_value_from_string(""));
  CHECK_FALSE(lc::register_value_from_string("99999999999999999999"));
  CHECK_FALSE(lc::register_value_from_string("-9223372036854775808"));  // nil's encoding

  auto write = [](const std::string& name, const std::string& text) {
    std::ofstream(name) << text;
    return name;
  };
  const lc::StringMap map = lc::read_initial_map(write("initial-ok.json", R"({"a": "x", "b": 7})"));
  REQUIRE(map.find("a"));
  CHECK(*map.find("a") == "x");
  CHECK(*map.find("b") == "7");
  CHECK_FALSE(map.find("c"));
  auto error = [](const std::string& path) {
    try {
      lc::read_initial_map(path);
    } catch (const lc::ParseError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error(write("initial-array.json", "[1]")) ==
        "initial-array.json:1: expected an object of keys and their initial values");
  CHECK(error(write("initial-null.json", R"({"a": null})")) ==
        "initial-null.json:1: key \"a\": expected a string or an integer, found null");
  CHECK(error(write("initial-deep.json", std::string(300, '[') + std::string(300, ']')))
            .ends_with("nested deeper than 256 levels; refused"));
  CHECK(error("no-such-initial.json") == "no-such-initial.json:0: cannot open the file");
  for (const char* name :
       {"initial-ok.json", "initial-array.json", "initial-null.json", "initial-deep.json"}) {
    std::remove(name);
  }
}

// The history a trace carries as evidence (history_writer.hpp) reads back as
// the same operations: every vard kind, a CAS on an absent key, and an
// operation whose outcome is unknown (no completion: read back as :info).
TEST_CASE("A vard history written as JSON reads back as the same operations", "[formats]") {
  using namespace lc;
  using V = VardSpec;
  History<V> written;
  auto op = [&](int client, V::Input in, std::optional<V::Output> out, std::uint64_t call,
                std::uint64_t ret) {
    written.push_back({client, std::move(in), std::move(out), call, ret});
  };
  op(0, {V::Kind::put, "x", std::nullopt, "1"}, V::Output{"x", "1", std::nullopt}, 0, 2);
  op(1, {V::Kind::get, "x", std::nullopt, ""}, V::Output{"x", "1", "1"}, 1, 3);
  op(0, {V::Kind::cas, "y", std::nullopt, "2"}, V::Output{"y", "2", std::nullopt}, 4, 5);
  op(1, {V::Kind::cad, "x", std::nullopt, "1"}, V::Output{"x", std::nullopt, "1"}, 6, 8);
  op(0, {V::Kind::del, "y", std::nullopt, ""}, std::nullopt, 7, 0);
  const LoadedHistory loaded =
      load_history(history_document(written).dump(), "written.json", SpecKind::vard);
  const auto& read = std::get<History<V>>(loaded.history);
  REQUIRE(read.size() == written.size());
  for (const auto& w : written) {
    auto same = std::find_if(read.begin(), read.end(), [&](const auto& r) {
      return r.client == w.client && r.input.kind == w.input.kind && r.input.key == w.input.key &&
             r.input.expected == w.input.expected && r.input.value == w.input.value;
    });
    REQUIRE(same != read.end());
    CHECK(same->output == w.output);
  }
}

namespace {

std::string describe(const lc::EventLog& log) {
  std::string out = lc::to_string(log.reading);
  for (const lc::Event& e : log.events) {
    out += fmt::format("\n{} {} {} {} {} {}", e.line, e.process, static_cast<int>(e.type), e.f,
                       e.key ? e.key->to_edn() : "<no key>", e.value.to_edn());
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += ", ";
    out += part;
  }
  return out;
}

// A random JSON history, mostly well formed, with the oddities the two readers
// must agree on: types, escapes, big and fractional numbers, nesting, repeated
// and unknown fields, versions and readings.
std::string random_json_history(std::mt19937_64& rng) {
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::string(*(options.begin() + rng() % options.size()));
  };
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    switch (rng() % 12) {
      case 0:
        return "null";
      case 1:
        return pick({"true", "false"});
      case 2:
        return pick({"0", "-0", "7", "-12", "9223372036854775807", "-9223372036854775808",
                     "9223372036854775808", "1.5", "1e3", "18446744073709551616"});
      case 3:
        return pick({R"("a\nb")", R"("\u00e9")", R"("\ud800")", R"("x\"y")", R"("")"});
      case 4:
        return "{\"k\": " + value(depth + 1) + "}";
      case 5:
      case 6: {
        std::string a = "[";
        const int n = static_cast<int>(rng() % 3);
        for (int i = 0; i < n && depth < 70; ++i) {
          if (i) a += ", ";
          a += value(depth + 1);
        }
        return a + "]";
      }
      default:
        return "\"v" + std::to_string(rng() % 5) + "\"";
    }
  };
  auto event = [&]() {
    if (rng() % 40 == 0) return value(0);  // not an object
    std::vector<std::string> fields;
    if (rng() % 30)
      fields.push_back("\"process\": " +
                       (rng() % 10 ? pick({"0", "1", "2", "-3"}) : pick({"\"1\"", "2.0"})));
    if (rng() % 30)
      fields.push_back("\"type\": " +
                       pick({"\"invoke\"", "\"ok\"", "\"fail\"", "\"info\"", "\"done\"", "1"}));
    if (rng() % 30) fields.push_back("\"f\": " + pick({"\"read\"", "\"cas\"", "\"put\"", "3"}));
    if (rng() % 2) fields.push_back("\"key\": " + value(0));
    if (rng() % 3) fields.push_back("\"value\": " + value(0));
    if (rng() % 6 == 0) fields.push_back("\"time\": " + value(0));
    if (rng() % 15 == 0 && !fields.empty()) fields.push_back(fields[rng() % fields.size()]);
    std::shuffle(fields.begin(), fields.end(), rng);
    return "{" + join(fields) + "}";
  };
  std::string events = "[";
  const int n = static_cast<int>(rng() % 7);
  for (int i = 0; i < n; ++i) {
    if (i) events += ",\n";
    events += event();
  }
  events += "]";
  if (rng() % 8 == 0) return events;
  std::vector<std::string> fields{"\"events\": " + events};
  if (rng() % 4) fields.push_back("\"verdict_history\": " + pick({"1", "2", "2", "3", "\"2\""}));
  if (rng() % 4)
    fields.push_back("\"failed_ops\": " +
                     pick({"\"knossos\"", "\"porcupine\"", "\"jepsen\"", "5"}));
  if (rng() % 5 == 0) fields.push_back("\"extra\": " + value(0));
  if (rng() % 20 == 0) fields.push_back(fields[rng() % fields.size()]);
  std::shuffle(fields.begin(), fields.end(), rng);
  std::string doc = "{" + join(fields) + "}";
  if (rng() % 10 == 0 && !doc.empty()) doc.erase(rng() % doc.size(), 1);  // often malformed
  return doc;
}

}  // namespace

TEST_CASE("JSON histories: the fast reader answers only as the exact one would",
          "[lincheck][formats]") {
  std::mt19937_64 rng(16);
  int answered = 0, declined = 0, with_events = 0;
  for (int round = 0; round < 4000; ++round) {
    const std::string text = random_json_history(rng);
    CAPTURE(text);
    std::optional<lc::EventLog> exact;
    try {
      exact = lc::parse_json_history_exact(text, "h.json");
    } catch (const lc::ParseError&) {
    }
    const std::optional<lc::EventLog> fast = lc::read_json_history_fast(text);
    if (!fast) {
      ++declined;
      continue;
    }
    ++answered;
    with_events += !fast->events.empty();
    REQUIRE(exact.has_value());
    CHECK(describe(*fast) == describe(*exact));  // readable when they differ
    CHECK(*fast == *exact);
  }
  // Both paths are exercised, and the fast one on non-empty histories.
  CHECK(answered > 300);
  CHECK(with_events > 100);
  CHECK(declined > 1000);
  // A plain history goes the fast way.
  CHECK(lc::read_json_history_fast(
            R"({"verdict_history": 2, "failed_ops": "porcupine", "events": [)"
            R"({"process": 0, "type": "invoke", "f": "cas", "value": [1, 2]}]})")
            .has_value());
}
