// Benchmark peers for bench/render_bench.cpp: builds the same 10,000-item podcast feed in
// memory with the npm generators `feedsmith` and `podcast`, and prints, as JSON, the time
// (ms; min and median of the timed runs after warm-up) and the size (bytes of UTF-8) of each.
//
//   cd bench/node && npm ci && node render_peers.mjs [runs]
//   PEERS_DUMP=/tmp node render_peers.mjs 1    also writes feedsmith.xml and podcast.xml there
//
// The episode data mirrors make_fixture() in bench/render_bench.cpp field for field. Each
// library gets every field it has an option for; `podcast` has no podcast: namespace options,
// so those tags are passed through its documented customElements. Only the generation is
// timed (feedsmith: generateRssFeed(object); podcast: new Podcast + addItem x N + buildXml),
// not building the plain input objects.

import { generateRssFeed } from "feedsmith";
import { Podcast } from "podcast";
import { readFileSync, writeFileSync } from "node:fs";

const kItems = 10000;
const kNewest = 1712109988; // Wed, 03 Apr 2024 02:06:28 +0000
const kTopics = ["async Rust in production", "SQLite at the edge", "building a podcast daemon",
  "latency budgets", "the cost of abstractions", "debugging distributed systems",
  "compilers for fun", "writing good error messages"];
const kGuests = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov", "Ken Thompson",
  "Margaret Hamilton"];

const show = {
  title: "Systems & Software Radio",
  description: "<p>Weekly conversations about building software that lasts.</p>",
  author: "Example Media",
  language: "en",
  link: "https://example.com/",
  copyright: "© 2024 Example Media",
  ownerName: "Jane Doe",
  ownerEmail: "jane@example.com",
  feedUrl: "https://feeds.example.com/show/feed.xml",
  imageUrl: "https://cdn.example.com/show/art-3000.jpg",
  podcastGuid: "917393e3-1b1e-5cef-ace4-edaa54e1f810",
  hub: "https://pubsubhubbub.appspot.com/",
  generator: "podcastd 0.1.0",
  lastBuildDate: new Date(kNewest * 1000),
  hosts: [
    { name: "Jane Doe", role: "host", href: "https://example.com/jane" },
    { name: "Tom Smith", role: "co-host", href: "https://example.com/tom" },
  ],
};

function npt(seconds) {
  const s = Math.floor(seconds);
  const ms = Math.round((seconds - s) * 1000);
  const two = (v) => String(v).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(ms).padStart(3, "0")}`;
}

// Keep in step with make_fixture() in bench/render_bench.cpp.
function makeEpisode(i) {
  const n = kItems - i;
  const topic = kTopics[i % 8];
  const guest = kGuests[i % 6];
  const first = `In episode ${n} we talk with ${guest} about ${topic}: what works, what doesn't, ` +
    "and what we would do differently next time. It's a long conversation & we cover a lot of ground.";
  let html = `<p>In episode ${n} we talk with ${guest} about ${topic}: what works, what doesn't, ` +
    "and what we would do differently next time. It's a long conversation &amp; we cover a lot of ground.</p>\n" +
    "<p>Topics include latency, throughput, back-pressure, careful error handling and the many small " +
    "decisions that add up to software people enjoy using.</p>\n<ul>\n";
  let text = first + "\nTopics include latency, throughput, back-pressure, careful error handling and " +
    "the many small decisions that add up to software people enjoy using.\n";
  for (let k = 1; k <= 5; ++k) {
    const url = `https://example.com/links/${n}/${k}`;
    html += `<li><a href="${url}">Link ${k}: the paper, talk or tool we discussed</a></li>\n`;
    text += `- Link ${k}: the paper, talk or tool we discussed (${url})\n`;
  }
  html += "</ul>\n<p>Music by Example Artist. Sponsored by Example Corp.</p>";
  text += "Music by Example Artist. Sponsored by Example Corp.";
  const base = `https://cdn.example.com/show/episodes/${n}`;
  return {
    guid: "6b0c5a3e-8f1d-4a53-9d0e-" + i.toString(16).padStart(12, "0"),
    title: `Episode ${n}: ${topic} with ${guest}`,
    subtitle: `A conversation about ${topic}`,
    summary: first,
    html,
    text,
    link: `https://example.com/episodes/${n}`,
    date: new Date((kNewest - i * 604800) * 1000),
    season: Math.floor(n / 50) + 1,
    number: n,
    explicit: i % 7 === 0,
    enclosure: { url: base + ".mp3", length: 40000000 + i * 1000, type: "audio/mpeg" },
    duration: 3000 + (i % 600),
    image: base + ".jpg",
    guestPerson: { name: guest, role: "guest", href: `https://example.com/guests/${i % 6}` },
    chapters: [
      { start: 0, title: "Intro" },
      { start: 120, title: `Meet ${guest}` },
      { start: 900, title: "The problem" },
      { start: 1800, title: "What we learned", href: `https://example.com/links/${n}/1` },
      { start: 2700, title: "Wrap-up" },
    ],
    soundbite: { startTime: 600.5, duration: 45, title: "The best minute" },
    transcripts: [
      { url: base + "/transcript.vtt", type: "text/vtt", language: "en", rel: "captions" },
      { url: base + "/transcript.srt", type: "application/x-subrip", language: "en", rel: "captions" },
    ],
    chaptersUrl: base + "/chapters.json",
  };
}

function feedsmithInput(episodes) {
  const persons = (e) => [...show.hosts, e.guestPerson].map((p) => ({ display: p.name, role: p.role, href: p.href }));
  return {
    title: show.title,
    link: show.link,
    description: show.description,
    language: show.language,
    copyright: show.copyright,
    generator: show.generator,
    lastBuildDate: show.lastBuildDate,
    pubDate: show.lastBuildDate,
    atom: { links: [{ href: show.feedUrl, rel: "self", type: "application/rss+xml" }, { href: show.hub, rel: "hub" }] },
    itunes: {
      image: show.imageUrl,
      categories: [{ text: "Technology" }, { text: "Education", categories: [{ text: "Courses" }] }],
      explicit: false,
      author: show.author,
      owner: { name: show.ownerName, email: show.ownerEmail },
      type: "episodic",
    },
    podcast: {
      guid: show.podcastGuid,
      medium: "podcast",
      locked: { value: true, owner: show.ownerEmail },
      podping: { usesPodping: true },
      updateFrequency: { display: "Weekly", rrule: "FREQ=WEEKLY" },
      persons: show.hosts.map((p) => ({ display: p.name, role: p.role, href: p.href })),
      images: [{ href: show.imageUrl }],
      fundings: [{ url: "https://example.com/support", display: "Support the show" }],
      license: { display: "CC-BY-4.0" },
    },
    items: episodes.map((e) => ({
      title: e.title,
      description: e.text,
      content: { encoded: e.html },
      enclosures: [e.enclosure],
      guid: { value: e.guid, isPermaLink: false },
      pubDate: e.date,
      link: e.link,
      itunes: {
        title: e.title, subtitle: e.subtitle, summary: e.summary, image: e.image, duration: e.duration,
        season: e.season, episode: e.number, episodeType: "full", explicit: e.explicit,
      },
      podcast: {
        season: { number: e.season },
        episode: { number: e.number },
        images: [{ href: e.image }],
        transcripts: e.transcripts,
        chapters: { url: e.chaptersUrl, type: "application/json+chapters" },
        soundbites: [{ startTime: e.soundbite.startTime, duration: e.soundbite.duration, display: e.soundbite.title }],
        persons: persons(e),
      },
      psc: { chapters: e.chapters.map((c) => ({ start: npt(c.start), title: c.title, ...(c.href ? { href: c.href } : {}) })) },
    })),
  };
}

function buildWithPodcast(episodes) {
  const person = (p) => ({ "podcast:person": [{ _attr: { role: p.role, href: p.href } }, p.name] });
  const feed = new Podcast({
    title: show.title,
    description: show.description,
    generator: show.generator,
    feedUrl: show.feedUrl,
    siteUrl: show.link,
    imageUrl: show.imageUrl,
    author: show.author,
    copyright: show.copyright,
    language: show.language,
    pubDate: show.lastBuildDate,
    itunesAuthor: show.author,
    itunesOwner: { name: show.ownerName, email: show.ownerEmail },
    itunesExplicit: false,
    itunesCategory: [{ text: "Technology" }, { text: "Education", subcats: [{ text: "Courses" }] }],
    itunesImage: show.imageUrl,
    itunesType: "episodic",
    customElements: [
      { "atom:link": { _attr: { href: show.hub, rel: "hub" } } },
      { "podcast:guid": show.podcastGuid },
      { "podcast:medium": "podcast" },
      { "podcast:locked": [{ _attr: { owner: show.ownerEmail } }, "yes"] },
      { "podcast:podping": { _attr: { usesPodping: "true" } } },
      { "podcast:updateFrequency": [{ _attr: { rrule: "FREQ=WEEKLY" } }, "Weekly"] },
      ...show.hosts.map(person),
      { "podcast:image": { _attr: { href: show.imageUrl } } },
      { "podcast:funding": [{ _attr: { url: "https://example.com/support" } }, "Support the show"] },
      { "podcast:license": "CC-BY-4.0" },
    ],
  });
  for (const e of episodes) {
    feed.addItem({
      title: e.title,
      description: e.text,
      content: e.html,
      url: e.link,
      guid: e.guid,
      date: e.date,
      enclosure: { url: e.enclosure.url, size: e.enclosure.length, type: e.enclosure.type },
      itunesTitle: e.title,
      itunesSubtitle: e.subtitle,
      itunesSummary: e.summary,
      itunesImage: e.image,
      itunesDuration: e.duration,
      itunesSeason: e.season,
      itunesEpisode: e.number,
      itunesEpisodeType: "full",
      itunesExplicit: e.explicit,
      pscChapters: {
        version: "1.2",
        chapter: e.chapters.map((c) => ({ start: npt(c.start), title: c.title, ...(c.href ? { href: c.href } : {}) })),
      },
      customElements: [
        { "podcast:season": e.season },
        { "podcast:episode": e.number },
        { "podcast:image": { _attr: { href: e.image } } },
        ...e.transcripts.map((t) => ({ "podcast:transcript": { _attr: t } })),
        { "podcast:chapters": { _attr: { url: e.chaptersUrl, type: "application/json+chapters" } } },
        { "podcast:soundbite": [{ _attr: { startTime: e.soundbite.startTime, duration: e.soundbite.duration } }, e.soundbite.title] },
        ...[...show.hosts, e.guestPerson].map(person),
      ],
    });
  }
  return feed.buildXml({ indent: "  " });
}

function measure(name, build, runs) {
  for (let w = 0; w < 2; ++w) build(); // warm-up (JIT)
  const times = [];
  let bytes = 0;
  for (let r = 0; r < runs; ++r) {
    const t0 = process.hrtime.bigint();
    const xml = build();
    const t1 = process.hrtime.bigint();
    times.push(Number(t1 - t0) / 1e6);
    bytes = Buffer.byteLength(xml, "utf8");
    if (r === runs - 1 && process.env.PEERS_DUMP) {
      writeFileSync(`${process.env.PEERS_DUMP}/${name}.xml`, xml);
    }
  }
  times.sort((a, b) => a - b);
  const version = JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
  const ms = times[Math.floor(times.length / 2)];
  return {
    version,
    ms_min: +times[0].toFixed(1),
    ms_median: +ms.toFixed(1),
    bytes,
    mb_per_s: +(bytes / 1e6 / (ms / 1000)).toFixed(1),
  };
}

const runs = Number(process.argv[2] || 5);
const episodes = Array.from({ length: kItems }, (_, i) => makeEpisode(i));
const input = feedsmithInput(episodes);
const result = {
  items: kItems,
  runs,
  node: process.version,
  feedsmith: measure("feedsmith", () => generateRssFeed(input, { lenient: true }), runs),
  podcast: measure("podcast", () => buildWithPodcast(episodes), runs),
};
console.log(JSON.stringify(result, null, 2));
