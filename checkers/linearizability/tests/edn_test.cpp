// The EDN reader (every kind of form, errors with line and column, the limits)
// and the EDN history shapes of tests/edn/: a vector, a list of tagged
// records, maps one after another, Jepsen's store directory.
#include <catch2/catch.hpp>

#include <cmath>

#include "checkers/linearizability/edn.hpp"
#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/tests/reference_data.hpp"

namespace lc = verdict::lincheck;
using Kind = lc::Value::Kind;

namespace {

lc::Value read_one(const std::string& text) {
  lc::EdnReader reader(text, "t.edn");
  lc::Value v = reader.read();
  REQUIRE(reader.at_end());
  return v;
}

std::string error_of(const std::string& text) {
  try {
    lc::EdnReader reader(text, "t.edn");
    while (!reader.at_end()) reader.read();
  } catch (const lc::ParseError& e) {
    return e.what();
  }
  return "";
}

std::filesystem::path edn_dir() {
  return lc::testing::histories_dir().parent_path() / "edn";
}

lc::Outcome verdict_of(const std::string& file, lc::SpecKind spec, lc::LoadOptions options = {}) {
  return lc::check_loaded(lc::load_history_file((edn_dir() / file).string(), spec, options))
      .outcome;
}

}  // namespace

TEST_CASE("EDN scalars", "[lincheck][edn]") {
  CHECK(read_one("nil").kind == Kind::nil);
  CHECK(read_one("true").boolean);
  CHECK_FALSE(read_one(" false ").boolean);
  CHECK(read_one("-42").integer == -42);
  CHECK(read_one("+7").integer == 7);
  CHECK(read_one("9223372036854775807N").integer == 9223372036854775807);
  CHECK(read_one("2.5").floating == 2.5);
  CHECK(read_one("-1e3").floating == -1000);
  CHECK(read_one("1.25M").floating == 1.25);
  CHECK(std::isinf(read_one("##Inf").floating));
  CHECK(std::isnan(read_one("##NaN").floating));
  CHECK(read_one(":jepsen.history/op").text == "jepsen.history/op");
  CHECK(read_one(":retry?").kind == Kind::keyword);
  const lc::Value symbol = read_one("clojure.core/+");
  CHECK((symbol.kind == Kind::symbol && symbol.text == "clojure.core/+"));
  CHECK(read_one("-").kind == Kind::symbol);
  CHECK(read_one(R"("a\"b\\c\n\t\u00e9\ud83d\ude00")").text ==
        "a\"b\\c\n\t\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(read_one("\"two\nlines\"").text == "two\nlines");
  CHECK(read_one("\\a").text == "a");
  CHECK(read_one("\\newline").text == "\n");
  CHECK(read_one("\\u0041").text == "A");
  CHECK(read_one("\\(").text == "(");
  CHECK(read_one("\\\xc3\xa9").text == "\xc3\xa9");
}

TEST_CASE("EDN collections, comments, discards and tags", "[lincheck][edn]") {
  const lc::Value v = read_one(
      "; a comment\n"
      "{:a [1 (2 3) #{4}], :b #_ :skipped {:c nil} ; trailing\n"
      " #_#_ :two :discards\n"
      " :d #inst \"2026-01-01\" :e #my.ns/Rec{:x 1}}");
  REQUIRE(v.kind == Kind::map);
  REQUIRE(v.items.size() == 8);
  const lc::Value* a = v.find("a");
  REQUIRE(a);
  CHECK(a->to_edn() == "[1 (2 3) #{4}]");
  CHECK(v.find("b")->to_edn() == "{:c nil}");
  CHECK(v.find("d")->text == "2026-01-01");
  CHECK(v.find("e")->to_edn() == "{:x 1}");
  CHECK(v.find("two") == nullptr);
  CHECK(read_one("[]").items.empty());
  CHECK(read_one("[,,,]").items.empty());
}

TEST_CASE("EDN errors name the line and the column", "[lincheck][edn]") {
  CHECK(error_of("[1 2\n 3") ==
        "t.edn:1:1: expected a closing ']' for the '[' here, found the end "
        "of the input");
  CHECK(error_of("{:a 1\n :b}") ==
        "t.edn:1:1: expected a map of keys and values, found a key :b "
        "without a value");
  CHECK(error_of("\n  \"abc") == "t.edn:2:3: expected a closing '\"' for the string here");
  CHECK(error_of("[1 99999999999999999999]") ==
        "t.edn:1:4: expected an integer that fits in 64 bits, found \"99999999999999999999\"");
  CHECK(error_of("1.2.3") == "t.edn:1:1: expected a number, found \"1.2.3\"");
  CHECK(error_of("\"\\q\"") ==
        "t.edn:1:3: expected an escape among \\n \\t \\r \\b \\f \\\" \\\\ \\uXXXX, found \"q\"\"");
  CHECK(error_of("\"\\ud800\"").starts_with("t.edn:1:3: expected \\u and four hex digits"));
  CHECK(error_of("\\bogus") ==
        "t.edn:1:1: expected a character such as \\a, \\newline or \\u0041, found \"\\bogus\"");
  CHECK(error_of("::auto") == "t.edn:1:1: expected a keyword name after ':', found \"::auto\"");
  CHECK(error_of("[1 ]]") == "t.edn:1:5: expected a value, found \"]\"");
  CHECK(error_of("#_") == "t.edn:1:3: expected a form after #_, found the end of the input");
  CHECK(error_of("#{1") ==
        "t.edn:1:2: expected a closing '}' for the '{' here, found the end of the input");
  CHECK(error_of("#1 2") == "t.edn:1:1: expected a tag, '{' or '_' after '#', found \"1 2\"");
  CHECK(error_of("##Huge") == "t.edn:1:1: expected ##Inf, ##-Inf or ##NaN, found ##Huge");
  CHECK(error_of("#tag") ==
        "t.edn:1:5: expected a value for the tag #tag, found the end of the "
        "input");
}

TEST_CASE("EDN nesting is limited to 256 levels", "[lincheck][edn]") {
  const std::string ok = std::string(256, '[') + std::string(256, ']');
  CHECK(error_of(ok).empty());
  const std::string deep = "\n" + std::string(300, '[') + std::string(300, ']');
  CHECK(error_of(deep) == "t.edn:2:258: nested deeper than 256 levels; refused");
  // Tags and discards count as levels too.
  std::string tags;
  for (int i = 0; i < 300; ++i) tags += "#t ";
  CHECK(error_of(tags + "1").ends_with("nested deeper than 256 levels; refused"));
  std::string discards;
  for (int i = 0; i < 300; ++i) discards += "#_";
  CHECK(error_of(discards + std::string(300, '1'))
            .ends_with("nested deeper than 256 levels; refused"));
}

TEST_CASE("format detection never takes EDN for JSON", "[lincheck][edn][formats]") {
  CHECK(lc::detect_format("[{:process 0, :type :invoke}]") == lc::Format::edn);
  CHECK(lc::detect_format("[\n  {:process 0}]") == lc::Format::edn);
  CHECK(lc::detect_format("(#jepsen.history.Op{:process 0})") == lc::Format::edn);
  CHECK(lc::detect_format("; a comment\n[{\"process\": 0}]") == lc::Format::edn);
  CHECK(lc::detect_format("#jepsen.history.Op{:process 0}") == lc::Format::edn);
  CHECK(lc::detect_format("{\n:process 0}") == lc::Format::edn);
  CHECK(lc::detect_format("[{\"process\": 0}]") == lc::Format::json);
  CHECK(lc::detect_format("  {\"verdict_history\": 2}") == lc::Format::json);
  CHECK(lc::detect_format("{}") == lc::Format::json);
  CHECK(lc::detect_format("3 :invoke :read nil") == lc::Format::jepsen);
}

TEST_CASE("EDN history shapes", "[lincheck][edn]") {
  using lc::Outcome;
  using lc::SpecKind;
  lc::LoadOptions from_zero;
  from_zero.initial.register_value = 0;
  // A vector of maps over several lines, with a nemesis operation, a
  // discarded one and an :error of nested values: starts at 0.
  const lc::LoadedHistory vector =
      lc::load_history_file((edn_dir() / "vector.edn").string(), SpecKind::register_spec);
  CHECK(vector.format == lc::Format::edn);
  CHECK(vector.reading == lc::Reading::knossos);
  CHECK(vector.size() == 3);  // the failed write did not happen; the nemesis is no client
  CHECK(vector.event_lines.front() == 5);
  CHECK(vector.event_lines[2] == 9);  // the ok of the cas: the nemesis line is skipped
  CHECK(verdict_of("vector.edn", SpecKind::register_spec) == Outcome::not_linearizable);
  CHECK(verdict_of("vector.edn", SpecKind::register_spec, from_zero) == Outcome::linearizable);
  lc::LoadOptions porcupine = from_zero;
  porcupine.reading = lc::Reading::porcupine;
  CHECK(lc::load_history_file((edn_dir() / "vector.edn").string(), SpecKind::register_spec,
                              porcupine)
            .size() == 4);  // the failed write may have happened
  CHECK(verdict_of("vector.edn", SpecKind::register_spec, porcupine) == Outcome::linearizable);

  // Maps one after another, two on a line: the failed cas decides.
  CHECK(verdict_of("forms.edn", SpecKind::register_spec) == Outcome::linearizable);
  lc::LoadOptions porcupine_nil;
  porcupine_nil.reading = lc::Reading::porcupine;
  const lc::Result r = lc::check_loaded(lc::load_history_file(
      (edn_dir() / "forms.edn").string(), SpecKind::register_spec, porcupine_nil));
  CHECK(r.outcome == Outcome::not_linearizable);
  REQUIRE(r.counterexample);
  REQUIRE(r.counterexample->stuck.size() == 1);
  CHECK(r.counterexample->stuck[0].operation.call == 6);  // lines, not event numbers
  CHECK(*r.counterexample->stuck[0].operation.ret == 10);

  // A list of tagged records, kv: "y" must start as "z".
  CHECK(verdict_of("list.edn", SpecKind::kv) == Outcome::not_linearizable);
  lc::LoadOptions y_is_z;
  y_is_z.initial.map.set("y", "z");
  CHECK(verdict_of("list.edn", SpecKind::kv, y_is_z) == Outcome::linearizable);
  y_is_z.initial.map.set("x", "q");  // the other key's start is overwritten by the put
  CHECK(verdict_of("list.edn", SpecKind::kv, y_is_z) == Outcome::linearizable);
  const lc::LoadedHistory list =
      lc::load_history_file((edn_dir() / "list.edn").string(), SpecKind::kv, y_is_z);
  lc::CheckOptions whole;
  whole.partition = false;
  CHECK(lc::check_loaded(list, whole).outcome == Outcome::linearizable);
  // Each key's part starts from that key's value alone.
  lc::LoadOptions y_is_w = y_is_z;
  y_is_w.initial.map.set("y", "w");
  const lc::Result wrong = lc::check_loaded(
      lc::load_history_file((edn_dir() / "list.edn").string(), SpecKind::kv, y_is_w));
  REQUIRE(wrong.counterexample);
  CHECK(wrong.counterexample->state == R"({"y": "w"})");
  CHECK(lc::check_loaded(
            lc::load_history_file((edn_dir() / "list.edn").string(), SpecKind::kv, y_is_w), whole)
            .counterexample->state == R"({"x": "a", "y": "w"})");  // after the put

  // Jepsen's store layout: the directory's history.edn.
  CHECK(verdict_of("store", SpecKind::register_spec) == Outcome::not_linearizable);
  CHECK(lc::load_history_file((edn_dir() / "store").string(), SpecKind::register_spec).size() == 3);
}

TEST_CASE("EDN operation maps: fields are checked", "[lincheck][edn]") {
  auto error = [](const std::string& text) {
    try {
      lc::load_history(text, "h.edn", lc::SpecKind::register_spec);
    } catch (const lc::ParseError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error("[{:process 0, :type :invoke, :f :read}\n {:process \"p\", :type :ok, :f :read}]") ==
        "h.edn:2:2: :process: expected an integer, found \"p\"");
  CHECK(error("{:process 0, :f :read}") ==
        "h.edn:1:1: expected an operation map with :process, :type and :f; no :type");
  CHECK(error("{:process 0, :type :begin, :f :read}") ==
        "h.edn:1:1: :type: expected :invoke, :ok, :fail or :info, found :begin");
  CHECK(error("[{:process 0, :type :invoke, :f :read} 3]") ==
        "h.edn:1:40: expected an operation map, found 3");
  CHECK(error("[{:process 0, :type :invoke, :f :read}] []") ==
        "h.edn:1:41: expected the end of the input after the collection of operations, found "
        "\"[]\"");
  CHECK(error("({:process 0, :type :invoke, :f :read}") ==
        "h.edn:1:1: expected a closing ')' for the '(' here, found the end of the input");
  CHECK(error("{:process 0, :type :invoke, :f :cas, :value (1 2)}").empty());  // a list pair
  CHECK(error("{:process 0, :type :invoke, :f :write, :value 1.5}") ==
        "h.edn:1: expected an integer or nil, found 1.5");
}
