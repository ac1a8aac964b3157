#include "net/endpoints.hpp"

#include <charconv>
#include <stdexcept>

namespace verdict::net {

HostPort parse_host_port(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument("expected host:port, found \"" + text + "\"");
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc{} || ptr != end || begin == end || port == 0 || port > 65535)
    throw std::invalid_argument("bad port in \"" + text + "\"");
  return {text.substr(0, colon), static_cast<std::uint16_t>(port)};
}

std::vector<HostPort> parse_host_ports(const std::string& list) {
  std::vector<HostPort> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const auto item =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(parse_host_port(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.empty())
    throw std::invalid_argument("expected a list of host:port, found \"" + list + "\"");
  return out;
}

}  // namespace verdict::net
