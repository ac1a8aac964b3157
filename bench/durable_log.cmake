# The durable log's append+sync benchmark (net/durable_log.hpp).
# Run: build/bench/durable_log_bench [--syncs N] [--entries-per-sync K] [--dir D]
add_executable(durable_log_bench ${CMAKE_CURRENT_LIST_DIR}/durable_log_bench.cpp)
target_link_libraries(durable_log_bench PRIVATE verdict_net)
verdict_set_warnings(durable_log_bench)
