# `cmake --install`: headers under <prefix>/include/verdict/ with their
# in-tree paths (simulator/system.hpp, app/registry.hpp, testing/catch.hpp
# ...), the library (libverdict.a), the `verdict` program, and the package
# config that find_package(verdict) reads: target verdict::verdict (include
# "simulator/system.hpp" or <verdict/simulator/system.hpp>), verdict::verdict_cli
# and the function verdict_add_check().
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_verdict_layers verdict_core verdict_models verdict_app verdict_net verdict_cli verdict_cli_net)
foreach(layer ${_verdict_layers})
  string(REPLACE "verdict_" "" _export_name ${layer})
  set_target_properties(${layer} PROPERTIES EXPORT_NAME ${_export_name})
endforeach()
set_target_properties(verdict_cli PROPERTIES OUTPUT_NAME verdict EXPORT_NAME verdict)
set_target_properties(verdict PROPERTIES EXPORT_NAME program)
target_include_directories(verdict_core INTERFACE
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/verdict> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)

install(DIRECTORY simulator checkers models app traces testing net cli
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/verdict
  FILES_MATCHING PATTERN "*.hpp" PATTERN "tests" EXCLUDE)
install(TARGETS ${_verdict_layers} verdict EXPORT verdictTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(_verdict_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/verdict)
install(EXPORT verdictTargets NAMESPACE verdict:: DESTINATION ${_verdict_cmake_dir})
configure_package_config_file(cmake/verdictConfig.cmake.in
  ${PROJECT_BINARY_DIR}/verdictConfig.cmake
  INSTALL_DESTINATION ${_verdict_cmake_dir} PATH_VARS CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/verdictConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/verdictConfig.cmake ${PROJECT_BINARY_DIR}/verdictConfigVersion.cmake
  cmake/VerdictCheck.cmake cmake/VerdictCheckDriver.cmake
  DESTINATION ${_verdict_cmake_dir})
