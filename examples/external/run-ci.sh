#!/usr/bin/env bash
# CI for the external example: install Verdict from a build directory to a
# temporary prefix, then configure, build and test this project against the
# installed package only, as a user's CI would.
#   examples/external/run-ci.sh [VERDICT_BUILD_DIR]   (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
cmake -S "$here" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" > /dev/null
cmake --build "$tmp/build" -j2
ctest --test-dir "$tmp/build" -j2 --output-on-failure
