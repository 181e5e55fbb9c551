// podcastd_ingest_once CONTENT_DIR CATALOG_FILE: one Ingestor::scan() of CONTENT_DIR into
// CATALOG_FILE and nothing else, for measuring a whole process (peak RSS with
// /usr/bin/time -v, wall time with hyperfine) beside its peers. Prints the report's counts
// and the scan's own elapsed time. Exit 1 when the scan reported errors.

#include <cstdio>
#include <exception>

#include "catalog/catalog.hpp"
#include "catalog/ingest.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: podcastd_ingest_once CONTENT_DIR CATALOG_FILE\n");
    return 2;
  }
  try {
    podcastd::catalog::Catalog catalog(argv[2]);
    podcastd::catalog::Ingestor ingestor(catalog, argv[1]);
    podcastd::catalog::IngestReport r = ingestor.scan();
    std::printf("files %d parsed %d written %d removed %d errors %d warnings %d in %.1f ms\n",
                r.files, r.parsed, r.episodes_written, r.episodes_removed, r.errors, r.warnings,
                static_cast<double>(r.elapsed.count()) / 1000.0);
    for (const auto& d : r.diagnostics) {
      std::fprintf(stderr, "%s\n", d.to_string().c_str());
    }
    return r.errors == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "podcastd_ingest_once: %s\n", e.what());
    return 1;
  }
}
