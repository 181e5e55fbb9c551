#!/usr/bin/python3
"""Parses a feed with feedparser and prints what it understood as JSON (clients_test.cpp).

Usage: /usr/bin/python3 feedparser_dump.py FEED.xml
Exit 77 when feedparser is not installed (Debian: python3-feedparser).
"""
import json
import sys

try:
    import feedparser
except ImportError:
    print("feedparser is not installed (apt install python3-feedparser)", file=sys.stderr)
    sys.exit(77)

d = feedparser.parse(sys.argv[1])
out = {
    "version": feedparser.__version__,
    "bozo": int(bool(d.bozo)),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "feed_version": d.get("version", ""),
    "title": d.feed.get("title"),
    "link": d.feed.get("link"),
    "language": d.feed.get("language"),
    "author": d.feed.get("author"),
    "image": (d.feed.get("image") or {}).get("href"),
    "explicit": d.feed.get("itunes_explicit"),
    "entries": [],
}
for e in d.entries:
    out["entries"].append({
        "title": e.get("title"),
        "id": e.get("id"),
        "guidislink": bool(e.get("guidislink")),
        "link": e.get("link"),
        "published": e.get("published"),
        "summary": e.get("summary"),
        "content": [c.get("value") for c in e.get("content", [])],
        "duration": e.get("itunes_duration"),
        "episode_type": e.get("itunes_episodetype"),
        "enclosures": [
            {"href": x.get("href"), "length": x.get("length"), "type": x.get("type")}
            for x in e.get("enclosures", [])
        ],
    })
print(json.dumps(out, ensure_ascii=False, indent=1))
