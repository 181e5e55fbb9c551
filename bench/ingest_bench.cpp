// Ingest benchmarks (issue 3): 10,000 Markdown episodes (bench/content_gen.hpp) into a
// catalog, side by side with the floors they cannot beat, in the same process and run:
//
//   BM_ReadAllFiles          peer: list the folder and read every file (raw I/O floor)
//   BM_SqliteBulkInsert      peer: read every file and insert it as one row of a plain
//                            SQLite table (WAL, one transaction), /1 with an FTS5 index
//   BM_ColdIngest            open an empty catalog + Ingestor::scan()  (target well < 1 s)
//   BM_StatAllFiles          peer: list the folder and stat every file (rescan floor)
//   BM_RescanUnchanged       Ingestor::scan() with nothing changed      (target < 50 ms)
//   BM_SqliteOneRowUpsert    peer: read one file and upsert one row in its own transaction
//   BM_IngestOneChanged      one edited file through Ingestor::ingest_paths (target < 5 ms)
//
// The content is generated at start-up into a temp dir (removed at exit), or taken from
// $PODCASTD_BENCH_CONTENT (a dir written by `podcastd_bench_content write DIR`). Page cache
// warm in every case: "cold" means an empty catalog, not an empty page cache.
//
//   build-rel/bench/podcastd_ingest_bench --benchmark_repetitions=5
//       --benchmark_display_aggregates_only=true   (one command line)

#include <benchmark/benchmark.h>
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/content_gen.hpp"
#include "catalog/catalog.hpp"
#include "catalog/ingest.hpp"

namespace {

namespace fs = std::filesystem;
using podcastd::bench::ContentOptions;
using podcastd::catalog::Catalog;
using podcastd::catalog::Ingestor;
using podcastd::catalog::IngestReport;

constexpr int kEpisodes = 10000;

// The content dir and a scratch dir for catalogs, for the whole process.
struct Env {
  fs::path root;     // temp dir we own ("" when content came from the environment)
  fs::path content;  // holds the show folder
  fs::path scratch;
  ContentOptions options;
  std::size_t bytes = 0;

  Env() {
    char tmpl[] = "/tmp/podcastd-ingest-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::abort();
    }
    root = tmpl;
    scratch = root / "scratch";
    fs::create_directories(scratch);
    options.episodes = kEpisodes;
    if (const char* given = std::getenv("PODCASTD_BENCH_CONTENT"); given && *given) {
      content = given;
    } else {
      content = root / "content";
      bytes = podcastd::bench::write_show(content, options);
    }
    if (bytes == 0) {
      for (const auto& e : fs::recursive_directory_iterator(content)) {
        if (e.is_regular_file()) {
          bytes += static_cast<std::size_t>(e.file_size());
        }
      }
    }
  }
  ~Env() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  fs::path episodes_dir() const { return content / options.show / "episodes"; }
};

Env& env() {
  static Env e;
  return e;
}

void remove_db(const fs::path& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(db.string() + suffix, ec);
  }
}

// Every file name in a folder (readdir, no stat), sorted like a scan would visit them.
std::vector<std::string> list_dir(const fs::path& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return names;
  }
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') {
      names.emplace_back(e->d_name);
    }
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_at(int dirfd, const char* name) {
  std::string out;
  int fd = ::openat(dirfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return out;
  }
  struct stat st;
  if (::fstat(fd, &st) == 0) {
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
      ssize_t n = ::read(fd, out.data() + done, out.size() - done);
      if (n <= 0) {
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    out.resize(done);
  }
  ::close(fd);
  return out;
}

// The plain-SQLite peers' store: one table of episodes, WAL, synchronous NORMAL.
sqlite3* open_plain_db(const fs::path& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
               "CREATE TABLE episodes(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,"
               " body TEXT) STRICT;",
               nullptr, nullptr, nullptr);
  return db;
}

void add_min(benchmark::internal::Benchmark* b) {
  b->ComputeStatistics(
      "min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

void check(benchmark::State& state, const IngestReport& r, int want_written, int want_parsed) {
  if (r.errors != 0 || (want_written >= 0 && r.episodes_written != want_written) ||
      (want_parsed >= 0 && r.parsed != want_parsed)) {
    state.SkipWithError(("unexpected report: written " + std::to_string(r.episodes_written) +
                         ", parsed " + std::to_string(r.parsed) + ", errors " +
                         std::to_string(r.errors))
                            .c_str());
  }
}

// ---- issue 3: cold ingest and its peers

void BM_ReadAllFiles(benchmark::State& state) {
  const Env& e = env();
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    int dirfd = ::open(e.episodes_dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (const std::string& name : list_dir(e.episodes_dir())) {
      std::string text = read_at(dirfd, name.c_str());
      bytes += text.size();
      benchmark::DoNotOptimize(text.data());
    }
    ::close(dirfd);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["files"] = kEpisodes;
}
BENCHMARK(BM_ReadAllFiles)->Apply(add_min);

// One plain table (and optionally FTS5 over the text), WAL + synchronous=NORMAL like the
// catalog, one transaction, one prepared statement.
void BM_SqliteBulkInsert(benchmark::State& state) {
  const Env& e = env();
  const bool fts = state.range(0) != 0;
  const fs::path db_path = e.scratch / "plain.db";
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db_path);
    state.ResumeTiming();
    sqlite3* db = open_plain_db(db_path);
    if (fts) {
      sqlite3_exec(db, "CREATE VIRTUAL TABLE episodes_fts USING fts5(body);", nullptr, nullptr,
                   nullptr);
    }
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO episodes VALUES(?,?,?,?)", -1, &ins, nullptr);
    sqlite3_stmt* ins_fts = nullptr;
    if (fts) {
      sqlite3_prepare_v2(db, "INSERT INTO episodes_fts(rowid, body) VALUES(last_insert_rowid(),?)",
                         -1, &ins_fts, nullptr);
    }
    int dirfd = ::open(e.episodes_dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (const std::string& name : list_dir(e.episodes_dir())) {
      struct stat st;
      ::fstatat(dirfd, name.c_str(), &st, 0);
      std::string text = read_at(dirfd, name.c_str());
      sqlite3_bind_text(ins, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
      sqlite3_bind_int64(ins, 2, st.st_size);
      sqlite3_bind_int64(ins, 3, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
      sqlite3_bind_text(ins, 4, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
      sqlite3_step(ins);
      sqlite3_reset(ins);
      if (fts) {
        sqlite3_bind_text(ins_fts, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
        sqlite3_step(ins_fts);
        sqlite3_reset(ins_fts);
      }
    }
    ::close(dirfd);
    sqlite3_finalize(ins);
    sqlite3_finalize(ins_fts);
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      state.SkipWithError(sqlite3_errmsg(db));
    }
    sqlite3_close(db);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(e.bytes) * state.iterations());
}
BENCHMARK(BM_SqliteBulkInsert)->Arg(0)->Arg(1)->Apply(add_min);

void BM_ColdIngest(benchmark::State& state) {
  const Env& e = env();
  const fs::path db_path = e.scratch / "cold.db";
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(db_path);
    state.ResumeTiming();
    Catalog catalog(db_path);
    Ingestor ingestor(catalog, e.content);
    IngestReport r = ingestor.scan();
    check(state, r, kEpisodes, -1);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(e.bytes) * state.iterations());
  state.counters["episodes"] = kEpisodes;
}
BENCHMARK(BM_ColdIngest)->Apply(add_min);

// ---- rescan and one-file ingest, on a catalog ingested once

struct Warm {
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Ingestor> ingestor;
  int revision = 0;
  Warm() {
    const Env& e = env();
    remove_db(e.scratch / "warm.db");
    catalog = std::make_unique<Catalog>(e.scratch / "warm.db");
    ingestor = std::make_unique<Ingestor>(*catalog, e.content);
    ingestor->scan();
  }
};

Warm& warm() {
  static Warm w;
  return w;
}

void BM_StatAllFiles(benchmark::State& state) {
  const Env& e = env();
  for (auto _ : state) {
    int dirfd = ::open(e.episodes_dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    std::int64_t total = 0;
    for (const std::string& name : list_dir(e.episodes_dir())) {
      struct stat st;
      if (::fstatat(dirfd, name.c_str(), &st, 0) == 0) {
        total += st.st_size + st.st_mtim.tv_nsec;
      }
    }
    ::close(dirfd);
    benchmark::DoNotOptimize(total);
  }
  state.counters["files"] = kEpisodes;
}
BENCHMARK(BM_StatAllFiles)->Apply(add_min);

void BM_RescanUnchanged(benchmark::State& state) {
  Warm& w = warm();
  for (auto _ : state) {
    IngestReport r = w.ingestor->scan();
    check(state, r, 0, 0);
  }
  state.counters["episodes"] = kEpisodes;
}
BENCHMARK(BM_RescanUnchanged)->Apply(add_min);

void BM_SqliteOneRowUpsert(benchmark::State& state) {
  const Env& e = env();
  const fs::path db_path = e.scratch / "one.db";
  remove_db(db_path);
  sqlite3* db = open_plain_db(db_path);
  sqlite3_stmt* up = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO episodes VALUES(?,?,?,?) ON CONFLICT(path) DO UPDATE SET "
                     "size=excluded.size, mtime=excluded.mtime, body=excluded.body",
                     -1, &up, nullptr);
  const fs::path file = podcastd::bench::episode_path(e.content, e.options, 5000);
  const std::string name = file.string();
  for (auto _ : state) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    struct stat st;
    ::stat(name.c_str(), &st);
    std::string text = read_at(AT_FDCWD, name.c_str());
    sqlite3_bind_text(up, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    sqlite3_bind_int64(up, 2, st.st_size);
    sqlite3_bind_int64(up, 3, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
    sqlite3_bind_text(up, 4, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    sqlite3_step(up);
    sqlite3_reset(up);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  sqlite3_finalize(up);
  sqlite3_close(db);
}
BENCHMARK(BM_SqliteOneRowUpsert)->Apply(add_min);

// Each iteration edits one episode (a new title and sentence, untimed) and ingests that path.
void BM_IngestOneChanged(benchmark::State& state) {
  Warm& w = warm();
  const Env& e = env();
  const int n = 5000;
  const fs::path file = podcastd::bench::episode_path(e.content, e.options, n);
  for (auto _ : state) {
    state.PauseTiming();
    podcastd::bench::write_file(file, podcastd::bench::episode_markdown(n, ++w.revision));
    state.ResumeTiming();
    IngestReport r = w.ingestor->ingest_paths({file});
    check(state, r, 1, 1);
  }
  // After the timed loop: restore the original text for the next benchmark.
  podcastd::bench::write_file(file, podcastd::bench::episode_markdown(n));
  w.ingestor->ingest_paths({file});
}
BENCHMARK(BM_IngestOneChanged)->Apply(add_min);

}  // namespace

BENCHMARK_MAIN();
