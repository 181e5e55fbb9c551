# Shared by bench/*.sh (sourced). Sets BUILD, PODCASTD, GEN, TOOLS, a scratch dir WORK
# (removed on exit) and RESULTS (where each script leaves its JSON/text figures).
#
#   BUILD=build-rel  RESULTS=bench-results  ROUNDS=5  KEEP=1 (keep WORK)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BUILD=${BUILD:-$ROOT/build-rel}
RESULTS=${RESULTS:-$ROOT/bench-results}
ROUNDS=${ROUNDS:-5}
PODCASTD=$BUILD/podcastd
GEN=$BUILD/bench/podcastd_bench_content
TOOLS="python3 $BENCH_DIR/tools.py"
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)

for exe in "$PODCASTD" "$GEN"; do
  if [[ ! -x $exe ]]; then
    echo "missing $exe: cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release" \
      "-DPODCASTD_BUILD_TESTS=OFF && cmake --build build-rel -j2" >&2
    exit 1
  fi
done

WORK=$(mktemp -d /tmp/podcastd-bench.XXXXXX)
# Processes this script started (killed by PID on exit, never by name).
BENCH_PIDS=()
bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]:-}"; do
    [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  if [[ -z ${KEEP:-} ]]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap bench_cleanup EXIT

log() { printf '\n== %s\n' "$*" >&2; }

# machine_facts NAME: one line of context for the figures (cores, load, build type, versions).
machine_facts() {
  local build_type
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
  printf '{"script":"%s","date":"%s","cores":%s,"loadavg":"%s","build_type":"%s","cpu":"%s","kernel":"%s"}\n' \
    "$1" "$(date -u +%FT%TZ)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$build_type" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(uname -r)"
}

# write_config FILE CONTENT STATE OUTPUT LISTEN [DEBOUNCE_MS]: a podcastd.toml for one run.
write_config() {
  cat >"$1" <<EOF
content_dir = "$2"
state_dir = "$3"
output_dir = "$4"
public_url = "http://127.0.0.1:18080"
log_level = "warning"
[http]
listen = "$5"
[watch]
debounce_ms = ${6:-250}
rescan_interval_s = 0
EOF
}

# start_daemon CONFIG LOG: starts `podcastd run`, waits until /healthz (or the control socket,
# when HTTP is off) says ready; sets DAEMON_PID.
start_daemon() {
  "$PODCASTD" run --config "$1" 2>"$2" &
  DAEMON_PID=$!
  BENCH_PIDS+=("$DAEMON_PID")
  local i
  for i in $(seq 1 1200); do
    if "$PODCASTD" status --config "$1" 2>/dev/null | grep -q ': published'; then return 0; fi
    if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
      echo "podcastd run exited; log:" >&2
      cat "$2" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "podcastd run did not become ready" >&2
  return 1
}

stop_daemon() {
  kill -TERM "$DAEMON_PID" 2>/dev/null || true
  wait "$DAEMON_PID" 2>/dev/null || true
}
