# podcastd_settings: language level, sanitizers and Debug assertions for every target of ours.
add_library(podcastd_settings INTERFACE)
target_compile_features(podcastd_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
# Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
target_compile_options(podcastd_settings INTERFACE -include utility)
target_compile_definitions(podcastd_settings INTERFACE
  BOOST_ASIO_NO_DEPRECATED
  BOOST_BEAST_USE_STD_STRING_VIEW
  $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Boost 1.74 only detects C++20 coroutines on gcc and MSVC; clang 14 has them too.
  target_compile_definitions(podcastd_settings INTERFACE
    BOOST_ASIO_HAS_CO_AWAIT=1 BOOST_ASIO_HAS_STD_COROUTINE=1)
endif()

if(PODCASTD_SANITIZE)
  set(_san -fsanitize=${PODCASTD_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND PODCASTD_SANITIZE MATCHES "undefined")
    # clang 14 fails to compile coroutine frames with -fsanitize=function
    # ("Cannot represent a difference across sections"); every other UBSan check stays on.
    list(APPEND _san -fno-sanitize=function)
  endif()
  target_compile_options(podcastd_settings INTERFACE ${_san})
  target_link_options(podcastd_settings INTERFACE ${_san})
endif()

if(PODCASTD_BUILD_FUZZERS)
  # Coverage instrumentation in our libraries too, so libFuzzer sees the parsers' branches,
  # not only the fuzz target's own file. Test binaries link fine: the sanitizer runtime
  # provides the coverage callbacks.
  target_compile_options(podcastd_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
