# walks_bench: random-walk throughput at 1 and 2 threads.
add_executable(walks_bench ${CMAKE_CURRENT_LIST_DIR}/walks_bench.cpp)
target_link_libraries(walks_bench PRIVATE verdict_cli)
verdict_set_warnings(walks_bench)
