// counter-check: the whole `verdict` command line (check, simulate, replay,
// shrink, export) for the replicated counter.
#include "cli/run_cli.hpp"
#include "counter.hpp"

int main(int argc, char** argv) {
  return verdict::run_cli(argc, argv, counter::entry());
}
