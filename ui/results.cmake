# Runs page and results browser: the list of stored runs, a run's dashboard rebuilt from the store, and
# every sample of a run virtualised over the store (the queries and item models are in models/browse).
find_package(Qt6 6.4 REQUIRED COMPONENTS Concurrent)
target_sources(evs_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/runspage.h ${CMAKE_CURRENT_LIST_DIR}/runspage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resultsbrowser.h ${CMAKE_CURRENT_LIST_DIR}/resultsbrowser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sampledetailpane.h ${CMAKE_CURRENT_LIST_DIR}/sampledetailpane.cpp)
target_link_libraries(evs_ui PUBLIC Qt6::Concurrent)
