# podcastd_warnings: linked PRIVATE by our own targets only, never by third-party code.
add_library(podcastd_warnings INTERFACE)
target_compile_options(podcastd_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align
  -Wnull-dereference -Wimplicit-fallthrough
  # GCC 12 at -O3 reports impossible overlaps in std::string concatenation (GCC bug 105329):
  # a false positive in libstdc++ headers, fixed in GCC 13.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
  # GCC's -Wnull-dereference runs after inlining, so optimized builds report paths inside
  # Boost.Asio and libstdc++ that system-header suppression cannot hide. The check stays on
  # in Debug and in the clang (ASan) build, which compile all our code too.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<NOT:$<CONFIG:Debug>>>:-Wno-null-dereference>)

# podcastd_library(NAME src...): a static library of ours with its alias podcastd::NAME.
function(podcastd_library name)
  add_library(podcastd_${name} STATIC ${ARGN})
  add_library(podcastd::${name} ALIAS podcastd_${name})
  target_include_directories(podcastd_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(podcastd_${name} PUBLIC podcastd_settings PRIVATE podcastd_warnings)
endfunction()
