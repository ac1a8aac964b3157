// verdict-raft-kv: the `verdict` command line without the net layer's serve
// and client commands, so that raft-kv can be rebuilt from its own compile of
// app/builtin/raft_kv.cpp — with a mutated raft.hpp first on the include path
// (scripts/raft-mutants) or with coverage instrumentation
// (scripts/raft-coverage) — and linked against the unchanged libraries. See
// cli/CMakeLists.txt.
//
// Why without net: the net objects (verdict_net, verdict_cli_net) instantiate
// the ORIGINAL Raft templates. Two definitions of one inline template in one
// program is undefined behaviour (the linker keeps one copy of each, so a
// mutant would run partly unmutated). This program links neither, and the
// build checks after every link that no archive member defining Raft symbols,
// other than this program's own raft_kv.cpp, got in
// (cmake/VerdictLeanLinkCheck.py).
#include "cli/run_cli.hpp"

int main(int argc, char** argv) {
  return verdict::run_cli(argc, argv, verdict::builtin_models(), "verdict-raft-kv");
}
