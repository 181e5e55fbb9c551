// Peers for `podcastd republish` (bench/publish.sh): the npm generators feedsmith and podcast
// build, in memory, the same feed podcastd published. The items are taken from podcastd's own
// feed.xml (parsed with feedsmith's parseRssFeed, dates turned into Date objects — not timed),
// so both sides produce the same 10,000 items with the same fields. Only the generation is
// timed (feedsmith: generateRssFeed(object); podcast: new Podcast + addItem x N + buildXml),
// after two warm-up runs (JIT). Prints JSON: min and median ms and the output size.
//
//   cd bench/node && npm ci && node publish_peers.mjs OUTPUT_DIR/SHOW/feed.xml [runs]

import { generateRssFeed, parseRssFeed } from "feedsmith";
import { Podcast } from "podcast";
import { readFileSync } from "node:fs";

const file = process.argv[2];
const runs = Number(process.argv[3] || 3);
const xml = readFileSync(file, "utf8");
const feed = parseRssFeed(xml);
const toDate = (s) => (s ? new Date(s) : undefined);
feed.pubDate = toDate(feed.pubDate);
feed.lastBuildDate = toDate(feed.lastBuildDate);
for (const item of feed.items) item.pubDate = toDate(item.pubDate);

// `podcast` has no podcast: options: those tags go through its documented customElements.
function buildWithPodcast(f) {
  const person = (p) => ({ "podcast:person": [{ _attr: { role: p.role, href: p.href } }, p.display] });
  const chan = f.podcast || {};
  const itunes = f.itunes || {};
  const channel = [
    ...(chan.guid ? [{ "podcast:guid": chan.guid }] : []),
    ...(chan.medium ? [{ "podcast:medium": chan.medium }] : []),
    ...(chan.locked ? [{ "podcast:locked": [{ _attr: { owner: chan.locked.owner } }, chan.locked.value ? "yes" : "no"] }] : []),
    ...(chan.updateFrequency ? [{ "podcast:updateFrequency": [{ _attr: { rrule: chan.updateFrequency.rrule } }, chan.updateFrequency.display] }] : []),
    ...(chan.persons || []).map(person),
    ...(chan.images || []).map((i) => ({ "podcast:image": { _attr: { href: i.href } } })),
    ...(chan.fundings || []).map((x) => ({ "podcast:funding": [{ _attr: { url: x.url } }, x.display] })),
    ...(chan.license ? [{ "podcast:license": chan.license.display }] : []),
  ];
  const p = new Podcast({
    title: f.title,
    description: f.description,
    generator: f.generator,
    feedUrl: f.atom?.links?.find((l) => l.rel === "self")?.href,
    siteUrl: f.link,
    imageUrl: itunes.image,
    author: itunes.author,
    copyright: f.copyright,
    language: f.language,
    pubDate: f.pubDate,
    itunesAuthor: itunes.author,
    itunesOwner: itunes.owner,
    itunesExplicit: itunes.explicit,
    itunesCategory: (itunes.categories || []).map((c) => ({ text: c.text, subcats: c.categories })),
    itunesImage: itunes.image,
    itunesType: itunes.type,
    customElements: channel,
  });
  for (const e of f.items) {
    const it = e.itunes || {};
    const pod = e.podcast || {};
    const custom = [
      ...(pod.season ? [{ "podcast:season": pod.season.number }] : []),
      ...(pod.episode ? [{ "podcast:episode": pod.episode.number }] : []),
      ...(pod.images || []).map((i) => ({ "podcast:image": { _attr: { href: i.href } } })),
      ...(pod.transcripts || []).map((t) => ({ "podcast:transcript": { _attr: t } })),
      ...(pod.chapters ? [{ "podcast:chapters": { _attr: { url: pod.chapters.url, type: pod.chapters.type } } }] : []),
      ...(pod.soundbites || []).map((s) => ({ "podcast:soundbite": [{ _attr: { startTime: s.startTime, duration: s.duration } }, s.display] })),
      ...(pod.persons || []).map(person),
    ];
    const enc = e.enclosures?.[0];
    p.addItem({
      title: e.title,
      description: e.description,
      content: e.content?.encoded,
      url: e.link,
      guid: e.guid?.value,
      date: e.pubDate,
      enclosure: enc ? { url: enc.url, size: enc.length, type: enc.type } : undefined,
      itunesTitle: it.title,
      itunesSubtitle: it.subtitle,
      itunesSummary: it.summary,
      itunesImage: it.image,
      itunesDuration: it.duration,
      itunesSeason: it.season,
      itunesEpisode: it.episode,
      itunesEpisodeType: it.episodeType,
      itunesExplicit: it.explicit,
      pscChapters: e.psc?.chapters ? { version: "1.2", chapter: e.psc.chapters } : undefined,
      customElements: custom,
    });
  }
  return p.buildXml({ indent: "  " });
}

function measure(name, build) {
  for (let w = 0; w < 2; ++w) build();
  const times = [];
  let bytes = 0;
  for (let r = 0; r < runs; ++r) {
    const t0 = process.hrtime.bigint();
    const out = build();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    bytes = Buffer.byteLength(out, "utf8");
  }
  times.sort((a, b) => a - b);
  const version = JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
  return { version, ms_min: +times[0].toFixed(1), ms_median: +times[Math.floor(times.length / 2)].toFixed(1), bytes };
}

console.log(JSON.stringify({
  items: feed.items.length,
  podcastd_bytes: Buffer.byteLength(xml, "utf8"),
  runs,
  node: process.version,
  feedsmith: measure("feedsmith", () => generateRssFeed(feed, { lenient: true })),
  podcast: measure("podcast", () => buildWithPodcast(feed)),
}));
