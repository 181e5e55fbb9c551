#include "daemon/http_server.hpp"

#include <gtest/gtest.h>

#include "catalog/time.hpp"
#include "daemon/metrics.hpp"
#include "tests/support/test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace podcastd::daemon {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// A raw, blocking HTTP/1.1 client on a POSIX socket, so tests can send anything byte by byte.

struct Response {
  int status = 0;
  std::string head;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (strcasecmp(k.c_str(), std::string(name).c_str()) == 0) {
        return v;
      }
    }
    return "<absent>";
  }
  bool has(std::string_view name) const { return header(name) != "<absent>"; }
  int count(std::string_view name) const {
    int n = 0;
    for (const auto& [k, v] : headers) {
      n += strcasecmp(k.c_str(), std::string(name).c_str()) == 0;
    }
    return n;
  }
  std::vector<std::string> all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers) {
      if (strcasecmp(k.c_str(), std::string(name).c_str()) == 0) {
        out.push_back(v);
      }
    }
    return out;
  }
};

class Client {
 public:
  explicit Client(unsigned short port, bool v6 = false, int rcvbuf = 0) {
    fd_ = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (rcvbuf > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int rc;
    if (v6) {
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      a.sin6_port = htons(port);
      a.sin6_addr = in6addr_loopback;
      rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(port);
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    connected_ = rc == 0;
  }
  ~Client() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads more bytes into the buffer. False on EOF, error or deadline.
  bool fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buf_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  // Reads one response. `head_request`: no body follows whatever Content-Length says.
  std::optional<Response> read_response(bool head_request = false,
                                        std::chrono::milliseconds timeout = 10s) {
    auto deadline = Clock::now() + timeout;
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(deadline)) {
        return std::nullopt;
      }
    }
    Response r;
    r.head = buf_.substr(0, end + 4);
    buf_.erase(0, end + 4);
    std::size_t line_end = r.head.find("\r\n");
    std::string status_line = r.head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.compare(0, 9, "HTTP/1.1 ") != 0) {
      ADD_FAILURE() << "bad status line: " << status_line;
      return std::nullopt;
    }
    r.status = std::stoi(status_line.substr(9, 3));
    std::size_t pos = line_end + 2;
    while (pos < r.head.size() - 2) {
      std::size_t e = r.head.find("\r\n", pos);
      std::string line = r.head.substr(pos, e - pos);
      auto colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.erase(0, 1);
      }
      r.headers.emplace_back(line.substr(0, colon), value);
      pos = e + 2;
    }
    std::size_t length = 0;
    if (!head_request && r.status != 304 && r.status != 204 && r.has("Content-Length")) {
      length = std::stoull(r.header("Content-Length"));
    }
    while (buf_.size() < length) {
      if (!fill(deadline)) {
        ADD_FAILURE() << "body truncated: " << buf_.size() << " of " << length;
        return std::nullopt;
      }
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closes the connection (EOF or reset) before `timeout`. Data that
  // arrives meanwhile is kept in the buffer.
  bool wait_closed(std::chrono::milliseconds timeout = 5s) {
    auto deadline = Clock::now() + timeout;
    while (!closed_) {
      if (!fill(deadline) && !closed_) {
        return false;
      }
    }
    return true;
  }

  // Non-blocking check: has the server closed the connection already?
  bool closed_now() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) {
        closed_ = true;
      } else {
        buf_.append(buf, static_cast<std::size_t>(n));
      }
    }
    return closed_;
  }

  std::string& buffered() { return buf_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string buf_;
};

std::string get(std::string_view target, std::string_view extra_headers = {},
                std::string_view method = "GET") {
  std::string r(method);
  r += " ";
  r += target;
  r += " HTTP/1.1\r\nHost: test\r\n";
  r += extra_headers;
  r += "\r\n";
  return r;
}

std::string gzip_compress(std::string_view in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string gunzip(std::string_view in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  } while (rc == Z_OK);
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&zs);
  return out;
}

std::int64_t mtime_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mtim.tv_sec;
}

void set_mtime(const fs::path& p, std::int64_t sec) {
  timespec ts[2] = {{sec, 0}, {sec, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), ts, 0), 0);
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) {
    c = static_cast<char>(rng() & 0xff);
  }
  return s;
}

const std::string kFeed =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Rip"
    "</title></channel></rss>\n";

// ---------------------------------------------------------------------------------------------
// Fixture: a real io_context on its own thread, a server on it, files in a TempDir.

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() : guard_(asio::make_work_guard(ioc_)) {
    io_thread_ = std::thread([this] {
      io_id_ = std::this_thread::get_id();
      ioc_.run();
      run_returned_ = true;
    });
  }

  ~HttpServerTest() override {
    if (server_) {
      on_io([this] {
        server_->stop(0ms);
        server_.reset();
      });
    }
    guard_.reset();
    EXPECT_TRUE(podcastd::testing::wait_until([this] { return run_returned_.load(); }, 10s))
        << "io_context::run() did not return after stop()";
    if (!run_returned_) {
      ioc_.stop();
    }
    io_thread_.join();
  }

  // Runs `f` on the I/O thread and waits for it.
  template <typename F>
  auto on_io(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto fut = task.get_future();
    asio::post(ioc_, [&task] { task(); });
    return fut.get();
  }

  HttpServerOptions default_options() {
    HttpServerOptions o;
    o.root = root_.path();
    o.request_timeout = 5s;
    o.idle_timeout = 5s;
    o.hubs = {"https://pubsubhubbub.appspot.com/"};
    o.public_url = "https://pod.example.org/";
    return o;
  }

  void start(HttpServerOptions o) {
    on_io([&] {
      server_ = std::make_unique<HttpServer>(ioc_.get_executor(), o, metrics_);
      auto ep = server_->listen("127.0.0.1:0");
      ASSERT_TRUE(ep.ok()) << ep.error().message;
      port_ = ep->port();
    });
  }
  void start() { start(default_options()); }

  Response fetch(std::string_view request, bool head = false) {
    Client c(port_);
    EXPECT_TRUE(c.connected());
    EXPECT_TRUE(c.send(request));
    auto r = c.read_response(head);
    EXPECT_TRUE(r.has_value()) << "no response to " << request;
    return r.value_or(Response{});
  }

  std::size_t connections() {
    return on_io([this] { return server_->connection_count(); });
  }

  TempDir root_;
  TempDir outside_;
  Metrics metrics_;
  asio::io_context ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread io_thread_;
  std::thread::id io_id_;
  std::atomic<bool> run_returned_{false};
  std::unique_ptr<HttpServer> server_;
  unsigned short port_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Files from disk

TEST_F(HttpServerTest, GetFeedFromDiskHasExactHeaders) {
  write_file(root_ / "rip/feed.xml", kFeed);
  start();
  Response r = fetch(get("/rip/feed.xml"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kFeed);
  EXPECT_EQ(r.header("Content-Type"), "application/rss+xml; charset=utf-8");
  EXPECT_EQ(r.header("Content-Length"), std::to_string(kFeed.size()));
  EXPECT_EQ(r.header("Last-Modified"), timefmt::format_http_date(mtime_of(root_ / "rip/feed.xml")));
  EXPECT_EQ(r.header("Cache-Control"), "max-age=300");
  EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
  EXPECT_EQ(r.header("Accept-Ranges"), "bytes");
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
  EXPECT_FALSE(r.has("Content-Encoding"));
  EXPECT_TRUE(r.has("Date"));
  std::string etag = r.header("ETag");
  ASSERT_EQ(etag.size(), 18u) << etag;
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  auto links = r.all("Link");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0], "<https://pubsubhubbub.appspot.com/>; rel=\"hub\"");
  EXPECT_EQ(links[1], "<https://pod.example.org/rip/feed.xml>; rel=\"self\"");
  // Same file, same ETag; a rewritten file (new inode via rename) gets a new one.
  EXPECT_EQ(fetch(get("/rip/feed.xml")).header("ETag"), etag);
  write_file(root_ / "rip/feed.xml.tmp", kFeed + " ");
  fs::rename(root_ / "rip/feed.xml.tmp", root_ / "rip/feed.xml");
  EXPECT_NE(fetch(get("/rip/feed.xml")).header("ETag"), etag);
}

TEST_F(HttpServerTest, HeadReturnsTheSameHeadersWithoutBody) {
  write_file(root_ / "rip/feed.xml", kFeed);
  write_file(root_ / "rip/media/ep1.mp3", random_bytes(5000, 1));
  start();
  Client c(port_);
  for (std::string path : {"/rip/feed.xml", "/rip/media/ep1.mp3", "/healthz", "/nope"}) {
    ASSERT_TRUE(c.send(get(path, {}, "HEAD")));
    auto head = c.read_response(true);
    ASSERT_TRUE(head);
    ASSERT_TRUE(c.send(get(path)));
    auto full = c.read_response();
    ASSERT_TRUE(full);
    EXPECT_EQ(head->status, full->status) << path;
    EXPECT_EQ(head->header("Content-Length"), full->header("Content-Length")) << path;
    EXPECT_EQ(head->header("Content-Length"), std::to_string(full->body.size())) << path;
    for (const auto& [k, v] : full->headers) {
      if (k != "Date") {
        EXPECT_EQ(head->all(k), full->all(k)) << path << " " << k;
      }
    }
    EXPECT_EQ(head->headers.size(), full->headers.size()) << path;
  }
  EXPECT_EQ(c.buffered(), "");  // HEAD sent no body bytes
}

TEST_F(HttpServerTest, ContentTypesByName) {
  const std::map<std::string, std::string> types = {
      {"s/feed.xml", "application/rss+xml; charset=utf-8"},
      {"s/e/transcript.vtt", "text/vtt; charset=utf-8"},
      {"s/e/transcript.srt", "application/x-subrip"},
      {"s/e/transcript.json", "application/json"},
      {"s/e/chapters.json", "application/json+chapters"},
      {"s/e/transcript.html", "text/html; charset=utf-8"},
      {"s/e/transcript.txt", "text/plain; charset=utf-8"},
      {"s/media/a.mp3", "audio/mpeg"},
      {"s/media/a.m4a", "audio/x-m4a"},
      {"s/media/a.mp4", "video/mp4"},
      {"s/media/a.ogg", "audio/ogg"},
      {"s/media/a.opus", "audio/opus"},
      {"s/media/a.flac", "audio/flac"},
      {"s/media/a.wav", "audio/wav"},
      {"s/media/cover.jpg", "image/jpeg"},
      {"s/media/cover.PNG", "image/png"},
      {"s/other.json", "application/json"},
      {"s/blob.bin", "application/octet-stream"},
      {"s/noext", "application/octet-stream"},
  };
  for (const auto& [path, type] : types) {
    write_file(root_ / path, "x");
  }
  start();
  Client c(port_);
  for (const auto& [path, type] : types) {
    ASSERT_TRUE(c.send(get("/" + path)));
    auto r = c.read_response();
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->header("Content-Type"), type) << path;
    EXPECT_EQ(r->header("Access-Control-Allow-Origin"), "*") << path;
  }
  ASSERT_TRUE(c.send(get("/s/media/a.mp3")));
  EXPECT_EQ(c.read_response()->header("Cache-Control"), "max-age=31536000");
  ASSERT_TRUE(c.send(get("/s/e/chapters.json")));
  auto ch = c.read_response();
  EXPECT_EQ(ch->header("Cache-Control"), "max-age=300");
  EXPECT_EQ(ch->header("Vary"), "Accept-Encoding");
  EXPECT_EQ(ch->count("Link"), 0);  // Link headers only on feeds
}

TEST_F(HttpServerTest, DirectoriesServeIndexHtmlOr404) {
  write_file(root_ / "site/index.html", "<p>hi</p>");
  fs::create_directories(root_ / "empty");
  start();
  Response r = fetch(get("/site/"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<p>hi</p>");
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(fetch(get("/site")).status, 200);
  EXPECT_EQ(fetch(get("/empty/")).status, 404);
  EXPECT_EQ(fetch(get("/")).status, 404);
  EXPECT_EQ(fetch(get("/missing.xml")).status, 404);
  EXPECT_EQ(fetch(get("/site/index.html/")).status, 404);  // a file is not a folder
}

TEST_F(HttpServerTest, QueryStringsAreIgnoredForFiles) {
  write_file(root_ / "rip/feed.xml", kFeed);
  start();
  Response r = fetch(get("/rip/feed.xml?since=1#frag"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kFeed);
  // absolute-form target (RFC 9112 3.2.2)
  EXPECT_EQ(fetch(get("http://test/rip/feed.xml")).body, kFeed);
}

// ---------------------------------------------------------------------------------------------
// Conditional requests

TEST_F(HttpServerTest, IfNoneMatchGives304InEveryForm) {
  write_file(root_ / "rip/feed.xml", kFeed);
  start();
  Response first = fetch(get("/rip/feed.xml"));
  std::string etag = first.header("ETag");
  for (std::string inm : {etag, "W/" + etag, "\"nope\", " + etag + ", \"other\"", "\"a\",W/" + etag,
                          std::string("*")}) {
    Response r = fetch(get("/rip/feed.xml", "If-None-Match: " + inm + "\r\n"));
    EXPECT_EQ(r.status, 304) << inm;
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.header("ETag"), etag) << inm;
    EXPECT_EQ(r.header("Last-Modified"), first.header("Last-Modified"));
    EXPECT_EQ(r.header("Cache-Control"), "max-age=300");
    EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
    EXPECT_FALSE(r.has("Content-Type"));
  }
  Response miss = fetch(get("/rip/feed.xml", "If-None-Match: \"nope\"\r\n"));
  EXPECT_EQ(miss.status, 200);
  EXPECT_EQ(miss.body, kFeed);
  // Two header lines form one list.
  Response two =
      fetch(get("/rip/feed.xml", "If-None-Match: \"x\"\r\nIf-None-Match: " + etag + "\r\n"));
  EXPECT_EQ(two.status, 304);
}

TEST_F(HttpServerTest, IfModifiedSinceAndPrecedence) {
  write_file(root_ / "rip/feed.xml", kFeed);
  set_mtime(root_ / "rip/feed.xml", 1700000000);
  start();
  auto ims = [](std::int64_t t) {
    return "If-Modified-Since: " + timefmt::format_http_date(t) + "\r\n";
  };
  EXPECT_EQ(fetch(get("/rip/feed.xml", ims(1700000000))).status, 304);
  EXPECT_EQ(fetch(get("/rip/feed.xml", ims(1700000001))).status, 304);
  EXPECT_EQ(fetch(get("/rip/feed.xml", ims(1699999999))).status, 200);
  EXPECT_EQ(fetch(get("/rip/feed.xml", "If-Modified-Since: garbage\r\n")).status, 200);
  // If-None-Match decides alone when present: a miss beats a matching date...
  EXPECT_EQ(fetch(get("/rip/feed.xml", ims(1700000000) + "If-None-Match: \"old\"\r\n")).status,
            200);
  // ...and a match beats an older date.
  std::string etag = fetch(get("/rip/feed.xml")).header("ETag");
  EXPECT_EQ(fetch(get("/rip/feed.xml", ims(1600000000) + "If-None-Match: " + etag + "\r\n")).status,
            304);
}

// ---------------------------------------------------------------------------------------------
// gzip

TEST_F(HttpServerTest, GzipFromDiskWithVaryAndEncodingAwareETags) {
  std::string body;
  for (int i = 0; i < 200; ++i) {
    body += kFeed;
  }
  write_file(root_ / "rip/feed.xml", body);
  write_file(root_ / "rip/feed.xml.gz", gzip_compress(body));
  start();
  Response plain = fetch(get("/rip/feed.xml"));
  Response gz = fetch(get("/rip/feed.xml", "Accept-Encoding: br, gzip;q=0.8\r\n"));
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(gz.status, 200);
  EXPECT_FALSE(plain.has("Content-Encoding"));
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.header("Content-Type"), "application/rss+xml; charset=utf-8");
  EXPECT_EQ(gz.header("Vary"), "Accept-Encoding");
  EXPECT_EQ(plain.header("Vary"), "Accept-Encoding");
  EXPECT_LT(gz.body.size(), body.size());
  EXPECT_EQ(gunzip(gz.body), body);
  std::string e_plain = plain.header("ETag");
  std::string e_gz = gz.header("ETag");
  EXPECT_NE(e_plain, e_gz);
  EXPECT_EQ(e_gz, e_plain.substr(0, e_plain.size() - 1) + "-gzip\"");
  // Either form revalidates either variant.
  for (const std::string& tag : {e_plain, e_gz}) {
    for (std::string ae : {"", "Accept-Encoding: gzip\r\n"}) {
      Response r = fetch(get("/rip/feed.xml", ae + "If-None-Match: " + tag + "\r\n"));
      EXPECT_EQ(r.status, 304) << tag << " " << ae;
      EXPECT_EQ(r.header("ETag"), tag);
      EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
    }
  }
  // Refusals: q=0, identity only.
  EXPECT_FALSE(
      fetch(get("/rip/feed.xml", "Accept-Encoding: gzip;q=0, *\r\n")).has("Content-Encoding"));
  EXPECT_FALSE(
      fetch(get("/rip/feed.xml", "Accept-Encoding: identity\r\n")).has("Content-Encoding"));
  EXPECT_EQ(fetch(get("/rip/feed.xml", "Accept-Encoding: *\r\n")).header("Content-Encoding"),
            "gzip");
}

TEST_F(HttpServerTest, StaleGzipIsNotServed) {
  write_file(root_ / "rip/feed.xml", kFeed);
  write_file(root_ / "rip/feed.xml.gz", gzip_compress("old body"));
  set_mtime(root_ / "rip/feed.xml.gz", 1600000000);
  set_mtime(root_ / "rip/feed.xml", 1700000000);
  start();
  Response r = fetch(get("/rip/feed.xml", "Accept-Encoding: gzip\r\n"));
  EXPECT_FALSE(r.has("Content-Encoding"));
  EXPECT_EQ(r.body, kFeed);
}

TEST_F(HttpServerTest, MediaIsNeverGzipped) {
  write_file(root_ / "rip/media/a.mp3", random_bytes(100, 2));
  write_file(root_ / "rip/media/a.mp3.gz", gzip_compress("zzz"));
  start();
  Response r = fetch(get("/rip/media/a.mp3", "Accept-Encoding: gzip\r\n"));
  EXPECT_FALSE(r.has("Content-Encoding"));
  EXPECT_FALSE(r.has("Vary"));
  EXPECT_EQ(r.body.size(), 100u);
}

// ---------------------------------------------------------------------------------------------
// Ranges

class HttpServerRangeTest : public HttpServerTest {
 protected:
  void SetUp() override {
    data_ = random_bytes(1000, 7);
    write_file(root_ / "rip/media/ep1.mp3", data_);
    set_mtime(root_ / "rip/media/ep1.mp3", 1700000000);
    start();
  }
  std::string data_;
};

TEST_F(HttpServerRangeTest, AppleCoreMediaFirstTwoBytes) {
  Response r = fetch(get("/rip/media/ep1.mp3", "Range: bytes=0-1\r\n"));
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("Content-Range"), "bytes 0-1/1000");
  EXPECT_EQ(r.header("Content-Length"), "2");
  EXPECT_EQ(r.header("Content-Type"), "audio/mpeg");
  EXPECT_EQ(r.header("Accept-Ranges"), "bytes");
  EXPECT_EQ(r.body, data_.substr(0, 2));
}

TEST_F(HttpServerRangeTest, OpenAndSuffixRanges) {
  Response open = fetch(get("/rip/media/ep1.mp3", "Range: bytes=10-\r\n"));
  EXPECT_EQ(open.status, 206);
  EXPECT_EQ(open.header("Content-Range"), "bytes 10-999/1000");
  EXPECT_EQ(open.body, data_.substr(10));
  Response suffix = fetch(get("/rip/media/ep1.mp3", "Range: bytes=-5\r\n"));
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.header("Content-Range"), "bytes 995-999/1000");
  EXPECT_EQ(suffix.header("Content-Length"), "5");
  EXPECT_EQ(suffix.body, data_.substr(995));
  Response clamp = fetch(get("/rip/media/ep1.mp3", "Range: bytes=990-5000\r\n"));
  EXPECT_EQ(clamp.header("Content-Range"), "bytes 990-999/1000");
  EXPECT_EQ(clamp.body, data_.substr(990));
  Response big_suffix = fetch(get("/rip/media/ep1.mp3", "Range: bytes=-5000\r\n"));
  EXPECT_EQ(big_suffix.header("Content-Range"), "bytes 0-999/1000");
  EXPECT_EQ(big_suffix.body, data_);
}

TEST_F(HttpServerRangeTest, UnsatisfiableGives416WithStarRange) {
  for (std::string range : {"bytes=1000-", "bytes=5000-6000", "bytes=-0"}) {
    Response r = fetch(get("/rip/media/ep1.mp3", "Range: " + range + "\r\n"));
    EXPECT_EQ(r.status, 416) << range;
    EXPECT_EQ(r.header("Content-Range"), "bytes */1000") << range;
    EXPECT_EQ(r.header("Content-Length"), "0");
    EXPECT_EQ(r.body, "");
  }
}

TEST_F(HttpServerRangeTest, InvalidAndMultiRangesGetTheWholeBody) {
  for (std::string range : {"bytes=5-2", "bytes=abc", "items=0-1", "bytes=0-1,5-6", "bytes="}) {
    Response r = fetch(get("/rip/media/ep1.mp3", "Range: " + range + "\r\n"));
    EXPECT_EQ(r.status, 200) << range;
    EXPECT_EQ(r.body, data_) << range;
  }
}

TEST_F(HttpServerRangeTest, HeadWithRange) {
  Client c(port_);
  ASSERT_TRUE(c.send(get("/rip/media/ep1.mp3", "Range: bytes=0-1\r\n", "HEAD")));
  auto r = c.read_response(true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 206);
  EXPECT_EQ(r->header("Content-Range"), "bytes 0-1/1000");
  EXPECT_EQ(r->header("Content-Length"), "2");
  // No body bytes follow: the next response on the connection parses cleanly.
  ASSERT_TRUE(c.send(get("/rip/media/ep1.mp3", "Range: bytes=2-3\r\n")));
  auto next = c.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, data_.substr(2, 2));
}

TEST_F(HttpServerRangeTest, IfRangeWithETagOrDate) {
  std::string etag = fetch(get("/rip/media/ep1.mp3")).header("ETag");
  auto with = [&](const std::string& if_range) {
    return fetch(get("/rip/media/ep1.mp3", "Range: bytes=0-1\r\nIf-Range: " + if_range + "\r\n"));
  };
  EXPECT_EQ(with(etag).status, 206);
  EXPECT_EQ(with("\"other\"").status, 200);
  EXPECT_EQ(with("W/" + etag).status, 200);  // weak tags never match If-Range
  EXPECT_EQ(with(timefmt::format_http_date(1700000000)).status, 206);
  EXPECT_EQ(with(timefmt::format_http_date(1700000001)).status, 200);
}

TEST_F(HttpServerRangeTest, RangesOnAMemoryFile) {
  auto f = std::make_shared<MemoryFile>();
  f->body = "0123456789";
  f->content_type = "text/plain; charset=utf-8";
  f->etag = "\"m1\"";
  on_io([&] { server_->put_memory_file("mem.txt", f); });
  Response r = fetch(get("/mem.txt", "Range: bytes=2-4\r\n"));
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("Content-Range"), "bytes 2-4/10");
  EXPECT_EQ(r.body, "234");
  EXPECT_EQ(fetch(get("/mem.txt", "Range: bytes=10-\r\n")).header("Content-Range"), "bytes */10");
}

// ---------------------------------------------------------------------------------------------
// Paths

TEST(NormalizeTarget, AcceptsAndNormalizes) {
  struct Case {
    std::string_view in;
    std::string_view out;
  };
  const Case cases[] = {
      {"/", ""},
      {"/rip/feed.xml", "rip/feed.xml"},
      {"//rip///feed.xml", "rip/feed.xml"},
      {"/rip/", "rip/"},
      {"/rip/feed.xml?x=1&y=/../", "rip/feed.xml"},
      {"/rip/feed.xml#frag", "rip/feed.xml"},
      {"/a%20b/c%2Bd.mp3", "a b/c+d.mp3"},
      {"/%e2%82%ac.txt", "\xe2\x82\xac.txt"},
      {"/a..b/c.", "a..b/c."},
      {"/.well-known/x", ".well-known/x"},
      {"/%252e%252e/x", "%2e%2e/x"},  // decoded once only
      {"http://example.org/rip/feed.xml", "rip/feed.xml"},
      {"HTTPS://example.org", ""},
      {"http://example.org?q", ""},
  };
  for (const auto& c : cases) {
    auto r = normalize_target(c.in);
    ASSERT_TRUE(r.has_value()) << c.in;
    EXPECT_EQ(*r, c.out) << c.in;
  }
}

TEST(NormalizeTarget, RefusesTraversalAndEncodedSeparators) {
  const std::string_view refused[] = {"",
                                      "*",
                                      "rip/feed.xml",
                                      "/../etc/passwd",
                                      "/a/../../etc/passwd",
                                      "/%2e%2e/%2e%2e/etc/passwd",
                                      "/%2E%2E/x",
                                      "/a/%2f..",
                                      "/a%2fb",
                                      "/a%2Fb",
                                      "/a%5c..%5cb",
                                      "/a\\b",
                                      "/a%00",
                                      "/a%00.mp3",
                                      "/a%0a",
                                      "/.",
                                      "/./x",
                                      "/a/.",
                                      "/a/..",
                                      "/..%2f",
                                      "/.hidden",
                                      "/rip/.feed.xml.tmp",
                                      "/%2e",
                                      "/%",
                                      "/%4",
                                      "/%zz",
                                      "/a%",
                                      "ftp://x/y",
                                      std::string_view("/a\0b", 4)};
  for (std::string_view in : refused) {
    EXPECT_FALSE(normalize_target(in).has_value()) << in;
  }
}

TEST_F(HttpServerTest, TraversalAttemptsNeverLeakFiles) {
  write_file(outside_ / "secret.txt", "TOP SECRET");
  write_file(root_ / "rip/media/a.mp3", "inside audio");
  write_file(root_ / ".hidden", "hidden");
  fs::create_symlink(outside_ / "secret.txt", root_ / "rip/link_out.txt");
  fs::create_symlink(outside_.path(), root_ / "rip/dir_out");
  fs::create_symlink("../../" + outside_.path().filename().string() + "/secret.txt",
                     root_ / "rip/rel_out.txt");
  fs::create_symlink(root_ / "rip/media/a.mp3", root_ / "rip/abs_in.mp3");
  fs::create_symlink("media/a.mp3", root_ / "rip/rel_in.mp3");
  fs::create_symlink(root_ / "rip/media", root_ / "rip/media_link");
  start();
  std::string rel_outside = "/../" + outside_.path().filename().string() + "/secret.txt";
  for (std::string target :
       {std::string("/../etc/passwd"), std::string("/%2e%2e/%2e%2e/etc/passwd"),
        std::string("/rip/%2f..%2f..%2fetc%2fpasswd"), std::string("/a/%2f.."),
        std::string("/rip/media/a.mp3%00"), std::string("/a%00"), rel_outside,
        std::string("/rip/link_out.txt"), std::string("/rip/dir_out/secret.txt"),
        std::string("/rip/rel_out.txt"), std::string("/.hidden"), std::string("/rip/..%5c..%5c"),
        std::string("/rip/media/..%2f..%2f..%2fsecret.txt")}) {
    Client c(port_);
    ASSERT_TRUE(c.send(get(target)));
    auto r = c.read_response();
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 404) << target;
    EXPECT_EQ(r->body.find("SECRET"), std::string::npos) << target;
  }
  // Symlinks that stay inside root are fine, relative or absolute.
  EXPECT_EQ(fetch(get("/rip/rel_in.mp3")).body, "inside audio");
  EXPECT_EQ(fetch(get("/rip/abs_in.mp3")).body, "inside audio");
  EXPECT_EQ(fetch(get("/rip/media_link/a.mp3")).body, "inside audio");
}

TEST_F(HttpServerTest, NonRegularFilesAreNotServed) {
  fs::create_directories(root_ / "rip");
  ASSERT_EQ(::mkfifo((root_ / "rip/pipe.mp3").c_str(), 0600), 0);
  start();
  EXPECT_EQ(fetch(get("/rip/pipe.mp3")).status, 404);  // and the open did not block
}

// ---------------------------------------------------------------------------------------------
// Memory files

std::shared_ptr<MemoryFile> memory_feed(const std::string& body, const std::string& etag) {
  auto f = std::make_shared<MemoryFile>();
  f->body = body;
  f->gzip = gzip_compress(body);
  f->content_type = "application/rss+xml; charset=utf-8";
  f->etag = etag;
  f->last_modified = 1700000000;
  return f;
}

TEST_F(HttpServerTest, MemoryFilesTakePrecedenceWithSameSemantics) {
  write_file(root_ / "rip/feed.xml", "disk version");
  start();
  on_io([&] { server_->put_memory_file("rip/feed.xml", memory_feed(kFeed, "\"abc123\"")); });
  Response r = fetch(get("/rip/feed.xml"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kFeed);
  EXPECT_EQ(r.header("ETag"), "\"abc123\"");
  EXPECT_EQ(r.header("Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(r.header("Content-Type"), "application/rss+xml; charset=utf-8");
  EXPECT_EQ(r.header("Cache-Control"), "max-age=300");
  EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
  auto links = r.all("Link");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[1], "<https://pod.example.org/rip/feed.xml>; rel=\"self\"");

  Response gz = fetch(get("/rip/feed.xml", "Accept-Encoding: gzip, deflate\r\n"));
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.header("ETag"), "\"abc123-gzip\"");
  EXPECT_EQ(gunzip(gz.body), kFeed);

  for (std::string inm : {"\"abc123\"", "\"abc123-gzip\"", "W/\"abc123\""}) {
    EXPECT_EQ(fetch(get("/rip/feed.xml", "If-None-Match: " + inm + "\r\n")).status, 304) << inm;
    EXPECT_EQ(fetch(get("/rip/feed.xml", "Accept-Encoding: gzip\r\nIf-None-Match: " + inm + "\r\n"))
                  .status,
              304)
        << inm;
  }
  EXPECT_EQ(
      fetch(get("/rip/feed.xml", "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n")).status,
      304);
  Response head = fetch(get("/rip/feed.xml", {}, "HEAD"), true);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(kFeed.size()));

  on_io([&] { server_->remove_memory_file("rip/feed.xml"); });
  EXPECT_EQ(fetch(get("/rip/feed.xml")).body, "disk version");
}

TEST_F(HttpServerTest, MemoryFileWithoutETagGetsAContentHash) {
  start();
  auto f = std::make_shared<MemoryFile>();
  f->body = "{\"a\":1}";
  on_io([&] { server_->put_memory_file("x/chapters.json", f); });
  Response r = fetch(get("/x/chapters.json"));
  EXPECT_EQ(r.header("Content-Type"), "application/json+chapters");
  EXPECT_EQ(r.header("ETag").size(), 18u);
  EXPECT_FALSE(r.has("Last-Modified"));
  EXPECT_EQ(fetch(get("/x/chapters.json", "If-None-Match: " + r.header("ETag") + "\r\n")).status,
            304);
}

TEST_F(HttpServerTest, MemoryFileSwapDoesNotDisturbARequestInFlight) {
  start();
  const std::size_t size = 16 * 1024 * 1024;
  auto old_file = std::make_shared<MemoryFile>();
  old_file->body.assign(size, 'a');
  old_file->content_type = "text/plain; charset=utf-8";
  on_io([&] { server_->put_memory_file("big.txt", old_file); });
  old_file.reset();  // the server's shared_ptr (and the request's) are the only owners now

  Client c(port_, false, 8192);
  ASSERT_TRUE(c.send(get("/big.txt")));
  // Read the head and a little of the body; the server is now blocked writing the rest.
  auto deadline = Clock::now() + 10s;
  while (c.buffered().find("\r\n\r\n") == std::string::npos || c.buffered().size() < 10000) {
    ASSERT_TRUE(c.fill(deadline));
  }
  auto new_file = std::make_shared<MemoryFile>();
  new_file->body.assign(100, 'b');
  new_file->content_type = "text/plain; charset=utf-8";
  on_io([&] { server_->put_memory_file("big.txt", new_file); });
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), size);
  EXPECT_EQ(r->body.find_first_not_of('a'), std::string::npos);
  ASSERT_TRUE(c.send(get("/big.txt")));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->body, std::string(100, 'b'));
}

// ---------------------------------------------------------------------------------------------
// Protocol limits and errors

TEST_F(HttpServerTest, OtherMethodsGet405WithAllow) {
  start();
  Client c(port_);
  ASSERT_TRUE(c.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->header("Allow"), "GET, HEAD");
  EXPECT_EQ(r->header("Connection"), "close");  // the unread body ends the connection
  EXPECT_TRUE(c.wait_closed());
  // Without a body the connection stays usable.
  Client d(port_);
  ASSERT_TRUE(d.send("DELETE /x HTTP/1.1\r\nHost: t\r\n\r\n" + get("/healthz")));
  EXPECT_EQ(d.read_response()->status, 405);
  EXPECT_EQ(d.read_response()->status, 200);
}

TEST_F(HttpServerTest, RequestBodiesAreRefused) {
  start();
  Client c(port_);
  ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.wait_closed());
  Client d(port_);
  ASSERT_TRUE(
      d.send("GET /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  EXPECT_EQ(d.read_response()->status, 413);
}

TEST_F(HttpServerTest, HugeHeadersGet431) {
  start();
  Client c(port_);
  std::string req =
      "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(10000, 'x') + "\r\n\r\n";
  c.send(req);  // the server may close before reading everything
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(c.wait_closed());
  // Many small headers count too.
  Client d(port_);
  std::string many = "GET /healthz HTTP/1.1\r\nHost: t\r\n";
  for (int i = 0; i < 1000; ++i) {
    many += "X-H" + std::to_string(i) + ": v\r\n";
  }
  d.send(many + "\r\n");
  EXPECT_EQ(d.read_response()->status, 431);
}

TEST_F(HttpServerTest, MalformedRequestsGet400) {
  start();
  for (std::string req : {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9\r\n\r\n"),
                          std::string("GET /healthz HTTP/1.1\r\n\r\n"),  // no Host
                          std::string("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")}) {
    Client c(port_);
    ASSERT_TRUE(c.send(req));
    auto r = c.read_response();
    ASSERT_TRUE(r) << req;
    EXPECT_EQ(r->status, 400) << req;
    EXPECT_TRUE(c.wait_closed()) << req;
  }
  // HTTP/1.0 needs no Host and closes after the response.
  Client c(port_);
  ASSERT_TRUE(c.send("GET /healthz HTTP/1.0\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(HttpServerTest, Http10KeepAlive) {
  start();
  Client c(port_);
  ASSERT_TRUE(c.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Connection"), "keep-alive");
  ASSERT_TRUE(c.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_EQ(c.read_response()->status, 200);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  write_file(root_ / "a.txt", "AAA");
  write_file(root_ / "b.txt", "BB");
  start();
  Client c(port_);
  ASSERT_TRUE(c.send(get("/a.txt") + get("/b.txt", {}, "HEAD") + get("/b.txt") + get("/nope") +
                     get("/a.txt", "Connection: close\r\n")));
  EXPECT_EQ(c.read_response()->body, "AAA");
  EXPECT_EQ(c.read_response(true)->header("Content-Length"), "2");
  EXPECT_EQ(c.read_response()->body, "BB");
  EXPECT_EQ(c.read_response()->status, 404);
  auto last = c.read_response();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->body, "AAA");
  EXPECT_EQ(last->header("Connection"), "close");
  EXPECT_TRUE(c.wait_closed());
}

// ---------------------------------------------------------------------------------------------
// Timeouts and connection limits

TEST_F(HttpServerTest, SlowClientIsCutOffAtRequestTimeout) {
  auto o = default_options();
  o.request_timeout = 300ms;
  o.idle_timeout = 10s;
  start(o);
  Client c(port_);
  ASSERT_TRUE(c.connected());
  const std::string req = get("/healthz", "X-Slow: " + std::string(200, 'x') + "\r\n");
  auto begin = Clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < req.size() && Clock::now() - begin < 5s; ++i) {
    if (!c.send(req.substr(i, 1)) || c.closed_now()) {
      closed = true;
      break;
    }
    std::this_thread::sleep_for(20ms);  // a trickle: one byte per 20 ms
  }
  if (!closed) {
    closed = c.wait_closed(5s);
  }
  auto elapsed = Clock::now() - begin;
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, 2s);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_EQ(c.buffered().find("HTTP/1.1 200"), std::string::npos);
}

TEST_F(HttpServerTest, SlowClientAfterKeepAliveIsCutOffToo) {
  auto o = default_options();
  o.request_timeout = 300ms;
  o.idle_timeout = 10s;
  start(o);
  Client c(port_);
  ASSERT_TRUE(c.send(get("/healthz")));
  ASSERT_TRUE(c.read_response());
  auto begin = Clock::now();
  bool closed = false;
  std::string req = get("/healthz", "X-Slow: " + std::string(200, 'x') + "\r\n");
  for (std::size_t i = 0; i < req.size() && Clock::now() - begin < 5s; ++i) {
    if (!c.send(req.substr(i, 1)) || c.closed_now()) {
      closed = true;
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(closed || c.wait_closed(5s));
  EXPECT_LT(Clock::now() - begin, 2s);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionsAreClosed) {
  auto o = default_options();
  o.idle_timeout = 200ms;
  start(o);
  Client c(port_);
  ASSERT_TRUE(c.send(get("/healthz")));
  ASSERT_TRUE(c.read_response());
  auto begin = Clock::now();
  EXPECT_TRUE(c.wait_closed(5s));
  auto elapsed = Clock::now() - begin;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_TRUE(podcastd::testing::wait_until([&] { return connections() == 0; }, 5s));
}

TEST_F(HttpServerTest, ConnectionsBeyondTheCapGet503) {
  auto o = default_options();
  o.max_connections = 2;
  start(o);
  Client a(port_);
  Client b(port_);
  for (Client* c : {&a, &b}) {
    ASSERT_TRUE(c->send(get("/healthz")));
    ASSERT_TRUE(c->read_response());
  }
  EXPECT_EQ(connections(), 2u);
  Client extra(port_);
  auto r = extra.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("Retry-After"), "5");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(extra.wait_closed());
  // The open ones still work; a slot freed is usable again.
  ASSERT_TRUE(a.send(get("/healthz", "Connection: close\r\n")));
  ASSERT_TRUE(a.read_response());
  EXPECT_TRUE(podcastd::testing::wait_until([&] { return connections() == 1; }, 5s));
  Client again(port_);
  ASSERT_TRUE(again.send(get("/healthz")));
  auto ok = again.read_response();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_NE(metrics_.render().find("http_connections_rejected_total 1\n"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// /healthz, /metrics, /api

TEST_F(HttpServerTest, HealthzDefaultAndCustom) {
  start();
  Response r = fetch(get("/healthz"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_EQ(r.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  on_io([&] {
    server_->set_health_handler(
        [] { return std::pair<int, std::string>(503, "publishing stuck\n"); });
  });
  Response bad = fetch(get("/healthz"));
  EXPECT_EQ(bad.status, 503);
  EXPECT_EQ(bad.body, "publishing stuck\n");
  on_io([&] {
    server_->set_health_handler(
        []() -> std::pair<int, std::string> { throw std::runtime_error("x"); });
  });
  EXPECT_EQ(fetch(get("/healthz")).status, 500);
}

TEST_F(HttpServerTest, MetricsEndpointCountsRequests) {
  start();
  fetch(get("/healthz"));
  fetch(get("/missing"));
  Response r = fetch(get("/metrics"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("# TYPE http_requests_total counter\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("http_requests_total{status=\"200\"} 1\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("http_requests_total{status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(r.body.find("# TYPE http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(r.body.find("http_request_duration_seconds_count 2\n"), std::string::npos);
  EXPECT_NE(r.body.find("# TYPE http_connections gauge\nhttp_connections 1\n"), std::string::npos);
  EXPECT_NE(r.body.find("# TYPE http_response_bytes_total counter\n"), std::string::npos);
}

TEST_F(HttpServerTest, ApiRunsOnTheBlockingExecutor) {
  asio::thread_pool pool(2);
  auto o = default_options();
  o.blocking_executor = pool.get_executor();
  start(o);
  std::atomic<bool> off_io{false};
  std::string seen_path;
  std::string seen_query;
  std::mutex mu;
  on_io([&] {
    server_->set_api_handler([&](const ApiRequest& req) {
      off_io = std::this_thread::get_id() != io_id_;
      std::lock_guard lock(mu);
      seen_path = req.path;
      seen_query = req.query;
      if (req.path == "/boom") {
        throw std::runtime_error("database is locked");
      }
      return ApiResponse{200, "application/json", "{\"shows\":[]}"};
    });
  });
  Response r = fetch(get("/api/shows/rip/episodes?q=rust&limit=10"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"shows\":[]}");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_TRUE(off_io);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(seen_path, "/shows/rip/episodes");
    EXPECT_EQ(seen_query, "q=rust&limit=10");
  }
  EXPECT_EQ(
      fetch(get("/api/shows/rip/episodes", "If-None-Match: " + r.header("ETag") + "\r\n")).status,
      304);
  Response head = fetch(get("/api/x", {}, "HEAD"), true);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(r.body.size()));
  Response boom = fetch(get("/api/boom"));
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(boom.header("Content-Type"), "application/json");
  // Several at once, on one connection each.
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<Client>(port_));
    ASSERT_TRUE(clients.back()->send(get("/api/shows")));
  }
  for (auto& c : clients) {
    auto cr = c->read_response();
    ASSERT_TRUE(cr);
    EXPECT_EQ(cr->status, 200);
  }
  on_io([&] {
    server_->stop(0ms);
    server_.reset();
  });
  pool.join();
}

TEST_F(HttpServerTest, ApiWithoutHandlerIs404Json) {
  start();
  Response r = fetch(get("/api/shows"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.body, "{\"error\":\"not found\"}");
}

// ---------------------------------------------------------------------------------------------
// Listening, socket activation, options, stop

TEST_F(HttpServerTest, ListensOnIpv6Loopback) {
  start();
  std::optional<unsigned short> port;
  on_io([&] {
    auto ep = server_->listen("[::1]:0");
    if (ep) {
      port = ep->port();
    }
  });
  if (!port) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  Client c(*port, true);
  ASSERT_TRUE(c.send(get("/healthz")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServerTest, ListenErrorsNameTheAddress) {
  start();
  on_io([&] {
    auto bad = server_->listen("nonsense");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(bad.error().message.find("\"nonsense\""), std::string::npos);
    EXPECT_FALSE(server_->listen("::1:80").ok());
    EXPECT_FALSE(server_->listen("127.0.0.1:99999").ok());
    auto busy = server_->listen("127.0.0.1:" + std::to_string(port_));
    ASSERT_FALSE(busy.ok());
    EXPECT_EQ(busy.error().code, ErrorCode::io);
    EXPECT_NE(busy.error().message.find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
        << busy.error().message;
  });
}

TEST_F(HttpServerTest, AdoptsAListeningSocket) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  on_io([&] {
    server_ = std::make_unique<HttpServer>(ioc_.get_executor(), default_options(), metrics_);
  });
  // Not listening yet: refused, and the fd stays the caller's.
  on_io([&] { EXPECT_FALSE(server_->adopt(fd).ok()); });
  ASSERT_EQ(::listen(fd, 16), 0);
  unsigned short port = 0;
  on_io([&] {
    auto ep = server_->adopt(fd);
    ASSERT_TRUE(ep.ok()) << ep.error().message;
    port = ep->port();
  });
  Client c(port);
  ASSERT_TRUE(c.send(get("/healthz")));
  EXPECT_EQ(c.read_response()->status, 200);
}

TEST_F(HttpServerTest, UpdateOptionsChangesHeadersForNewRequests) {
  start();
  on_io([&] { server_->put_memory_file("s/feed.xml", memory_feed(kFeed, "\"e\"")); });
  EXPECT_EQ(fetch(get("/s/feed.xml")).header("Cache-Control"), "max-age=300");
  auto o = default_options();
  o.cache_max_age_s = 900;
  o.hubs.clear();
  o.public_url = "https://new.example.org";
  on_io([&] { server_->update_options(o); });
  Response r = fetch(get("/s/feed.xml"));
  EXPECT_EQ(r.header("Cache-Control"), "max-age=900");
  auto links = r.all("Link");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0], "<https://new.example.org/s/feed.xml>; rel=\"self\"");
}

TEST(HttpServerStop, RunReturnsAfterStopWithIdleAndBusyConnections) {
  TempDir root;
  Metrics metrics;
  asio::io_context ioc{1};
  HttpServerOptions o;
  o.root = root.path();
  auto server = std::make_unique<HttpServer>(ioc.get_executor(), o, metrics);
  auto ep = server->listen("127.0.0.1:0");
  ASSERT_TRUE(ep.ok());
  auto big = std::make_shared<MemoryFile>();
  big->body.assign(32 * 1024 * 1024, 'z');
  server->put_memory_file("big.bin", big);
  std::atomic<bool> returned{false};
  std::thread io([&] {
    ioc.run();
    returned = true;
  });
  Client idle(ep->port());
  ASSERT_TRUE(idle.send(get("/healthz")));
  ASSERT_TRUE(idle.read_response());
  Client busy(ep->port(), false, 4096);
  ASSERT_TRUE(busy.send(get("/big.bin")));
  auto deadline = Clock::now() + 5s;
  while (busy.buffered().size() < 1000) {
    ASSERT_TRUE(busy.fill(deadline));
  }
  // The busy client stops reading; stop() closes the idle one at once and the busy one after
  // the grace period, and then run() returns by itself.
  auto begin = Clock::now();
  asio::post(ioc, [&] { server->stop(300ms); });
  EXPECT_TRUE(idle.wait_closed(2s));
  EXPECT_TRUE(podcastd::testing::wait_until([&] { return returned.load(); }, 10s));
  EXPECT_GE(Clock::now() - begin, 250ms);
  EXPECT_LT(Clock::now() - begin, 5s);
  if (!returned) {
    ioc.stop();
  }
  io.join();
  Client refused(ep->port());
  EXPECT_FALSE(refused.connected() && refused.send(get("/healthz")) &&
               refused.read_response(false, 500ms));
  server.reset();
}

TEST(HttpServerStop, InFlightResponseFinishesWithinGrace) {
  TempDir root;
  Metrics metrics;
  asio::io_context ioc{1};
  HttpServerOptions o;
  o.root = root.path();
  auto server = std::make_unique<HttpServer>(ioc.get_executor(), o, metrics);
  auto ep = server->listen("127.0.0.1:0");
  ASSERT_TRUE(ep.ok());
  auto big = std::make_shared<MemoryFile>();
  big->body.assign(8 * 1024 * 1024, 'q');
  server->put_memory_file("big.bin", big);
  std::thread io([&] { ioc.run(); });
  Client c(ep->port(), false, 4096);
  ASSERT_TRUE(c.send(get("/big.bin")));
  auto deadline = Clock::now() + 5s;
  while (c.buffered().size() < 1000) {
    ASSERT_TRUE(c.fill(deadline));
  }
  asio::post(ioc, [&] { server->stop(10s); });
  auto r = c.read_response();  // reading resumes: the whole body arrives
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), big->body.size());
  EXPECT_EQ(r->header("Connection"), "<absent>");  // the head went out before stop()
  EXPECT_TRUE(c.wait_closed(5s));
  io.join();  // returns without waiting for the 10 s grace
  server.reset();
}

TEST(HttpSimulate, MapsRawBytesToAResponseHead) {
  TempDir root;
  write_file(root / "rip/feed.xml", kFeed);
  HttpServerOptions o;
  o.root = root.path();
  std::string head = simulate_request(get("/rip/feed.xml"), o);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Length: " + std::to_string(kFeed.size()) + "\r\n"),
            std::string::npos);
  EXPECT_EQ(simulate_request(get("/../etc/passwd"), o).rfind("HTTP/1.1 404", 0), 0u);
  EXPECT_EQ(simulate_request("GET / HTTP/1.1\r\nHost: x\r\n", o), "");  // incomplete
  EXPECT_EQ(simulate_request("BAD\r\n\r\n", o).rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(simulate_request(get("/x", "X: " + std::string(9000, 'a') + "\r\n"), o)
                .rfind("HTTP/1.1 431", 0),
            0u);
}

}  // namespace
}  // namespace podcastd::daemon
