// Escaping text for HTML, for the pages Verdict writes (trace timelines,
// linearizability timelines): everything shown there comes from files and
// models, so it is escaped, in text and in attribute values alike.
#pragma once

#include <string>
#include <string_view>

namespace verdict {

inline std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace verdict
