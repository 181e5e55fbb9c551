#!/usr/bin/env bash
# Issue 5: a 1,000-episode feed served by `podcastd run` and by nginx (one worker, like
# podcastd's one I/O thread) from the same published output_dir, measured with wrk in one run:
#   - conditional GETs answered 304 (If-None-Match with each server's own ETag)
#   - gzip'd full GETs: podcastd (precompressed, from memory) vs nginx gzip_static (the .gz
#     podcastd wrote) vs nginx on-the-fly gzip (gzip on, default level 1)
# Each pair alternates ROUNDS_HTTP times (wrk -t1 -c$CONNS -d$DURATION --latency). Then the
# daemon's peak memory (VmHWM). Results: $RESULTS/http/*.txt (wrk reports), $RESULTS/http.json.
source "$(dirname "$0")/lib.sh"
machine_facts http >"$RESULTS/http.facts.json"
ROUNDS_HTTP=${ROUNDS_HTTP:-3}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
PORT=${PD_PORT:-18080}
NGX_STATIC=${NGX_STATIC_PORT:-18081}
NGX_FLY=${NGX_FLY_PORT:-18082}
mkdir -p "$RESULTS/http"
chmod 755 "$WORK"  # nginx workers run as nobody

CONTENT=$WORK/content
"$GEN" write "$CONTENT" 1000 >&2
CFG=$WORK/podcastd.toml
write_config "$CFG" "$CONTENT" "$WORK/state" "$WORK/public" "127.0.0.1:$PORT"
start_daemon "$CFG" "$WORK/daemon.log"
chmod -R a+rX "$WORK/public"

mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<EOF2
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGX_STATIC;
    root $WORK/public;
    gzip_static on;
  }
  server {
    listen 127.0.0.1:$NGX_FLY;
    root $WORK/public;
    gzip on;
    gzip_types text/xml application/xml application/rss+xml;
  }
}
EOF2
nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
BENCH_PIDS+=("$NGINX_PID")
$TOOLS wait-http "http://127.0.0.1:$NGX_STATIC/bench/feed.xml" 10
$TOOLS wait-http "http://127.0.0.1:$NGX_FLY/bench/feed.xml" 10

URL_PD=http://127.0.0.1:$PORT/bench/feed.xml
URL_NS=http://127.0.0.1:$NGX_STATIC/bench/feed.xml
URL_NF=http://127.0.0.1:$NGX_FLY/bench/feed.xml
etag_of() { curl -s -D - -o /dev/null "$1" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'; }
ETAG_PD=$(etag_of "$URL_PD")
ETAG_NS=$(etag_of "$URL_NS")
status_of() { curl -s -o /dev/null -w '%{http_code} %{size_download}' "$@"; }
# Sanity: what each server answers to the requests wrk will send.
{
  echo "identity sizes: podcastd $(status_of "$URL_PD"), nginx $(status_of "$URL_NS")"
  echo "304: podcastd $(status_of -H "If-None-Match: $ETAG_PD" "$URL_PD")," \
    "nginx $(status_of -H "If-None-Match: $ETAG_NS" "$URL_NS")"
  for u in "$URL_PD" "$URL_NS" "$URL_NF"; do
    echo "gzip $u: $(curl -s -D - -o "$WORK/body.gz" -H 'Accept-Encoding: gzip' "$u" |
      tr -d '\r' | grep -i '^content-encoding') $(stat -c %s "$WORK/body.gz") bytes," \
      "gunzip equal to feed.xml: $(gunzip -c "$WORK/body.gz" | cmp -s - "$WORK/public/bench/feed.xml" && echo yes || echo NO)"
  done
} | tee "$RESULTS/http/sanity.txt" >&2
[[ $(status_of -H "If-None-Match: $ETAG_PD" "$URL_PD") == 304* ]]
[[ $(status_of -H "If-None-Match: $ETAG_NS" "$URL_NS") == 304* ]]

# run NAME URL [ENV...]: one wrk run; report in $RESULTS/http/NAME-ROUND.txt.
run() {
  local name=$1 url=$2
  shift 2
  env "$@" wrk -t1 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_DIR/wrk_headers.lua" "$url" \
    >"$RESULTS/http/$name-$round.txt"
  echo "$name round $round: $($TOOLS wrk "$RESULTS/http/$name-$round.txt")" >&2
}
for round in $(seq "$ROUNDS_HTTP"); do
  run 304-podcastd "$URL_PD" WRK_ETAG="$ETAG_PD"
  run 304-nginx "$URL_NS" WRK_ETAG="$ETAG_NS"
  run gzip-podcastd "$URL_PD" WRK_GZIP=1
  run gzip-nginx-static "$URL_NS" WRK_GZIP=1
  run gzip-nginx-fly "$URL_NF" WRK_GZIP=1
done
PD_HWM=$($TOOLS hwm "$DAEMON_PID")
NGX_WORKER=$(cat "/proc/$NGINX_PID/task/$NGINX_PID/children" | awk '{print $1}')
NGX_HWM=$($TOOLS hwm "$NGX_WORKER")

{
  echo "{\"facts\": $(cat "$RESULTS/http.facts.json"), \"conns\": $CONNS, \"duration\": \"$DURATION\","
  echo " \"feed_bytes\": $(stat -c %s "$WORK/public/bench/feed.xml"), \"feed_gz_bytes\": $(stat -c %s "$WORK/public/bench/feed.xml.gz"),"
  echo " \"podcastd_memory_kb\": $PD_HWM, \"nginx_worker_memory_kb\": $NGX_HWM, \"runs\": {"
  first=1
  for f in "$RESULTS"/http/*-[0-9]*.txt; do
    [[ $first == 1 ]] || echo ","
    first=0
    printf '  "%s": %s' "$(basename "$f" .txt)" "$($TOOLS wrk "$f")"
  done
  echo "}}"
} >"$RESULTS/http.json"
cat "$RESULTS/http.json"
