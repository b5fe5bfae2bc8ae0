# The installable package (`cmake --install build --prefix P`): the libraries an embedder links, the public
# headers, the `airwasm` CLI, a CMake package (find_package(airwasm): airwasm::airwasm, airwasm::host (the
# plugin host, include/airwasm/host/), airwasm::cli and the airwasm_bindgen function) and a pkg-config file
# (airwasm.pc). The plugin host's storage needs SQLite: a dependency of the package (find_dependency in
# airwasmConfig.cmake, Requires.private in airwasm.pc).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Dependency order (a library before the ones it uses): the pkg-config link line follows it.
set(AIRWASM_INSTALLED_LIBS
    airwasm_host airwasm_host_storage airwasm_host_services airwasm_wasi_p2 airwasm_wasi airwasm_component_runtime airwasm_canon airwasm_component airwasm_runtime
    airwasm_baseline airwasm_jit airwasm_interp airwasm_validate airwasm_decode airwasm_wasm airwasm_base)

set_target_properties(airwasm PROPERTIES EXPORT_NAME cli)
install(TARGETS ${AIRWASM_INSTALLED_LIBS} airwasm_all airwasm
        EXPORT airwasmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/airwasm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(AIRWASM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/airwasm)
install(EXPORT airwasmTargets NAMESPACE airwasm:: DESTINATION ${AIRWASM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/airwasmConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/airwasmConfig.cmake
                              INSTALL_DESTINATION ${AIRWASM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/airwasmConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/airwasmConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/airwasmConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/AirwasmBindgen.cmake
        DESTINATION ${AIRWASM_CMAKE_DIR})

set(AIRWASM_PC_LIBS "")
foreach(lib ${AIRWASM_INSTALLED_LIBS})
  string(APPEND AIRWASM_PC_LIBS " -l${lib}")
endforeach()
file(RELATIVE_PATH AIRWASM_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" AIRWASM_PC_TO_PREFIX "${AIRWASM_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/airwasm.pc.in ${CMAKE_CURRENT_BINARY_DIR}/airwasm.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/airwasm.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
