# verdict_add_check(): a bounded check of a model as a CTest test. Installed
# with the package (find_package(verdict) includes it) and usable in-tree.
#
#   verdict_add_check(NAME TARGET [EXPECT_VIOLATION] ARGS...)
#
# runs `TARGET check ARGS...`, where TARGET is a program whose main is
# verdict::run_cli (the `verdict` program, or a user's own), and passes on
# exit 0: no violation and the bounded space covered. With EXPECT_VIOLATION
# the test is the opposite, for a seeded bug: it passes only if the check
# exits 1 (a violation, not bad usage or a limit), writes its trace file, and
# `TARGET replay` on that file exits 1 again (the violation reproduces). With
# the installed package, the installed `verdict replay --with TARGET` must
# reproduce it too (it hands a trace of a user's model to the program --with
# names; never to one the trace names).
set(_verdict_check_driver "${CMAKE_CURRENT_LIST_DIR}/VerdictCheckDriver.cmake")

function(verdict_add_check name target)
  cmake_parse_arguments(PARSE_ARGV 2 arg "EXPECT_VIOLATION" "" "")
  if(arg_EXPECT_VIOLATION)
    add_test(NAME ${name}
      COMMAND ${CMAKE_COMMAND} "-DPROGRAM=$<TARGET_FILE:${target}>"
              "-DTRACE=${CMAKE_CURRENT_BINARY_DIR}/${name}.trace.json"
              "-DARGS=${arg_UNPARSED_ARGUMENTS}" "-DREPLAYER=${VERDICT_EXECUTABLE}"
              -P "${_verdict_check_driver}")
  else()
    add_test(NAME ${name} COMMAND ${target} check ${arg_UNPARSED_ARGUMENTS})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS verdict-check)
endfunction()
