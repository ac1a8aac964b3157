#include "traces/html_script.hpp"

namespace verdict {

std::string json_for_script(const nlohmann::json& value) {
  const std::string text = value.dump();
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

const char* json_diff_script() {
  return R"JS(
const esc = s => String(s).replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const compact = v => esc(JSON.stringify(v));
function jsonHtml(v, prev, cmp, indent) {
  const mark = s => cmp && (prev === undefined || !same(v, prev)) ? '<span class="chg">' + s + '</span>' : s;
  if (v === null || typeof v !== "object") return mark(compact(v));
  if (cmp && prev !== undefined && same(v, prev)) cmp = false;
  const one = JSON.stringify(v);
  if (one.length <= 60 && (!cmp || prev === undefined || typeof prev !== "object" || prev === null)) return mark(esc(one));
  // A different kind of value, or one that lost keys or items: all of it is new.
  if (cmp && (prev === undefined || prev === null || typeof prev !== "object" || Array.isArray(prev) !== Array.isArray(v) ||
              Object.keys(prev).some(k => !(k in v))))
    return mark(jsonHtml(v, undefined, false, indent));
  const pad = "  ".repeat(indent + 1), end = "  ".repeat(indent);
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    return "[\n" + v.map((x, i) => pad + jsonHtml(x, cmp ? prev[i] : undefined, cmp, indent + 1)).join(",\n") + "\n" + end + "]";
  }
  const keys = Object.keys(v);
  if (!keys.length) return "{}";
  return "{\n" + keys.map(k => pad + esc(JSON.stringify(k)) + ": " + jsonHtml(v[k], cmp ? prev[k] : undefined, cmp, indent + 1)).join(",\n") + "\n" + end + "}";
}
)JS";
}

}  // namespace verdict
