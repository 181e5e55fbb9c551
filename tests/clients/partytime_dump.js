#!/usr/bin/env node
// Parses a feed with the npm podcast-partytime parser (the Podcast Index's) and prints what
// it understood as JSON (clients_test.cpp).
// Usage: node partytime_dump.js FEED.xml
// Exit 77 when the package is not installed (run `npm ci` in tests/clients).
"use strict";
const fs = require("fs");
let partytime;
try {
  partytime = require("podcast-partytime");
} catch (e) {
  console.error("podcast-partytime is not installed: run `npm ci` in tests/clients");
  process.exit(77);
}
const xml = fs.readFileSync(process.argv[2], "utf8");
const feed = partytime.parseFeed(xml, { allowMissingGuid: true });
if (!feed) {
  console.error("partytime could not parse the feed");
  process.exit(1);
}
console.log(JSON.stringify(feed, null, 1));
