# The linearizability checker's benchmark: reference histories vs Porcupine.
# Run: build/bench/lincheck_bench [--runs N] [--histories DIR]
add_executable(lincheck_bench ${CMAKE_CURRENT_LIST_DIR}/lincheck_bench.cpp)
target_link_libraries(lincheck_bench PRIVATE verdict_cli)
target_compile_definitions(lincheck_bench PRIVATE
  VERDICT_HISTORIES_DIR="${PROJECT_SOURCE_DIR}/checkers/linearizability/tests/histories")
verdict_set_warnings(lincheck_bench)
