# Benchmarks area of the GUI: benchmarks page, import wizard, template editor, scorer options, run launcher.
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/benchmarklistmodel.h ${CMAKE_CURRENT_LIST_DIR}/benchmarklistmodel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/benchmarkspage.h ${CMAKE_CURRENT_LIST_DIR}/benchmarkspage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/datasetpreviewmodel.h ${CMAKE_CURRENT_LIST_DIR}/datasetpreviewmodel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/datasetscan.h ${CMAKE_CURRENT_LIST_DIR}/datasetscan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/importwizard.h ${CMAKE_CURRENT_LIST_DIR}/importwizard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runlauncher.h ${CMAKE_CURRENT_LIST_DIR}/runlauncher.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scoreroptionseditor.h ${CMAKE_CURRENT_LIST_DIR}/scoreroptionseditor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/templateeditor.h ${CMAKE_CURRENT_LIST_DIR}/templateeditor.cpp)
