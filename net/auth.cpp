#include "net/auth.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <fmt/format.h>

namespace verdict::net {

namespace {

void append_u64le(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

template <std::size_t N>
void append_bytes(std::string& out, const std::array<std::uint8_t, N>& bytes) {
  out.append(reinterpret_cast<const char*>(bytes.data()), N);
}

}  // namespace

ClusterKey ClusterKey::load(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw KeyError(fmt::format("cannot open {}: {}", file.string(), strerror(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw KeyError(fmt::format("cannot stat {}", file.string()));
  if (!S_ISREG(st.st_mode)) throw KeyError(fmt::format("{} is not a regular file", file.string()));
  if ((st.st_mode & 077) != 0)
    throw KeyError(fmt::format("{} may be read or written by other users (mode {:o}; chmod 600 it)",
                               file.string(), st.st_mode & 0777));
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kMinBytes || size > kMaxBytes)
    throw KeyError(
        fmt::format("{} has {} bytes; a cluster key has {} to {} (e.g. head -c 32 "
                    "/dev/urandom > FILE)",
                    file.string(), size, kMinBytes, kMaxBytes));
  std::string bytes(size, '\0');
  std::size_t got = 0;
  while (got < size) {
    const auto n = ::read(fd, bytes.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw KeyError(fmt::format("cannot read {}", file.string()));
    got += static_cast<std::size_t>(n);
  }
  return ClusterKey(std::move(bytes));
}

Mac ClusterKey::mac(std::string_view data) const {
  return hmac_sha256(bytes_, {data});
}

Mac hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  // EVP_MAC (OpenSSL 3) takes the parts one by one: a large frame is not copied.
  static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  struct Ctx {
    EVP_MAC_CTX* p;
    ~Ctx() { EVP_MAC_CTX_free(p); }
  } ctx{hmac ? EVP_MAC_CTX_new(hmac) : nullptr};
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
  static const unsigned char empty = 0;
  const auto* k = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  bool ok = ctx.p && EVP_MAC_init(ctx.p, k, key.size(), params) == 1;
  for (const auto part : parts)
    ok = ok && EVP_MAC_update(ctx.p, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size()) == 1;
  Mac out{};
  std::size_t len = 0;
  if (!ok || EVP_MAC_final(ctx.p, out.data(), &len, out.size()) != 1 || len != out.size())
    throw std::runtime_error("HMAC-SHA256 failed");
  return out;
}

bool same_mac(const Mac& a, const Mac& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

template <std::size_t N>
std::array<std::uint8_t, N> random_bytes() {
  std::array<std::uint8_t, N> out{};
  if (RAND_bytes(out.data(), static_cast<int>(N)) != 1)
    throw std::runtime_error("no random bytes from OpenSSL");
  return out;
}
template std::array<std::uint8_t, kNonceBytes> random_bytes<kNonceBytes>();
template std::array<std::uint8_t, kTokenBytes> random_bytes<kTokenBytes>();

std::string Handshake::transcript(std::string_view label) const {
  std::string t = "verdict-peer/1 ";
  t += label;
  t.push_back('\0');
  append_u64le(t, dialer);
  append_u64le(t, acceptor);
  append_u64le(t, nodes);
  append_bytes(t, dialer_nonce);
  append_bytes(t, acceptor_nonce);
  return t;
}

std::string Handshake::session_key(const ClusterKey& key) const {
  const auto k = key.mac(transcript("session"));
  return {reinterpret_cast<const char*>(k.data()), k.size()};
}

Mac FrameMac::tag(std::string_view body) {
  std::string sequence;
  append_u64le(sequence, sequence_++);
  return hmac_sha256(key_, {sequence, body});
}

std::string FrameMac::seal(std::string frame) {
  const auto mac = tag(std::string_view(frame).substr(4));
  append_bytes(frame, mac);
  const auto body = static_cast<std::uint32_t>(frame.size() - 4);
  for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>(body >> (8 * i));
  return frame;
}

std::optional<std::string_view> FrameMac::open(std::string_view body) {
  if (body.size() < kMacBytes) return std::nullopt;
  const auto inner = body.substr(0, body.size() - kMacBytes);
  Mac got{};
  std::copy_n(body.data() + inner.size(), kMacBytes, reinterpret_cast<char*>(got.data()));
  if (!same_mac(tag(inner), got)) return std::nullopt;
  return inner;
}

raft::ClientId client_id_of(const ClientToken& token) {
  std::string data = "verdict-client/1";
  append_bytes(data, token);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  raft::ClientId id = 0;
  for (int i = 0; i < 8; ++i) id |= static_cast<raft::ClientId>(digest[i]) << (8 * i);
  return id;
}

}  // namespace verdict::net
