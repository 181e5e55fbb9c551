# podcastd_warnings: linked PRIVATE by our own targets only, never by third-party code.
add_library(podcastd_warnings INTERFACE)
target_compile_options(podcastd_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align
  -Wnull-dereference -Wimplicit-fallthrough)

# podcastd_library(NAME src...): a static library of ours with its alias podcastd::NAME.
function(podcastd_library name)
  add_library(podcastd_${name} STATIC ${ARGN})
  add_library(podcastd::${name} ALIAS podcastd_${name})
  target_include_directories(podcastd_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(podcastd_${name} PUBLIC podcastd_settings PRIVATE podcastd_warnings)
endfunction()
