// Fuzzes the HTTP request path on raw bytes, without sockets: normalize_target on the input,
// and simulate_request (head parsing, limits, routing, conditionals, ranges, gzip selection,
// opening files below root) against a small fixed tree with symlinks pointing outside it.
// Invariants: normalized paths never contain "..", "//", NUL or '\'; a produced head is
// well-formed; the file outside root (a unique size) is never described in a response.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "daemon/http_server.hpp"

namespace {

namespace fs = std::filesystem;
constexpr std::size_t kSecretSize = 31337;

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

struct Tree {
  fs::path base;
  podcastd::daemon::HttpServerOptions options;

  Tree() {
    std::string tmpl = (fs::temp_directory_path() / "podcastd-fuzz-http-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::abort();
    }
    base = tmpl;
    fs::path root = base / "root";
    write(base / "outside/secret.bin", std::string(kSecretSize, 's'));
    write(root / "rip/feed.xml", "<rss version=\"2.0\"><channel/></rss>\n");
    write(root / "rip/feed.xml.gz", "not really gzip");
    write(root / "rip/media/ep1.mp3", std::string(1000, 'a'));
    write(root / "rip/episodes/e1/chapters.json", "{\"version\":\"1.2.0\",\"chapters\":[]}");
    write(root / "site/index.html", "<p>hi</p>");
    std::error_code ec;
    fs::create_symlink(base / "outside/secret.bin", root / "rip/out.mp3", ec);
    fs::create_symlink("../../outside/secret.bin", root / "rip/rel_out.mp3", ec);
    fs::create_symlink(base / "outside", root / "rip/out_dir", ec);
    fs::create_symlink("media", root / "rip/in", ec);
    options.root = root;
    options.header_limit_bytes = 2048;
    options.hubs = {"https://hub.example/"};
    options.public_url = "https://pod.example/";
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Tree tree;
  std::string_view in(reinterpret_cast<const char*>(data), size);

  if (auto path = podcastd::daemon::normalize_target(in)) {
    check(path->empty() || path->front() != '/');
    check(path->find("//") == std::string::npos);
    check(path->find('\0') == std::string::npos);
    check(path->find('\\') == std::string::npos);
    std::string_view rest = *path;
    while (!rest.empty()) {
      std::string_view seg = rest.substr(0, rest.find('/'));
      check(seg.empty() ? rest.size() == 1 : (seg[0] != '.' || seg == ".well-known"));
      rest.remove_prefix(std::min(rest.size(), seg.size() + 1));
    }
  }

  // Odd first byte: use the rest as a request target inside a valid request; else raw bytes.
  std::string request;
  if (size > 0 && (data[0] & 1) != 0) {
    request =
        "GET " + std::string(in.substr(1)) + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\n\r\n";
  } else {
    request.assign(in);
  }
  std::string head = podcastd::daemon::simulate_request(request, tree.options);
  if (!head.empty()) {
    check(head.rfind("HTTP/1.1 ", 0) == 0);
    check(head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0);
    check(head.find("Content-Length: 31337\r\n") == std::string::npos);
    check(head.find("/31337\r\n") == std::string::npos);
  }
  return 0;
}
