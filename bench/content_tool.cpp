// podcastd_bench_content: writes the benchmark content (bench/content_gen.hpp) for the
// scripts in bench/.
//
//   podcastd_bench_content write DIR [EPISODES] [SHOW]   show.toml + EPISODES .md files
//   podcastd_bench_content edit DIR N REVISION [SHOW]    rewrites episode N (an edit)
//   podcastd_bench_content print N [REVISION]            episode N's Markdown on stdout
//
// PODCASTD_BENCH_NOTES=short selects the short show notes (a publishable 10,000-item feed).

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "bench/content_gen.hpp"

int main(int argc, char** argv) {
  try {
    const std::string cmd = argc > 1 ? argv[1] : "";
    podcastd::bench::ContentOptions options;
    const char* notes = std::getenv("PODCASTD_BENCH_NOTES");
    if (notes && std::string(notes) == "short") {
      options.notes = podcastd::bench::Notes::short_notes;
    }
    if (cmd == "write" && argc >= 3) {
      if (argc > 3) options.episodes = std::atoi(argv[3]);
      if (argc > 4) options.show = argv[4];
      std::size_t bytes = podcastd::bench::write_show(argv[2], options);
      std::printf("%d episodes, %zu bytes in %s/%s\n", options.episodes, bytes, argv[2],
                  options.show.c_str());
      return 0;
    }
    if (cmd == "edit" && argc >= 5) {
      if (argc > 5) options.show = argv[5];
      const int n = std::atoi(argv[3]);
      podcastd::bench::write_file(
          podcastd::bench::episode_path(argv[2], options, n),
          podcastd::bench::episode_markdown(n, std::atoi(argv[4]), options.notes));
      return 0;
    }
    if (cmd == "print" && argc >= 3) {
      std::cout << podcastd::bench::episode_markdown(
          std::atoi(argv[2]), argc > 3 ? std::atoi(argv[3]) : 0, options.notes);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "podcastd_bench_content: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: podcastd_bench_content write DIR [EPISODES] [SHOW]\n"
               "       podcastd_bench_content edit DIR N REVISION [SHOW]\n"
               "       podcastd_bench_content print N [REVISION]\n";
  return 2;
}
