#pragma once
// The validator's element walker (feeds/validator_rules.cpp, feeds/validator_podcast.cpp):
// resolves names by namespace URI, keeps the element path, and applies the per-element
// rules to a channel or an item. One Walker per call (or reused across the items of one
// call); not thread-safe. Internal to podcastd_feeds.

#include <pugixml.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/validator.hpp"
#include "feeds/validator_detail.hpp"

namespace podcastd::feeds::detail {

// Every element the rules know, by namespace.
enum class Tag : std::uint8_t {
  unknown,
  // RSS 2.0
  title,
  link,
  description,
  language,
  copyright,
  managing_editor,
  web_master,
  pub_date,
  last_build_date,
  category,
  generator,
  docs,
  cloud,
  ttl,
  image,
  rating,
  text_input,
  skip_hours,
  skip_days,
  item,
  author,
  comments,
  enclosure,
  guid,
  source,
  url,
  width,
  height,
  // itunes
  it_author,
  it_block,
  it_category,
  it_complete,
  it_duration,
  it_email,
  it_episode,
  it_episode_type,
  it_explicit,
  it_image,
  it_keywords,
  it_name,
  it_new_feed_url,
  it_owner,
  it_season,
  it_subtitle,
  it_summary,
  it_title,
  it_type,
  // content, atom
  content_encoded,
  atom_link,
  // podcast
  p_transcript,
  p_locked,
  p_funding,
  p_chapters,
  p_soundbite,
  p_person,
  p_location,
  p_season,
  p_episode,
  p_trailer,
  p_license,
  p_alternate_enclosure,
  p_source,
  p_integrity,
  p_guid,
  p_value,
  p_value_recipient,
  p_value_time_split,
  p_medium,
  p_images,
  p_live_item,
  p_content_link,
  p_social_interact,
  p_block,
  p_txt,
  p_remote_item,
  p_podroll,
  p_update_frequency,
  p_podping,
  p_chat,
  p_publisher,
  p_image,
  count
};

// Where a podcast: element sits (bit positions for the allowed-parent masks).
enum class Parent : std::uint8_t {
  channel,
  item,
  live_item,
  alternate_enclosure,
  value,
  value_time_split,
  podroll,
  publisher,
  other
};

struct Binding {
  std::string prefix;
  std::string uri;
};
// The renderer's fixed prefixes, bound to the canonical URIs.
const std::vector<Binding>& default_bindings();

class Walker {
 public:
  // `buffer` is the parsed text (offsets of nodes point into it); `outer` are the bindings
  // in force outside the walked element (for items: the channel's declarations).
  Walker(const ValidateOptions& options, std::string_view buffer, const LineIndex& lines,
         const std::vector<Binding>& outer);

  // The channel pass: <rss>, its namespace declarations and every channel child except
  // <item> (podcast:liveItem included). Fills result.findings (absolute lines) and facts.
  void walk_channel(pugi::xml_node rss, pugi::xml_node channel, ChannelResult& result);

  // One <item> (live = false, path "item") or podcast:liveItem (inside walk_channel).
  // Facts lines are absolute; paths start at the current path.
  void walk_item(pugi::xml_node item, bool live, int index, ItemFacts& facts);

  std::vector<Finding> take_findings();
  // Namespace URIs used and undeclared prefixes seen since the last take (deduplicated).
  std::vector<std::string> take_uris();
  std::vector<ItemFacts::UndeclaredPrefix> take_undeclared();

  int line(pugi::xml_node node) const;

 private:
  struct Seg {
    std::string_view prefix;
    std::string_view local;
    int index = 0;  // 1-based position among same-named siblings; 0 = only one
  };
  struct Child {
    pugi::xml_node node;
    Ns ns = Ns::other;
    Tag tag = Tag::unknown;
    std::string_view local;  // without prefix
    std::string_view qname;  // as written
    int index = 1;           // 1-based among same-named siblings
    int count = 1;           // same-named siblings, this one included
  };
  struct ScopeEntry {
    std::string_view prefix;
    std::string_view uri;
    Ns ns;
  };
  // Per-item state the podcast: checks fill and the item checks read.
  struct ItemState {
    bool live = false;
    std::optional<double> duration;  // itunes:duration seconds
    struct Soundbite {
      double start = 0;
      double duration = 0;
      pugi::xml_node node;
      std::string path;
    };
    std::vector<Soundbite> soundbites;
    struct CompanionRef {
      std::string url;
      std::string type;
      bool chapters = false;
      std::string path;
      int line = 0;
    };
    std::vector<CompanionRef> companions;
    ItemFacts* facts = nullptr;
  };
  // Per-channel state.
  struct ChannelState {
    std::vector<std::string> host_names;
    pugi::xml_node guid;  // podcast:guid
  };

  // Namespaces and names.
  void push_declarations(pugi::xml_node node, std::vector<NamespaceDecl>* record);
  void pop_scope(std::size_t size) { scope_.resize(size); }
  Ns resolve(pugi::xml_node node, std::string_view qname, std::string_view& local);
  void note_attributes(pugi::xml_node node);
  const std::vector<Child>& children(pugi::xml_node parent, int depth);

  // Paths and findings.
  void push(const Child& c);
  void push_name(std::string_view prefix, std::string_view local, int index);
  void pop() { path_.pop_back(); }
  std::string path() const;
  std::string path_with(const Child& c);
  void emit(Severity severity, std::string_view rule, pugi::xml_node at, std::string message);
  void emit_at(Severity severity, std::string_view rule, std::string element, int line,
               std::string message);
  std::string display(const Child& c) const;

  // Shared element checks (validator_rules.cpp).
  void check_duplicate(const Child& c, std::string_view rule);
  void check_date(pugi::xml_node node, std::string_view value, std::string_view name,
                  std::optional<catalog::UnixTime>* time, bool future_check);
  void check_https(pugi::xml_node node, std::string_view what, std::string_view url);
  void check_explicit(pugi::xml_node node, std::string_view value);
  void check_block(pugi::xml_node node, std::string_view value);
  void check_itunes_image(pugi::xml_node node, bool item);
  void check_itunes_text(const Child& c, std::string_view value);
  void check_categories(const Child& c, int& top_level);
  void check_enclosure(pugi::xml_node node);
  void check_guid(pugi::xml_node node, std::string_view value, ItemFacts& facts);
  void check_title_numbers(pugi::xml_node node, const std::string& element, std::string_view name,
                           std::string_view title);

  // podcast: elements (validator_podcast.cpp).
  void check_podcast(const Child& c, Parent parent, int depth);
  void check_podcast_children(const Child& c, Parent as, int depth);
  void check_podcast_attributes(const Child& c);
  void check_length(pugi::xml_node node, std::string_view what, std::string_view value,
                    std::size_t limit);
  void check_remote_item(const Child& c);

  static std::string_view text(pugi::xml_node node, std::string& scratch);

  // Constant after construction.
  const ValidateOptions& options_;
  std::string_view buffer_;
  const LineIndex& lines_;
  std::vector<Binding> outer_;

  // Walk state.
  std::vector<ScopeEntry> scope_;
  std::vector<Seg> path_;
  std::vector<std::vector<Child>> child_lists_;  // one per depth, reused
  std::vector<Finding> findings_;
  std::vector<std::string_view> uris_used_;
  std::vector<ItemFacts::UndeclaredPrefix> undeclared_;
  ItemState* item_ = nullptr;
  ChannelState* channel_ = nullptr;
};

}  // namespace podcastd::feeds::detail
