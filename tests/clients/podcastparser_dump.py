#!/usr/bin/python3
"""Parses a feed with gPodder's podcastparser and prints the result as JSON (clients_test.cpp).

Usage: /usr/bin/python3 podcastparser_dump.py FEED.xml FEED_URL
Exit 77 when podcastparser is not installed (Debian: python3-podcastparser).
"""
import json
import sys

try:
    import podcastparser
except ImportError:
    print("podcastparser is not installed (apt install python3-podcastparser)", file=sys.stderr)
    sys.exit(77)

with open(sys.argv[1], "rb") as f:
    parsed = podcastparser.parse(sys.argv[2], f)
print(json.dumps(parsed, ensure_ascii=False, indent=1, default=str))
