# Desktop integration: the .desktop entry, AppStream metainfo, application icons, manual pages and bash completion,
# with their install rules. Include it from the top-level CMakeLists.txt after project():
#
#     include(packaging/desktop.cmake)
#
# Install components: "gui" (desktop entry, metainfo, icons, evalsandbox.1) and "cli" (evalsandbox-cli.1, the bash
# completion). Build products go to <binary dir>/packaging/: desktop/<id>.metainfo.xml (the version filled in
# from project()) and man/*.1.gz (target evs-man-pages, part of ALL).
include_guard(GLOBAL)
include(GNUInstallDirs)

set(EVS_APP_ID io.github.evalsandbox.Evalsandbox)
set(_evs_pkg_src ${CMAKE_CURRENT_LIST_DIR})
set(_evs_pkg_bin ${CMAKE_CURRENT_BINARY_DIR}/packaging)

if(NOT PROJECT_VERSION)
  message(FATAL_ERROR "desktop.cmake: include it after project(... VERSION x.y.z)")
endif()

# AppStream metainfo: the release version comes from project(VERSION).
configure_file(${_evs_pkg_src}/desktop/${EVS_APP_ID}.metainfo.xml.in ${_evs_pkg_bin}/desktop/${EVS_APP_ID}.metainfo.xml
  @ONLY)

# Manual pages, compressed at build time. -n leaves the name and time stamp out, so the .gz is reproducible.
find_program(EVS_GZIP_EXECUTABLE gzip REQUIRED)
set(_evs_man_pages evalsandbox evalsandbox-cli)
set(_evs_man_outputs)
foreach(page IN LISTS _evs_man_pages)
  set(_src ${_evs_pkg_src}/man/${page}.1)
  set(_out ${_evs_pkg_bin}/man/${page}.1.gz)
  add_custom_command(
    OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_evs_pkg_bin}/man
    COMMAND ${CMAKE_COMMAND} -E copy ${_src} ${_evs_pkg_bin}/man/${page}.1
    COMMAND ${EVS_GZIP_EXECUTABLE} -9nf ${_evs_pkg_bin}/man/${page}.1
    DEPENDS ${_src}
    COMMENT "Compressing manual page ${page}(1)"
    VERBATIM)
  list(APPEND _evs_man_outputs ${_out})
endforeach()
add_custom_target(evs-man-pages ALL DEPENDS ${_evs_man_outputs})

# gui: the desktop application.
install(FILES ${_evs_pkg_src}/desktop/${EVS_APP_ID}.desktop
  DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT gui)
install(FILES ${_evs_pkg_bin}/desktop/${EVS_APP_ID}.metainfo.xml
  DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT gui)
install(FILES ${_evs_pkg_src}/icons/${EVS_APP_ID}.svg
  DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT gui)
foreach(size 48 128 256)
  install(FILES ${_evs_pkg_src}/icons/${size}x${size}/${EVS_APP_ID}.png
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps COMPONENT gui)
endforeach()
install(FILES ${_evs_pkg_bin}/man/evalsandbox.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT gui)

# cli: the command-line tool.
install(FILES ${_evs_pkg_bin}/man/evalsandbox-cli.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
install(FILES ${_evs_pkg_src}/completion/evalsandbox-cli
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT cli)
