#!/usr/bin/env bash
# Issue 3: ingest of 10,000 Markdown episodes, beside its floors, in one run.
#   1. podcastd_ingest_bench (Google Benchmark): cold ingest, rescan, one changed file, with
#      the raw-I/O, stat and plain-SQLite peers (in process, page cache warm).
#   2. Whole processes, alternated ROUNDS times: `podcastd_ingest_once` (one scan into an
#      empty catalog) vs `cat` of the same 10,000 files; peak RSS with /usr/bin/time.
#   3. Peak RSS of `podcastd episodes` on an empty state dir (it scans first).
# Results: $RESULTS/ingest_bench.json, $RESULTS/ingest.json.
source "$(dirname "$0")/lib.sh"
machine_facts ingest >"$RESULTS/ingest.facts.json"

CONTENT=$WORK/content
"$GEN" write "$CONTENT" 10000 >&2
EPISODES=$CONTENT/bench/episodes
find "$EPISODES" -type f -exec cat {} + >/dev/null  # page cache warm for everyone

log "podcastd_ingest_bench (repetitions: $ROUNDS)"
PODCASTD_BENCH_CONTENT=$CONTENT "$BUILD/bench/podcastd_ingest_bench" \
  --benchmark_repetitions="$ROUNDS" --benchmark_display_aggregates_only=true \
  --benchmark_out="$RESULTS/ingest_bench.json" --benchmark_out_format=json >&2

log "whole processes: podcastd_ingest_once vs cat ($ROUNDS rounds, alternating)"
: >"$WORK/cat.ms"
: >"$WORK/ingest.ms"
: >"$WORK/ingest.rss"
for r in $(seq "$ROUNDS"); do
  $TOOLS time sh -c "find '$EPISODES' -type f -exec cat {} + >/dev/null" >>"$WORK/cat.ms"
  rm -f "$WORK"/catalog.db*
  $TOOLS time /usr/bin/time -f %M -a -o "$WORK/ingest.rss" \
    "$BUILD/bench/podcastd_ingest_once" "$CONTENT" "$WORK/catalog.db" >>"$WORK/ingest.ms" 2>/dev/null
done

log "podcastd episodes on an empty state dir (scan + list)"
write_config "$WORK/podcastd.toml" "$CONTENT" "$WORK/state" "$WORK/public" ""
/usr/bin/time -f "%e %M" -o "$WORK/episodes.time" "$PODCASTD" episodes --config "$WORK/podcastd.toml" >/dev/null
read -r ep_s ep_kb <"$WORK/episodes.time"

cat >"$RESULTS/ingest.json" <<EOF2
{"facts": $(cat "$RESULTS/ingest.facts.json"),
 "content_bytes": $(find "$CONTENT" -type f -printf '%s\n' | awk '{s+=$1} END {print s}'),
 "cat_ms": $($TOOLS stats --json "$WORK/cat.ms"),
 "ingest_once_ms": $($TOOLS stats --json "$WORK/ingest.ms"),
 "ingest_once_peak_rss_kb": $(sort -n "$WORK/ingest.rss" | tail -1),
 "episodes_cmd_s": $ep_s, "episodes_cmd_peak_rss_kb": $ep_kb}
EOF2
cat "$RESULTS/ingest.json"
