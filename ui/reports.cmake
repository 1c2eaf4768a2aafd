# Reports page: a stored run's thresholds as passed or failed, and its export in any report format
# (the exporters are evs_reports, app/reports).
find_package(Qt6 6.4 REQUIRED COMPONENTS Concurrent)
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/reportspage.h ${CMAKE_CURRENT_LIST_DIR}/reportspage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thresholdtablemodel.h ${CMAKE_CURRENT_LIST_DIR}/thresholdtablemodel.cpp)
target_link_libraries(evs_ui PUBLIC evs_reports Qt6::Concurrent)
