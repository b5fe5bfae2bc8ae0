# Small helpers shared by the per-stage CMakeLists files.

# airwasm_library(NAME SOURCES... DEPS ...): a static library for one pipeline stage.
# Every stage sees include/ (public API) and src/ (so "base/result.hh" style includes work).
function(airwasm_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  if(ARG_DEPS)
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  endif()
endfunction()

# airwasm_unit_test(NAME SOURCES... DEPS ...): a GoogleTest executable registered with CTest.
function(airwasm_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS unit)
endfunction()
