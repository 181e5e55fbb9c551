#include "catalog/catalog.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "catalog/hash.hpp"
#include "catalog/model_json.hpp"
#include "catalog/text.hpp"

namespace podcastd::catalog {
namespace {

using nlohmann::json;

// Step i takes the schema from version i to i+1. Append-only: never edit a step that has
// shipped; add a new one.
constexpr std::array<const char*, 2> kMigrations = {
    // 0 -> 1: the initial schema.
    R"sql(
CREATE TABLE shows(
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  dir TEXT NOT NULL,
  data TEXT NOT NULL,                        -- JSON of the assembled Show
  podcast_guid TEXT NOT NULL DEFAULT '',     -- podcast:guid, remembered once assigned
  removed_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sources(
  path TEXT PRIMARY KEY,                     -- content-relative
  show TEXT NOT NULL,
  kind TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  hash TEXT NOT NULL,
  episode_key TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  warnings TEXT NOT NULL DEFAULT '',         -- JSON array of Diagnostic
  checked_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sources_by_show ON sources(show, kind);
CREATE INDEX sources_by_episode ON sources(show, episode_key);

CREATE TABLE episodes(
  id INTEGER PRIMARY KEY,
  show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  guid TEXT NOT NULL,
  guid_explicit INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  subtitle TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  notes_html TEXT NOT NULL DEFAULT '',
  notes_text TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  image TEXT NOT NULL DEFAULT '',
  date INTEGER,
  publish_at INTEGER,
  draft INTEGER NOT NULL DEFAULT 0,
  season INTEGER,
  season_name TEXT NOT NULL DEFAULT '',
  number INTEGER,
  number_display TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT 'full',
  explicit INTEGER,
  block INTEGER NOT NULL DEFAULT 0,
  declared_duration REAL,
  license TEXT NOT NULL DEFAULT '',
  license_url TEXT NOT NULL DEFAULT '',
  extra TEXT NOT NULL DEFAULT '{}',          -- JSON: soundbites, locations, funding, txt, ...
  sources TEXT NOT NULL DEFAULT '[]',        -- JSON array of contributing source paths
  content_hash TEXT NOT NULL,
  identity_hash TEXT NOT NULL DEFAULT '',
  first_seen INTEGER NOT NULL,
  first_published INTEGER,
  removed_at INTEGER,                        -- tombstone: the GUID stays remembered
  error TEXT NOT NULL DEFAULT '',
  UNIQUE(show_id, key),
  UNIQUE(show_id, guid)
) STRICT;
CREATE INDEX episodes_removed ON episodes(show_id, removed_at) WHERE removed_at IS NOT NULL;

CREATE TABLE enclosures(
  episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  url TEXT NOT NULL,
  length INTEGER NOT NULL,
  mime TEXT NOT NULL,
  duration REAL NOT NULL,
  bitrate INTEGER NOT NULL
) STRICT;

CREATE TABLE chapters(
  episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  start REAL NOT NULL,
  "end" REAL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  img TEXT NOT NULL,
  toc INTEGER NOT NULL,
  PRIMARY KEY(episode_id, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE links(
  episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY(episode_id, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX links_by_url ON links(url);

CREATE TABLE link_checks(
  url TEXT PRIMARY KEY,
  status INTEGER NOT NULL,
  final_url TEXT NOT NULL,
  error TEXT NOT NULL,
  checked_at INTEGER NOT NULL,
  time_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE persons(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  href TEXT NOT NULL,
  img TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  UNIQUE(name, href)
) STRICT;

CREATE TABLE episode_persons(
  episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  role TEXT NOT NULL,
  grp TEXT NOT NULL,
  img TEXT NOT NULL,
  bio TEXT NOT NULL,
  PRIMARY KEY(episode_id, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX episode_persons_by_person ON episode_persons(person_id);

CREATE TABLE transcripts(
  id INTEGER PRIMARY KEY,
  episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  language TEXT NOT NULL,
  UNIQUE(episode_id, idx)
) STRICT;

CREATE TABLE transcript_segments(
  transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  speaker TEXT NOT NULL,
  start REAL,
  "end" REAL,
  body TEXT NOT NULL,
  PRIMARY KEY(transcript_id, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE publish_history(
  id INTEGER PRIMARY KEY,
  show TEXT NOT NULL,
  at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  changed INTEGER NOT NULL,
  feed_hash TEXT NOT NULL,
  feed_bytes INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  warnings INTEGER NOT NULL,
  report TEXT NOT NULL
) STRICT;
CREATE INDEX publish_history_by_show ON publish_history(show, id);

CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  show TEXT NOT NULL,
  channel TEXT NOT NULL,
  target TEXT NOT NULL,
  feed_url TEXT NOT NULL,
  feed_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'pending',
  delivered_at INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

CREATE TABLE outputs(
  path TEXT PRIMARY KEY,                     -- below output_dir
  show TEXT NOT NULL,
  owner TEXT NOT NULL,                       -- episode key; '' for show-level files
  source_hash TEXT NOT NULL,                 -- what it was made from
  hash TEXT NOT NULL                         -- its own bytes
) STRICT, WITHOUT ROWID;
CREATE INDEX outputs_by_show ON outputs(show, owner);

CREATE TABLE state(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE VIRTUAL TABLE episode_fts USING fts5(
  title, notes, transcript, tokenize = 'unicode61 remove_diacritics 2');
)sql",
    // 1 -> 2: show notes apart from the episode rows (kilobytes each), so scans of identities
    // and summaries over thousands of episodes read only the small rows.
    R"sql(
CREATE TABLE episode_notes(
  episode_id INTEGER PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
  html TEXT NOT NULL,
  text TEXT NOT NULL
) STRICT;
INSERT INTO episode_notes(episode_id, html, text) SELECT id, notes_html, notes_text FROM episodes;
ALTER TABLE episodes DROP COLUMN notes_html;
ALTER TABLE episodes DROP COLUMN notes_text;
)sql",
};

std::optional<std::int64_t> opt_int(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}
std::optional<double> opt_double(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getDouble();
}

template <typename T>
void bind_opt(SQLite::Statement& st, int index, const std::optional<T>& v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bind(index);
  }
}

// Resets a cached statement when the scope ends, so it never holds a read snapshot open.
class Use {
 public:
  explicit Use(SQLite::Statement& st) : st_(st) {}
  ~Use() {
    st_.tryReset();
    st_.clearBindings();
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  SQLite::Statement* operator->() { return &st_; }
  SQLite::Statement& operator*() { return st_; }

 private:
  SQLite::Statement& st_;
};

std::string warnings_to_json(const std::vector<Diagnostic>& warnings) {
  if (warnings.empty()) return "";
  return json(warnings).dump();
}
std::vector<Diagnostic> warnings_from_json(const std::string& text) {
  if (text.empty()) return {};
  return json::parse(text).get<std::vector<Diagnostic>>();
}

// The FTS transcript column: speaker and text of every segment.
std::string transcript_text(const Episode& e) {
  std::string out;
  for (const Transcript& t : e.transcripts) {
    for (const TranscriptSegment& s : t.segments) {
      if (!s.speaker.empty()) {
        out += s.speaker;
        out += ": ";
      }
      out += s.body;
      out += '\n';
    }
  }
  return out;
}

// Turns user words into an FTS5 query: each bare word and each "quoted phrase" becomes a
// quoted string (so AND/OR/NEAR/*/: in input are just words); terms are ANDed.
std::string fts_query(std::string_view q) {
  std::string out;
  std::size_t i = 0;
  auto emit = [&out](std::string_view term) {
    if (text::trim(term).empty()) return;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : term) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  };
  while (i < q.size()) {
    if (q[i] == ' ' || q[i] == '\t') {
      ++i;
    } else if (q[i] == '"') {
      std::size_t end = q.find('"', i + 1);
      if (end == std::string_view::npos) end = q.size();
      emit(q.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      std::size_t end = i;
      while (end < q.size() && q[end] != ' ' && q[end] != '\t' && q[end] != '"') ++end;
      emit(q.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

// A JSON array of strings as we write them (`["a.md","b.mp3"]`): read without building a
// JSON document (summaries read one per episode); anything unusual goes to the JSON parser.
std::vector<std::string> parse_string_array(std::string_view text) {
  std::vector<std::string> out;
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']' &&
      text.find('\\') == std::string_view::npos) {
    std::string_view rest = text.substr(1, text.size() - 2);
    bool ok = true;
    while (!rest.empty()) {
      if (rest.front() != '"') {
        ok = false;
        break;
      }
      std::size_t end = rest.find('"', 1);
      if (end == std::string_view::npos) {
        ok = false;
        break;
      }
      out.emplace_back(rest.substr(1, end - 1));
      rest.remove_prefix(end + 1);
      if (!rest.empty()) {
        if (rest.front() != ',') {
          ok = false;
          break;
        }
        rest.remove_prefix(1);
      }
    }
    if (ok) return out;
    out.clear();
  }
  json::parse(text).get_to(out);
  return out;
}

UnixTime now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// One FTS5 change.
struct PendingFts {
  std::int64_t id = 0;
  bool insert = false;
  std::string title, notes, transcript;
};

void apply_fts(const std::vector<PendingFts>& changes, SQLite::Statement& insert,
               SQLite::Statement& remove) {
  for (const PendingFts& p : changes) {
    if (p.insert) {
      Use st(insert);
      st->bind(1, p.id);
      // No copy: the strings outlive the statement's step (the Use resets it).
      st->bindNoCopy(2, p.title);
      st->bindNoCopy(3, p.notes);
      st->bindNoCopy(4, p.transcript);
      st->exec();
    } else {
      Use st(remove);
      st->bind(1, p.id);
      st->exec();
    }
  }
}

constexpr const char* kInsertFts =
    "INSERT INTO episode_fts(rowid, title, notes, transcript) VALUES(?, ?, ?, ?)";
constexpr const char* kDeleteFts = "DELETE FROM episode_fts WHERE rowid = ?";
constexpr const char* kFtsPendingKey = "fts_pending";
// A sources query up to its WHERE, read by Impl::read_source.
constexpr const char* kSourceColumns =
    "SELECT path, show, kind, size, mtime_ns, hash, episode_key, error, warnings, checked_at "
    "FROM sources ";
constexpr const char* kEraseState = "DELETE FROM state WHERE key = ?";
// Transactions with at least this many FTS changes index them after committing (unless
// they are a new catalog's first).
constexpr std::size_t kDeferredFtsBatch = 512;

// Applies committed FTS batches in order on its own connection and thread. The owner calls
// wait_idle() before anything that writes the index or reads it for a search, so batches
// never interleave with inline changes.
class FtsIndexer {
 public:
  explicit FtsIndexer(std::filesystem::path file) : file_(std::move(file)) {}
  FtsIndexer(const FtsIndexer&) = delete;
  FtsIndexer& operator=(const FtsIndexer&) = delete;
  ~FtsIndexer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();  // queued batches are finished first
  }

  void enqueue(std::vector<PendingFts> batch) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(std::move(batch));
      if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    cv_.notify_all();
  }

  void wait_idle() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
  }

 private:
  void run() {
    std::unique_ptr<SQLite::Database> db;
    std::unique_ptr<SQLite::Statement> insert, remove, clear;
    for (;;) {
      std::vector<PendingFts> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        batch = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
      }
      try {
        if (!db) {
          db = std::make_unique<SQLite::Database>(file_.string(),
                                                  SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
          db->setBusyTimeout(60000);
          insert = std::make_unique<SQLite::Statement>(*db, kInsertFts);
          remove = std::make_unique<SQLite::Statement>(*db, kDeleteFts);
          clear = std::make_unique<SQLite::Statement>(*db, kEraseState);
        }
        db->exec("BEGIN IMMEDIATE");
        apply_fts(batch, *insert, *remove);
        bool last;
        {
          std::lock_guard lock(mu_);
          last = queue_.empty();
        }
        if (last) {
          Use st(*clear);
          st->bind(1, kFtsPendingKey);
          st->exec();
        }
        db->exec("COMMIT");
      } catch (const std::exception&) {
        // The state row stays: the next open of the catalog rebuilds the index.
        try {
          if (db) db->exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): nothing was begun
        }
      }
      {
        std::lock_guard lock(mu_);
        busy_ = false;
      }
      cv_.notify_all();
    }
  }

  std::filesystem::path file_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<PendingFts>> queue_;
  bool busy_ = false;
  bool stop_ = false;
  std::thread thread_;
};

struct Catalog::Impl {
  std::filesystem::path file;
  SQLite::Database db;
  bool writable;
  // Cached statements: declared after db so they are destroyed first.
  std::unique_ptr<SQLite::Statement> show_id;
  std::unique_ptr<SQLite::Statement> upsert_episode;
  std::unique_ptr<SQLite::Statement> upsert_notes;
  std::unique_ptr<SQLite::Statement> delete_enclosure;
  std::unique_ptr<SQLite::Statement> delete_chapters;
  std::unique_ptr<SQLite::Statement> delete_links;
  std::unique_ptr<SQLite::Statement> delete_persons;
  std::unique_ptr<SQLite::Statement> delete_transcripts;
  std::unique_ptr<SQLite::Statement> delete_fts;
  std::unique_ptr<SQLite::Statement> insert_enclosure;
  std::unique_ptr<SQLite::Statement> insert_chapter;
  std::unique_ptr<SQLite::Statement> insert_link;
  std::unique_ptr<SQLite::Statement> upsert_person;
  std::unique_ptr<SQLite::Statement> insert_episode_person;
  std::unique_ptr<SQLite::Statement> insert_transcript;
  std::unique_ptr<SQLite::Statement> insert_segment;
  std::unique_ptr<SQLite::Statement> insert_fts;
  std::unique_ptr<SQLite::Statement> upsert_source;
  // Every other statement, prepared once per connection by its SQL text (a publish at 10,000
  // episodes prepared dozens, ~5% of its time). Used through Use, one at a time.
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
  SQLite::Statement& cached(const std::string& sql) {
    std::unique_ptr<SQLite::Statement>& slot = statements[sql];
    if (!slot) slot = std::make_unique<SQLite::Statement>(db, sql);
    return *slot;
  }
  std::unique_ptr<SQLite::Statement> get_source;
  std::unordered_map<std::string, std::int64_t> show_ids;  // slug -> id cache
  // FTS5 changes of the open transaction, applied together just before COMMIT: FTS5 flushes
  // its pending index data at every statement savepoint, so interleaving one FTS row per
  // episode with the episode's other statements writes one tiny segment per episode.
  std::vector<PendingFts> pending_fts;
  void flush_fts() {
    fts_indexer.wait_idle();
    apply_fts(pending_fts, *insert_fts, *delete_fts);
    pending_fts.clear();
  }
  // Big batches (a cold ingest) in a catalog with WAL are indexed after their transaction
  // commits, on a second connection and thread, while this one goes on (to publishing):
  // tokenizing 10,000 episodes' notes is 0.15 s. A `fts_pending` state row, written with the
  // batch and removed with its index, makes the next open rebuild the index if the process
  // died in between. A new catalog's first transaction (no WAL yet) indexes inline instead:
  // there the index pages are written once, with the rest, where after the commit they go
  // to the WAL and again to the file at the checkpoint (0.08 s of a 10,000-episode ingest).
  FtsIndexer fts_indexer;
  // Outside a transaction (autocommit) there is no COMMIT to wait for.
  void flush_fts_unless_in_transaction() {
    if (sqlite3_get_autocommit(db.getHandle()) != 0) flush_fts();
  }

  // The key/value state table (Catalog::state/set_state, and the FTS pending row).
  std::optional<std::string> state(std::string_view key) {
    Use st(cached("SELECT value FROM state WHERE key = ?"));
    st->bind(1, std::string(key));
    if (!st->executeStep()) return std::nullopt;
    return st->getColumn(0).getString();
  }
  void set_state(std::string_view key, std::string_view value) {
    Use st(cached("INSERT INTO state VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2"));
    st->bind(1, std::string(key));
    st->bind(2, std::string(value));
    st->exec();
  }
  void erase_state(std::string_view key) {
    Use st(cached(kEraseState));
    st->bind(1, std::string(key));
    st->exec();
  }

  // A batch's index was not finished (the process ended first): index every live episode.
  void rebuild_fts_if_pending() {
    if (!state(kFtsPendingKey)) return;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec("DELETE FROM episode_fts");
    // Segments in order, each "Speaker: body\n" as transcript_text() writes them, and notes as
    // load_episodes() reads them (CatalogTest.UnfinishedIndexIsRebuiltOnOpen holds the rebuilt
    // index equal to the one put_episode wrote).
    db.exec(R"sql(
INSERT INTO episode_fts(rowid, title, notes, transcript)
SELECT e.id, e.title, coalesce(n.text, ''), coalesce((
  SELECT group_concat(line, '') FROM (
    SELECT CASE WHEN s.speaker <> '' THEN s.speaker || ': ' ELSE '' END || s.body || char(10)
      AS line
    FROM transcripts t JOIN transcript_segments s ON s.transcript_id = t.id
    WHERE t.episode_id = e.id ORDER BY t.idx, s.idx)), '')
FROM episodes e LEFT JOIN episode_notes n ON n.episode_id = e.id
WHERE e.removed_at IS NULL)sql");
    erase_state(kFtsPendingKey);
    tx.commit();
  }

  // A new catalog runs with a rollback journal until its first Transaction commits.
  bool wal_after_commit = false;
  bool try_enable_wal() {
    std::string journal = db.execAndGet("PRAGMA journal_mode = WAL").getString();
    if (journal != "wal") return false;
    // WAL + NORMAL: no corruption on power loss; the last commits may be lost, and ingest
    // recomputes them from the content dir.
    db.exec("PRAGMA synchronous = NORMAL");
    return true;
  }
  void enable_wal() {
    if (!try_enable_wal()) {
      std::string journal = db.execAndGet("PRAGMA journal_mode").getString();
      throw std::runtime_error("cannot enable WAL (journal_mode is " + journal + ")");
    }
  }

  Impl(const std::filesystem::path& f, Mode mode)
      : file(f),
        // One Catalog is used by one thread at a time (the prepared statements are shared
        // state), so SQLite's own per-connection mutex only costs time.
        db(f.string(), (mode == Mode::read_write ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE
                                                 : SQLite::OPEN_READONLY) |
                           SQLite::OPEN_NOMUTEX),
        writable(mode == Mode::read_write),
        fts_indexer(f) {}

  std::int64_t require_show_id(std::string_view slug) {
    std::string key(slug);
    if (auto it = show_ids.find(key); it != show_ids.end()) return it->second;
    Use st(*show_id);
    st->bind(1, key);
    if (!st->executeStep()) {
      throw std::runtime_error("catalog: unknown show '" + key + "'");
    }
    std::int64_t id = st->getColumn(0).getInt64();
    show_ids.emplace(key, id);
    return id;
  }

  // Upserts have no RETURNING (SQLite runs such a statement into a temporary table under a
  // statement journal, ~2 us each, 20,000 times in a first ingest of 10,000 episodes). One
  // that inserts sets last_rowid(); one that updates leaves it alone, and the row is then
  // found by its unique key.
  std::int64_t last_rowid() { return sqlite3_last_insert_rowid(db.getHandle()); }
  std::int64_t episode_id(std::int64_t show, const std::string& key) {
    Use st(cached("SELECT id FROM episodes WHERE show_id = ? AND key = ?"));
    st->bind(1, show);
    st->bind(2, key);
    if (!st->executeStep()) throw std::runtime_error("catalog: episode '" + key + "' has no row");
    return st->getColumn(0).getInt64();
  }
  std::int64_t person_id(const std::string& name, const std::string& href) {
    Use st(cached("SELECT id FROM persons WHERE name = ? AND href = ?"));
    st->bind(1, name);
    st->bind(2, href);
    if (!st->executeStep()) throw std::runtime_error("catalog: person '" + name + "' has no row");
    return st->getColumn(0).getInt64();
  }

  std::optional<std::int64_t> find_show_id(std::string_view slug) {
    try {
      return require_show_id(slug);
    } catch (const std::runtime_error&) {
      return std::nullopt;
    }
  }

  void prepare() {
    show_id = std::make_unique<SQLite::Statement>(db, "SELECT id FROM shows WHERE slug = ?");
    get_source =
        std::make_unique<SQLite::Statement>(db, std::string(kSourceColumns) + "WHERE path = ?");
    if (!writable) return;
    upsert_episode = std::make_unique<SQLite::Statement>(db, R"sql(
INSERT INTO episodes(show_id, key, guid, guid_explicit, title, subtitle, summary, link, image,
  date, publish_at, draft, season, season_name, number, number_display, type, explicit, block, declared_duration, license, license_url, extra, sources, content_hash,
  identity_hash, first_seen, removed_at, error)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
  ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, NULL, '')
ON CONFLICT(show_id, key) DO UPDATE SET guid = ?3, guid_explicit = ?4, title = ?5, subtitle = ?6,
  summary = ?7, link = ?8, image = ?9, date = ?10,
  publish_at = ?11, draft = ?12, season = ?13, season_name = ?14, number = ?15,
  number_display = ?16, type = ?17, explicit = ?18, block = ?19, declared_duration = ?20,
  license = ?21, license_url = ?22, extra = ?23, sources = ?24, content_hash = ?25,
  identity_hash = ?26, removed_at = NULL, error = '')sql");
    upsert_notes = std::make_unique<SQLite::Statement>(
        db,
        "INSERT INTO episode_notes VALUES(?1, ?2, ?3) "
        "ON CONFLICT(episode_id) DO UPDATE SET html = ?2, text = ?3");
    delete_enclosure =
        std::make_unique<SQLite::Statement>(db, "DELETE FROM enclosures WHERE episode_id = ?");
    delete_chapters =
        std::make_unique<SQLite::Statement>(db, "DELETE FROM chapters WHERE episode_id = ?");
    delete_links =
        std::make_unique<SQLite::Statement>(db, "DELETE FROM links WHERE episode_id = ?");
    delete_persons =
        std::make_unique<SQLite::Statement>(db, "DELETE FROM episode_persons WHERE episode_id = ?");
    delete_transcripts =
        std::make_unique<SQLite::Statement>(db, "DELETE FROM transcripts WHERE episode_id = ?");
    delete_fts = std::make_unique<SQLite::Statement>(db, kDeleteFts);
    insert_enclosure = std::make_unique<SQLite::Statement>(
        db, "INSERT INTO enclosures VALUES(?, ?, ?, ?, ?, ?, ?)");
    insert_chapter = std::make_unique<SQLite::Statement>(
        db, "INSERT INTO chapters VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    insert_link =
        std::make_unique<SQLite::Statement>(db, "INSERT INTO links VALUES(?, ?, ?, ?, ?)");
    upsert_person = std::make_unique<SQLite::Statement>(
        db,
        "INSERT INTO persons(name, href, img, bio) VALUES(?1, ?2, ?3, ?4) "
        "ON CONFLICT(name, href) DO UPDATE SET "
        "img = CASE WHEN ?3 <> '' THEN ?3 ELSE img END, "
        "bio = CASE WHEN ?4 <> '' THEN ?4 ELSE bio END");
    insert_episode_person = std::make_unique<SQLite::Statement>(
        db, "INSERT INTO episode_persons VALUES(?, ?, ?, ?, ?, ?, ?)");
    insert_transcript = std::make_unique<SQLite::Statement>(
        db,
        "INSERT INTO transcripts(episode_id, idx, source, format, language) "
        "VALUES(?, ?, ?, ?, ?)");
    insert_segment = std::make_unique<SQLite::Statement>(
        db, "INSERT INTO transcript_segments VALUES(?, ?, ?, ?, ?, ?)");
    insert_fts = std::make_unique<SQLite::Statement>(db, kInsertFts);
    upsert_source = std::make_unique<SQLite::Statement>(db, R"sql(
INSERT INTO sources(path, show, kind, size, mtime_ns, hash, episode_key, error, warnings,
  checked_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
ON CONFLICT(path) DO UPDATE SET show = ?2, kind = ?3, size = ?4, mtime_ns = ?5, hash = ?6,
  episode_key = ?7, error = ?8, warnings = ?9, checked_at = ?10)sql");
  }

  void migrate() {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    int latest = static_cast<int>(kMigrations.size());
    if (version > latest) {
      throw std::runtime_error(file.string() + ": catalog schema version " +
                               std::to_string(version) + " is newer than this podcastd (" +
                               std::to_string(latest) + "); upgrade podcastd");
    }
    if (version < latest && !writable) {
      throw std::runtime_error(file.string() + ": catalog schema version " +
                               std::to_string(version) + " needs migrating; open it read-write");
    }
    for (int step = version; step < latest; ++step) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      db.exec(kMigrations[static_cast<std::size_t>(step)]);
      // Pragmas take no bound parameters: the version is a literal.
      db.exec("PRAGMA user_version = " + std::to_string(step + 1));
      tx.commit();
    }
  }

  SourceRecord read_source(SQLite::Statement& st) {
    SourceRecord r;
    r.path = st.getColumn(0).getString();
    r.show = st.getColumn(1).getString();
    r.kind = st.getColumn(2).getString();
    r.size = st.getColumn(3).getInt64();
    r.mtime_ns = st.getColumn(4).getInt64();
    r.hash = st.getColumn(5).getString();
    r.episode_key = st.getColumn(6).getString();
    r.error = st.getColumn(7).getString();
    r.warnings = warnings_from_json(st.getColumn(8).getString());
    r.checked_at = st.getColumn(9).getInt64();
    return r;
  }

  // Loads live episodes of a show (all, or the one with `key`) with every child.
  std::vector<Episode> load_episodes(std::string_view slug, const std::string* key);
};

int Catalog::latest_schema_version() { return static_cast<int>(kMigrations.size()); }

const char* Catalog::migration_sql(int step) {
  return kMigrations.at(static_cast<std::size_t>(step));
}

Catalog::Catalog(const std::filesystem::path& file, Mode mode) {
  try {
    impl_ = std::make_unique<Impl>(file, mode);
    impl_->db.setBusyTimeout(5000);
    if (mode == Mode::read_write) {
      // The rows that carry kilobytes (episode_notes: HTML and text, ~3 KB for typical notes)
      // fit two or three to an 8 KiB page where 4 KiB pages waste a quarter of each page.
      // Takes effect only when the file is new (before the first table).
      impl_->db.exec("PRAGMA page_size = 8192");
      if (impl_->db.execAndGet("PRAGMA page_count").getInt64() == 0) {
        // A new catalog: its first transaction is usually the cold ingest of every episode.
        // With a rollback journal, pages past the file's old end need no journal entry, so
        // each page is written once, where WAL writes it twice (log, then checkpoint): 0.14 s
        // of a 10,000-episode cold ingest. FULL syncs the journal and the file at commit, as
        // a rollback journal needs; WAL (below) from the first commit on.
        impl_->db.exec("PRAGMA journal_mode = DELETE");
        impl_->db.exec("PRAGMA synchronous = FULL");
        impl_->wal_after_commit = true;
      } else {
        impl_->enable_wal();
      }
      // A large ingest transaction spills dirty pages to the WAL (and reads them back) once
      // the page cache is full; 32 MiB holds a 10,000-episode pass's hot pages. The cache
      // only grows as far as it is used.
      impl_->db.exec("PRAGMA cache_size = -32768");
    }
    impl_->db.exec("PRAGMA foreign_keys = ON");
    impl_->migrate();
    impl_->prepare();
    if (mode == Mode::read_write) impl_->rebuild_fts_if_pending();
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(file.string() + ": cannot open catalog: " + e.what());
  }
}

Catalog::~Catalog() = default;

int Catalog::schema_version() const { return impl_->db.execAndGet("PRAGMA user_version").getInt(); }

const std::filesystem::path& Catalog::file() const { return impl_->file; }

Catalog::Transaction::Transaction(Catalog& catalog) : catalog_(catalog) {
  catalog_.impl_->fts_indexer.wait_idle();  // one writer at a time, batches in order
  catalog_.impl_->db.exec("BEGIN IMMEDIATE");
}

Catalog::Transaction::~Transaction() {
  if (!done_) {
    catalog_.impl_->pending_fts.clear();
    try {
      catalog_.impl_->db.exec("ROLLBACK");
    } catch (...) {  // NOLINT(bugprone-empty-catch): destructors never throw
    }
  }
}

void Catalog::Transaction::commit() {
  Impl& m = *catalog_.impl_;
  const bool defer = m.pending_fts.size() >= kDeferredFtsBatch && !m.wal_after_commit;
  if (defer) {
    m.set_state(kFtsPendingKey, "1");
  } else {
    m.flush_fts();
  }
  m.db.exec("COMMIT");
  done_ = true;
  // A new catalog's first transaction is committed: WAL from now on. Switching needs the
  // only lock on the file; while a reader holds one it is tried again at the next commit.
  if (m.wal_after_commit && m.try_enable_wal()) m.wal_after_commit = false;
  if (defer) {
    m.fts_indexer.enqueue(std::move(m.pending_fts));
    m.pending_fts.clear();
  }
}

// ---- sources

std::vector<SourceRecord> Catalog::sources() const {
  Use st_use(impl_->cached(std::string(kSourceColumns) + "ORDER BY path"));
  SQLite::Statement& st = *st_use;
  std::vector<SourceRecord> out;
  while (st.executeStep()) out.push_back(impl_->read_source(st));
  return out;
}

std::vector<SourceRecord> Catalog::sources_of_show(std::string_view show) const {
  Use st_use(impl_->cached(std::string(kSourceColumns) + "WHERE show = ? ORDER BY path"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(show));
  std::vector<SourceRecord> out;
  while (st.executeStep()) out.push_back(impl_->read_source(st));
  return out;
}

std::optional<SourceRecord> Catalog::source(std::string_view path) const {
  Use st(*impl_->get_source);
  st->bind(1, std::string(path));
  if (!st->executeStep()) return std::nullopt;
  return impl_->read_source(*st);
}

std::vector<SourceRecord> Catalog::sources_with_prefix(std::string_view prefix) const {
  // [prefix, prefix + U+10FFFF): every string that starts with prefix, via the PK index.
  Use st_use(impl_->cached(std::string(kSourceColumns) +
                           "WHERE path >= ?1 AND path < ?1 || char(1114111) "
                           "ORDER BY path"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(prefix));
  std::vector<SourceRecord> out;
  while (st.executeStep()) out.push_back(impl_->read_source(st));
  return out;
}

std::vector<SourceRecord> Catalog::sources_of_episode(std::string_view show,
                                                      std::string_view key) const {
  Use st_use(impl_->cached(std::string(kSourceColumns) +
                           "WHERE show = ? AND episode_key = ? ORDER BY path"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(show));
  st.bind(2, std::string(key));
  std::vector<SourceRecord> out;
  while (st.executeStep()) out.push_back(impl_->read_source(st));
  return out;
}

std::vector<SourceRecord> Catalog::show_level_sources(std::string_view show) const {
  Use st_use(impl_->cached(std::string(kSourceColumns) +
                           "WHERE show = ? AND kind IN ('show_toml', 'show_page') "
                           "ORDER BY path"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(show));
  std::vector<SourceRecord> out;
  while (st.executeStep()) out.push_back(impl_->read_source(st));
  return out;
}

void Catalog::put_source(const SourceRecord& r) {
  Use st(*impl_->upsert_source);
  st->bind(1, r.path);
  st->bind(2, r.show);
  st->bind(3, r.kind);
  st->bind(4, static_cast<std::int64_t>(r.size));
  st->bind(5, static_cast<std::int64_t>(r.mtime_ns));
  st->bind(6, r.hash);
  st->bind(7, r.episode_key);
  st->bind(8, r.error);
  st->bind(9, warnings_to_json(r.warnings));
  st->bind(10, static_cast<std::int64_t>(r.checked_at));
  st->exec();
}

void Catalog::delete_source(std::string_view path) {
  Use st_use(impl_->cached("DELETE FROM sources WHERE path = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(path));
  st.exec();
}

// ---- shows

std::vector<Show> Catalog::shows() const {
  Use st_use(impl_->cached("SELECT data FROM shows WHERE removed_at IS NULL ORDER BY slug"));
  SQLite::Statement& st = *st_use;
  std::vector<Show> out;
  while (st.executeStep()) out.push_back(json::parse(st.getColumn(0).getString()).get<Show>());
  return out;
}

std::optional<Show> Catalog::show(std::string_view slug) const {
  Use st_use(impl_->cached("SELECT data FROM shows WHERE slug = ? AND removed_at IS NULL"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(slug));
  if (!st.executeStep()) return std::nullopt;
  return json::parse(st.getColumn(0).getString()).get<Show>();
}

void Catalog::put_show(const Show& show) {
  Use st_use(impl_->cached(R"sql(
INSERT INTO shows(slug, dir, data, updated_at) VALUES(?1, ?2, ?3, ?4)
ON CONFLICT(slug) DO UPDATE SET dir = ?2, data = ?3, updated_at = ?4, removed_at = NULL)sql"));
  SQLite::Statement& st = *st_use;
  st.bind(1, show.slug);
  st.bind(2, show.dir);
  st.bind(3, json(show).dump());
  st.bind(4, static_cast<std::int64_t>(now_seconds()));
  st.exec();
}

void Catalog::remove_show(std::string_view slug) {
  auto id = impl_->find_show_id(slug);
  if (!id) return;
  UnixTime now = now_seconds();
  Use st_use(impl_->cached("UPDATE shows SET removed_at = ? WHERE id = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, static_cast<std::int64_t>(now));
  st.bind(2, *id);
  st.exec();
  Use eps_use(
      impl_->cached("UPDATE episodes SET removed_at = ? WHERE show_id = ? AND removed_at IS "
                    "NULL"));
  SQLite::Statement& eps = *eps_use;
  eps.bind(1, static_cast<std::int64_t>(now));
  eps.bind(2, *id);
  eps.exec();
  // Through pending_fts, after the changes queued before it: in a transaction, a direct
  // DELETE would run before the COMMIT indexes episodes put earlier in it.
  Use ids_use(impl_->cached("SELECT id FROM episodes WHERE show_id = ?"));
  SQLite::Statement& ids = *ids_use;
  ids.bind(1, *id);
  while (ids.executeStep()) {
    impl_->pending_fts.push_back({ids.getColumn(0).getInt64(), false, {}, {}, {}});
  }
  impl_->flush_fts_unless_in_transaction();
}

std::string Catalog::remembered_podcast_guid(std::string_view slug) const {
  Use st_use(impl_->cached("SELECT podcast_guid FROM shows WHERE slug = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(slug));
  if (!st.executeStep()) return "";
  return st.getColumn(0).getString();
}

std::string Catalog::remember_podcast_guid(std::string_view slug, std::string_view guid) {
  Use st_use(
      impl_->cached("UPDATE shows SET podcast_guid = ? WHERE slug = ? AND podcast_guid = ''"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(guid));
  st.bind(2, std::string(slug));
  st.exec();
  return remembered_podcast_guid(slug);
}

// ---- episodes

void Catalog::put_episode(const Episode& e, std::string_view identity_hash,
                          std::string_view content_hash) {
  Impl& m = *impl_;
  std::int64_t show_id = m.require_show_id(e.show);
  json extra = json::object();
  if (!e.soundbites.empty()) extra["soundbites"] = e.soundbites;
  if (!e.locations.empty()) extra["locations"] = e.locations;
  if (!e.funding.empty()) extra["funding"] = e.funding;
  if (!e.txt.empty()) extra["txt"] = e.txt;
  if (!e.alternate_enclosures.empty()) extra["alternate_enclosures"] = e.alternate_enclosures;
  if (!e.speaker_timeline.empty()) {
    json turns = json::array();
    for (const SpeakerTurn& t : e.speaker_timeline) turns.push_back({t.speaker, t.start});
    extra["speaker_timeline"] = std::move(turns);
  }
  // A new row (last_rowid() moved) has no children or index entry to delete.
  const std::int64_t rowid_before = m.last_rowid();
  {
    Use st(*m.upsert_episode);
    st->bind(1, show_id);
    st->bind(2, e.key);
    st->bind(3, e.guid);
    st->bind(4, e.guid_explicit ? 1 : 0);
    st->bind(5, e.title);
    st->bind(6, e.subtitle);
    st->bind(7, e.summary);
    st->bind(8, e.link);
    st->bind(9, e.image);
    bind_opt(*st, 10, e.date);
    bind_opt(*st, 11, e.publish_at);
    st->bind(12, e.draft ? 1 : 0);
    bind_opt(*st, 13, e.season);
    st->bind(14, e.season_name);
    bind_opt(*st, 15, e.number);
    st->bind(16, e.number_display);
    st->bind(17, to_string(e.type));
    if (e.explicit_content) {
      st->bind(18, *e.explicit_content ? 1 : 0);
    } else {
      st->bind(18);
    }
    st->bind(19, e.block ? 1 : 0);
    bind_opt(*st, 20, e.declared_duration);
    st->bind(21, e.license);
    st->bind(22, e.license_url);
    st->bind(23, extra.dump());
    st->bind(24, json(e.sources).dump());
    st->bind(25, content_hash.empty() ? hash::hex64(fingerprint(e)) : std::string(content_hash));
    st->bind(26, std::string(identity_hash));
    st->bind(27, static_cast<std::int64_t>(now_seconds()));
    st->exec();
  }
  const bool inserted = m.last_rowid() != rowid_before;
  const std::int64_t id = inserted ? m.last_rowid() : m.episode_id(show_id, e.key);
  {
    Use st(*m.upsert_notes);
    st->bind(1, id);
    st->bindNoCopy(2, e.notes_html);  // kilobytes; e outlives the step
    st->bindNoCopy(3, e.notes_text);
    st->exec();
  }
  if (!inserted) {
    for (auto* del : {&m.delete_enclosure, &m.delete_chapters, &m.delete_links, &m.delete_persons,
                      &m.delete_transcripts}) {
      Use st(**del);
      st->bind(1, id);
      st->exec();
    }
    m.pending_fts.push_back({id, false, {}, {}, {}});
  }
  if (e.enclosure) {
    Use st(*m.insert_enclosure);
    st->bind(1, id);
    st->bind(2, e.enclosure->file);
    st->bind(3, e.enclosure->url);
    st->bind(4, static_cast<std::int64_t>(e.enclosure->length));
    st->bind(5, e.enclosure->mime);
    st->bind(6, e.enclosure->duration);
    st->bind(7, e.enclosure->bitrate);
    st->exec();
  }
  for (std::size_t i = 0; i < e.chapters.size(); ++i) {
    const Chapter& c = e.chapters[i];
    Use st(*m.insert_chapter);
    st->bind(1, id);
    st->bind(2, static_cast<std::int64_t>(i));
    st->bind(3, c.start);
    bind_opt(*st, 4, c.end);
    st->bind(5, c.title);
    st->bind(6, c.url);
    st->bind(7, c.img);
    st->bind(8, c.toc ? 1 : 0);
    st->exec();
  }
  for (std::size_t i = 0; i < e.links.size(); ++i) {
    const Link& l = e.links[i];
    Use st(*m.insert_link);
    st->bind(1, id);
    st->bind(2, static_cast<std::int64_t>(i));
    st->bind(3, l.title);
    st->bind(4, l.url);
    st->bind(5, l.description);
    st->exec();
  }
  for (std::size_t i = 0; i < e.persons.size(); ++i) {
    const Person& p = e.persons[i];
    const std::int64_t person_before = m.last_rowid();
    {
      Use st(*m.upsert_person);
      st->bind(1, p.name);
      st->bind(2, p.href);
      st->bind(3, p.img);
      st->bind(4, p.bio);
      st->exec();
    }
    const std::int64_t person_id =
        m.last_rowid() != person_before ? m.last_rowid() : m.person_id(p.name, p.href);
    Use st(*m.insert_episode_person);
    st->bind(1, id);
    st->bind(2, static_cast<std::int64_t>(i));
    st->bind(3, person_id);
    st->bind(4, p.role);
    st->bind(5, p.group);
    st->bind(6, p.img);
    st->bind(7, p.bio);
    st->exec();
  }
  for (std::size_t i = 0; i < e.transcripts.size(); ++i) {
    const Transcript& t = e.transcripts[i];
    std::int64_t transcript_id;
    {
      Use st(*m.insert_transcript);
      st->bind(1, id);
      st->bind(2, static_cast<std::int64_t>(i));
      st->bind(3, t.source);
      st->bind(4, to_string(t.format));
      st->bind(5, t.language);
      st->exec();
      transcript_id = m.last_rowid();
    }
    for (std::size_t k = 0; k < t.segments.size(); ++k) {
      const TranscriptSegment& s = t.segments[k];
      Use st(*m.insert_segment);
      st->bind(1, transcript_id);
      st->bind(2, static_cast<std::int64_t>(k));
      st->bind(3, s.speaker);
      bind_opt(*st, 4, s.start);
      bind_opt(*st, 5, s.end);
      st->bind(6, s.body);
      st->exec();
    }
  }
  m.pending_fts.push_back({id, true, e.title, e.notes_text, transcript_text(e)});
  m.flush_fts_unless_in_transaction();
}

void Catalog::rekey_episode(std::string_view show, std::string_view old_key,
                            std::string_view new_key) {
  std::int64_t show_id = impl_->require_show_id(show);
  // A stale row may already sit at new_key (a tombstone of an earlier file there): the moved
  // episode's identity wins, the stale GUID memory is dropped only if it was never published.
  Use clear_use(
      impl_->cached("DELETE FROM episodes WHERE show_id = ? AND key = ? AND removed_at IS "
                    "NOT NULL AND first_published IS NULL"));
  SQLite::Statement& clear = *clear_use;
  clear.bind(1, show_id);
  clear.bind(2, std::string(new_key));
  clear.exec();
  Use st_use(impl_->cached("UPDATE episodes SET key = ? WHERE show_id = ? AND key = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(new_key));
  st.bind(2, show_id);
  st.bind(3, std::string(old_key));
  st.exec();
}

void Catalog::tombstone_episode(std::string_view show, std::string_view key, UnixTime at) {
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return;
  Use st_use(
      impl_->cached("UPDATE episodes SET removed_at = ? WHERE show_id = ? AND key = ? AND "
                    "removed_at IS NULL RETURNING id"));
  SQLite::Statement& st = *st_use;
  st.bind(1, static_cast<std::int64_t>(at));
  st.bind(2, *show_id);
  st.bind(3, std::string(key));
  std::vector<std::int64_t> ids;
  while (st.executeStep()) ids.push_back(st.getColumn(0).getInt64());
  for (std::int64_t id : ids) impl_->pending_fts.push_back({id, false, {}, {}, {}});
  impl_->flush_fts_unless_in_transaction();
}

void Catalog::set_episode_error(std::string_view show, std::string_view key,
                                std::string_view error) {
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return;
  Use st_use(impl_->cached("UPDATE episodes SET error = ? WHERE show_id = ? AND key = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(error));
  st.bind(2, *show_id);
  st.bind(3, std::string(key));
  st.exec();
}

namespace {
constexpr const char* kIdentityColumns =
    "SELECT key, guid, guid_explicit, identity_hash, date, title, removed_at, first_published, "
    "error, coalesce(json_extract(sources, '$[0]'), ''), content_hash FROM episodes ";
EpisodeIdentity read_identity(SQLite::Statement& st) {
  EpisodeIdentity id;
  id.key = st.getColumn(0).getString();
  id.guid = st.getColumn(1).getString();
  id.guid_explicit = st.getColumn(2).getInt() != 0;
  id.identity_hash = st.getColumn(3).getString();
  id.date = opt_int(st.getColumn(4));
  id.title = st.getColumn(5).getString();
  id.removed = !st.getColumn(6).isNull();
  id.first_published = opt_int(st.getColumn(7));
  id.error = st.getColumn(8).getString();
  id.primary_source = st.getColumn(9).getString();
  id.content_hash = st.getColumn(10).getString();
  return id;
}
}  // namespace

std::vector<EpisodeIdentity> Catalog::identities(std::string_view show) const {
  std::vector<EpisodeIdentity> out;
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return out;
  Use st_use(impl_->cached(std::string(kIdentityColumns) + "WHERE show_id = ? ORDER BY key"));
  SQLite::Statement& st = *st_use;
  st.bind(1, *show_id);
  while (st.executeStep()) out.push_back(read_identity(st));
  return out;
}

std::optional<EpisodeIdentity> Catalog::identity(std::string_view show,
                                                 std::string_view key) const {
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return std::nullopt;
  Use st_use(impl_->cached(std::string(kIdentityColumns) + "WHERE show_id = ? AND key = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, *show_id);
  st.bind(2, std::string(key));
  if (!st.executeStep()) return std::nullopt;
  return read_identity(st);
}

std::optional<EpisodeIdentity> Catalog::identity_by_guid(std::string_view show,
                                                         std::string_view guid) const {
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return std::nullopt;
  Use st_use(impl_->cached(std::string(kIdentityColumns) + "WHERE show_id = ? AND guid = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, *show_id);
  st.bind(2, std::string(guid));
  if (!st.executeStep()) return std::nullopt;
  return read_identity(st);
}

std::vector<EpisodeIdentity> Catalog::removed_identities(std::string_view show) const {
  std::vector<EpisodeIdentity> out;
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return out;
  Use st_use(impl_->cached(std::string(kIdentityColumns) +
                           "WHERE show_id = ? AND removed_at IS NOT NULL ORDER BY key"));
  SQLite::Statement& st = *st_use;
  st.bind(1, *show_id);
  while (st.executeStep()) out.push_back(read_identity(st));
  return out;
}

std::vector<std::string> Catalog::live_episode_keys(std::string_view show) const {
  std::vector<std::string> out;
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return out;
  Use st_use(
      impl_->cached("SELECT key FROM episodes WHERE show_id = ? AND removed_at IS NULL "
                    "ORDER BY key"));
  SQLite::Statement& st = *st_use;
  st.bind(1, *show_id);
  while (st.executeStep()) out.push_back(st.getColumn(0).getString());
  return out;
}

std::vector<Episode> Catalog::Impl::load_episodes(std::string_view slug, const std::string* key) {
  std::vector<Episode> out;
  auto sid = find_show_id(slug);
  if (!sid) return out;
  std::string filter = key ? " AND e.key = ?2" : "";
  std::unordered_map<std::int64_t, std::size_t> index;
  auto bind = [&](SQLite::Statement& st) {
    st.bind(1, *sid);
    if (key) st.bind(2, *key);
  };
  {
    Use st_use(
        cached("SELECT e.id, e.key, e.guid, e.guid_explicit, e.title, e.subtitle, "
               "e.summary, coalesce(n.html, ''), coalesce(n.text, ''), e.link, "
               "e.image, e.date, e.publish_at, e.draft, e.season, e.season_name, "
               "e.number, e.number_display, e.type, e.explicit, e.block, "
               "e.declared_duration, e.license, e.license_url, e.extra, e.sources "
               "FROM episodes e LEFT JOIN episode_notes n ON n.episode_id = e.id WHERE "
               "e.show_id = ?1 AND e.removed_at IS NULL" +
               filter + " ORDER BY e.key"));
    SQLite::Statement& st = *st_use;
    bind(st);
    while (st.executeStep()) {
      Episode ep;
      ep.show = std::string(slug);
      ep.key = st.getColumn(1).getString();
      ep.guid = st.getColumn(2).getString();
      ep.guid_explicit = st.getColumn(3).getInt() != 0;
      ep.title = st.getColumn(4).getString();
      ep.subtitle = st.getColumn(5).getString();
      ep.summary = st.getColumn(6).getString();
      ep.notes_html = st.getColumn(7).getString();
      ep.notes_text = st.getColumn(8).getString();
      ep.link = st.getColumn(9).getString();
      ep.image = st.getColumn(10).getString();
      ep.date = opt_int(st.getColumn(11));
      ep.publish_at = opt_int(st.getColumn(12));
      ep.draft = st.getColumn(13).getInt() != 0;
      if (auto v = opt_int(st.getColumn(14))) ep.season = static_cast<int>(*v);
      ep.season_name = st.getColumn(15).getString();
      if (auto v = opt_int(st.getColumn(16))) ep.number = static_cast<int>(*v);
      ep.number_display = st.getColumn(17).getString();
      ep.type = episode_type_from_string(st.getColumn(18).getString());
      if (auto v = opt_int(st.getColumn(19))) ep.explicit_content = *v != 0;
      ep.block = st.getColumn(20).getInt() != 0;
      ep.declared_duration = opt_double(st.getColumn(21));
      ep.license = st.getColumn(22).getString();
      ep.license_url = st.getColumn(23).getString();
      json extra = json::parse(st.getColumn(24).getString());
      if (auto it = extra.find("soundbites"); it != extra.end()) it->get_to(ep.soundbites);
      if (auto it = extra.find("locations"); it != extra.end()) it->get_to(ep.locations);
      if (auto it = extra.find("funding"); it != extra.end()) it->get_to(ep.funding);
      if (auto it = extra.find("txt"); it != extra.end()) it->get_to(ep.txt);
      if (auto it = extra.find("alternate_enclosures"); it != extra.end()) {
        it->get_to(ep.alternate_enclosures);
      }
      if (auto it = extra.find("speaker_timeline"); it != extra.end()) {
        for (const json& t : *it) {
          ep.speaker_timeline.push_back({t.at(0).get<std::string>(), t.at(1).get<double>()});
        }
      }
      json::parse(st.getColumn(25).getString()).get_to(ep.sources);
      index.emplace(st.getColumn(0).getInt64(), out.size());
      out.push_back(std::move(ep));
    }
  }
  if (out.empty()) return out;
  auto for_rows = [&](const std::string& sql, auto&& fn) {
    Use st_use(cached(sql));
    SQLite::Statement& st = *st_use;
    bind(st);
    while (st.executeStep()) {
      auto it = index.find(st.getColumn(0).getInt64());
      if (it != index.end()) fn(out[it->second], st);
    }
  };
  const std::string live =
      " JOIN episodes e ON e.id = x.episode_id WHERE e.show_id = ?1 AND "
      "e.removed_at IS NULL" +
      filter;
  for_rows(
      "SELECT x.episode_id, x.file, x.url, x.length, x.mime, x.duration, x.bitrate FROM "
      "enclosures x" +
          live,
      [](Episode& ep, SQLite::Statement& st) {
        Enclosure enc;
        enc.file = st.getColumn(1).getString();
        enc.url = st.getColumn(2).getString();
        enc.length = st.getColumn(3).getInt64();
        enc.mime = st.getColumn(4).getString();
        enc.duration = st.getColumn(5).getDouble();
        enc.bitrate = st.getColumn(6).getInt();
        ep.enclosure = std::move(enc);
      });
  for_rows("SELECT x.episode_id, x.start, x.\"end\", x.title, x.url, x.img, x.toc FROM chapters x" +
               live + " ORDER BY x.episode_id, x.idx",
           [](Episode& ep, SQLite::Statement& st) {
             Chapter c;
             c.start = st.getColumn(1).getDouble();
             c.end = opt_double(st.getColumn(2));
             c.title = st.getColumn(3).getString();
             c.url = st.getColumn(4).getString();
             c.img = st.getColumn(5).getString();
             c.toc = st.getColumn(6).getInt() != 0;
             ep.chapters.push_back(std::move(c));
           });
  for_rows("SELECT x.episode_id, x.title, x.url, x.description FROM links x" + live +
               " ORDER BY x.episode_id, x.idx",
           [](Episode& ep, SQLite::Statement& st) {
             ep.links.push_back({st.getColumn(1).getString(), st.getColumn(2).getString(),
                                 st.getColumn(3).getString()});
           });
  for_rows(
      "SELECT x.episode_id, p.name, x.role, x.grp, p.href, x.img, x.bio FROM "
      "episode_persons x JOIN persons p ON p.id = x.person_id" +
          live + " ORDER BY x.episode_id, x.idx",
      [](Episode& ep, SQLite::Statement& st) {
        ep.persons.push_back({st.getColumn(1).getString(), st.getColumn(2).getString(),
                              st.getColumn(3).getString(), st.getColumn(4).getString(),
                              st.getColumn(5).getString(), st.getColumn(6).getString()});
      });
  std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> transcript_index;
  for_rows("SELECT x.episode_id, x.id, x.source, x.format, x.language FROM transcripts x" + live +
               " ORDER BY x.episode_id, x.idx",
           [&](Episode& ep, SQLite::Statement& st) {
             Transcript t;
             t.source = st.getColumn(2).getString();
             t.format = transcript_format_from_string(st.getColumn(3).getString());
             t.language = st.getColumn(4).getString();
             transcript_index.emplace(
                 st.getColumn(1).getInt64(),
                 std::make_pair(static_cast<std::size_t>(&ep - out.data()), ep.transcripts.size()));
             ep.transcripts.push_back(std::move(t));
           });
  if (!transcript_index.empty()) {
    Use st_use(
        cached("SELECT s.transcript_id, s.speaker, s.start, s.\"end\", s.body FROM "
               "transcript_segments s JOIN transcripts x ON x.id = s.transcript_id" +
               live + " ORDER BY s.transcript_id, s.idx"));
    SQLite::Statement& st = *st_use;
    bind(st);
    while (st.executeStep()) {
      auto it = transcript_index.find(st.getColumn(0).getInt64());
      if (it == transcript_index.end()) continue;
      Transcript& t = out[it->second.first].transcripts[it->second.second];
      t.segments.push_back({st.getColumn(1).getString(), opt_double(st.getColumn(2)),
                            opt_double(st.getColumn(3)), st.getColumn(4).getString()});
    }
  }
  return out;
}

std::vector<Episode> Catalog::episodes(std::string_view show) const {
  return impl_->load_episodes(show, nullptr);
}

std::optional<Episode> Catalog::episode(std::string_view show, std::string_view key) const {
  std::string k(key);
  std::vector<Episode> list = impl_->load_episodes(show, &k);
  if (list.empty()) return std::nullopt;
  return std::move(list.front());
}

EpisodeStatus EpisodeSummary::status(UnixTime now) const {
  if (!error.empty()) return EpisodeStatus::error;
  if (draft) return EpisodeStatus::draft;
  if (publish_at && *publish_at > now) return EpisodeStatus::scheduled;
  if (!has_audio) return EpisodeStatus::no_audio;
  return EpisodeStatus::published;
}

std::vector<EpisodeSummary> Catalog::summaries(std::string_view show) const {
  std::vector<EpisodeSummary> out;
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return out;
  Use st_use(
      impl_->cached("SELECT e.key, e.guid, e.title, e.date, e.publish_at, e.draft, "
                    "(x.episode_id IS NOT NULL AND (x.file <> '' OR x.url <> '')), "
                    "e.content_hash, e.error, e.sources, e.first_published IS NOT NULL FROM "
                    "episodes e LEFT JOIN enclosures "
                    "x ON x.episode_id = e.id WHERE e.show_id = ? AND e.removed_at IS NULL "
                    "ORDER BY e.key"));
  SQLite::Statement& st = *st_use;
  st.bind(1, *show_id);
  while (st.executeStep()) {
    EpisodeSummary s;
    s.show = std::string(show);
    s.key = st.getColumn(0).getString();
    s.guid = st.getColumn(1).getString();
    s.title = st.getColumn(2).getString();
    s.date = opt_int(st.getColumn(3));
    s.publish_at = opt_int(st.getColumn(4));
    s.draft = st.getColumn(5).getInt() != 0;
    s.has_audio = st.getColumn(6).getInt() != 0;
    s.content_hash = st.getColumn(7).getString();
    s.error = st.getColumn(8).getString();
    s.sources = parse_string_array(st.getColumn(9).getString());
    s.published_before = st.getColumn(10).getInt() != 0;
    out.push_back(std::move(s));
  }
  return out;
}

std::string Catalog::content_hash(std::string_view show, std::string_view key) const {
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return "";
  Use st_use(
      impl_->cached("SELECT content_hash FROM episodes WHERE show_id = ? AND key = ? AND "
                    "removed_at IS NULL"));
  SQLite::Statement& st = *st_use;
  st.bind(1, *show_id);
  st.bind(2, std::string(key));
  if (!st.executeStep()) return "";
  return st.getColumn(0).getString();
}

void Catalog::mark_published(std::string_view show, const std::vector<std::string>& guids,
                             UnixTime at) {
  auto show_id = impl_->find_show_id(show);
  if (!show_id) return;
  Use st_use(
      impl_->cached("UPDATE episodes SET first_published = ? WHERE show_id = ? AND guid = ? "
                    "AND first_published IS NULL"));
  SQLite::Statement& st = *st_use;
  for (const std::string& guid : guids) {
    st.bind(1, static_cast<std::int64_t>(at));
    st.bind(2, *show_id);
    st.bind(3, guid);
    st.exec();
    st.reset();
  }
}

// ---- search

std::vector<SearchHit> Catalog::search(std::string_view query, int limit) const {
  std::vector<SearchHit> out;
  std::string q = fts_query(query);
  if (q.empty()) return out;
  impl_->fts_indexer.wait_idle();  // this catalog's own committed changes are searchable
  Use st_use(
      impl_->cached("SELECT s.slug, e.key, e.guid, e.title, "
                    "snippet(episode_fts, -1, '[', ']', '…', 16), bm25(episode_fts) AS r "
                    "FROM episode_fts JOIN episodes e ON e.id = episode_fts.rowid "
                    "JOIN shows s ON s.id = e.show_id "
                    "WHERE episode_fts MATCH ? AND e.removed_at IS NULL ORDER BY r LIMIT ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, q);
  st.bind(2, limit);
  while (st.executeStep()) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(),
                   st.getColumn(2).getString(), st.getColumn(3).getString(),
                   st.getColumn(4).getString(), st.getColumn(5).getDouble()});
  }
  return out;
}

// ---- publish history

void Catalog::record_publish(const PublishRecord& r) {
  Use st_use(
      impl_->cached("INSERT INTO publish_history(show, at, duration_ms, ok, changed, "
                    "feed_hash, feed_bytes, errors, warnings, report) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  SQLite::Statement& st = *st_use;
  st.bind(1, r.show);
  st.bind(2, static_cast<std::int64_t>(r.at));
  st.bind(3, static_cast<std::int64_t>(r.duration_ms));
  st.bind(4, r.ok ? 1 : 0);
  st.bind(5, r.changed ? 1 : 0);
  st.bind(6, r.feed_hash);
  st.bind(7, static_cast<std::int64_t>(r.feed_bytes));
  st.bind(8, r.errors);
  st.bind(9, r.warnings);
  st.bind(10, r.report);
  st.exec();
  // Keep the history bounded: the last 1000 entries per show.
  Use trim_use(
      impl_->cached("DELETE FROM publish_history WHERE show = ?1 AND id <= (SELECT id FROM "
                    "publish_history WHERE show = ?1 ORDER BY id DESC LIMIT 1 OFFSET 1000)"));
  SQLite::Statement& trim = *trim_use;
  trim.bind(1, r.show);
  trim.exec();
}

namespace {
PublishRecord read_publish(SQLite::Statement& st) {
  PublishRecord r;
  r.show = st.getColumn(0).getString();
  r.at = st.getColumn(1).getInt64();
  r.duration_ms = st.getColumn(2).getInt64();
  r.ok = st.getColumn(3).getInt() != 0;
  r.changed = st.getColumn(4).getInt() != 0;
  r.feed_hash = st.getColumn(5).getString();
  r.feed_bytes = st.getColumn(6).getInt64();
  r.errors = st.getColumn(7).getInt();
  r.warnings = st.getColumn(8).getInt();
  r.report = st.getColumn(9).getString();
  return r;
}
constexpr const char* kPublishColumns =
    "SELECT show, at, duration_ms, ok, changed, feed_hash, feed_bytes, errors, warnings, report "
    "FROM publish_history ";
}  // namespace

std::vector<PublishRecord> Catalog::publish_history(std::string_view show, int limit) const {
  Use st_use(
      impl_->cached(std::string(kPublishColumns) + "WHERE show = ? ORDER BY id DESC LIMIT ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(show));
  st.bind(2, limit);
  std::vector<PublishRecord> out;
  while (st.executeStep()) out.push_back(read_publish(st));
  return out;
}

std::optional<PublishRecord> Catalog::last_successful_publish(std::string_view show) const {
  Use st_use(impl_->cached(std::string(kPublishColumns) +
                           "WHERE show = ? AND ok = 1 ORDER BY id DESC LIMIT 1"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(show));
  if (!st.executeStep()) return std::nullopt;
  return read_publish(st);
}

// ---- links

void Catalog::put_link_check(const LinkCheck& c) {
  Use st_use(
      impl_->cached("INSERT INTO link_checks VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(url) "
                    "DO UPDATE SET status = ?2, final_url = ?3, error = ?4, checked_at = ?5, "
                    "time_ms = ?6"));
  SQLite::Statement& st = *st_use;
  st.bind(1, c.url);
  st.bind(2, c.status);
  st.bind(3, c.final_url);
  st.bind(4, c.error);
  st.bind(5, static_cast<std::int64_t>(c.checked_at));
  st.bind(6, static_cast<std::int64_t>(c.time_ms));
  st.exec();
}

std::optional<LinkCheck> Catalog::link_check(std::string_view url) const {
  Use st_use(
      impl_->cached("SELECT url, status, final_url, error, checked_at, time_ms FROM "
                    "link_checks WHERE url = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(url));
  if (!st.executeStep()) return std::nullopt;
  return LinkCheck{st.getColumn(0).getString(), st.getColumn(1).getInt(),
                   st.getColumn(2).getString(), st.getColumn(3).getString(),
                   st.getColumn(4).getInt64(),  st.getColumn(5).getInt64()};
}

std::vector<Link> Catalog::links(std::string_view show) const {
  std::string sql =
      "SELECT l.url, min(l.title), min(l.description) FROM links l JOIN episodes e ON e.id = "
      "l.episode_id JOIN shows s ON s.id = e.show_id WHERE e.removed_at IS NULL AND l.url <> ''";
  if (!show.empty()) sql += " AND s.slug = ?";
  sql += " GROUP BY l.url ORDER BY l.url";
  Use st_use(impl_->cached(sql));
  SQLite::Statement& st = *st_use;
  if (!show.empty()) st.bind(1, std::string(show));
  std::vector<Link> out;
  while (st.executeStep()) {
    out.push_back(
        {st.getColumn(1).getString(), st.getColumn(0).getString(), st.getColumn(2).getString()});
  }
  return out;
}

// ---- outbox

std::int64_t Catalog::enqueue(const OutboxItem& item) {
  Use st_use(
      impl_->cached("INSERT INTO outbox(show, channel, target, feed_url, feed_hash, "
                    "created_at, next_attempt_at, attempts, last_error, state) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  SQLite::Statement& st = *st_use;
  st.bind(1, item.show);
  st.bind(2, item.channel);
  st.bind(3, item.target);
  st.bind(4, item.feed_url);
  st.bind(5, item.feed_hash);
  st.bind(6, static_cast<std::int64_t>(item.created_at));
  st.bind(7, static_cast<std::int64_t>(item.next_attempt_at));
  st.bind(8, item.attempts);
  st.bind(9, item.last_error);
  st.bind(10, item.state.empty() ? std::string("pending") : item.state);
  if (!st.executeStep()) throw std::runtime_error("catalog: outbox insert returned no id");
  return st.getColumn(0).getInt64();
}

namespace {
constexpr const char* kOutboxColumns =
    "SELECT id, show, channel, target, feed_url, feed_hash, created_at, next_attempt_at, "
    "attempts, last_error, state, delivered_at FROM outbox ";
OutboxItem read_outbox(SQLite::Statement& st) {
  OutboxItem o;
  o.id = st.getColumn(0).getInt64();
  o.show = st.getColumn(1).getString();
  o.channel = st.getColumn(2).getString();
  o.target = st.getColumn(3).getString();
  o.feed_url = st.getColumn(4).getString();
  o.feed_hash = st.getColumn(5).getString();
  o.created_at = st.getColumn(6).getInt64();
  o.next_attempt_at = st.getColumn(7).getInt64();
  o.attempts = st.getColumn(8).getInt();
  o.last_error = st.getColumn(9).getString();
  o.state = st.getColumn(10).getString();
  o.delivered_at = opt_int(st.getColumn(11));
  return o;
}
}  // namespace

std::vector<OutboxItem> Catalog::pending_outbox() const {
  Use st_use(impl_->cached(std::string(kOutboxColumns) +
                           "WHERE state = 'pending' ORDER BY next_attempt_at, id"));
  SQLite::Statement& st = *st_use;
  std::vector<OutboxItem> out;
  while (st.executeStep()) out.push_back(read_outbox(st));
  return out;
}

std::optional<OutboxItem> Catalog::pending_outbox_item(std::int64_t id) const {
  Use st_use(impl_->cached(std::string(kOutboxColumns) + "WHERE state = 'pending' AND id = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, id);
  if (!st.executeStep()) return std::nullopt;
  return read_outbox(st);
}

void Catalog::update_outbox(const OutboxItem& o) {
  Use st_use(
      impl_->cached("UPDATE outbox SET next_attempt_at = ?, attempts = ?, last_error = ?, "
                    "state = ?, delivered_at = ?, feed_hash = ?, feed_url = ? WHERE id = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, static_cast<std::int64_t>(o.next_attempt_at));
  st.bind(2, o.attempts);
  st.bind(3, o.last_error);
  st.bind(4, o.state);
  bind_opt(st, 5, o.delivered_at);
  st.bind(6, o.feed_hash);
  st.bind(7, o.feed_url);
  st.bind(8, o.id);
  st.exec();
}

int Catalog::outbox_depth() const {
  return impl_->db.execAndGet("SELECT count(*) FROM outbox WHERE state = 'pending'").getInt();
}

// ---- outputs

std::vector<OutputRecord> Catalog::outputs(std::string_view show) const {
  Use st_use(
      impl_->cached("SELECT path, show, owner, source_hash, hash FROM outputs WHERE show = ? "
                    "ORDER BY path"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(show));
  std::vector<OutputRecord> out;
  while (st.executeStep()) {
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(),
                   st.getColumn(2).getString(), st.getColumn(3).getString(),
                   st.getColumn(4).getString()});
  }
  return out;
}

void Catalog::put_output(const OutputRecord& r) {
  Use st_use(
      impl_->cached("INSERT INTO outputs VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(path) DO "
                    "UPDATE SET show = ?2, owner = ?3, source_hash = ?4, hash = ?5"));
  SQLite::Statement& st = *st_use;
  st.bind(1, r.path);
  st.bind(2, r.show);
  st.bind(3, r.owner);
  st.bind(4, r.source_hash);
  st.bind(5, r.hash);
  st.exec();
}

void Catalog::delete_output(std::string_view path) {
  Use st_use(impl_->cached("DELETE FROM outputs WHERE path = ?"));
  SQLite::Statement& st = *st_use;
  st.bind(1, std::string(path));
  st.exec();
}

// ---- state

std::optional<std::string> Catalog::state(std::string_view key) const { return impl_->state(key); }

void Catalog::set_state(std::string_view key, std::string_view value) {
  impl_->set_state(key, value);
}

}  // namespace podcastd::catalog
