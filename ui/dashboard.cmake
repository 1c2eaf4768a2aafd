# Live dashboard (docs/architecture.md section 8): the view, its KPI tiles, and the one adapter to Qt Charts.
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/dashboardview.h ${CMAKE_CURRENT_LIST_DIR}/dashboardview.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kpitile.h ${CMAKE_CURRENT_LIST_DIR}/kpitile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/chartadapter.h ${CMAKE_CURRENT_LIST_DIR}/chartadapter.cpp)
