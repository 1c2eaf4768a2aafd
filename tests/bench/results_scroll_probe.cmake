# The results browser's scroll probe (bench_results_browser.sh): generates a large run and scrolls the real table.
if(TARGET evs_ui)
  add_executable(results_scroll_probe ${CMAKE_CURRENT_LIST_DIR}/results_scroll_probe.cpp)
  evs_target_defaults(results_scroll_probe)
  target_link_libraries(results_scroll_probe PRIVATE evs_ui SQLite::SQLite3)
endif()
