# The shell: main window and navigation, models page and editor, keychain, connection test, about,
# and the `evalsandbox` executable (app/main.cpp, the composition root).
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/mainwindow.h ${CMAKE_CURRENT_LIST_DIR}/mainwindow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/secretstore.h ${CMAKE_CURRENT_LIST_DIR}/secretstore.cpp
  ${CMAKE_CURRENT_LIST_DIR}/connectiontester.h ${CMAKE_CURRENT_LIST_DIR}/connectiontester.cpp
  ${CMAKE_CURRENT_LIST_DIR}/modellistmodel.h ${CMAKE_CURRENT_LIST_DIR}/modellistmodel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/modeleditor.h ${CMAKE_CURRENT_LIST_DIR}/modeleditor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/modelspage.h ${CMAKE_CURRENT_LIST_DIR}/modelspage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/aboutdialog.h ${CMAKE_CURRENT_LIST_DIR}/aboutdialog.cpp)

add_executable(evalsandbox ${PROJECT_SOURCE_DIR}/app/main.cpp)
evs_target_defaults(evalsandbox)
target_link_libraries(evalsandbox PRIVATE evs_ui)
set_target_properties(evalsandbox PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
