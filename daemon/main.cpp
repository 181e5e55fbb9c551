// The podcastd executable: everything is in podcastd_daemon (daemon/cli.hpp).
#include <malloc.h>

#include "daemon/cli.hpp"

int main(int argc, char** argv) {
#ifndef PODCASTD_JEMALLOC
  // With glibc's malloc (PODCASTD_ALLOCATOR=system, and sanitizer builds): a fixed mmap
  // threshold, so buffers of a megabyte and more (feeds of thousands of items, their gzip) are
  // mapped and returned to the system when freed. glibc's default raises the threshold after
  // the first such free, after which every feed-sized buffer comes from a heap fragmented by
  // many small strings, and malloc spends its time consolidating it. jemalloc (the default)
  // keeps large extents apart from small ones and returns unused pages on its own (decay).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
  return podcastd::daemon::run_cli(argc, argv);
}
