#include "cli/malloc_tuning.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace verdict {

namespace {

// Set with the tunables, so that the re-executed run knows they are its own.
constexpr const char* kMark = "VERDICT_MALLOC_TUNED";

}  // namespace

void tune_malloc(char** argv) {
  if (std::getenv(kMark) != nullptr) {
    // The re-executed run: glibc has read the tunables. Take them out of the
    // environment, so that a program this one hands over to (replay --with)
    // starts with the user's environment.
    unsetenv(kMark);
    unsetenv("GLIBC_TUNABLES");
    return;
  }
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  if (const char* choice = std::getenv("VERDICT_TUNE_MALLOC");
      choice && std::strcmp(choice, "0") == 0)
    return;
  if (setenv("GLIBC_TUNABLES", kMallocTunables, 1) != 0 || setenv(kMark, "1", 1) != 0) {
    unsetenv("GLIBC_TUNABLES");
    return;
  }
  execv("/proc/self/exe", argv);
  unsetenv(kMark);  // the exec failed: go on as we are
  unsetenv("GLIBC_TUNABLES");
}

}  // namespace verdict
