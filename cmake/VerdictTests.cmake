# Catch2 test executables: one per directory, sharing one compiled main.
# Each registers two CTest tests: the fast set (without [slow]; "~[slow]" alone
# would also run hidden tests, so [.] is excluded too)
# and the slow set (tag [slow], CTest label `slow`, run by CI after the fast one).
add_library(verdict_catch_main OBJECT ${PROJECT_SOURCE_DIR}/cmake/catch_main.cpp)
target_link_libraries(verdict_catch_main PUBLIC Catch2::Catch2)
# Catch2's runner (its main, reporters and matchers) is a fifth of a minute at
# -O3 and runs for no measurable time: built without optimisation (-O1 keeps
# GCC's -Wmaybe-uninitialized checks meaningful).
target_compile_options(verdict_catch_main PRIVATE -O1)

function(verdict_add_tests target)
  add_executable(${target} ${ARGN} $<TARGET_OBJECTS:verdict_catch_main>)
  target_link_libraries(${target} PRIVATE verdict_cli_net Catch2::Catch2)
  verdict_set_warnings(${target})
  add_test(NAME ${target} COMMAND ${target} "~[slow]~[.]" WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(${target} PROPERTIES LABELS fast
    ENVIRONMENT "VERDICT_BIN=$<TARGET_FILE:verdict>;VERDICT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  add_test(NAME ${target}_slow COMMAND ${target} "[slow]" WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(${target}_slow PROPERTIES LABELS slow SKIP_RETURN_CODE 4
    ENVIRONMENT "VERDICT_BIN=$<TARGET_FILE:verdict>;VERDICT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
