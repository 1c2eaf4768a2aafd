# Reports page: a stored run's thresholds as passed or failed, and its export in any report format
# (the exporters are evs_reports, app/reports).
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/reportspage.h ${CMAKE_CURRENT_LIST_DIR}/reportspage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thresholdtablemodel.h ${CMAKE_CURRENT_LIST_DIR}/thresholdtablemodel.cpp)
