#!/usr/bin/env bash
# Issue 4: `podcastd republish` at 10,000 episodes, beside the npm generators, in one run.
#   1. Cold: empty state and output dirs, `podcastd republish` (process start, scan, catalog,
#      render, validate, write, compress) alternated ROUNDS times with bench/node/
#      publish_peers.mjs (feedsmith and podcast building the same 10,000 items in memory,
#      taken from the feed podcastd just wrote).
#   2. One episode edited, `podcastd republish` standalone (no daemon), EDITS times.
#   3. Nothing changed: standalone republish, and the files it wrote (find -newer).
#   4. The same two through a running daemon (`podcastd republish` asks it over the control
#      socket).
# The content uses the short show notes: 10,000 items of the 1.5 KB notes make a ~45 MB feed,
# which the publisher refuses (25 MB hard limit).  Results: $RESULTS/publish.json.
source "$(dirname "$0")/lib.sh"
machine_facts publish >"$RESULTS/publish.facts.json"
[[ -d $BENCH_DIR/node/node_modules ]] || (cd "$BENCH_DIR/node" && npm ci --no-audit --no-fund >&2)
EDITS=${EDITS:-10}
PORT=${PD_PORT:-18080}

CONTENT=$WORK/content
export PODCASTD_BENCH_NOTES=short
"$GEN" write "$CONTENT" 10000 >&2
find "$CONTENT" -type f -exec cat {} + >/dev/null
CFG=$WORK/podcastd.toml

log "cold republish vs npm peers ($ROUNDS rounds, alternating)"
: >"$WORK/cold.ms"
: >"$WORK/cold.rss"
: >"$WORK/peers.jsonl"
# Each round publishes into new state and output dirs, and nothing is deleted until the end:
# ext4 skips recently freed inodes when allocating new ones (find_inode_bit ->
# recently_deleted), which made 20,000 mkdir/creat calls right after an `rm -rf` of the
# previous round's 20,000 files several times slower than on a fresh disk. A first publish
# does not follow a mass deletion, so the benchmark should not either.
for r in $(seq "$ROUNDS"); do
  write_config "$CFG" "$CONTENT" "$WORK/state.$r" "$WORK/public.$r" ""
  $TOOLS time /usr/bin/time -f %M -a -o "$WORK/cold.rss" \
    "$PODCASTD" republish --config "$CFG" >>"$WORK/cold.ms" 2>"$WORK/republish.log" ||
    { tail -5 "$WORK/republish.log" >&2; exit 1; }
  (cd "$BENCH_DIR/node" && node publish_peers.mjs "$WORK/public.$r/bench/feed.xml" 3) >>"$WORK/peers.jsonl"
  tail -1 "$WORK/peers.jsonl" >&2
done
# The edits below work on the last round's catalog and output (CFG as that round wrote it).
STATE=$WORK/state.$ROUNDS
PUB=$WORK/public.$ROUNDS
FEED=$PUB/bench/feed.xml
# Where the time goes in one cold republish (podcastd republish --json: ingest and the
# publisher's phases), on a fresh pair of dirs.
write_config "$CFG.phases" "$CONTENT" "$WORK/state.phases" "$WORK/public.phases" ""
"$PODCASTD" republish --json --config "$CFG.phases" 2>/dev/null |
  python3 -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps({"ingest_ms": j["ingest"]["elapsed_ms"], "phases_ms": j["shows"][0]["phases_ms"]}))' \
  >"$WORK/phases.json"
FEED_BYTES=$(stat -c %s "$FEED")
FEED_GZ_BYTES=$(stat -c %s "$FEED.gz")
FILES_OUT=$(find "$PUB" -type f | wc -l)

# edit_rounds FILE_MS: edits episode 5000 EDITS times, timing `podcastd republish` after each
# edit, and checks the new title reached feed.xml.
edit_rounds() {
  local i rev
  for i in $(seq "$EDITS"); do
    rev=$((RANDOM + 1))
    "$GEN" edit "$CONTENT" 5000 "$rev"
    $TOOLS time "$PODCASTD" republish --config "$CFG" >>"$1" 2>>"$WORK/republish.log"
    grep -q "(take $rev)" "$FEED" || { echo "edit $rev not in the feed" >&2; exit 1; }
    sleep 0.6  # let a running daemon's own watcher batch (debounce 250 ms) go by, untimed
  done
}
# noop FILE_MS FILE_WRITTEN: a republish with nothing changed; counts files written below
# output_dir (find -newer a marker made just before).
noop() {
  sleep 1.1
  touch "$WORK/marker"
  sleep 0.1
  $TOOLS time "$PODCASTD" republish --config "$CFG" >>"$1" 2>>"$WORK/republish.log"
  find "$PUB" -newer "$WORK/marker" | tee "$2.list" | wc -l >"$2"
}

log "standalone: one episode edited ($EDITS times), then nothing changed"
: >"$WORK/edit.ms"
edit_rounds "$WORK/edit.ms"
: >"$WORK/noop.ms"
noop "$WORK/noop.ms" "$WORK/noop.written"
"$GEN" edit "$CONTENT" 5000 0  # back to the original text
"$PODCASTD" republish --config "$CFG" >/dev/null 2>&1

log "through the daemon: one episode edited ($EDITS times), then nothing changed"
write_config "$CFG" "$CONTENT" "$STATE" "$PUB" "127.0.0.1:$PORT"
start_daemon "$CFG" "$WORK/daemon.log"
: >"$WORK/dedit.ms"
edit_rounds "$WORK/dedit.ms"
: >"$WORK/dnoop.ms"
noop "$WORK/dnoop.ms" "$WORK/dnoop.written"
DAEMON_HWM=$($TOOLS hwm "$DAEMON_PID")
stop_daemon

cat >"$RESULTS/publish.json" <<EOF2
{"facts": $(cat "$RESULTS/publish.facts.json"),
 "items": 10000, "feed_bytes": $FEED_BYTES, "feed_gz_bytes": $FEED_GZ_BYTES, "files_in_output": $FILES_OUT,
 "cold_ms": $($TOOLS stats --json "$WORK/cold.ms"),
 "cold_peak_rss_kb": $(sort -n "$WORK/cold.rss" | tail -1),
 "cold_phases": $(cat "$WORK/phases.json"),
 "peers": [$(paste -sd, "$WORK/peers.jsonl")],
 "edit_standalone_ms": $($TOOLS stats --json "$WORK/edit.ms"),
 "noop_standalone_ms": $($TOOLS stats --json "$WORK/noop.ms"),
 "noop_standalone_files_written": $(cat "$WORK/noop.written"),
 "edit_daemon_ms": $($TOOLS stats --json "$WORK/dedit.ms"),
 "noop_daemon_ms": $($TOOLS stats --json "$WORK/dnoop.ms"),
 "noop_daemon_files_written": $(cat "$WORK/dnoop.written"),
 "daemon_10k_memory_kb": $DAEMON_HWM}
EOF2
cat "$RESULTS/publish.json"
