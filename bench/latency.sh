#!/usr/bin/env bash
# Issue 5: from a file dropped into the content dir to the served feed. A daemon serves a
# 1,000-episode show; DROPS new episode files are written one at a time (open/write/close,
# 600 ms apart) and the feed is polled over HTTP with If-None-Match until a 200 carries the
# new episode. Once per debounce setting in DEBOUNCES (ms). Results: $RESULTS/latency.json.
source "$(dirname "$0")/lib.sh"
machine_facts latency >"$RESULTS/latency.facts.json"
DROPS=${DROPS:-50}
DEBOUNCES=${DEBOUNCES:-250 50}
PORT=${PD_PORT:-18080}

echo "{\"facts\": $(cat "$RESULTS/latency.facts.json"), \"drops\": $DROPS, \"runs\": {" >"$WORK/latency.json"
first=1
for debounce in $DEBOUNCES; do
  rm -rf "$WORK/content" "$WORK/state" "$WORK/public"
  "$GEN" write "$WORK/content" 1000 >&2
  write_config "$WORK/podcastd.toml" "$WORK/content" "$WORK/state" "$WORK/public" \
    "127.0.0.1:$PORT" "$debounce"
  start_daemon "$WORK/podcastd.toml" "$WORK/daemon.log"
  log "debounce $debounce ms: $DROPS drops"
  result=$($TOOLS drops --url "http://127.0.0.1:$PORT/bench/feed.xml" \
    --dir "$WORK/content/bench/episodes" --first 1001 --count "$DROPS" --gen "$GEN")
  hwm=$($TOOLS hwm "$DAEMON_PID")
  stop_daemon
  echo "$result" >&2
  [[ $first == 1 ]] || echo "," >>"$WORK/latency.json"
  first=0
  echo "\"debounce_$debounce\": {\"latency_ms\": $result, \"daemon_memory_kb\": $hwm}" >>"$WORK/latency.json"
done
echo "}}" >>"$WORK/latency.json"
cp "$WORK/latency.json" "$RESULTS/latency.json"
cat "$RESULTS/latency.json"
