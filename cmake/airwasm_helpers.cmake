# Small helpers shared by the per-stage CMakeLists files.

# airwasm_library(NAME SOURCES... DEPS ...): a static library for one pipeline stage.
# Every stage sees include/ (public API) and src/ (so "base/result.hh" style includes work).
function(airwasm_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  # src/ is for the stages themselves; an installed copy exposes only the public include/ (cmake/install.cmake).
  target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                            $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
                                            $<INSTALL_INTERFACE:include>)
  if(ARG_DEPS)
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  endif()
endfunction()

# airwasm_unit_test(NAME [SERIAL] SOURCES... DEPS ...): a GoogleTest executable registered with CTest.
# SERIAL: its tests measure wall-clock bounds (deadlines, fairness) and must not share the CPU with
# other tests of a parallel ctest run.
function(airwasm_unit_test name)
  cmake_parse_arguments(ARG "SERIAL" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  if(ARG_SERIAL)
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS unit RUN_SERIAL TRUE)
  else()
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS unit)
  endif()
endfunction()
