# Runs page and results browser: the list of stored runs, a run's dashboard rebuilt from the store, and
# every sample of a run virtualised over the store (the queries and item models are in models/browse).
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/runspage.h ${CMAKE_CURRENT_LIST_DIR}/runspage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resultsbrowser.h ${CMAKE_CURRENT_LIST_DIR}/resultsbrowser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sampledetailpane.h ${CMAKE_CURRENT_LIST_DIR}/sampledetailpane.cpp)
