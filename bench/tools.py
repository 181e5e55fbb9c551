#!/usr/bin/env python3
"""Helpers for the benchmark scripts in bench/ (standard library only).

  tools.py time CMD...                 run CMD once; print wall ms (stdout of CMD -> stderr)
  tools.py stats [--json] FILE...      min/median/p90/p99/max of numbers (one per line)
  tools.py wrk FILE                    parse a `wrk --latency` report into JSON
  tools.py hwm PID                     VmHWM and VmRSS of a process in KiB (JSON)
  tools.py wait-http URL [SECONDS]     wait until URL answers 200
  tools.py drops --url URL --dir DIR --first N --count C --gen TOOL [--gap-ms MS]
                                       drop C new episode files into DIR, one at a time, and
                                       record ms from close() of the file to the first 200
                                       response of URL whose body carries the new episode
"""

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


def summarize(values):
    v = sorted(values)
    return {
        "n": len(v),
        "min": round(v[0], 3),
        "median": round(statistics.median(v), 3),
        "p90": round(percentile(v, 90), 3),
        "p99": round(percentile(v, 99), 3),
        "max": round(v[-1], 3),
        "mean": round(statistics.fmean(v), 3),
    }


def cmd_time(argv):
    t0 = time.perf_counter()
    rc = subprocess.run(argv, stdout=sys.stderr).returncode
    ms = (time.perf_counter() - t0) * 1000.0
    print(f"{ms:.3f}")
    return rc


def cmd_stats(argv):
    as_json = False
    if argv and argv[0] == "--json":
        as_json = True
        argv = argv[1:]
    values = []
    for name in argv:
        with open(name) as f:
            values += [float(x) for x in f.read().split()]
    s = summarize(values)
    if as_json:
        print(json.dumps(s))
    else:
        print(" ".join(f"{k}={v}" for k, v in s.items()))
    return 0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
_SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def cmd_wrk(argv):
    text = open(argv[0]).read()
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else 0.0
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+(\S+)", text, re.M)
        out[f"p{p}_ms"] = round(_ms(m.group(1)), 3) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+)(B|KB|MB|GB) read", text)
    if m:
        out["requests"] = int(m.group(1))
        out["bytes_per_request"] = round(float(m.group(3)) * _SIZES[m.group(4)] / int(m.group(1)))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx_3xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = m.group(1).strip() if m else ""
    print(json.dumps(out))
    return 0


def cmd_hwm(argv):
    out = {}
    with open(f"/proc/{int(argv[0])}/status") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    print(json.dumps(out))
    return 0


def cmd_wait_http(argv):
    url = urllib.parse.urlsplit(argv[0])
    deadline = time.monotonic() + (float(argv[1]) if len(argv) > 1 else 120.0)
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection(url.hostname, url.port, timeout=2)
            c.request("GET", url.path)
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                return 0
        except OSError:
            pass
        time.sleep(0.05)
    print(f"timed out waiting for {argv[0]}", file=sys.stderr)
    return 1


def cmd_drops(argv):
    args = {}
    i = 0
    while i < len(argv):
        args[argv[i].lstrip("-")] = argv[i + 1]
        i += 2
    url = urllib.parse.urlsplit(args["url"])
    folder = args["dir"]
    first = int(args["first"])
    count = int(args["count"])
    gap = float(args.get("gap-ms", "600")) / 1000.0
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)

    def get(etag):
        headers = {"If-None-Match": etag} if etag else {}
        conn.request("GET", url.path, headers=headers)
        r = conn.getresponse()
        return r, time.perf_counter()

    r, _ = get(None)
    r.read()
    etag = r.getheader("ETag")
    samples = []
    polls = 0
    for k in range(count):
        n = first + k
        text = subprocess.run([args["gen"], "print", str(n)], check=True,
                              stdout=subprocess.PIPE).stdout
        marker = f"https://example.com/links/{n}/1".encode()
        path = os.path.join(folder, f"{n:05d}.md")
        t0 = time.perf_counter()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, text)
        os.close(fd)
        while True:
            r, t1 = get(etag)
            polls += 1
            if r.status == 304:
                r.read()
                time.sleep(0.0005)
                continue
            body = r.read()
            if r.status != 200:
                raise SystemExit(f"unexpected status {r.status}")
            etag = r.getheader("ETag")
            if marker in body:
                samples.append((t1 - t0) * 1000.0)
                break
            if time.perf_counter() - t0 > 30:
                raise SystemExit(f"episode {n} did not appear within 30 s")
        time.sleep(gap)
    result = summarize(samples)
    result["polls"] = polls
    result["samples_ms"] = [round(s, 2) for s in samples]
    print(json.dumps(result))
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, argv = sys.argv[1], sys.argv[2:]
    handlers = {"time": cmd_time, "stats": cmd_stats, "wrk": cmd_wrk, "hwm": cmd_hwm,
                "wait-http": cmd_wait_http, "drops": cmd_drops}
    if cmd not in handlers:
        print(__doc__, file=sys.stderr)
        return 2
    return handlers[cmd](argv)


if __name__ == "__main__":
    sys.exit(main())
