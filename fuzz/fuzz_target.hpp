// What every libFuzzer target of fuzz/ shares: the entry point's signature,
// the input as a string_view, and the one way a target reports a broken
// promise (an abort that libFuzzer records as a crash). A reader may refuse
// an input only with its own error type; anything else escaping — another
// exception, a sanitizer report, a leak, running past -rss_limit_mb — is a
// crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace verdict::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A property the reader promises (a round trip, a bound) does not hold.
[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "fuzz: broken promise: %s\n", what);
  std::abort();
}

}  // namespace verdict::fuzz

#define VERDICT_FUZZ_TARGET \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
