#include "catalog/markdown_source.hpp"

#include <md4c.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "catalog/text.hpp"
#include "catalog/toml_fields.hpp"

namespace podcastd::catalog {
namespace {

// ---------------------------------------------------------------------------------------
// URL policy shared by Markdown links, images and raw <a href>.

enum class UrlKind {
  unsafe,    // a scheme outside the allowlist (javascript:, vbscript:, data:, file:, ...)
  relative,  // no scheme: "notes/ep2.html", "#chapters"
  web,       // http, https, ftp
  mailto,
  other,  // another allowlisted scheme (tel:, magnet:, ...)
};

// Browsers skip leading C0/space and drop tab/CR/LF anywhere before reading the scheme, so
// "java\tscript:" is javascript:. Normalise the same way, then allow only known schemes:
// an allowlist cannot be bypassed by a scheme we did not think of.
UrlKind classify_url(std::string_view url) {
  char scheme_buf[16];
  std::size_t n = 0;
  bool too_long = false;
  std::size_t i = 0;
  while (i < url.size() && static_cast<unsigned char>(url[i]) <= 0x20) {
    ++i;
  }
  for (; i < url.size(); ++i) {
    char c = url[i];
    if (c == '\t' || c == '\n' || c == '\r') {
      continue;
    }
    if (c == '/' || c == '?' || c == '#') {
      return UrlKind::relative;
    }
    if (c == ':') {
      break;
    }
    if (n < sizeof scheme_buf) {
      scheme_buf[n++] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      too_long = true;
    }
  }
  if (i >= url.size()) {
    return UrlKind::relative;
  }
  if (too_long) {
    return UrlKind::unsafe;
  }
  std::string_view scheme(scheme_buf, n);
  if (scheme == "http" || scheme == "https" || scheme == "ftp") {
    return UrlKind::web;
  }
  if (scheme == "mailto") {
    return UrlKind::mailto;
  }
  static constexpr std::array<std::string_view, 12> kOther = {"tel",  "sms",    "geo",   "magnet",
                                                              "ipfs", "ipns",   "irc",   "ircs",
                                                              "xmpp", "matrix", "nostr", "sftp"};
  for (std::string_view s : kOther) {
    if (scheme == s) {
      return UrlKind::other;
    }
  }
  return UrlKind::unsafe;
}

// A URL as browsers read it: surrounding whitespace and embedded tab/CR/LF removed.
std::string clean_url(std::string_view url) {
  std::size_t b = 0, e = url.size();
  while (b < e && static_cast<unsigned char>(url[b]) <= 0x20) {
    ++b;
  }
  while (e > b && static_cast<unsigned char>(url[e - 1]) <= 0x20) {
    --e;
  }
  std::string out;
  out.reserve(e - b);
  for (std::size_t i = b; i < e; ++i) {
    if (url[i] != '\t' && url[i] != '\n' && url[i] != '\r') {
      out += url[i];
    }
  }
  return out;
}

// True when link text already shows its URL (autolinks, "www." autolinks, mailto).
bool shows_url(std::string_view link_text, std::string_view href) {
  auto strip = [](std::string_view s) {
    for (std::string_view p : {"mailto:", "https://", "http://"}) {
      if (text::istarts_with_ascii(s, p)) {
        s.remove_prefix(p.size());
        break;
      }
    }
    while (!s.empty() && s.back() == '/') {
      s.remove_suffix(1);
    }
    return s;
  };
  link_text = text::trim(link_text);
  return link_text == href || strip(link_text) == strip(href);
}

// Appends `s` HTML-escaped, dropping C0 controls other than tab/LF/CR (not allowed in XML).
void append_escaped(std::string& out, std::string_view s) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    const char* rep = nullptr;
    switch (c) {
      case '&':
        rep = "&amp;";
        break;
      case '<':
        rep = "&lt;";
        break;
      case '>':
        rep = "&gt;";
        break;
      case '"':
        rep = "&quot;";
        break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          rep = "";
        }
        break;
    }
    if (rep) {
      out.append(s.data() + start, i - start);
      out.append(rep);
      start = i + 1;
    }
  }
  out.append(s.data() + start, s.size() - start);
}

// Appends a URL for an href/src attribute: percent-encodes what may not appear in a URL
// (spaces, quotes, angle brackets, non-ASCII bytes), escapes '&'.
void append_url(std::string& out, std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : url) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '&') {
      out += "&amp;";
    } else if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' ||
               c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c == '\'') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
}

// An md4c attribute (link destination, title) with its entities decoded.
std::string attribute_text(const MD_ATTRIBUTE& a) {
  std::string out;
  if (a.size == 0 || a.substr_offsets == nullptr) {
    return out;
  }
  for (int k = 0; a.substr_offsets[k] < a.size; ++k) {
    std::string_view part(a.text + a.substr_offsets[k],
                          a.substr_offsets[k + 1] - a.substr_offsets[k]);
    switch (a.substr_types[k]) {
      case MD_TEXT_ENTITY:
        out += text::decode_html_entities(part);
        break;
      case MD_TEXT_NULLCHAR:
        out += "\xEF\xBF\xBD";
        break;
      default:
        out += part;
        break;
    }
  }
  return out;
}

// Separators between a list item's link and its description: " - ", " – ", " — ", ": ".
std::string_view strip_separator(std::string_view s) {
  s = text::trim(s);
  for (std::string_view sep : {"-", "\xE2\x80\x93", "\xE2\x80\x94", ":", "|", ","}) {
    if (s.substr(0, sep.size()) == sep) {
      s.remove_prefix(sep.size());
      return text::trim(s);
    }
  }
  return s;
}

bool has_alnum(std::string_view s) {
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Raw HTML allowlist. Tags are rebuilt without attributes (except a safe href on <a>), so
// no event handler, style or src can get through; anything else is dropped and its text
// kept, except for the kSkip elements whose content is dropped as well.

enum class TagKind { inline_tag, block, line, void_tag, skip };

struct TagInfo {
  std::string_view name;
  TagKind kind;
};

constexpr std::array<TagInfo, 53> kTags = {{
    {"a", TagKind::inline_tag},      {"abbr", TagKind::inline_tag},  {"b", TagKind::inline_tag},
    {"bdi", TagKind::inline_tag},    {"cite", TagKind::inline_tag},  {"code", TagKind::inline_tag},
    {"del", TagKind::inline_tag},    {"dfn", TagKind::inline_tag},   {"em", TagKind::inline_tag},
    {"i", TagKind::inline_tag},      {"ins", TagKind::inline_tag},   {"kbd", TagKind::inline_tag},
    {"mark", TagKind::inline_tag},   {"q", TagKind::inline_tag},     {"s", TagKind::inline_tag},
    {"samp", TagKind::inline_tag},   {"small", TagKind::inline_tag}, {"span", TagKind::inline_tag},
    {"strong", TagKind::inline_tag}, {"sub", TagKind::inline_tag},   {"sup", TagKind::inline_tag},
    {"u", TagKind::inline_tag},      {"var", TagKind::inline_tag},   {"blockquote", TagKind::block},
    {"div", TagKind::block},         {"dl", TagKind::block},         {"h1", TagKind::block},
    {"h2", TagKind::block},          {"h3", TagKind::block},         {"h4", TagKind::block},
    {"h5", TagKind::block},          {"h6", TagKind::block},         {"ol", TagKind::block},
    {"p", TagKind::block},           {"pre", TagKind::block},        {"table", TagKind::block},
    {"ul", TagKind::block},          {"dd", TagKind::line},          {"dt", TagKind::line},
    {"li", TagKind::line},           {"tbody", TagKind::line},       {"td", TagKind::inline_tag},
    {"tfoot", TagKind::line},        {"th", TagKind::inline_tag},    {"thead", TagKind::line},
    {"tr", TagKind::line},           {"br", TagKind::void_tag},      {"hr", TagKind::void_tag},
    {"wbr", TagKind::void_tag},      {"script", TagKind::skip},      {"style", TagKind::skip},
    {"iframe", TagKind::skip},       {"template", TagKind::skip},
}};

// Elements whose content is never shown as text (scripts, styles, embedded documents,
// form controls' initial values, foreign XML).
constexpr std::array<std::string_view, 14> kSkipMore = {
    "object", "embed", "textarea", "noscript", "title",  "svg",  "math",
    "select", "xmp",   "noembed",  "noframes", "applet", "head", "frameset"};

std::optional<TagInfo> find_tag(std::string_view lower_name) {
  for (const TagInfo& t : kTags) {
    if (t.name == lower_name) {
      return t;
    }
  }
  for (std::string_view s : kSkipMore) {
    if (s == lower_name) {
      return TagInfo{s, TagKind::skip};
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// One pass over md4c's events producing sanitized HTML, plain text and list-item links.

class NotesRenderer {
 public:
  static constexpr std::size_t kMaxRawDepth = 32;
  static constexpr std::size_t kPadding = 64;

  explicit NotesRenderer(bool urls_in_text) : urls_in_text_(urls_in_text) {}

  RenderedNotes run(std::string_view markdown) {
    out_.html.reserve(markdown.size() + markdown.size() / 4);
    plain_.reserve(markdown.size());
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = MD_DIALECT_GITHUB;
    parser.enter_block = &NotesRenderer::enter_block_cb;
    parser.leave_block = &NotesRenderer::leave_block_cb;
    parser.enter_span = &NotesRenderer::enter_span_cb;
    parser.leave_span = &NotesRenderer::leave_span_cb;
    parser.text = &NotesRenderer::text_cb;
    // md4c counts in unsigned; longer input is cut (such notes are not show notes).
    markdown = markdown.substr(0, std::min<std::size_t>(markdown.size(), 0xFFFFFF00u));
    // md4c 0.4.8 (Debian 12) can read a few bytes past the end of its input, mostly around
    // constructs at the very end (fixed upstream after 0.4.8, e.g. mity/md4c#167). Give it
    // a copy that ends with a newline (same Markdown) followed by zero padding we own, and
    // clamp any text range that would still reach past the input.
    std::string input;
    input.reserve(markdown.size() + 1 + kPadding);
    input.assign(markdown);
    if (input.empty() || input.back() != '\n') input += '\n';
    input_begin_ = input.data();
    input_end_ = input.data() + input.size();
    std::size_t size = input.size();
    input.append(kPadding, '\0');
    if (md_parse(input.data(), static_cast<MD_SIZE>(size), &parser, this) != 0) {
      // Only an allocation failure stops md4c; fall back to escaped text.
      out_ = RenderedNotes{};
      out_.html = "<p>";
      append_escaped(out_.html, markdown);
      out_.html += "</p>\n";
      out_.text = text::collapse_whitespace(markdown);
      return std::move(out_);
    }
    out_.text = tidy_text(plain_);
    return std::move(out_);
  }

 private:
  struct ListFrame {
    bool ordered = false;
    unsigned next = 1;
  };
  // A list item being watched for "- [Title](url) - description" and friends. Offsets are
  // into plain_: the item's text is [content_start, end).
  struct ItemFrame {
    int depth = 0;  // block depth of the LI
    int paragraphs = 0;
    bool frozen = false;
    std::size_t content_start = 0;
    std::size_t end = 0;
    bool has_link = false;
    bool link_open = false;
    std::string href;
    std::size_t link_start = 0;
    std::size_t link_end = 0;
    std::size_t suffix_start = 0;
  };
  struct LinkFrame {
    std::string href;
    UrlKind kind = UrlKind::unsafe;
    bool emitted = false;
    std::size_t plain_start = 0;
  };
  struct RawTag {
    std::string_view name;
    bool emitted = false;
    bool is_link = false;
    std::string href;
    UrlKind kind = UrlKind::unsafe;
    std::size_t plain_start = 0;
  };

  static NotesRenderer& self(void* p) { return *static_cast<NotesRenderer*>(p); }
  static int enter_block_cb(MD_BLOCKTYPE t, void* d, void* u) {
    self(u).enter_block(t, d);
    return 0;
  }
  static int leave_block_cb(MD_BLOCKTYPE t, void* d, void* u) {
    self(u).leave_block(t, d);
    return 0;
  }
  static int enter_span_cb(MD_SPANTYPE t, void* d, void* u) {
    self(u).enter_span(t, d);
    return 0;
  }
  static int leave_span_cb(MD_SPANTYPE t, void* d, void* u) {
    self(u).leave_span(t, d);
    return 0;
  }
  static int text_cb(MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) {
    NotesRenderer& r = self(u);
    std::size_t size = n;
    if (s >= r.input_begin_ && s <= r.input_end_) {
      size = std::min<std::size_t>(size, static_cast<std::size_t>(r.input_end_ - s));
    }
    r.on_text(t, std::string_view(s, size));
    return 0;
  }

  // ---- output primitives

  bool suppressed() const { return !skip_until_.empty(); }
  void html(std::string_view s) {
    if (img_depth_ == 0 && !suppressed()) {
      out_.html.append(s);
    }
  }
  void html_text(std::string_view s) {
    if (img_depth_ == 0 && !suppressed()) {
      append_escaped(out_.html, s);
    }
  }
  void request_break(int n) { pending_break_ = std::max(pending_break_, n); }
  int block_gap() const { return lists_.empty() ? 2 : 1; }
  // Writes the pending line break and indentation before text.
  void flush_break(std::size_t indent) {
    if (pending_break_ > 0 && !plain_.empty()) {
      plain_.append(static_cast<std::size_t>(pending_break_), '\n');
      plain_.append(indent, ' ');
    }
    pending_break_ = 0;
  }
  // Plain text (also the image's alt text while inside one).
  void put(std::string_view s) {
    if (s.empty() || suppressed()) {
      return;
    }
    if (img_depth_ > 0) {
      alt_ += s;
    }
    flush_break(2 * lists_.size());
    at_item_start_ = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 && c != '\t' && c != '\n') {
        plain_.append(s.data() + start, i - start);
        if (c == '\r') {
          plain_ += '\n';  // a lone CR is a line break; CRLF comes through md4c
        }
        start = i + 1;
      }
    }
    plain_.append(s.data() + start, s.size() - start);
  }
  void text_both(std::string_view s) {
    html_text(s);
    put(s);
  }

  // ---- blocks

  void enter_block(MD_BLOCKTYPE type, void* detail) {
    flush_raw();
    skip_until_.clear();
    close_raw_scope();
    ++block_depth_;
    scopes_.push_back(raw_tags_.size());
    watch_item_child(type);
    switch (type) {
      case MD_BLOCK_DOC:
        break;
      case MD_BLOCK_QUOTE:
        html("<blockquote>\n");
        block_break();
        break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL: {
        ListFrame f;
        if (type == MD_BLOCK_OL) {
          auto* d = static_cast<MD_BLOCK_OL_DETAIL*>(detail);
          f.ordered = true;
          f.next = d->start;
          if (d->start != 1) {
            html("<ol start=\"" + std::to_string(d->start) + "\">\n");
          } else {
            html("<ol>\n");
          }
        } else {
          html("<ul>\n");
        }
        if (!at_item_start_) {
          request_break(lists_.empty() ? 2 : 1);
        }
        lists_.push_back(f);
        break;
      }
      case MD_BLOCK_LI: {
        auto* d = static_cast<MD_BLOCK_LI_DETAIL*>(detail);
        html("<li>");
        request_break(1);
        flush_break(0);
        std::size_t depth = lists_.empty() ? 0 : lists_.size() - 1;
        if (!plain_.empty() && plain_.back() == '\n') {
          plain_.append(2 * depth, ' ');
        }
        if (!lists_.empty() && lists_.back().ordered) {
          plain_ += std::to_string(lists_.back().next++) + ". ";
        } else {
          plain_ += "- ";
        }
        if (d->is_task) {
          // Checkbox inputs are stripped by podcast apps; a ballot box survives everywhere.
          const char* box =
              (d->task_mark == 'x' || d->task_mark == 'X') ? "\xE2\x98\x91 " : "\xE2\x98\x90 ";
          html(box);
          plain_ += box;
        }
        at_item_start_ = true;
        ItemFrame item;
        item.depth = block_depth_;
        item.content_start = plain_.size();
        items_.push_back(std::move(item));
        break;
      }
      case MD_BLOCK_HR:
        html("<hr>\n");
        block_break();
        break;
      case MD_BLOCK_H: {
        auto* d = static_cast<MD_BLOCK_H_DETAIL*>(detail);
        heading_level_ = std::clamp<unsigned>(d->level, 1, 6);
        html("<h");
        html(std::string(1, static_cast<char>('0' + heading_level_)));
        html(">");
        block_break();
        break;
      }
      case MD_BLOCK_CODE:
        html("<pre><code>");
        block_break();
        break;
      case MD_BLOCK_HTML:
        block_break();
        break;
      case MD_BLOCK_P:
        html("<p>");
        block_break();
        break;
      case MD_BLOCK_TABLE:
        html("<table>\n");
        block_break();
        break;
      case MD_BLOCK_THEAD:
        html("<thead>\n");
        break;
      case MD_BLOCK_TBODY:
        html("<tbody>\n");
        break;
      case MD_BLOCK_TR:
        html("<tr>\n");
        request_break(1);
        cell_index_ = 0;
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD: {
        auto* d = static_cast<MD_BLOCK_TD_DETAIL*>(detail);
        const char* tag = type == MD_BLOCK_TH ? "th" : "td";
        static constexpr std::array<const char*, 4> kAlign = {
            "", " align=\"left\"", " align=\"center\"", " align=\"right\""};
        html("<");
        html(tag);
        html(kAlign[std::min<unsigned>(d->align, 3)]);
        html(">");
        if (cell_index_++ > 0) {
          put(" | ");
        }
        break;
      }
    }
  }

  void leave_block(MD_BLOCKTYPE type, void* /*detail*/) {
    flush_raw();
    skip_until_.clear();
    close_raw_scope();
    scopes_.pop_back();
    switch (type) {
      case MD_BLOCK_DOC:
        break;
      case MD_BLOCK_QUOTE:
        html("</blockquote>\n");
        break;
      case MD_BLOCK_UL:
        html("</ul>\n");
        lists_.pop_back();
        break;
      case MD_BLOCK_OL:
        html("</ol>\n");
        lists_.pop_back();
        break;
      case MD_BLOCK_LI:
        html("</li>\n");
        at_item_start_ = false;
        finish_item();
        break;
      case MD_BLOCK_HR:
        break;
      case MD_BLOCK_H:
        html("</h");
        html(std::string(1, static_cast<char>('0' + heading_level_)));
        html(">\n");
        break;
      case MD_BLOCK_CODE:
        html("</code></pre>\n");
        break;
      case MD_BLOCK_HTML:
        break;
      case MD_BLOCK_P:
        html("</p>\n");
        if (!items_.empty() && !items_.back().frozen && block_depth_ == items_.back().depth + 1) {
          freeze_item();
        }
        break;
      case MD_BLOCK_TABLE:
        html("</table>\n");
        break;
      case MD_BLOCK_THEAD:
        html("</thead>\n");
        break;
      case MD_BLOCK_TBODY:
        html("</tbody>\n");
        break;
      case MD_BLOCK_TR:
        html("</tr>\n");
        break;
      case MD_BLOCK_TH:
        html("</th>\n");
        break;
      case MD_BLOCK_TD:
        html("</td>\n");
        break;
    }
    --block_depth_;
  }

  // A block's plain-text separation: none for the first block of a list item.
  void block_break() {
    if (!at_item_start_) {
      request_break(block_gap());
    }
  }

  // ---- list-item links

  // A list item's text ends at its first paragraph; a nested block ends it too.
  void watch_item_child(MD_BLOCKTYPE type) {
    if (items_.empty() || items_.back().frozen || type == MD_BLOCK_LI) {
      return;
    }
    ItemFrame& item = items_.back();
    if (block_depth_ != item.depth + 1) {
      return;
    }
    if (type == MD_BLOCK_P && item.paragraphs++ == 0) {
      return;
    }
    freeze_item();
  }
  void freeze_item() {
    ItemFrame& item = items_.back();
    item.frozen = true;
    item.end = plain_.size();
    if (item.link_open) {  // cannot happen with md4c's nesting; keep offsets sane anyway
      item.link_open = false;
      item.link_end = item.suffix_start = item.end;
    }
  }
  void finish_item() {
    if (!items_.back().frozen) {
      freeze_item();
    }
    ItemFrame item = std::move(items_.back());
    items_.pop_back();
    if (!item.has_link || classify_url(item.href) != UrlKind::web ||
        !text::istarts_with_ascii(item.href, "http")) {
      return;
    }
    std::string_view all(plain_);
    std::string_view prefix =
        text::trim(all.substr(item.content_start, item.link_start - item.content_start));
    std::string title =
        text::collapse_whitespace(all.substr(item.link_start, item.link_end - item.link_start));
    std::string_view suffix = item.suffix_start <= item.end
                                  ? all.substr(item.suffix_start, item.end - item.suffix_start)
                                  : std::string_view{};
    Link link;
    link.url = text::trim(item.href);
    if (prefix.empty()) {
      link.title = title;
    } else {
      // "Title: https://..." / "Title - https://...": a label, then a bare URL.
      if (!shows_url(title, item.href)) {
        return;
      }
      std::string_view label = prefix;
      bool separated = false;
      for (std::string_view sep : {":", "-", "\xE2\x80\x93", "\xE2\x80\x94"}) {
        if (label.size() > sep.size() && label.substr(label.size() - sep.size()) == sep) {
          label = text::trim(label.substr(0, label.size() - sep.size()));
          separated = true;
          break;
        }
      }
      if (!separated || label.empty()) {
        return;
      }
      link.title = text::collapse_whitespace(label);
    }
    std::string_view desc = strip_separator(suffix);
    if (has_alnum(desc)) {
      link.description = text::collapse_whitespace(desc);
    }
    if (link.title.empty()) {
      link.title = link.url;
    }
    // Nested items finish before their parent: keep document order by where each starts.
    auto at = std::upper_bound(link_starts_.begin(), link_starts_.end(), item.link_start);
    out_.links.insert(out_.links.begin() + (at - link_starts_.begin()), std::move(link));
    link_starts_.insert(at, item.link_start);
  }

  // ---- spans

  void enter_span(MD_SPANTYPE type, void* detail) {
    flush_raw();
    switch (type) {
      case MD_SPAN_EM:
        html("<em>");
        break;
      case MD_SPAN_STRONG:
        html("<strong>");
        break;
      case MD_SPAN_CODE:
        html("<code>");
        break;
      case MD_SPAN_DEL:
        html("<del>");
        break;
      case MD_SPAN_U:
        html("<u>");
        break;
      case MD_SPAN_A: {
        auto* d = static_cast<MD_SPAN_A_DETAIL*>(detail);
        LinkFrame f;
        f.href = clean_url(attribute_text(d->href));
        f.kind = classify_url(f.href);
        if (f.kind != UrlKind::unsafe && img_depth_ == 0 && !suppressed()) {
          f.emitted = true;
          out_.html += "<a href=\"";
          append_url(out_.html, f.href);
          std::string title = attribute_text(d->title);
          if (!title.empty()) {
            out_.html += "\" title=\"";
            append_escaped(out_.html, title);
          }
          out_.html += "\">";
        }
        open_link(f);
        links_.push_back(std::move(f));
        break;
      }
      case MD_SPAN_IMG: {
        auto* d = static_cast<MD_SPAN_IMG_DETAIL*>(detail);
        if (img_depth_++ == 0) {
          img_src_ = clean_url(attribute_text(d->src));
          img_title_ = attribute_text(d->title);
          alt_.clear();
        }
        break;
      }
      default:  // wiki links, LaTeX: not enabled
        break;
    }
  }

  void leave_span(MD_SPANTYPE type, void* /*detail*/) {
    flush_raw();
    switch (type) {
      case MD_SPAN_EM:
        html("</em>");
        break;
      case MD_SPAN_STRONG:
        html("</strong>");
        break;
      case MD_SPAN_CODE:
        html("</code>");
        break;
      case MD_SPAN_DEL:
        html("</del>");
        break;
      case MD_SPAN_U:
        html("</u>");
        break;
      case MD_SPAN_A: {
        if (links_.empty()) {
          break;
        }
        LinkFrame f = std::move(links_.back());
        links_.pop_back();
        if (f.emitted) {
          out_.html += "</a>";
        }
        close_link(f.href, f.kind, f.plain_start);
        break;
      }
      case MD_SPAN_IMG:
        if (img_depth_ > 0 && --img_depth_ == 0) {
          if (classify_url(img_src_) != UrlKind::unsafe && !img_src_.empty()) {
            html("<img src=\"");
            if (!suppressed()) {
              append_url(out_.html, img_src_);
            }
            html("\" alt=\"");
            html_text(alt_);
            if (!img_title_.empty()) {
              html("\" title=\"");
              html_text(img_title_);
            }
            html("\">");
          } else {
            html_text(alt_);
          }
        }
        break;
      default:
        break;
    }
  }

  // Plain-text side of a link opening (Markdown or raw <a href>).
  void open_link(LinkFrame& f) {
    if (!suppressed()) {
      flush_break(2 * lists_.size());
    }
    f.plain_start = plain_.size();
    if (!items_.empty() && !items_.back().frozen && !items_.back().has_link && !suppressed() &&
        img_depth_ == 0) {
      ItemFrame& item = items_.back();
      item.has_link = item.link_open = true;
      item.href = f.href;
      item.link_start = plain_.size();
    }
  }
  void close_link(const std::string& href, UrlKind kind, std::size_t plain_start) {
    ItemFrame* item = nullptr;
    if (!items_.empty() && items_.back().link_open) {
      item = &items_.back();
      item->link_open = false;
      item->link_end = plain_.size();
    }
    std::string_view link_text =
        std::string_view(plain_).substr(std::min(plain_start, plain_.size()));
    if (urls_in_text_ && img_depth_ == 0 && !suppressed() &&
        (kind == UrlKind::web || kind == UrlKind::mailto) && !shows_url(link_text, href)) {
      std::string_view shown = href;
      if (kind == UrlKind::mailto) {
        shown.remove_prefix(7);
      }
      if (text::trim(link_text).empty()) {
        put(shown);
      } else {
        put(" (");
        put(shown);
        put(")");
      }
    }
    if (item) {
      item->suffix_start = plain_.size();
    }
  }

  // ---- text

  void on_text(MD_TEXTTYPE type, std::string_view s) {
    if (type == MD_TEXT_HTML) {
      raw_pending_.append(s);
      return;
    }
    flush_raw();
    switch (type) {
      case MD_TEXT_NULLCHAR:
        text_both("\xEF\xBF\xBD");
        break;
      case MD_TEXT_BR:
        html(img_depth_ > 0 ? "" : "<br>\n");
        if (img_depth_ > 0) {
          put(" ");
        } else if (!suppressed()) {
          request_break(1);
        }
        break;
      case MD_TEXT_SOFTBR:
        html("\n");
        put(" ");
        break;
      case MD_TEXT_ENTITY: {
        std::string decoded = text::decode_html_entities(s);
        text_both(decoded);
        break;
      }
      default:  // NORMAL, CODE, LATEXMATH
        text_both(s);
        break;
    }
  }

  // ---- raw HTML

  void flush_raw() {
    if (raw_pending_.empty()) {
      return;
    }
    std::string chunk = std::move(raw_pending_);
    raw_pending_.clear();
    raw_html(chunk);
  }

  // Closes raw tags opened in the current block (output stays well nested per block).
  void close_raw_scope() {
    std::size_t base = scopes_.empty() ? 0 : scopes_.back();
    while (raw_tags_.size() > base) {
      close_raw_top();
    }
  }
  void close_raw_top() {
    RawTag t = std::move(raw_tags_.back());
    raw_tags_.pop_back();
    if (t.emitted) {
      html("</");
      html(t.name);
      html(">");
    }
    if (t.is_link) {
      close_link(t.href, t.kind, t.plain_start);
    }
    raw_tag_text_effect(t.name, false);
  }

  void raw_tag_text_effect(std::string_view name, bool open) {
    if (suppressed() || img_depth_ > 0) {
      return;
    }
    std::optional<TagInfo> info = find_tag(name);
    if (!info) {
      return;
    }
    if (info->kind == TagKind::block) {
      request_break(block_gap());
    } else if (info->kind == TagKind::line) {
      request_break(1);
      if (open && name == "li") {
        put("- ");
      }
    } else if (info->kind == TagKind::void_tag && name == "br") {
      request_break(1);
    } else if (!open && (name == "td" || name == "th")) {
      put(" ");
    }
  }

  void raw_html(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t lt = s.find('<', i);
      if (lt == std::string_view::npos) {
        lt = s.size();
      }
      if (lt > i) {
        raw_text(s.substr(i, lt - i));
      }
      if (lt >= s.size()) {
        break;
      }
      i = raw_markup(s, lt);
    }
  }

  void raw_text(std::string_view s) {
    if (suppressed()) {
      return;
    }
    std::string decoded = text::decode_html_entities(s);
    // Layout whitespace left between dropped elements would only add blank lines.
    bool blank = text::trim(decoded).empty();
    if (!blank || (!out_.html.empty() && out_.html.back() != '\n')) {
      html_text(decoded);
    }
    // Raw HTML's own line breaks are layout, not text.
    // Raw HTML's own line breaks and runs of spaces are layout, not text.
    std::string flat;
    flat.reserve(decoded.size());
    for (char c : decoded) {
      bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
      if (!space) {
        flat += c;
      } else if (flat.empty() ? !(plain_.empty() || plain_.back() == '\n' || pending_break_ > 0)
                              : flat.back() != ' ') {
        flat += ' ';
      }
    }
    put(flat);
  }

  // Handles the markup starting at s[lt] == '<'; returns the index after it.
  std::size_t raw_markup(std::string_view s, std::size_t lt) {
    auto skip_to = [&](std::string_view end) {
      std::size_t e = s.find(end, lt + 1);
      return e == std::string_view::npos ? s.size() : e + end.size();
    };
    if (s.substr(lt, 4) == "<!--") {
      return skip_to("-->");
    }
    if (s.substr(lt, 9) == "<![CDATA[") {
      return skip_to("]]>");
    }
    if (s.substr(lt, 2) == "<!" || s.substr(lt, 2) == "<?") {
      return skip_to(">");
    }
    std::size_t i = lt + 1;
    bool closing = i < s.size() && s[i] == '/';
    if (closing) {
      ++i;
    }
    std::size_t name_start = i;
    while (i < s.size() &&
           (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == ':')) {
      ++i;
    }
    if (i == name_start || !std::isalpha(static_cast<unsigned char>(s[name_start]))) {
      raw_text(s.substr(lt, 1));  // a lone '<' is text
      return lt + 1;
    }
    std::string name = text::to_lower_ascii(s.substr(name_start, i - name_start));
    // Attributes up to '>' (quoted values may contain '>').
    std::size_t attrs_start = i;
    char quote = 0;
    while (i < s.size()) {
      char c = s[i];
      if (quote) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
      ++i;
    }
    if (i >= s.size()) {
      return s.size();  // unterminated tag: dropped with the rest
    }
    std::string_view attrs = s.substr(attrs_start, i - attrs_start);
    bool self_closing = !attrs.empty() && attrs.back() == '/';
    std::size_t next = i + 1;

    if (suppressed()) {
      if (closing && name == skip_until_) {
        skip_until_.clear();
      }
      return next;
    }
    std::optional<TagInfo> info = find_tag(name);
    if (!info) {
      return next;
    }
    if (closing) {
      std::size_t base = scopes_.empty() ? 0 : scopes_.back();
      for (std::size_t k = raw_tags_.size(); k > base; --k) {
        if (raw_tags_[k - 1].name == info->name) {
          while (raw_tags_.size() >= k) {
            close_raw_top();
          }
          break;
        }
      }
      return next;
    }
    switch (info->kind) {
      case TagKind::skip:
        if (!self_closing) {
          skip_until_ = std::string(info->name);
        }
        return next;
      case TagKind::void_tag:
        html("<");
        html(info->name);
        html(">");
        raw_tag_text_effect(info->name, true);
        return next;
      default:
        break;
    }
    if (self_closing) {
      return next;
    }
    // Bounded nesting keeps closing-tag lookups cheap on hostile input; deeper tags are
    // dropped (their text stays).
    if (raw_tags_.size() >= kMaxRawDepth) {
      return next;
    }
    RawTag t;
    t.name = info->name;
    if (info->name == "a") {
      t.is_link = true;
      t.href = clean_url(find_attribute(attrs, "href"));
      t.kind = t.href.empty() ? UrlKind::unsafe : classify_url(t.href);
      if (t.kind != UrlKind::unsafe && img_depth_ == 0) {
        t.emitted = true;
        out_.html += "<a href=\"";
        append_url(out_.html, t.href);
        out_.html += "\">";
      }
      LinkFrame f;
      f.href = t.href;
      open_link(f);
      t.plain_start = f.plain_start;
    } else {
      t.emitted = img_depth_ == 0;
      html("<");
      html(info->name);
      html(">");
    }
    raw_tag_text_effect(info->name, true);
    raw_tags_.push_back(std::move(t));
    return next;
  }

  // The entity-decoded value of attribute `name` in a tag's attribute text, or "".
  static std::string find_attribute(std::string_view attrs, std::string_view name) {
    std::size_t i = 0;
    while (i < attrs.size()) {
      while (i < attrs.size() &&
             (std::isspace(static_cast<unsigned char>(attrs[i])) || attrs[i] == '/')) {
        ++i;
      }
      std::size_t ks = i;
      while (i < attrs.size() && !std::isspace(static_cast<unsigned char>(attrs[i])) &&
             attrs[i] != '=' && attrs[i] != '/') {
        ++i;
      }
      std::string_view key = attrs.substr(ks, i - ks);
      while (i < attrs.size() && std::isspace(static_cast<unsigned char>(attrs[i]))) {
        ++i;
      }
      std::string_view value;
      if (i < attrs.size() && attrs[i] == '=') {
        ++i;
        while (i < attrs.size() && std::isspace(static_cast<unsigned char>(attrs[i]))) {
          ++i;
        }
        if (i < attrs.size() && (attrs[i] == '"' || attrs[i] == '\'')) {
          char q = attrs[i++];
          std::size_t vs = i;
          while (i < attrs.size() && attrs[i] != q) {
            ++i;
          }
          value = attrs.substr(vs, i - vs);
          if (i < attrs.size()) {
            ++i;
          }
        } else {
          std::size_t vs = i;
          while (i < attrs.size() && !std::isspace(static_cast<unsigned char>(attrs[i]))) {
            ++i;
          }
          value = attrs.substr(vs, i - vs);
        }
      }
      if (key.empty()) {
        ++i;
        continue;
      }
      if (text::iequals_ascii(key, name)) {
        return text::decode_html_entities(value);
      }
    }
    return "";
  }

  // Trailing spaces go, runs of blank lines become one, no leading or trailing blank lines.
  static std::string tidy_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    int newlines = 0;
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t nl = s.find('\n', i);
      std::size_t end = nl == std::string_view::npos ? s.size() : nl;
      std::string_view line = text::trim_right(s.substr(i, end - i));
      if (line.empty()) {
        ++newlines;
      } else {
        if (!out.empty()) {
          out.append(static_cast<std::size_t>(std::min(newlines, 1)) + 1, '\n');
        }
        out.append(line);
        newlines = 0;
      }
      if (nl == std::string_view::npos) {
        break;
      }
      i = nl + 1;
    }
    return out;
  }

  // Constant after construction
  bool urls_in_text_;

  const char* input_begin_ = nullptr;  // md4c's input, for clamping text ranges
  const char* input_end_ = nullptr;

  RenderedNotes out_;
  std::string plain_;
  int pending_break_ = 0;
  bool at_item_start_ = false;
  int block_depth_ = 0;
  unsigned heading_level_ = 1;
  int cell_index_ = 0;
  std::vector<ListFrame> lists_;
  std::vector<ItemFrame> items_;
  std::vector<std::size_t> link_starts_;  // plain_ offset of each out_.links entry, sorted
  std::vector<LinkFrame> links_;
  int img_depth_ = 0;
  std::string img_src_;
  std::string img_title_;
  std::string alt_;
  std::string raw_pending_;
  std::vector<RawTag> raw_tags_;
  std::vector<std::size_t> scopes_;
  std::string skip_until_;
};

// ---------------------------------------------------------------------------------------
// Front matter.

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The line starting at `pos` without its terminator, and the index after the terminator.
std::pair<std::string_view, std::size_t> line_at(std::string_view s, std::size_t pos) {
  std::size_t nl = s.find('\n', pos);
  std::size_t end = nl == std::string_view::npos ? s.size() : nl;
  std::size_t next = nl == std::string_view::npos ? s.size() : nl + 1;
  return {s.substr(pos, end - pos), next};
}

bool is_fence(std::string_view line) { return text::trim_right(line) == "+++"; }

struct Split {
  std::string_view toml;
  std::string_view body;
};

// A leading level-1 heading of the body ("# Title" or "Title\n====="): its Markdown source
// and the body after it.
struct LeadingHeading {
  std::string_view source;
  std::string_view rest;
};
std::optional<LeadingHeading> leading_h1(std::string_view body) {
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto [line, next] = line_at(body, pos);
    if (!text::trim(line).empty()) {
      break;
    }
    pos = next;
  }
  if (pos >= body.size()) {
    return std::nullopt;
  }
  auto [line, next] = line_at(body, pos);
  std::string_view stripped = line;
  for (int k = 0; k < 3 && !stripped.empty() && stripped[0] == ' '; ++k) {
    stripped.remove_prefix(1);
  }
  if (!stripped.empty() && stripped[0] == '#' &&
      (stripped.size() == 1 || stripped[1] == ' ' || stripped[1] == '\t' || stripped[1] == '\r')) {
    return LeadingHeading{body.substr(pos, next - pos), body.substr(next)};
  }
  // Setext: a plain line underlined with '='.
  if (next < body.size() && stripped.size() == line.size() &&
      std::string_view("-*+>#|`~<").find(stripped[0]) == std::string_view::npos &&
      !std::isdigit(static_cast<unsigned char>(stripped[0]))) {
    auto [under, after] = line_at(body, next);
    std::string_view u = text::trim(under);
    if (!u.empty() && u.find_first_not_of('=') == std::string_view::npos &&
        under.size() - text::trim_left(under).size() <= 3) {
      return LeadingHeading{body.substr(pos, after - pos), body.substr(after)};
    }
  }
  return std::nullopt;
}

std::string error_at(std::string_view path, int line, std::string_view reason) {
  return std::string(path) + ":" + std::to_string(line) + ": " + std::string(reason);
}

// Front matter keys of an episode; `r` records errors and warnings.
class EpisodeReader {
 public:
  EpisodeReader(std::string_view path, toml_fields::Reader& r, MarkdownEpisode& out)
      : base_(toml_fields::parent_dir(path)), r_(r), out_(out), ep_(out.episode) {}

  void read(const toml::table& root) {
    for (auto&& [k, v] : root) {
      std::string_view key = k.str();
      if (key == "title") {
        has_title_ = true;
        r_.nonempty_string(v, "title", ep_.title);
      } else if (key == "date") {
        r_.date(v, "date", ep_.date);
      } else if (key == "guid") {
        if (r_.nonempty_string(v, "guid", ep_.guid)) {
          ep_.guid_explicit = true;
        }
      } else if (key == "season") {
        r_.positive_int(v, "season", ep_.season);
      } else if (key == "season_name") {
        r_.string(v, "season_name", ep_.season_name);
        season_name_ = &v;
      } else if (key == "episode") {
        r_.positive_int(v, "episode", ep_.number);
      } else if (key == "episode_display") {
        r_.string(v, "episode_display", ep_.number_display);
        episode_display_ = &v;
      } else if (key == "type") {
        std::string type;
        if (r_.one_of(v, "type", {"full", "trailer", "bonus"}, type)) {
          ep_.type = type == "trailer" ? EpisodeType::trailer
                     : type == "bonus" ? EpisodeType::bonus
                                       : EpisodeType::full;
        }
      } else if (key == "explicit") {
        r_.boolean(v, "explicit", ep_.explicit_content);
      } else if (key == "block") {
        r_.boolean(v, "block", ep_.block);
      } else if (key == "subtitle") {
        r_.string(v, "subtitle", ep_.subtitle);
      } else if (key == "summary") {
        r_.string(v, "summary", ep_.summary);
      } else if (key == "link") {
        r_.url(v, "link", ep_.link);
      } else if (key == "image") {
        r_.file_or_url(v, "image", base_, true, ep_.image);
      } else if (key == "audio") {
        r_.file_or_url(v, "audio", base_, false, out_.audio);
      } else if (key == "length") {
        std::int64_t n = 0;
        if (r_.non_negative_int(v, "length", n)) {
          out_.audio_length = n;
        }
      } else if (key == "mime") {
        if (r_.string(v, "mime", out_.audio_mime) && !looks_like_mime(out_.audio_mime)) {
          r_.warn(v.source(),
                  "mime: \"" + out_.audio_mime + "\" does not look like a media type (audio/mpeg)");
        }
      } else if (key == "duration") {
        double d = 0;
        if (r_.seconds(v, "duration", true, d)) {
          ep_.declared_duration = d;
        }
      } else if (key == "person") {
        r_.persons(v, ep_.persons);
      } else if (key == "chapter") {
        chapters(v);
      } else if (key == "soundbite") {
        soundbites(v);
      } else if (key == "location") {
        r_.locations(v, ep_.locations);
      } else if (key == "license") {
        r_.nonempty_string(v, "license", ep_.license);
      } else if (key == "license_url") {
        r_.url(v, "license_url", ep_.license_url);
      } else if (key == "funding") {
        r_.funding(v, ep_.funding);
      } else if (key == "txt") {
        r_.txt(v, ep_.txt);
      } else if (key == "alternate_enclosure") {
        alternate_enclosures(v);
      } else if (key == "draft") {
        r_.boolean(v, "draft", ep_.draft);
      } else if (key == "publish_at") {
        r_.date(v, "publish_at", ep_.publish_at);
      } else {
        r_.unknown_key(k, "");
      }
    }
    if (season_name_ && !ep_.season) {
      r_.warn(season_name_->source(), "season_name has no effect without season");
    }
    if (episode_display_ && !ep_.number) {
      r_.warn(episode_display_->source(), "episode_display has no effect without episode");
    }
  }

  bool has_title() const { return has_title_; }

 private:
  static bool looks_like_mime(std::string_view m) {
    std::size_t slash = m.find('/');
    return slash != std::string_view::npos && slash > 0 && slash + 1 < m.size() &&
           m.find_first_of(" \t") == std::string_view::npos;
  }

  void chapters(const toml::node& n) {
    const toml::node* previous = nullptr;
    double previous_start = -1;
    r_.each_table(n, "chapter", false, [&](const toml::table& t) {
      Chapter c;
      bool has_start = false, has_title = false;
      const toml::node* end_node = nullptr;
      for (auto&& [k, v] : t) {
        std::string_view key = k.str();
        if (key == "start") {
          has_start = true;
          r_.seconds(v, "chapter.start", false, c.start);
        } else if (key == "end") {
          double e = 0;
          if (r_.seconds(v, "chapter.end", false, e)) {
            c.end = e;
          }
          end_node = &v;
        } else if (key == "title") {
          has_title = true;
          r_.nonempty_string(v, "chapter.title", c.title);
        } else if (key == "url") {
          r_.url(v, "chapter.url", c.url);
        } else if (key == "img") {
          r_.url(v, "chapter.img", c.img);
        } else if (key == "toc") {
          r_.boolean(v, "chapter.toc", c.toc);
        } else {
          r_.unknown_key(k, "chapter");
        }
      }
      if (!has_start) {
        r_.missing(t, "chapter", "start");
      }
      if (!has_title) {
        r_.missing(t, "chapter", "title");
      }
      if (c.end && end_node && *c.end <= c.start) {
        r_.warn(end_node->source(), "chapter \"" + c.title + "\" ends before it starts (" +
                                        text::format_clock(*c.end, true) + " <= " +
                                        text::format_clock(c.start, true) + "); end ignored");
        c.end.reset();
      }
      if (previous && has_start && c.start < previous_start) {
        r_.warn(t.source(), "chapter \"" + c.title + "\" starts before the chapter above it");
      }
      previous = &t;
      if (has_start) {
        previous_start = c.start;
      }
      ep_.chapters.push_back(std::move(c));
    });
  }

  void soundbites(const toml::node& n) {
    r_.each_table(n, "soundbite", false, [&](const toml::table& t) {
      Soundbite b;
      bool has_start = false, has_duration = false;
      for (auto&& [k, v] : t) {
        std::string_view key = k.str();
        if (key == "start") {
          has_start = true;
          r_.seconds(v, "soundbite.start", false, b.start);
        } else if (key == "duration") {
          has_duration = true;
          if (r_.seconds(v, "soundbite.duration", false, b.duration) && b.duration <= 0) {
            r_.problem(v, "soundbite.duration", "must be greater than 0");
          }
        } else if (key == "title") {
          r_.string(v, "soundbite.title", b.title);
        } else {
          r_.unknown_key(k, "soundbite");
        }
      }
      if (!has_start) {
        r_.missing(t, "soundbite", "start");
      }
      if (!has_duration) {
        r_.missing(t, "soundbite", "duration");
      }
      ep_.soundbites.push_back(std::move(b));
    });
  }

  void alternate_enclosures(const toml::node& n) {
    r_.each_table(n, "alternate_enclosure", false, [&](const toml::table& t) {
      AlternateEnclosure a;
      bool has_type = false, has_sources = false;
      for (auto&& [k, v] : t) {
        std::string_view key = k.str();
        if (key == "type") {
          has_type = true;
          if (r_.nonempty_string(v, "alternate_enclosure.type", a.type) &&
              !looks_like_mime(a.type)) {
            r_.bad_value(v, "alternate_enclosure.type", "a media type like \"audio/opus\"",
                         toml_fields::quoted(a.type));
          }
        } else if (key == "length") {
          r_.non_negative_int(v, "alternate_enclosure.length", a.length);
        } else if (key == "bitrate") {
          std::int64_t b = 0;
          if (r_.integer(v, "alternate_enclosure.bitrate", 0, std::numeric_limits<int>::max(),
                         "a non-negative integer (bits per second)", b)) {
            a.bitrate = static_cast<int>(b);
          }
        } else if (key == "title") {
          r_.string(v, "alternate_enclosure.title", a.title);
        } else if (key == "rel") {
          r_.string(v, "alternate_enclosure.rel", a.rel);
        } else if (key == "default") {
          r_.boolean(v, "alternate_enclosure.default", a.is_default);
        } else if (key == "sources") {
          has_sources = true;
          sources(v, a.sources);
        } else {
          r_.unknown_key(k, "alternate_enclosure");
        }
      }
      if (!has_type) {
        r_.missing(t, "alternate_enclosure", "type");
      }
      if (!has_sources) {
        r_.missing(t, "alternate_enclosure", "sources");
      }
      ep_.alternate_enclosures.push_back(std::move(a));
    });
  }

  void sources(const toml::node& n, std::vector<std::string>& out) {
    const toml::array* arr = n.as_array();
    if (!arr) {
      r_.expected(n, "alternate_enclosure.sources", "an array of URIs");
      return;
    }
    if (arr->empty()) {
      r_.problem(n, "alternate_enclosure.sources", "needs at least one URI");
      return;
    }
    for (const toml::node& item : *arr) {
      std::string uri;
      if (!item.is_string()) {
        r_.expected(item, "alternate_enclosure.sources", "a URI");
        continue;
      }
      if (!r_.string(item, "alternate_enclosure.sources", uri)) {
        continue;
      }
      std::string_view u = text::trim(uri);
      if (toml_fields::scheme_length(u) < 2 ||
          u.find_first_of(" \t\r\n") != std::string_view::npos) {
        r_.bad_value(item, "alternate_enclosure.sources",
                     "a URI with a scheme (https://..., ipfs://..., magnet:...)",
                     toml_fields::quoted(uri));
        continue;
      }
      if (text::has_http_scheme(u)) {
        if (std::string why = toml_fields::check_http_url(u); !why.empty()) {
          r_.problem(item, "alternate_enclosure.sources", why);
          continue;
        }
      }
      out.emplace_back(u);
    }
  }

  std::string_view base_;
  toml_fields::Reader& r_;
  MarkdownEpisode& out_;
  Episode& ep_;
  bool has_title_ = false;
  const toml::node* season_name_ = nullptr;
  const toml::node* episode_display_ = nullptr;
};

// [[link]] tables of the front matter.
void read_link_tables(toml_fields::Reader& r, const toml::node& n, std::string_view name,
                      std::vector<Link>& out) {
  std::string prefix(name);
  r.each_table(n, name, false, [&](const toml::table& t) {
    Link l;
    bool has_url = false;
    for (auto&& [k, v] : t) {
      std::string_view key = k.str();
      if (key == "title") {
        r.string(v, prefix + ".title", l.title);
      } else if (key == "url") {
        has_url = true;
        r.url(v, prefix + ".url", l.url);
      } else if (key == "description") {
        r.string(v, prefix + ".description", l.description);
      } else {
        r.unknown_key(k, prefix);
      }
    }
    l.title = std::string(text::trim(l.title));
    if (l.title.empty() && !has_url) {
      r.problem(t, prefix, "needs a title or a url");
    }
    if (l.title.empty()) {
      l.title = l.url;
    }
    out.push_back(std::move(l));
  });
}

}  // namespace

RenderedNotes render_markdown(std::string_view markdown) {
  return NotesRenderer(true).run(markdown);
}

Result<MarkdownEpisode> parse_markdown_episode(std::string_view path, std::string_view text) {
  if (text.substr(0, kBom.size()) == kBom) {
    text.remove_prefix(kBom.size());
  }
  if (std::size_t bad = text::first_invalid_utf8(text); bad != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    return make_error(ErrorCode::parse, error_at(path, line, "invalid UTF-8"));
  }
  auto [first, toml_start] = line_at(text, 0);
  if (!is_fence(first)) {
    return make_error(ErrorCode::parse, error_at(path, 1, "missing +++ front matter"));
  }
  std::size_t pos = toml_start;
  std::optional<Split> split;
  while (pos < text.size()) {
    auto [line, next] = line_at(text, pos);
    if (is_fence(line)) {
      split = Split{text.substr(toml_start, pos - toml_start), text.substr(next)};
      break;
    }
    pos = next;
  }
  if (!split) {
    return make_error(ErrorCode::parse, error_at(path, 1, "front matter not closed by +++"));
  }

  constexpr int kLineOffset = 1;  // TOML line 1 is the file's line 2
  toml::table root;
  try {
    root = toml::parse(split->toml, path);
  } catch (const toml::parse_error& e) {
    int line = static_cast<int>(e.source().begin.line);
    return make_error(ErrorCode::parse,
                      error_at(path, (line > 0 ? line : 1) + kLineOffset, e.description()));
  }

  MarkdownEpisode result;
  toml_fields::Reader r(path, kLineOffset);
  EpisodeReader reader(path, r, result);
  // "link" is both the episode page (a string) and [[link]] tables: tell them apart by type.
  // TOML cannot hold both, so [[links]] is accepted as well for files that need both.
  std::vector<Link> table_links;
  for (std::string_view name : {"link", "links"}) {
    if (const toml::node* link = root.get(name); link && (name == "links" || !link->is_string())) {
      read_link_tables(r, *link, name, table_links);
      root.erase(name);
    }
  }
  reader.read(root);
  if (r.failed()) {
    return r.error();
  }

  Episode& ep = result.episode;
  std::string_view body = split->body;
  if (!reader.has_title()) {
    std::optional<LeadingHeading> h1 = leading_h1(body);
    if (h1) {
      ep.title = text::collapse_whitespace(NotesRenderer(false).run(h1->source).text);
    }
    if (ep.title.empty()) {
      return make_error(ErrorCode::parse,
                        error_at(path, 1,
                                 "missing title (set title in the front matter or start the "
                                 "notes with a '# Title' heading)"));
    }
    body = h1->rest;
  }

  RenderedNotes notes = render_markdown(body);
  ep.notes_html = std::move(notes.html);
  ep.notes_text = std::move(notes.text);
  ep.links = std::move(table_links);
  std::unordered_set<std::string> urls;
  for (const Link& l : ep.links) {
    if (!l.url.empty()) {
      urls.insert(l.url);
    }
  }
  for (Link& l : notes.links) {
    if (urls.insert(l.url).second) {
      ep.links.push_back(std::move(l));
    }
  }
  result.warnings = r.take_warnings();
  return result;
}

}  // namespace podcastd::catalog
