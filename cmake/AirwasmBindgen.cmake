# airwasm_bindgen(TARGET WIT WORLD [NAME STEM] [FEATURES F...]): generates C++ bindings of WIT world WORLD at
# build time (`airwasm bindgen`, docs/bindgen.md) and adds them to TARGET. WIT is a directory of .wit files
# (with deps/), one .wit file, or a component binary. The files, STEM.hh and STEM.cc (STEM: the world's
# name in snake_case by default), are written to ${CMAKE_CURRENT_BINARY_DIR}/airwasm_bindgen/TARGET, which
# becomes an include directory of TARGET; they are regenerated when a .wit file or the CLI changes. TARGET
# is linked with airwasm::airwasm.
# Works in the airwasm build tree (the `airwasm-bindgen` tool, which links no runtime, so that libraries the
# `airwasm` CLI links can use generated bindings) and from an installed package
# (find_package(airwasm) defines airwasm::cli and this function).
function(airwasm_bindgen target wit world)
  cmake_parse_arguments(ARG "" "NAME" "FEATURES" ${ARGN})
  # The build tree (AIRWASM_BINDGEN_IN_TREE, set by airwasm's CMakeLists.txt): the generator alone
  # (tools/bindgen_main.cc), a target that may be defined after the caller (src/host comes before tools/).
  if(AIRWASM_BINDGEN_IN_TREE)
    set(cli airwasm_bindgen_cli)
    set(sub)
  elseif(TARGET airwasm::cli)      # an installed package: the `airwasm` CLI
    set(cli airwasm::cli)
    set(sub bindgen)
  else()
    message(FATAL_ERROR "airwasm_bindgen: no airwasm CLI target (find_package(airwasm) defines airwasm::cli)")
  endif()
  if(ARG_NAME)
    set(stem ${ARG_NAME})
  else()
    string(REGEX REPLACE "^.*/" "" stem "${world}")
    string(REGEX REPLACE "@.*$" "" stem "${stem}")
    string(REPLACE "-" "_" stem "${stem}")
    string(TOLOWER "${stem}" stem)
  endif()
  get_filename_component(wit_abs "${wit}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(IS_DIRECTORY "${wit_abs}")
    file(GLOB_RECURSE inputs CONFIGURE_DEPENDS "${wit_abs}/*.wit")
  else()
    set(inputs "${wit_abs}")
  endif()
  set(features)
  if(ARG_FEATURES)
    string(REPLACE ";" "," joined "${ARG_FEATURES}")
    set(features --features ${joined})
  endif()
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/airwasm_bindgen/${target}")
  add_custom_command(
    OUTPUT "${out_dir}/${stem}.hh" "${out_dir}/${stem}.cc"
    COMMAND ${cli} ${sub} "${wit_abs}" --world "${world}" -o "${out_dir}" --name "${stem}" ${features}
    DEPENDS ${inputs} ${cli}
    COMMENT "airwasm bindgen: world ${world} -> ${stem}.hh, ${stem}.cc"
    VERBATIM)
  target_sources(${target} PRIVATE "${out_dir}/${stem}.cc" "${out_dir}/${stem}.hh")
  # BUILD_INTERFACE: a generated directory is never part of an installed target's interface (a library of
  # the airwasm package itself, airwasm_host, is exported with its bindings compiled in).
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${out_dir}>")
  if(TARGET airwasm::airwasm)
    target_link_libraries(${target} PUBLIC airwasm::airwasm)
  endif()
endfunction()
