#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md, each beside its peer in the same run, then the
# tables. Needs a Release build in build-rel (see lib.sh), nginx, wrk, node/npm, python3.
#
#   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DPODCASTD_BUILD_TESTS=OFF
#   cmake --build build-rel -j2
#   bench/run-all.sh            # ~20 min; figures in bench-results/, tables on stdout
#
# Knobs (environment): ROUNDS (5), EDITS (10), ROUNDS_HTTP (3), DURATION (10s), CONNS (32),
# DROPS (50), DEBOUNCES ("250 50"), RESULTS (bench-results), BUILD (build-rel).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export RESULTS=${RESULTS:-$(cd "$here/.." && pwd)/bench-results}
mkdir -p "$RESULTS"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$here/render.sh"
"$here/ingest.sh"
"$here/publish.sh"
"$here/http.sh"
"$here/latency.sh"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$here/report.py" "$RESULTS"
