#pragma once
// The read-only JSON API under /api/ (served by HttpServer on its blocking pool):
//   /api/shows                          every show with its feed URL and episode counts
//   /api/shows/SHOW                     one show's channel fields
//   /api/shows/SHOW/episodes            its episodes (summary, newest first)
//   /api/shows/SHOW/episodes/GUID       one episode in full (transcripts summarized)
//   /api/search?q=WORDS[&limit=N]       full-text search over notes and transcripts
// Each worker thread opens its own read-only catalog connection on first use.

#include <string>

#include "daemon/http_server.hpp"

namespace podcastd::daemon {

ApiResponse handle_api(const std::string& catalog_path, const std::string& public_url,
                       const ApiRequest& request);

}  // namespace podcastd::daemon
