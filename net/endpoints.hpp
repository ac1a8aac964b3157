// Parsing the `host:port,host:port,...` lists that `verdict serve --peers`,
// `verdict client --endpoints` and the load generator take.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace verdict::net {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};

// Throws std::invalid_argument naming the bad item.
HostPort parse_host_port(const std::string& text);
std::vector<HostPort> parse_host_ports(const std::string& list);

}  // namespace verdict::net
