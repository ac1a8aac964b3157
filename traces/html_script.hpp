// Pieces shared by the HTML pages that show states (the trace export and
// the explorer's page): JSON embedded in a page so that no text in it can
// close the <script> element it sits in, and the JavaScript that renders a
// JSON value with what changed since another one highlighted.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace verdict {

// `value` as JSON text safe inside <script type="application/json">: '<',
// '>' and '&' (which only occur inside JSON strings) written as \u escapes.
std::string json_for_script(const nlohmann::json& value);

// JavaScript defining esc(text) (HTML escaping), same(a, b) (deep equality)
// and jsonHtml(value, previous, compare, indent): pretty JSON as HTML in
// which the parts that differ from `previous` are wrapped in
// <span class="chg">; with `compare` false nothing is marked. The text it
// renders (textContent) is the value's JSON.
const char* json_diff_script();

}  // namespace verdict
