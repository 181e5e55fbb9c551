// The podcastd executable: everything is in podcastd_daemon (daemon/cli.hpp).
#include <malloc.h>

#include "daemon/cli.hpp"

int main(int argc, char** argv) {
  // A fixed mmap threshold: buffers of a megabyte and more (feeds of thousands of items, their
  // gzip) are mapped and returned to the system when freed. glibc's default raises the
  // threshold after the first such free, after which every feed-sized buffer comes from a
  // heap fragmented by many small strings, and malloc spends its time consolidating it.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  return podcastd::daemon::run_cli(argc, argv);
}
