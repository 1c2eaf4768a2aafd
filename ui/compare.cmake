# Compare page: runs and models side by side with differences and significance, CDFs, score bars, a
# models x benchmarks matrix and the disagreements (the statistics are in models/stats/comparison.h).
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/comparepage.h ${CMAKE_CURRENT_LIST_DIR}/comparepage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/comparesummarymodel.h ${CMAKE_CURRENT_LIST_DIR}/comparesummarymodel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/comparematrixmodel.h ${CMAKE_CURRENT_LIST_DIR}/comparematrixmodel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/comparedisagreementmodel.h ${CMAKE_CURRENT_LIST_DIR}/comparedisagreementmodel.cpp)
