# The test run by verdict_add_check(... EXPECT_VIOLATION ...): the check must
# exit 1 with a trace file, and replaying that file must exit 1 too.
# Called with -DPROGRAM=... -DTRACE=... -DARGS=a;b;c [-DREPLAYER=verdict] (cmake -P);
# REPLAYER, when set, is a second program whose replay must reproduce it too.
list(JOIN ARGS " " shown)
file(REMOVE "${TRACE}")
execute_process(COMMAND "${PROGRAM}" check ${ARGS} --trace-out "${TRACE}" RESULT_VARIABLE code)
if(NOT code EQUAL 1)
  message(FATAL_ERROR "expected a violation (exit 1) from `${PROGRAM} check ${shown}`, got exit ${code}")
endif()
if(NOT EXISTS "${TRACE}")
  message(FATAL_ERROR "the check found a violation but wrote no trace file at ${TRACE}")
endif()
execute_process(COMMAND "${PROGRAM}" replay "${TRACE}" RESULT_VARIABLE code)
if(NOT code EQUAL 1)
  message(FATAL_ERROR "`${PROGRAM} replay ${TRACE}` should reproduce the violation (exit 1), got exit ${code}")
endif()
if(REPLAYER AND NOT REPLAYER STREQUAL PROGRAM)
  execute_process(COMMAND "${REPLAYER}" replay --quiet --with "${PROGRAM}" "${TRACE}"
                RESULT_VARIABLE code)
  if(NOT code EQUAL 1)
    message(FATAL_ERROR "`${REPLAYER} replay ${TRACE}` should reproduce the violation (exit 1), got exit ${code}")
  endif()
endif()
message(STATUS "violation found and reproduced; trace: ${TRACE}")
