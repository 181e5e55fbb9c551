#!/usr/bin/env python3
"""Markdown tables for docs/PERFORMANCE.md from the JSON that bench/*.sh leave in RESULTS.

  python3 bench/report.py [RESULTS_DIR]      (default: bench-results)
"""

import json
import os
import statistics
import sys

R = sys.argv[1] if len(sys.argv) > 1 else "bench-results"


def load(name):
    path = os.path.join(R, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def gbench(data):
    """run_name -> {aggregate: benchmark entry} of a Google Benchmark JSON file."""
    out = {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"])
        out.setdefault(name, {})[b.get("aggregate_name", "single")] = b
    return out


def g(runs, name, agg="median", field="real_time"):
    entry = runs[name].get(agg) or runs[name].get("single")
    return entry[field]


def ms(v):
    if v < 0.1:
        return f"{v * 1000:.1f} µs"
    return f"{v:,.1f} ms" if v >= 10 else f"{v:.2f} ms"


def verdict(ok):
    return "**pass**" if ok else "**FAIL**"


def table(rows):
    head = ["what", "input", "podcastd (median; min)", "peer (median; min)", "ratio", "target", "met?"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()


def facts(d):
    f = d["facts"]
    return f"{f['date']}, {f['cores']} cores ({f['cpu']}), load {f['loadavg']}, {f['build_type']}"


def issue3():
    b = load("ingest_bench.json")
    d = load("ingest.json")
    if not b or not d:
        return
    runs = gbench(b)
    print(f"### Issue 3: ingest ({facts(d)})\n")
    cold = g(runs, "BM_ColdIngest/real_time")
    cold_min = g(runs, "BM_ColdIngest/real_time", "min")
    read = g(runs, "BM_ReadAllFiles/real_time")
    read_min = g(runs, "BM_ReadAllFiles/real_time", "min")
    sql = g(runs, "BM_SqliteBulkInsert/1/real_time")
    sql_min = g(runs, "BM_SqliteBulkInsert/1/real_time", "min")
    sql0 = g(runs, "BM_SqliteBulkInsert/0/real_time")
    rescan = g(runs, "BM_RescanUnchanged/real_time")
    rescan_min = g(runs, "BM_RescanUnchanged/real_time", "min")
    stat = g(runs, "BM_StatAllFiles/real_time")
    stat_min = g(runs, "BM_StatAllFiles/real_time", "min")
    one = g(runs, "BM_IngestOneChanged/real_time")
    one_min = g(runs, "BM_IngestOneChanged/real_time", "min")
    up = g(runs, "BM_SqliteOneRowUpsert/real_time")
    up_min = g(runs, "BM_SqliteOneRowUpsert/real_time", "min")
    proc = d["ingest_once_ms"]
    cat = d["cat_ms"]
    mb = d["content_bytes"] / 1e6
    table([
        ["cold ingest, in process (empty catalog + `Ingestor::scan`)", f"10,000 .md, {mb:.1f} MB",
         f"{ms(cold)}; {ms(cold_min)}", f"read all files: {ms(read)}; {ms(read_min)}",
         f"{cold / read:,.0f}x the I/O floor", "well under 1 s", verdict(cold < 1000)],
        ["", "", "", f"plain SQLite rows + FTS5: {ms(sql)}; {ms(sql_min)} (no FTS5: {ms(sql0)})",
         f"{cold / sql:.1f}x", "", ""],
        ["cold ingest, whole process (`podcastd_ingest_once`)", "same",
         f"{ms(proc['median'])}; {ms(proc['min'])}",
         f"`cat` of the files: {ms(cat['median'])}; {ms(cat['min'])}",
         f"{proc['median'] / cat['median']:,.0f}x", "well under 1 s", verdict(proc["median"] < 1000)],
        ["rescan, nothing changed", "10,000 episodes", f"{ms(rescan)}; {ms(rescan_min)}",
         f"list + stat every file: {ms(stat)}; {ms(stat_min)}", f"{rescan / stat:.1f}x",
         "< 50 ms", verdict(rescan < 50)],
        ["one changed file (`ingest_paths`)", "1 of 10,000", f"{ms(one)}; {ms(one_min)}",
         f"read it + 1-row SQLite upsert txn: {ms(up)}; {ms(up_min)}", f"{one / up:.0f}x",
         "< 5 ms", verdict(one < 5)],
        ["peak RSS, 10,000-episode ingest (`podcastd_ingest_once`)", "10,000 .md",
         f"{d['ingest_once_peak_rss_kb'] / 1024:.1f} MiB", "", "", "< 100 MiB",
         verdict(d["ingest_once_peak_rss_kb"] < 100 * 1024)],
        ["peak RSS, `podcastd episodes` (scan + list)", "10,000 .md",
         f"{d['episodes_cmd_peak_rss_kb'] / 1024:.1f} MiB ({d['episodes_cmd_s']} s)", "", "",
         "< 100 MiB", verdict(d["episodes_cmd_peak_rss_kb"] < 100 * 1024)],
    ])


def issue4():
    rb = load("render_bench.json")
    rp = load("render_peers.json")
    d = load("publish.json")
    if d:
        print(f"### Issue 4: publish ({facts(d)})\n")
    rows = []
    if rb and rp:
        runs = gbench(rb)
        bps = g(runs, "BM_RenderFeed10k", "median", "bytes_per_second") / 1e6
        bps_max = max(b["bytes_per_second"] for b in rb["benchmarks"]
                      if b["name"].startswith("BM_RenderFeed10k") and "aggregate_name" not in b) / 1e6 \
            if any("aggregate_name" not in b for b in rb["benchmarks"]) else bps
        t = g(runs, "BM_RenderFeed10k")
        fs, pc = rp["feedsmith"], rp["podcast"]
        rows.append(["render a feed (`render_feed`)", "10,000 items, "
                     f"{g(runs, 'BM_RenderFeed10k', 'median', 'feed_bytes') / 1e6:.1f} MB",
                     f"{bps:,.0f} MB/s ({ms(t)})",
                     f"feedsmith {fs['mb_per_s']} MB/s ({ms(fs['ms_median'])}); podcast "
                     f"{pc['mb_per_s']} MB/s ({ms(pc['ms_median'])})",
                     f"{bps / fs['mb_per_s']:.0f}x / {bps / pc['mb_per_s']:.0f}x",
                     ">= 500 MB/s", verdict(bps >= 500)])
        splice = g(runs, "BM_SpliceCachedFragments10k", "median", "bytes_per_second") / 1e6
        rows.append(["splice cached item fragments", "same", f"{splice:,.0f} MB/s", "", "", "", ""])
    if d:
        cold = d["cold_ms"]
        fs = [p["feedsmith"]["ms_median"] for p in d["peers"]]
        pc = [p["podcast"]["ms_median"] for p in d["peers"]]
        fs_med, pc_med = statistics.median(fs), statistics.median(pc)
        rows.append(["`podcastd republish`, empty state and output", f"10,000 episodes → "
                     f"{d['feed_bytes'] / 1e6:.1f} MB feed + {d['files_in_output'] - 2:,} chapters.json",
                     f"{ms(cold['median'])}; {ms(cold['min'])}",
                     f"in memory: feedsmith {ms(fs_med)}; podcast {ms(pc_med)}",
                     f"{fs_med / cold['median']:.3f}x / {pc_med / cold['median']:.3f}x (peer/podcastd)",
                     "> 1x, aim 3x", verdict(fs_med / cold["median"] > 1)])
        rows.append(["peak RSS of that republish", "", f"{d['cold_peak_rss_kb'] / 1024:.0f} MiB",
                     "", "", "", ""])
        if "cold_phases" in d:
            ph = d["cold_phases"]
            parts = [f"ingest {ph['ingest_ms']:,.0f}"] + [f"{n} {v:,.0f}" for n, v in ph["phases_ms"]]
            rows.append(["where one cold republish spends its time (ms, `republish --json`)", "",
                         ", ".join(parts), "", "", "", ""])
        for key, label in (("edit_standalone_ms", "republish after editing 1 episode, standalone"),
                           ("edit_daemon_ms", "republish after editing 1 episode, via the daemon")):
            v = d[key]
            rows.append([f"`podcastd {label.split(',')[0].split(' ')[0]}` {label[10:]}",
                         "1 of 10,000", f"{ms(v['median'])}; {ms(v['min'])}",
                         f"feedsmith full rebuild {ms(fs_med)}", f"{fs_med / v['median']:.2f}x",
                         "< 200 ms (aim 50)", verdict(v["median"] < 200)])
        for key, files, label in (("noop_standalone_ms", "noop_standalone_files_written", "standalone"),
                                  ("noop_daemon_ms", "noop_daemon_files_written", "via the daemon")):
            v = d[key]
            rows.append([f"republish with nothing changed, {label}", "10,000",
                         f"{ms(v['median'])}, {d[files]} files written", "", "", "writes nothing",
                         verdict(d[files] == 0)])
        rows.append(["daemon memory at 10,000 episodes (VmHWM)", "", f"{d['daemon_10k_memory_kb']['VmHWM'] / 1024:.0f} MiB",
                     "", "", "(64 MiB is issue 5's target at 1,000)", ""])
    if rows:
        table(rows)


def issue5():
    d = load("http.json")
    lat = load("latency.json")
    if d:
        print(f"### Issue 5: HTTP ({facts(d)}; wrk -t1 -c{d['conns']} -d{d['duration']})\n")
        runs = d["runs"]

        def series(prefix):
            keys = sorted(k for k in runs if k.rsplit("-", 1)[0] == prefix)
            return [runs[k] for k in keys]

        def med(xs, field):
            return statistics.median(x[field] for x in xs)

        rows = []
        pd304, ng304 = series("304-podcastd"), series("304-nginx")
        ratios = [a["rps"] / b["rps"] for a, b in zip(pd304, ng304)]
        rows.append(["conditional GET → 304 (If-None-Match)", f"1,000-item feed, {d['feed_bytes'] / 1e6:.1f} MB",
                     f"{med(pd304, 'rps'):,.0f} req/s, p99 {med(pd304, 'p99_ms')} ms",
                     f"nginx: {med(ng304, 'rps'):,.0f} req/s, p99 {med(ng304, 'p99_ms')} ms",
                     f"{statistics.median(ratios):.2f}x (rounds: {', '.join(f'{r:.2f}' for r in ratios)})",
                     ">= 1.0", verdict(statistics.median(ratios) >= 1.0)])
        pdg, nfl, nst = series("gzip-podcastd"), series("gzip-nginx-fly"), series("gzip-nginx-static")
        ratios = [a["rps"] / b["rps"] for a, b in zip(pdg, nfl)]
        rows.append(["full GET, Accept-Encoding: gzip", "same",
                     f"{med(pdg, 'rps'):,.0f} req/s, p99 {med(pdg, 'p99_ms')} ms, "
                     f"{med(pdg, 'bytes_per_request') / 1e6:.2f} MB/resp",
                     f"nginx `gzip on`: {med(nfl, 'rps'):,.0f} req/s, p99 {med(nfl, 'p99_ms')} ms, "
                     f"{med(nfl, 'bytes_per_request') / 1e6:.2f} MB/resp",
                     f"{statistics.median(ratios):.1f}x", ">= 3x", verdict(statistics.median(ratios) >= 3)])
        ratios = [a["rps"] / b["rps"] for a, b in zip(pdg, nst)]
        rows.append(["", "", "", f"nginx `gzip_static` (podcastd's .gz): {med(nst, 'rps'):,.0f} req/s, "
                     f"p99 {med(nst, 'p99_ms')} ms", f"{statistics.median(ratios):.2f}x", "", ""])
        rows.append(["daemon peak memory during the runs (VmHWM)", "1,000 episodes",
                     f"{d['podcastd_memory_kb']['VmHWM'] / 1024:.1f} MiB",
                     f"nginx worker {d['nginx_worker_memory_kb']['VmHWM'] / 1024:.1f} MiB", "",
                     "< 64 MiB", verdict(d["podcastd_memory_kb"]["VmHWM"] < 64 * 1024)])
        table(rows)
    if lat:
        print(f"Drop-to-feed latency ({facts(lat)}; {lat['drops']} drops each):\n")
        print("| debounce | min | median | p90 | p99 | max | target (debounce + 100 ms) | met? (max) | daemon VmHWM |")
        print("|---|---|---|---|---|---|---|---|---|")
        for k, v in lat["runs"].items():
            deb = int(k.split("_")[1])
            l = v["latency_ms"]
            print(f"| {deb} ms | {l['min']:.0f} | {l['median']:.0f} | {l['p90']:.0f} | {l['p99']:.0f} | "
                  f"{l['max']:.0f} ms | {deb + 100} ms | {verdict(l['max'] <= deb + 100)} "
                  f"(median {'ok' if l['median'] <= deb + 100 else 'over'}) | "
                  f"{v['daemon_memory_kb']['VmHWM'] / 1024:.1f} MiB |")
        print()


issue3()
issue4()
issue5()
