# explorer_bench: the exhaustive explorers on Stateright's reference models,
# with Stateright's figures as ratios. `explorer_bench` (about a minute) or
# `explorer_bench --quick`.
add_executable(explorer_bench ${CMAKE_CURRENT_LIST_DIR}/explorer_bench.cpp)
target_link_libraries(explorer_bench PRIVATE verdict_cli)
verdict_set_warnings(explorer_bench)
