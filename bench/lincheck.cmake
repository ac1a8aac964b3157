# verdict lincheck against Porcupine, whole processes side by side.
# Run: build/bench/lincheck_bench [--runs N] [--porcupine PATH] [--sizes N...]
add_executable(lincheck_bench ${CMAKE_CURRENT_LIST_DIR}/lincheck_bench.cpp)
target_link_libraries(lincheck_bench PRIVATE verdict_cli)
add_dependencies(lincheck_bench verdict)
target_compile_definitions(lincheck_bench PRIVATE
  VERDICT_HISTORIES_DIR="${PROJECT_SOURCE_DIR}/checkers/linearizability/tests/histories"
  VERDICT_BIN="$<TARGET_FILE:verdict>")
verdict_set_warnings(lincheck_bench)
