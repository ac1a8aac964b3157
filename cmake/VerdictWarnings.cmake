# Warnings for every target of ours; errors with -DVERDICT_WERROR=ON (CI).
function(verdict_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(VERDICT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(VERDICT_SANITIZE)
  add_compile_options(-fsanitize=${VERDICT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${VERDICT_SANITIZE})
  if(VERDICT_SANITIZE STREQUAL "thread")
    # Debian's TBB is not built with TSan, and TBB's and Asio's headers use
    # atomic_thread_fence, which gcc's TSan does not instrument: gcc warns at
    # every use (thousands of lines). Suppressions for TBB internals live in
    # .ci/tsan.supp.
    add_compile_options(-Wno-tsan)
  endif()
endif()
