#include "daemon/validate_source.hpp"

#include <pugixml.hpp>

#include "catalog/catalog.hpp"
#include "catalog/text.hpp"
#include "daemon/http_client.hpp"
#include "feeds/atomic_file.hpp"
#include "feeds/layout.hpp"
#include "feeds/publisher.hpp"

namespace podcastd::daemon {
namespace {

namespace fs = std::filesystem;
using feeds::Finding;
using feeds::Severity;

std::string content_type_for(std::string_view path) {
  auto ends = [&](std::string_view s) {
    return path.size() >= s.size() && path.substr(path.size() - s.size()) == s;
  };
  if (ends("chapters.json")) return "application/json+chapters";
  if (ends(".json")) return "application/json";
  if (ends(".vtt")) return "text/vtt";
  if (ends(".srt")) return "application/x-subrip";
  if (ends(".html")) return "text/html";
  if (ends(".txt")) return "text/plain";
  return "application/octet-stream";
}

FetchOptions fetch_options(const Config& config) { return outbound_options(config.outbound); }

void add(feeds::ValidationReport& r, Severity s, std::string rule, std::string element,
         std::string message) {
  Finding f;
  f.severity = s;
  f.rule = std::move(rule);
  f.element = std::move(element);
  f.message = std::move(message);
  r.findings.push_back(std::move(f));
}

// HTTP behaviour of the feed and of its newest episode's enclosure (STANDARDS.md 5.4, 5.5).
void check_http(const Config& config, const FetchResponse& feed, feeds::ValidationReport& report) {
  std::string type = text::to_lower_ascii(feed.header("content-type"));
  std::string base = type.substr(0, type.find(';'));
  base = std::string(text::trim(base));
  if (base != "application/rss+xml" && base != "application/xml" && base != "text/xml") {
    add(report, Severity::warning, "HTTP-W01", "",
        "feed served as '" + feed.header("content-type") +
            "'; use application/rss+xml; charset=utf-8");
  }
  std::string etag = feed.header("etag");
  std::string last_modified = feed.header("last-modified");
  if (etag.empty() && last_modified.empty()) {
    add(report, Severity::warning, "HTTP-W02", "",
        "no ETag and no Last-Modified: pollers re-download the whole feed every time");
  } else {
    FetchOptions o = fetch_options(config);
    if (!etag.empty()) o.headers.push_back("If-None-Match: " + etag);
    if (!last_modified.empty()) o.headers.push_back("If-Modified-Since: " + last_modified);
    Result<FetchResponse> again = fetch(feed.final_url, o);
    if (again && again->status != 304) {
      add(report, Severity::warning, "HTTP-W02", "",
          "a conditional GET with the feed's own validators answered " +
              std::to_string(again->status) + ", not 304");
    }
  }
  for (std::size_t i = 0; i < feed.redirects.size(); ++i) {
    int status = feed.redirects[i].first;
    if (i == 0 && status != 301 && status != 308) {
      add(report, Severity::warning, "HTTP-W03", "",
          "the feed URL answers " + std::to_string(status) +
              " (temporary redirect); directories only update stored URLs on 301/308");
    }
  }
  if (feed.redirects.size() > 1) {
    add(report, Severity::warning, "HTTP-W03", "",
        "redirect chain of " + std::to_string(feed.redirects.size()) + " hops; use one");
  }
  if (feed.elapsed > std::chrono::seconds(5)) {
    add(report, Severity::warning, "HTTP-W04", "",
        "feed took " + std::to_string(feed.elapsed.count()) +
            " ms (Podcast Index gives up at 30 s)");
  }
  if (feed.header("content-encoding").empty()) {
    add(report, Severity::info, "HTTP-I01", "", "response is not compressed (gzip)");
  }
  // The newest episode's enclosure: HEAD, and a Range request as AppleCoreMedia sends it.
  pugi::xml_document doc;
  if (!doc.load_buffer(feed.body.data(), feed.body.size())) return;
  pugi::xml_node item = doc.child("rss").child("channel").child("item");
  pugi::xml_node enc = item.child("enclosure");
  std::string enc_url = enc.attribute("url").as_string();
  if (enc_url.empty() || !text::has_http_scheme(enc_url)) return;
  std::string element = "rss/channel/item[1]/enclosure";
  FetchOptions head = fetch_options(config);
  head.method = "HEAD";
  Result<FetchResponse> h = fetch(enc_url, head);
  if (!h || h->status != 200) {
    add(report, Severity::error, "APL-E19", element,
        "HEAD " + enc_url + " failed: " + (h ? std::to_string(h->status) : h.error().message));
    return;
  }
  std::string declared_length = enc.attribute("length").as_string();
  if (!h->header("content-length").empty() && h->header("content-length") != declared_length) {
    add(report, Severity::warning, "APL-W13", element,
        "enclosure length " + declared_length + " differs from the served Content-Length " +
            h->header("content-length"));
  }
  std::string served_type = h->header("content-type");
  std::string declared_type = enc.attribute("type").as_string();
  if (!served_type.empty() && served_type.substr(0, served_type.find(';')) != declared_type) {
    add(report, Severity::warning, "APL-W13", element,
        "enclosure type " + declared_type + " differs from the served Content-Type " + served_type);
  }
  FetchOptions range = fetch_options(config);
  range.headers.push_back("Range: bytes=0-1");
  range.max_body_bytes = 1 << 20;
  Result<FetchResponse> r = fetch(enc_url, range);
  if (r && r->status != 206) {
    add(report, Severity::error, "APL-E19", element,
        "a Range request (bytes=0-1) for " + enc_url + " answered " + std::to_string(r->status) +
            ", not 206: Apple rejects hosts without byte ranges");
  }
}

}  // namespace

Result<std::vector<ValidationTarget>> resolve_validation_targets(const Config& config,
                                                                 const std::string& name) {
  std::vector<ValidationTarget> out;
  if (name.empty()) {
    if (!fs::exists(config.catalog_path())) {
      return make_error(ErrorCode::not_found,
                        "nothing published yet (no catalog at " + config.catalog_path().string() +
                            "); run podcastd republish, or name a FILE or URL");
    }
    catalog::Catalog cat(config.catalog_path(), catalog::Catalog::Mode::read_only);
    for (const catalog::Show& s : cat.shows()) {
      out.push_back({ValidationTarget::Kind::show, s.slug});
    }
    if (out.empty()) return make_error(ErrorCode::not_found, "no shows in the catalog");
    return out;
  }
  if (text::has_http_scheme(name))
    return std::vector<ValidationTarget>{{ValidationTarget::Kind::url, name}};
  std::error_code ec;
  if (fs::is_regular_file(name, ec)) {
    return std::vector<ValidationTarget>{{ValidationTarget::Kind::file, name}};
  }
  if (fs::is_regular_file(config.output_dir / feeds::feed_path(name), ec)) {
    return std::vector<ValidationTarget>{{ValidationTarget::Kind::show, name}};
  }
  return make_error(ErrorCode::not_found,
                    "'" + name + "' is not a file, a URL or a published show");
}

feeds::ValidationReport validate_target(const Config& config, const ValidationTarget& target) {
  feeds::ValidationReport report;
  feeds::ValidateOptions options;
  if (target.kind == ValidationTarget::Kind::file) {
    std::optional<std::string> body = feeds::read_whole_file(target.name);
    if (!body) {
      add(report, Severity::error, "XML-E01", "", target.name + ": cannot read");
      return report;
    }
    return feeds::validate_feed(*body, options);
  }
  if (target.kind == ValidationTarget::Kind::url) {
    Result<FetchResponse> resp = fetch(target.name, fetch_options(config));
    if (!resp || resp->status != 200) {
      add(report, Severity::error, "APL-E20", "",
          target.name + ": " +
              (resp ? "answered " + std::to_string(resp->status) : resp.error().message));
      return report;
    }
    options.feed_url = target.name;
    options.fetch_companion = [&config](std::string_view url) -> std::optional<feeds::Companion> {
      Result<FetchResponse> r = fetch(std::string(url), fetch_options(config));
      if (!r) return std::nullopt;
      return feeds::Companion{r->status, r->header("content-type"), r->body,
                              !r->header("access-control-allow-origin").empty()};
    };
    report = feeds::validate_feed(resp->body, options);
    check_http(config, *resp, report);
    return report;
  }
  // One of our shows: the published feed, companions from output_dir, items named by file.
  fs::path feed = config.output_dir / feeds::feed_path(target.name);
  std::optional<std::string> body = feeds::read_whole_file(feed);
  if (!body) {
    add(report, Severity::error, "XML-E01", "",
        feed.string() + ": not published yet (run podcastd republish)");
    return report;
  }
  options.feed_url = feeds::public_url_of(config.public_url, feeds::feed_path(target.name));
  if (fs::exists(config.catalog_path())) {
    try {
      catalog::Catalog cat(config.catalog_path(), catalog::Catalog::Mode::read_only);
      for (const catalog::EpisodeSummary& s : cat.summaries(target.name)) {
        options.item_sources[s.guid] = s.source_file();
      }
      if (std::optional<catalog::Show> show = cat.show(target.name);
          show && !show->sources.empty()) {
        options.channel_source = show->sources.front();
      }
    } catch (const std::exception&) {
      // Without the catalog the report simply names elements, not files.
    }
  }
  std::string prefix = config.public_url + "/";
  fs::path root = config.output_dir;
  options.fetch_companion = [prefix,
                             root](std::string_view url) -> std::optional<feeds::Companion> {
    if (url.substr(0, prefix.size()) != prefix) return std::nullopt;
    std::string rel(url.substr(prefix.size()));
    std::optional<std::string> bytes = feeds::read_whole_file(root / rel);
    if (!bytes) return feeds::Companion{404, "", "", true};
    return feeds::Companion{200, content_type_for(rel), *bytes, true};
  };
  feeds::ValidationReport report_of_show = feeds::validate_feed(*body, options);
  feeds::summarize_http_urls(report_of_show, config.public_url);
  return report_of_show;
}

}  // namespace podcastd::daemon
