#include "catalog/show_source.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

constexpr std::string_view kPath = "systems/show.toml";

Result<ShowFile> parse(std::string_view text) { return parse_show_toml(kPath, text); }

std::string error_of(std::string_view text) {
  Result<ShowFile> r = parse(text);
  if (r.ok()) {
    return "(ok)";
  }
  EXPECT_EQ(r.error().code, ErrorCode::parse);
  return r.error().message;
}

TEST(ShowToml, FullFixture) {
  std::string text = testing::read_file(testing::test_data_dir() / "markdown/show.toml");
  Result<ShowFile> r = parse(text);
  PODCASTD_ASSERT_OK(r);
  const Show& s = r->show;
  EXPECT_EQ(s.title, "Systems Talk");
  EXPECT_EQ(s.description,
            "Two engineers on operating systems, compilers and the people who build them.");
  EXPECT_EQ(s.author, "Example Media");
  EXPECT_EQ(s.language, "en-US");
  EXPECT_EQ(s.link, "https://example.com/");
  EXPECT_EQ(s.image, "systems/cover.jpg");  // content-relative
  EXPECT_EQ(s.copyright, "\xC2\xA9 2025 Example Media");
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Technology", "Education > Courses"}));
  EXPECT_EQ(s.explicit_content, false);
  EXPECT_EQ(s.type, "episodic");
  EXPECT_EQ(s.guid, "917393e3-1b1e-5cef-ace4-edaa54e1f810");
  EXPECT_EQ(s.locked, true);
  EXPECT_EQ(s.locked_owner, "alice@example.com");
  EXPECT_EQ(s.new_feed_url, "https://feeds.example.com/systems.xml");
  EXPECT_EQ(s.medium, "podcast");
  EXPECT_EQ(s.license, "CC-BY-4.0");
  EXPECT_EQ(s.license_url, "https://creativecommons.org/licenses/by/4.0/");
  EXPECT_FALSE(s.complete);
  EXPECT_FALSE(s.block);
  EXPECT_EQ(s.max_items, 100);
  EXPECT_EQ(s.update_frequency, "Every other Monday");
  EXPECT_EQ(s.update_frequency_rrule, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
  EXPECT_EQ(s.owner_name, "Alice Example");
  EXPECT_EQ(s.owner_email, "alice@example.com");
  EXPECT_EQ(s.funding, (std::vector<Funding>{{"https://example.com/support", "Support the show"}}));
  EXPECT_EQ(s.persons,
            (std::vector<Person>{{"Alice Example", "host", "", "https://alice.example.com",
                                  "https://example.com/img/alice.jpg", ""},
                                 {"Bob Example", "co-host", "cast", "", "", ""}}));
  EXPECT_EQ(
      s.locations,
      (std::vector<Location>{{"Berlin, Germany", "creator", "geo:52.52,13.405", "R62422", "DE"}}));
  EXPECT_EQ(s.txt, (std::vector<Txt>{{"verify", "S6lpp-7ZCn8-dZfGc-OoyVG"}}));
  EXPECT_TRUE(r->warnings.empty());
  // Left for ingest.
  EXPECT_EQ(s.slug, "");
  EXPECT_EQ(s.dir, "");
  EXPECT_TRUE(s.sources.empty());
}

TEST(ShowToml, EmptyFileIsAnEmptyShow) {
  // A show page may supply the title and description later.
  Result<ShowFile> r = parse("");
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->show, Show{});
  Result<ShowFile> comments = parse("# nothing yet\n\n");
  PODCASTD_ASSERT_OK(comments);
  EXPECT_EQ(comments->show, Show{});
}

TEST(ShowToml, ValueForms) {
  Result<ShowFile> r = parse(
      "categories = \"Society & Culture>Documentary\"\n"
      "type = \"serial\"\n"
      "complete = true\nblock = true\nexplicit = true\nlocked = false\n"
      "max_items = 0\n"
      "image = \"https://cdn.example.com/art.png\"\n"
      "location = \"Austin, TX\"\n"
      "description = \"  <p>HTML is kept</p>  \"\n"
      "language = \"de\"\n"
      "guid = \"917393E3-1B1E-5CEF-ACE4-EDAA54E1F810\"\n"
      "[owner]\nname = \"Only a name\"\n");
  PODCASTD_ASSERT_OK(r);
  const Show& s = r->show;
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Society & Culture > Documentary"}));
  EXPECT_EQ(s.type, "serial");
  EXPECT_TRUE(s.complete);
  EXPECT_TRUE(s.block);
  EXPECT_EQ(s.explicit_content, true);
  EXPECT_EQ(s.locked, false);
  EXPECT_EQ(s.max_items, 0);
  EXPECT_EQ(s.image, "https://cdn.example.com/art.png");
  EXPECT_EQ(s.locations, (std::vector<Location>{{"Austin, TX", "", "", "", ""}}));
  EXPECT_EQ(s.description, "<p>HTML is kept</p>");
  EXPECT_EQ(s.language, "de");
  EXPECT_EQ(s.guid, "917393E3-1B1E-5CEF-ACE4-EDAA54E1F810");  // as written; the validator warns
  EXPECT_EQ(s.owner_name, "Only a name");
  EXPECT_EQ(s.locked_owner, "");
}

TEST(ShowToml, Warnings) {
  Result<ShowFile> r = parse(
      "title = \"x\"\nlocked = true\nupdate_rrule = \"FREQ=DAILY\"\n"
      "[owner]\nname = \"A\"\n");
  PODCASTD_ASSERT_OK(r);
  std::vector<std::string> got;
  for (const Diagnostic& d : r->warnings) {
    got.push_back(d.to_string());
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "warning: systems/show.toml:2: locked = true without [owner] email: "
                     "podcast:locked gets no owner",
                     "warning: systems/show.toml:3: update_rrule without update_frequency: "
                     "podcast:updateFrequency needs the display text",
                     "warning: systems/show.toml:4: owner has no email: directories use it to "
                     "verify ownership",
                 }));
}

TEST(ShowToml, ImagePaths) {
  struct Case {
    std::string path;
    std::string image;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"show.toml", "cover.jpg", "cover.jpg"},
      {"systems/show.toml", "cover.jpg", "systems/cover.jpg"},
      {"systems/show.toml", "art/./c.png", "systems/art/c.png"},
      {"systems/show.toml", "../shared/c.png", "shared/c.png"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path + " " + c.image);
    Result<ShowFile> r = parse_show_toml(c.path, "image = \"" + c.image + "\"\n");
    PODCASTD_ASSERT_OK(r);
    EXPECT_EQ(r->show.image, c.expected);
  }
  EXPECT_EQ(parse_show_toml("show.toml", "image = \"../c.png\"\n").error().message,
            "show.toml:1: image: path leaves the content directory: \"../c.png\"");
}

TEST(ShowToml, BomAndCrlf) {
  Result<ShowFile> r =
      parse("\xEF\xBB\xBFtitle = \"Win\"\r\n[owner]\r\nemail = \"a@b.example\"\r\n");
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->show.title, "Win");
  EXPECT_EQ(r->show.owner_email, "a@b.example");
  EXPECT_EQ(error_of("\xEF\xBB\xBFtitle = \"Win\"\r\n\r\nmax_items = -1\r\n"),
            "systems/show.toml:3: max_items: expected a non-negative integer, got -1");
}

TEST(ShowToml, Errors) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::string p = "systems/show.toml:";
  const std::vector<Case> cases = {
      // Syntax and encoding
      {"title = \"x\"\ndescription =\n",
       p + "2: Error while parsing key-value pair: expected value, saw '\\n'"},
      {"title = \"x\"\n[owner\n",
       p + "2: Error while parsing table header: expected ']', saw '\\n'"},
      {"title = \"ok\"\nauthor = \"\xFF\"\n", p + "2: invalid UTF-8"},
      // Unknown keys; the earliest in the file is reported whatever the key order
      {"headline = \"x\"\n", p + "1: unknown key 'headline'"},
      {"title = \"x\"\nzeta = 1\nalpha = 2\n", p + "2: unknown key 'zeta'"},
      {"[owner]\nname = \"a\"\nphone = \"1\"\n", p + "3: unknown key 'owner.phone'"},
      {"[[person]]\nname = \"a\"\nnick = \"b\"\n", p + "3: unknown key 'person.nick'"},
      {"[[funding]]\nurl = \"https://a.example\"\namount = 1\n",
       p + "3: unknown key 'funding.amount'"},
      {"[[location]]\nname = \"a\"\nlat = 1\n", p + "3: unknown key 'location.lat'"},
      {"[[txt]]\ntext = \"a\"\nlang = \"en\"\n", p + "3: unknown key 'txt.lang'"},
      {"[[episode]]\ntitle = \"x\"\n", p + "1: unknown key 'episode'"},
      // Types
      {"title = 1\n", p + "1: title: expected a string, got an integer"},
      {"title = \"\"\n", p + "1: title: must not be empty"},
      {"description = true\n", p + "1: description: expected a string, got a boolean"},
      {"author = [\"a\"]\n", p + "1: author: expected a string, got an array"},
      {"copyright = 2025\n", p + "1: copyright: expected a string, got an integer"},
      {"explicit = \"no\"\n", p + "1: explicit: expected true or false, got a string"},
      {"locked = \"yes\"\n", p + "1: locked: expected true or false, got a string"},
      {"complete = 1\n", p + "1: complete: expected true or false, got an integer"},
      {"block = \"Yes\"\n", p + "1: block: expected true or false, got a string"},
      {"max_items = -1\n", p + "1: max_items: expected a non-negative integer, got -1"},
      {"max_items = \"10\"\n", p + "1: max_items: expected a non-negative integer, got a string"},
      {"max_items = 5000000000\n",
       p + "1: max_items: expected a non-negative integer, got 5000000000"},
      {"medium = \"\"\n", p + "1: medium: must not be empty"},
      {"license = 4\n", p + "1: license: expected a string, got an integer"},
      {"update_frequency = 7\n", p + "1: update_frequency: expected a string, got an integer"},
      {"update_rrule = \"weekly\"\n",
       p + "1: update_rrule: expected an RFC 5545 rule like \"FREQ=WEEKLY;BYDAY=MO\", got "
           "\"weekly\""},
      {"owner = \"me\"\n", p + "1: owner: expected a table ([owner]), got a string"},
      {"[owner]\nemail = \"not-an-email\"\n",
       p + "2: owner.email: expected an email address, got \"not-an-email\""},
      {"[owner]\nemail = \"a@b\"\n", p + "2: owner.email: expected an email address, got \"a@b\""},
      // Values
      {"type = \"Episodic\"\n", p + "1: type: expected one of episodic, serial, got \"Episodic\""},
      {"type = 1\n", p + "1: type: expected one of episodic, serial, got an integer"},
      {"guid = \"not-a-uuid\"\n",
       p + "1: guid: expected a UUID like \"917393e3-1b1e-5cef-ace4-edaa54e1f810\", got "
           "\"not-a-uuid\""},
      {"language = \"en_US\"\n",
       p + "1: language: expected a language tag like \"en\" or \"en-US\", got \"en_US\""},
      {"language = \"\"\n",
       p + "1: language: expected a language tag like \"en\" or \"en-US\", got \"\""},
      {"language = \"1en\"\n",
       p + "1: language: expected a language tag like \"en\" or \"en-US\", got \"1en\""},
      {"link = \"example.com\"\n",
       p + "1: link: expected an http:// or https:// URL, got \"example.com\""},
      {"new_feed_url = \"feed.xml\"\n",
       p + "1: new_feed_url: expected an http:// or https:// URL, got \"feed.xml\""},
      {"license_url = \"https://\"\n", p + "1: license_url: URL has no host: \"https://\""},
      {"image = \"/srv/cover.jpg\"\n",
       p + "1: image: expected a relative file name or an http:// or https:// URL, got "
           "\"/srv/cover.jpg\""},
      {"image = \"../../cover.jpg\"\n",
       p + "1: image: path leaves the content directory: \"../../cover.jpg\""},
      // Categories: shape only
      {"categories = [\"Technology\", \"A > B > C\"]\n",
       p + "1: categories: expected \"Category\" or \"Category > Subcategory\", got \"A > B > "
           "C\""},
      {"categories = [\"Technology >\"]\n",
       p + "1: categories: expected \"Category\" or \"Category > Subcategory\", got "
           "\"Technology >\""},
      {"categories = [\"\"]\n",
       p + "1: categories: expected \"Category\" or \"Category > Subcategory\", got \"\""},
      {"categories = [1]\n", p + "1: categories: expected an array of strings, got an integer"},
      {"categories = {a = 1}\n", p + "1: categories: expected an array of strings, got a table"},
      // Records
      {"[[funding]]\ntext = \"x\"\n", p + "1: funding: missing required key 'url'"},
      {"[[funding]]\nurl = \"paypal.me/x\"\n",
       p + "2: funding.url: expected an http:// or https:// URL, got \"paypal.me/x\""},
      {"[[person]]\nrole = \"host\"\n", p + "1: person: missing required key 'name'"},
      {"person = [\"Alice\"]\n",
       p + "1: person: expected an array of tables ([[person]]), got a string"},
      {"[[person]]\nname = \"A\"\nimg = \"alice.jpg\"\n",
       p + "3: person.img: expected an http:// or https:// URL, got \"alice.jpg\""},
      {"[[location]]\nrel = \"creator\"\n", p + "1: location: missing required key 'name'"},
      {"[[location]]\nname = \"A\"\nrel = \"home\"\n",
       p + "3: location.rel: expected one of subject, creator, got \"home\""},
      {"[[location]]\nname = \"A\"\ncountry = \"U1\"\n",
       p + "3: location.country: expected a two-letter ISO 3166-1 code like \"DE\", got \"U1\""},
      {"[[location]]\nname = \"A\"\ngeo = \"geo:a,b\"\n",
       p + "3: location.geo: expected a geo URI like \"geo:52.52,13.40\", got \"geo:a,b\""},
      {"[[location]]\nname = \"A\"\nosm = \"X12\"\n",
       p + "3: location.osm: expected an OpenStreetMap id like \"R62422\", got \"X12\""},
      {"[[txt]]\npurpose = \"verify\"\n", p + "1: txt: missing required key 'text'"},
      {"[[txt]]\ntext = \"\"\n", p + "2: txt.text: must not be empty"},
      {"txt = \"code\"\n", p + "1: txt: expected an array of tables ([[txt]]), got a string"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(error_of(c.text), c.message);
  }
}

TEST(ShowToml, GeoAndOsmForms) {
  for (std::string_view geo :
       {"geo:30.2711286,-97.7436995", "geo:-33.9,18.4,250", "geo:52.5,13.4;u=350", "geo:0,0"}) {
    SCOPED_TRACE(geo);
    PODCASTD_EXPECT_OK(parse("[[location]]\nname = \"x\"\ngeo = \"" + std::string(geo) + "\"\n"));
  }
  for (std::string_view osm : {"R113314", "W5013364", "N1", "R7444#188"}) {
    SCOPED_TRACE(osm);
    PODCASTD_EXPECT_OK(parse("[[location]]\nname = \"x\"\nosm = \"" + std::string(osm) + "\"\n"));
  }
}

}  // namespace
}  // namespace podcastd::catalog
