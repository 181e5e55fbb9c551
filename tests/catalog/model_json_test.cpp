#include "catalog/model_json.hpp"

#include <gtest/gtest.h>

namespace podcastd::catalog {
namespace {

TEST(ModelJson, ShowRoundTrips) {
  Show s;
  s.slug = "rip";
  s.title = "T";
  s.categories = {"Technology"};
  s.explicit_content = true;
  s.locked = false;
  s.persons = {{"A", "host", "", "", "", ""}};
  s.funding = {{"https://f.example", "Fund"}};
  s.complete = true;
  s.max_items = 5;
  nlohmann::json j = s;
  EXPECT_EQ(j.at("title"), "T");
  EXPECT_FALSE(j.contains("description"));  // empty strings are omitted
  EXPECT_EQ(j.get<Show>(), s);
}

TEST(ModelJson, EpisodeJsonHasStatusFields) {
  Episode e;
  e.key = "k";
  e.title = "T";
  e.enclosure = Enclosure{"a.mp3", "", 10, "audio/mpeg", 5, 32};
  e.transcripts = {Transcript{"a.vtt", TranscriptFormat::vtt, "", {{"A", 0.0, 1.0, "hi"}}}};
  nlohmann::json j = episode_to_json(e);
  EXPECT_EQ(j.at("duration"), 5);
  EXPECT_EQ(j.at("transcripts")[0].at("segments"), 1);
  EXPECT_EQ(j.at("transcripts")[0].at("timed"), true);
  EXPECT_EQ(episode_to_json(e, true).at("transcripts")[0].at("segments")[0].at("body"), "hi");
}

}  // namespace
}  // namespace podcastd::catalog
