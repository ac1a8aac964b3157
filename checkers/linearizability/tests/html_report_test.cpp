// The HTML timeline: a bar per operation in its process's lane, the prefix
// numbered with the state after each, the stuck operations marked, a section
// per key, and every text from the file escaped.
#include <catch2/catch.hpp>

#include "checkers/linearizability/html_report.hpp"

namespace lc = verdict::lincheck;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string page_of(const std::string& history, lc::SpecKind spec,
                    const lc::CheckOptions& options = {}) {
  const lc::LoadedHistory loaded = lc::load_history(history, "h<1>.edn", spec);
  const lc::Result result = lc::check_loaded(loaded, options);
  return lc::html_page("t", lc::html_history_section("h<1>.edn", loaded, result, options));
}

}  // namespace

TEST_CASE("html: a register history that is not linearizable", "[lincheck][html]") {
  const std::string history =
      "{:process 0, :type :invoke, :f :write, :value 1}\n"
      "{:process 0, :type :ok, :f :write, :value 1}\n"
      "{:process 0, :type :invoke, :f :write, :value 2}\n"
      "{:process 0, :type :ok, :f :write, :value 2}\n"
      "{:process 1, :type :invoke, :f :read, :value nil}\n"
      "{:process 2, :type :invoke, :f :write, :value 3}\n"
      "{:process 1, :type :ok, :f :read, :value 1}\n";
  const std::string page = page_of(history, lc::SpecKind::register_spec);
  CHECK(page.starts_with("<!DOCTYPE html>"));
  CHECK(count(page, "<g class=\"op ") == 4);  // every operation a bar
  CHECK(count(page, "<g class=\"op prefix\"") == 2);
  CHECK(count(page, "<g class=\"op stuck\"") == 1);
  // The write of 3 never returned (a dashed bar); the prefix takes it last.
  CHECK(count(page, "<g class=\"op prefix unknown\"") == 1);
  CHECK(page.find("linearized 3; state after: 3") != std::string::npos);
  CHECK(count(page, "<text class=\"lane\"") == 3);  // a lane per process
  CHECK(page.find("linearized 2; state after: 2") != std::string::npos);
  CHECK(page.find("could not come next: the specification answers 3 here") != std::string::npos);
  CHECK(page.find("h&lt;1&gt;.edn: not-linearizable") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);  // nothing to run, nothing fetched
  CHECK(page.find("href=") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
}

TEST_CASE("html: a section per key, text escaped", "[lincheck][html]") {
  const std::string history =
      "{:process 0, :type :invoke, :f :put, :key \"<b>\", :value \"x&y\"}\n"
      "{:process 0, :type :ok, :f :put, :key \"<b>\", :value \"x&y\"}\n"
      "{:process 1, :type :invoke, :f :get, :key \"k'\"}\n"
      "{:process 1, :type :ok, :f :get, :key \"k'\", :value \"\\\"q\\\"\"}\n";
  const std::string page = page_of(history, lc::SpecKind::kv);
  CHECK(count(page, "<h3") == 2);
  CHECK(page.find("<h3 class=\"\">key &lt;b&gt;</h3>") != std::string::npos);
  CHECK(page.find("<h3 class=\"failed\">key k&#39;: not linearizable") != std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("x&amp;y") != std::string::npos);
  // No raw '<' but the page's own tags: every '<' starts a known tag.
  // (A loop, not std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized
  // in the sanitizer build.)
  bool stray = false;
  for (std::size_t at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
    const char next = at + 1 < page.size() ? page[at + 1] : '\0';
    stray = stray || !(next == '/' || next == '!' || (next >= 'a' && next <= 'z'));
  }
  CHECK_FALSE(stray);
  lc::CheckOptions whole;
  whole.partition = false;
  CHECK(count(page_of(history, lc::SpecKind::kv, whole), "<h3") == 1);
}

TEST_CASE("html: bad input gets its section", "[lincheck][html]") {
  const std::string section = lc::html_error_section("a&b", "a&b:1: expected <x>");
  CHECK(section.find("a&amp;b: bad input") != std::string::npos);
  CHECK(section.find("expected &lt;x&gt;") != std::string::npos);
}
