// How a command ends, for a CI script to act on (README, "Exit codes"), and
// the error that means "bad usage or bad input": the command line prints its
// message and exits 2.
#pragma once

#include <stdexcept>

namespace verdict {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int violation = 1;
inline constexpr int usage = 2;
inline constexpr int diverged = 3;
inline constexpr int incomplete = 4;
inline constexpr int internal_error = 70;  // EX_SOFTWARE: a bug in Verdict, not in the input
}  // namespace exit_code

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace verdict
