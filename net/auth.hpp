// Who may talk to a `verdict serve` node (docs/serve.md, "Threat model"): the
// cluster key that peers prove they hold, the challenge-response handshake
// that proves it without sending it, the MAC that every peer frame carries
// after the handshake, and the client tokens that bind a client id to
// whoever holds its token. Crypto is OpenSSL's libcrypto (HMAC-SHA256,
// SHA-256, RAND_bytes).
//
// The peer handshake, on a connection node `d` dials to node `a`:
//   d -> a  Hello{from d, to a, nodes, nonce_d}
//   a -> d  Challenge{nonce_a, MAC(K, "acceptor" | d | a | nodes | nonce_d | nonce_a)}
//   d -> a  Proof{MAC(K, "dialer" | d | a | nodes | nonce_d | nonce_a)}
// Both nonces are fresh random bytes, so a recorded Proof or Challenge
// answers no later handshake; the labels and node ids keep one side's MAC
// from serving as the other's or for another pair. Then every frame d sends
// ends with MAC(session key, sequence number | body), the session key being
// MAC(K, "session" | ...) over the same fields.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "models/raft/messages.hpp"
#include "simulator/system.hpp"

namespace verdict::net {

inline constexpr std::size_t kNonceBytes = 32;
inline constexpr std::size_t kMacBytes = 32;
inline constexpr std::size_t kTokenBytes = 16;
using Nonce = std::array<std::uint8_t, kNonceBytes>;
using Mac = std::array<std::uint8_t, kMacBytes>;
using ClientToken = std::array<std::uint8_t, kTokenBytes>;

class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The cluster secret. Empty when `serve` runs without --cluster-key (loopback
// only): the handshake then runs the same way and proves nothing.
class ClusterKey {
 public:
  static constexpr std::size_t kMinBytes = 32, kMaxBytes = 4096;

  ClusterKey() = default;
  explicit ClusterKey(std::string bytes) : bytes_(std::move(bytes)) {}
  // Reads a key file: a regular file of kMinBytes..kMaxBytes bytes that only
  // its owner may read or write. Throws KeyError saying what is wrong.
  static ClusterKey load(const std::filesystem::path& file);

  bool empty() const { return bytes_.empty(); }
  Mac mac(std::string_view data) const;

 private:
  std::string bytes_;
};

// HMAC-SHA256 of the parts one after the other.
Mac hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);
bool same_mac(const Mac& a, const Mac& b);  // in constant time
template <std::size_t N>
std::array<std::uint8_t, N> random_bytes();  // from the system's CSPRNG; throws on failure
extern template std::array<std::uint8_t, kNonceBytes> random_bytes<kNonceBytes>();
extern template std::array<std::uint8_t, kTokenBytes> random_bytes<kTokenBytes>();

// What both MACs of one handshake cover.
struct Handshake {
  NodeId dialer = 0, acceptor = 0;
  std::uint32_t nodes = 0;
  Nonce dialer_nonce{}, acceptor_nonce{};

  Mac acceptor_proof(const ClusterKey& key) const { return key.mac(transcript("acceptor")); }
  Mac dialer_proof(const ClusterKey& key) const { return key.mac(transcript("dialer")); }
  std::string session_key(const ClusterKey& key) const;

 private:
  std::string transcript(std::string_view label) const;
};

// The MACs of one direction of an authenticated peer connection: the n-th
// frame's MAC covers n, so a frame replayed, dropped or reordered within the
// connection fails too.
class FrameMac {
 public:
  explicit FrameMac(std::string key) : key_(std::move(key)) {}
  // An encoded frame (length prefix and body) with the MAC appended to its body.
  std::string seal(std::string frame);
  // The body without its MAC, or nullopt if the MAC is wrong or missing.
  std::optional<std::string_view> open(std::string_view body);

 private:
  Mac tag(std::string_view body);
  std::string key_;
  std::uint64_t sequence_ = 0;
};

// A client's id is the first 8 bytes of SHA-256 over its token: a connection
// that shows the token may act as that client; finding another token with
// the same id takes about 2^64 hashes.
raft::ClientId client_id_of(const ClientToken& token);

}  // namespace verdict::net
