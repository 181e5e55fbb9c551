#!/usr/bin/env bash
# Issue 4, rendering alone: podcastd_render_bench (a 10,000-item feed, Google Benchmark) and
# the npm peers building the same feed (bench/node/render_peers.mjs), one after the other.
# Results: $RESULTS/render_bench.json, $RESULTS/render_peers.json.
source "$(dirname "$0")/lib.sh"
machine_facts render >"$RESULTS/render.facts.json"
[[ -d $BENCH_DIR/node/node_modules ]] || (cd "$BENCH_DIR/node" && npm ci --no-audit --no-fund >&2)

log "podcastd_render_bench (repetitions: $ROUNDS)"
"$BUILD/bench/podcastd_render_bench" --benchmark_repetitions="$ROUNDS" \
  --benchmark_display_aggregates_only=true \
  --benchmark_out="$RESULTS/render_bench.json" --benchmark_out_format=json >&2
log "render_peers.mjs ($ROUNDS runs after 2 warm-ups)"
(cd "$BENCH_DIR/node" && node render_peers.mjs "$ROUNDS") | tee "$RESULTS/render_peers.json"
