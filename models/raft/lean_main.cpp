// verdict-raft-kv: the `verdict` command line without `serve` and `client`,
// so that raft-kv can be rebuilt from its own compile of register.cpp — with
// a mutated raft.hpp first on the include path (scripts/raft-mutants) or with
// coverage instrumentation (scripts/raft-coverage) — and linked against the
// unchanged verdict_lib. See models/raft/CMakeLists.txt.
//
// Why the two empty commands: run_cli refers to them, and their real
// definitions (cli/serve_command.cpp, cli/client_command.cpp) pull the net/
// objects in from verdict_lib, which instantiate the ORIGINAL Raft templates.
// Two definitions of one inline template in one program is undefined
// behaviour (the linker keeps one copy of each, so a mutant would run partly
// unmutated). Defining them here keeps every object that includes raft.hpp,
// except this program's own register.cpp, out of the link; the build checks
// that (cmake/VerdictLeanLinkCheck.cmake).
#include "cli/commands.hpp"
#include "cli/run_cli.hpp"

namespace verdict::cli {

void add_serve_command(CLI::App&, int&) {}
void add_client_command(CLI::App&, int&) {}

}  // namespace verdict::cli

int main(int argc, char** argv) {
  return verdict::run_cli(argc, argv, verdict::builtin_models(), "verdict-raft-kv");
}
