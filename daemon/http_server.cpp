#include "daemon/http_server.hpp"

#include "catalog/hash.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "daemon/log.hpp"
#include "daemon/metrics.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace podcastd::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr std::size_t kReadChunk = 4096;
constexpr std::size_t kFileChunk = 64 * 1024;
constexpr std::size_t kMemoryChunk = 256 * 1024;
constexpr std::size_t kPipelineSlack = 4096;  // buffered input beyond one header
constexpr std::size_t kLingerBytes = 256 * 1024;
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr int kMaxRejecting = 64;
constexpr int kMediaMaxAge = 31536000;  // audio/video never change in place (STANDARDS 5.5)
constexpr int kImageMaxAge = 86400;     // artwork may be replaced at the same URL

// ---------------------------------------------------------------------------------------------
// Small text helpers (ASCII only; HTTP tokens are ASCII; case-insensitive comparisons are
// text::iequals_ascii and friends).

// Optional white space as HTTP defines it (space and tab only; text::trim takes more).
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = text::ascii_lower(c);
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// Writes the IMF-fixdate of `t` to buf (29 chars, no NUL).
std::size_t format_http_date_to(char* buf, std::int64_t t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (t < 0) {
    t = 0;
  }
  std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  auto c = timefmt::civil_from_days(days);
  int wd = timefmt::weekday(days);
  char tmp[64];
  int n =
      std::snprintf(tmp, sizeof tmp, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[wd % 7], c.day,
                    kMonths[(c.month - 1) % 12], c.year % 10000, static_cast<int>(secs / 3600),
                    static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  n = std::clamp(n, 0, 29);
  std::copy(tmp, tmp + n, buf);
  return static_cast<std::size_t>(n);
}

// The Date header value, formatted at most once per second per thread.
std::string_view current_http_date() {
  thread_local std::int64_t cached = -1;
  thread_local char buf[32];
  thread_local std::size_t len = 0;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  if (now != cached) {
    len = format_http_date_to(buf, now);
    cached = now;
  }
  return {buf, len};
}

std::string_view reason_line(int status) {
  switch (status) {
    case 200:
      return "OK\n";
    case 201:
      return "Created\n";
    case 202:
      return "Accepted\n";
    case 204:
      return "No Content\n";
    case 206:
      return "Partial Content\n";
    case 301:
      return "Moved Permanently\n";
    case 302:
      return "Found\n";
    case 304:
      return "Not Modified\n";
    case 307:
      return "Temporary Redirect\n";
    case 308:
      return "Permanent Redirect\n";
    case 400:
      return "Bad Request\n";
    case 401:
      return "Unauthorized\n";
    case 403:
      return "Forbidden\n";
    case 404:
      return "Not Found\n";
    case 405:
      return "Method Not Allowed\n";
    case 408:
      return "Request Timeout\n";
    case 409:
      return "Conflict\n";
    case 410:
      return "Gone\n";
    case 413:
      return "Content Too Large\n";
    case 416:
      return "Range Not Satisfiable\n";
    case 422:
      return "Unprocessable Content\n";
    case 429:
      return "Too Many Requests\n";
    case 431:
      return "Request Header Fields Too Large\n";
    case 500:
      return "Internal Server Error\n";
    case 501:
      return "Not Implemented\n";
    case 502:
      return "Bad Gateway\n";
    case 503:
      return "Service Unavailable\n";
    case 504:
      return "Gateway Timeout\n";
    default:
      return "Unknown\n";
  }
}

std::string_view reason(int status) {
  auto r = reason_line(status);
  return r.substr(0, r.size() - 1);
}

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_ = -1;
};

// ---------------------------------------------------------------------------------------------
// Content types

enum class Kind { feed, av, image, other };

struct TypeInfo {
  std::string_view type;
  Kind kind = Kind::other;
  bool compressible = false;
};

TypeInfo type_for_path(std::string_view rel) {
  auto slash = rel.rfind('/');
  std::string_view name = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
  if (name == "feed.xml") {
    return {"application/rss+xml; charset=utf-8", Kind::feed, true};
  }
  if (name == "chapters.json") {
    return {"application/json+chapters", Kind::other, true};
  }
  auto dot = name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  struct Entry {
    std::string_view ext;
    TypeInfo info;
  };
  static constexpr Entry kTypes[] = {
      {"mp3", {"audio/mpeg", Kind::av, false}},
      {"m4a", {"audio/x-m4a", Kind::av, false}},
      {"mp4", {"video/mp4", Kind::av, false}},
      {"m4v", {"video/x-m4v", Kind::av, false}},
      {"mov", {"video/quicktime", Kind::av, false}},
      {"ogg", {"audio/ogg", Kind::av, false}},
      {"oga", {"audio/ogg", Kind::av, false}},
      {"opus", {"audio/opus", Kind::av, false}},
      {"flac", {"audio/flac", Kind::av, false}},
      {"wav", {"audio/wav", Kind::av, false}},
      {"aac", {"audio/aac", Kind::av, false}},
      {"jpg", {"image/jpeg", Kind::image, false}},
      {"jpeg", {"image/jpeg", Kind::image, false}},
      {"png", {"image/png", Kind::image, false}},
      {"webp", {"image/webp", Kind::image, false}},
      {"gif", {"image/gif", Kind::image, false}},
      {"vtt", {"text/vtt; charset=utf-8", Kind::other, true}},
      {"srt", {"application/x-subrip", Kind::other, true}},
      {"json", {"application/json", Kind::other, true}},
      {"html", {"text/html; charset=utf-8", Kind::other, true}},
      {"htm", {"text/html; charset=utf-8", Kind::other, true}},
      {"txt", {"text/plain; charset=utf-8", Kind::other, true}},
      {"rss", {"application/rss+xml; charset=utf-8", Kind::feed, true}},
      {"xml", {"application/xml; charset=utf-8", Kind::other, true}},
      {"gz", {"application/gzip", Kind::other, false}},
  };
  for (const auto& e : kTypes) {
    if (text::iequals_ascii(ext, e.ext)) {
      return e.info;
    }
  }
  return {"application/octet-stream", Kind::other, false};
}

// ---------------------------------------------------------------------------------------------
// Requests

// The parts of a request head the server uses. Reused across requests (clear() keeps capacity).
struct Request {
  http::verb method = http::verb::unknown;
  int version = 11;
  std::string target;
  std::string if_none_match;  // all If-None-Match lines joined with ','
  std::string if_modified_since;
  std::string if_range;
  std::string range;
  std::string accept_encoding;  // all lines joined with ','
  bool has_inm = false;
  bool has_ae = false;
  int ims_count = 0;
  int if_range_count = 0;
  int range_count = 0;
  int host_count = 0;
  bool keep_alive = true;
  bool has_body = false;

  void clear() {
    method = http::verb::unknown;
    version = 11;
    target.clear();
    if_none_match.clear();
    if_modified_since.clear();
    if_range.clear();
    range.clear();
    accept_encoding.clear();
    has_inm = has_ae = false;
    ims_count = if_range_count = range_count = host_count = 0;
    keep_alive = true;
    has_body = false;
  }
};

void append_list(std::string& to, std::string_view value) {
  if (!to.empty()) {
    to += ',';
  }
  to += value;
}

// A header-only request parser that keeps just the fields the server needs, so parsing
// allocates nothing once the Request's strings have grown. Bodies are never read.
//
// It also enforces `limit` on the whole head: Beast 1.74's header_limit only bounds the part
// of the head not yet consumed, and the parser consumes complete fields as they arrive.
class RequestParser final : public http::basic_parser<true> {
 public:
  RequestParser(Request& req, std::size_t limit) : req_(req), limit_(limit) {
    req_.clear();
    header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limit, UINT32_MAX)));
  }

 private:
  void on_request_impl(http::verb method, std::string_view method_text, std::string_view target,
                       int version, error_code& ec) override {
    req_.method = method;
    req_.target.assign(target.data(), target.size());
    req_.version = version;
    used_ = method_text.size() + target.size() + 12;  // "M T HTTP/1.1\r\n"
    if (used_ > limit_) {
      ec = http::error::header_limit;
    }
  }
  void on_response_impl(int, std::string_view, int, error_code&) override {}
  void on_field_impl(http::field name, std::string_view name_text, std::string_view value,
                     error_code& ec) override {
    used_ += name_text.size() + value.size() + 4;  // ": " and CRLF
    if (used_ > limit_) {
      ec = http::error::header_limit;
      return;
    }
    switch (name) {
      case http::field::if_none_match:
        append_list(req_.if_none_match, value);
        req_.has_inm = true;
        break;
      case http::field::if_modified_since:
        req_.if_modified_since.assign(value.data(), value.size());
        ++req_.ims_count;
        break;
      case http::field::if_range:
        req_.if_range.assign(value.data(), value.size());
        ++req_.if_range_count;
        break;
      case http::field::range:
        req_.range.assign(value.data(), value.size());
        ++req_.range_count;
        break;
      case http::field::accept_encoding:
        append_list(req_.accept_encoding, value);
        req_.has_ae = true;
        break;
      case http::field::host:
        ++req_.host_count;
        break;
      default:
        break;
    }
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(boost::optional<std::uint64_t> const&, error_code&) override {}
  std::size_t on_body_impl(std::string_view body, error_code&) override { return body.size(); }
  void on_chunk_header_impl(std::uint64_t, std::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, std::string_view body, error_code&) override {
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  Request& req_;
  std::size_t limit_;
  std::size_t used_ = 0;
};

// After a successful header parse: copies what Beast derived from the head.
void finish_request(const RequestParser& parser, Request& req) {
  req.keep_alive = parser.keep_alive();
  auto length = parser.content_length();
  req.has_body = parser.chunked() || (length && *length > 0);
}

// 431 for oversized heads, 400 for malformed ones, 0 when the client just went away or was
// too slow (nothing is sent then).
int status_for_read_error(const error_code& ec) {
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return 431;
  }
  if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message &&
      ec != http::error::need_more) {
    return 400;
  }
  return 0;
}

// Accept-Encoding allows gzip (RFC 9110 12.5.3): gzip or x-gzip with q > 0, else `*` with q > 0.
bool accepts_gzip(std::string_view value) {
  int gzip = -1;  // -1 unknown, 0 refused, 1 accepted
  int star = -1;
  while (!value.empty()) {
    auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view coding = trim(item.substr(0, semi));
    bool zero = false;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      while (!params.empty()) {
        auto s2 = params.find(';');
        std::string_view p = trim(params.substr(0, s2));
        params = s2 == std::string_view::npos ? std::string_view{} : params.substr(s2 + 1);
        if (p.size() >= 2 && text::ascii_lower(p[0]) == 'q' && p[1] == '=') {
          std::string_view q = trim(p.substr(2));
          zero = !q.empty() && q[0] == '0' &&
                 std::all_of(q.begin() + 1, q.end(), [](char c) { return c == '0' || c == '.'; });
        }
      }
    }
    if (text::iequals_ascii(coding, "gzip") || text::iequals_ascii(coding, "x-gzip")) {
      gzip = zero ? 0 : 1;
    } else if (coding == "*") {
      star = zero ? 0 : 1;
    }
  }
  if (gzip >= 0) {
    return gzip == 1;
  }
  return star == 1;
}

std::string_view strip_weak(std::string_view tag) {
  if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') {
    tag.remove_prefix(2);
  }
  return tag;
}

// Parses digits into *out, saturating at UINT64_MAX. False when `s` is empty or not all digits.
bool parse_digits(std::string_view s, std::uint64_t* out) {
  if (s.empty()) {
    return false;
  }
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
    unsigned d = static_cast<unsigned>(c - '0');
    v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
  }
  *out = v;
  return true;
}

enum class RangeResult { ignore, unsatisfiable, ok };

// One `bytes=` range against a representation of `total` bytes -> [*first, *last].
RangeResult parse_range(std::string_view value, std::uint64_t total, std::uint64_t* first,
                        std::uint64_t* last) {
  value = trim(value);
  if (!text::istarts_with_ascii(value, "bytes")) {
    return RangeResult::ignore;
  }
  value = trim(value.substr(5));
  if (value.empty() || value[0] != '=') {
    return RangeResult::ignore;
  }
  value.remove_prefix(1);
  std::string_view spec;
  int count = 0;
  while (!value.empty()) {
    auto comma = value.find(',');
    std::string_view item = trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    if (!item.empty()) {
      if (++count == 1) {
        spec = item;
      }
    }
  }
  if (count != 1) {
    return RangeResult::ignore;  // none, or several: answered with the whole body
  }
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) {
    return RangeResult::ignore;
  }
  std::string_view left = trim(spec.substr(0, dash));
  std::string_view right = trim(spec.substr(dash + 1));
  if (left.empty()) {
    std::uint64_t n = 0;
    if (!parse_digits(right, &n)) {
      return RangeResult::ignore;
    }
    if (n == 0 || total == 0) {
      return RangeResult::unsatisfiable;
    }
    n = std::min(n, total);
    *first = total - n;
    *last = total - 1;
    return RangeResult::ok;
  }
  std::uint64_t a = 0;
  std::uint64_t b = UINT64_MAX;
  if (!parse_digits(left, &a) || (!right.empty() && !parse_digits(right, &b)) || b < a) {
    return RangeResult::ignore;
  }
  if (a >= total) {
    return RangeResult::unsatisfiable;
  }
  *first = a;
  *last = std::min(b, total - 1);
  return RangeResult::ok;
}

// ---------------------------------------------------------------------------------------------
// Path normalization

// normalize_target into a caller-owned string (no allocation once `out` has grown).
bool normalize_into(std::string_view target, std::string& out) {
  out.clear();
  if (target.empty()) {
    return false;
  }
  if (target[0] != '/') {
    // absolute-form (RFC 9112 3.2.2): drop scheme and authority.
    if (text::istarts_with_ascii(target, "http://")) {
      target.remove_prefix(7);
    } else if (text::istarts_with_ascii(target, "https://")) {
      target.remove_prefix(8);
    } else {
      return false;
    }
    auto end = target.find_first_of("/?#");
    if (end == std::string_view::npos || target[end] != '/') {
      target = "/";
    } else {
      target.remove_prefix(end);
    }
  }
  auto query = target.find_first_of("?#");
  if (query != std::string_view::npos) {
    target = target.substr(0, query);
  }
  std::size_t seg_start = 0;
  // Checks the segment out[seg_start..]; empty ones are collapsed by the caller.
  auto segment_ok = [&]() {
    std::string_view seg(out.data() + seg_start, out.size() - seg_start);
    return seg.empty() || seg[0] != '.' || seg == ".well-known";
  };
  for (std::size_t i = 0; i < target.size(); ++i) {
    char c = target[i];
    if (c == '/') {
      if (!segment_ok()) {
        return false;
      }
      if (out.size() > seg_start) {
        out += '/';
        seg_start = out.size();
      }
      continue;
    }
    if (c == '%') {
      if (i + 2 >= target.size()) {
        return false;
      }
      int hi = hex_value(target[i + 1]);
      int lo = hex_value(target[i + 2]);
      if (hi < 0 || lo < 0) {
        return false;
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
      if (c == '/') {
        return false;
      }
    }
    auto u = static_cast<unsigned char>(c);
    if (c == '\\' || u < 0x20 || u == 0x7f) {
      return false;
    }
    out += c;
  }
  return segment_ok();
}

// ---------------------------------------------------------------------------------------------
// The served root: files are opened below a directory fd and never outside it.

class RootDir {
 public:
  explicit RootDir(std::filesystem::path root) : root_(std::move(root)) {}

  // Opens `rel` ("" = root) read-only below root and fstat()s it. On failure returns an empty
  // fd and sets *err (errno value; EXDEV when the path resolves outside root).
  UniqueFd open(const std::string& rel, struct stat* st, int* err) {
    auto h = handle(false);
    if (!h) {
      *err = ENOENT;
      return {};
    }
    UniqueFd fd = open_in(*h, rel, err);
    if (!fd && *err == ENOENT) {
      // The root folder may have been replaced since we opened it.
      struct stat rs {};
      if (::fstat(h->fd.get(), &rs) == 0 && rs.st_nlink == 0) {
        h = handle(true);
        if (h) {
          fd = open_in(*h, rel, err);
        }
      }
    }
    if (fd && ::fstat(fd.get(), st) != 0) {
      *err = errno;
      return {};
    }
    return fd;
  }

 private:
  struct Handle {
    UniqueFd fd;
    std::string real;  // realpath of root, no trailing '/' (except "/")
  };

  std::shared_ptr<const Handle> handle(bool reopen) {
    std::lock_guard lock(mu_);
    if (h_ && !reopen) {
      return h_;
    }
    int fd = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      return h_;  // keep the old one (or none)
    }
    auto h = std::make_shared<Handle>();
    h->fd = UniqueFd(fd);
    char buf[PATH_MAX];
    if (::realpath(root_.c_str(), buf) != nullptr) {
      h->real = buf;
    } else {
      h->real = root_.string();
    }
    h_ = std::move(h);
    return h_;
  }

  static bool below(std::string_view path, std::string_view root) {
    if (root == "/") {
      return !path.empty() && path[0] == '/';
    }
    return path == root || (path.size() > root.size() && path.substr(0, root.size()) == root &&
                            path[root.size()] == '/');
  }

  // True when the open file `fd` (reached via `rel`) lies below root.
  static bool is_below(const Handle& h, int fd, const std::string& rel) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char buf[PATH_MAX];
    ssize_t n = ::readlink(link, buf, sizeof buf - 1);
    if (n > 0) {
      return below(std::string_view(buf, static_cast<std::size_t>(n)), h.real);
    }
    // No /proc: resolve the name instead (racy against concurrent renames inside root, which
    // only the publisher performs).
    std::string full = h.real + "/" + rel;
    if (::realpath(full.c_str(), buf) == nullptr) {
      return false;
    }
    return below(buf, h.real);
  }

  UniqueFd open_in(const Handle& h, const std::string& rel, int* err) {
    const char* p = rel.empty() ? "." : rel.c_str();
    // O_NONBLOCK: opening a FIFO must not block the I/O thread (non-regular files get 404).
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    if (openat2_ok_.load(std::memory_order_relaxed)) {
      struct open_how how {};
      how.flags = static_cast<std::uint64_t>(flags);
      how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
      long r = ::syscall(SYS_openat2, h.fd.get(), p, &how, sizeof how);
      if (r >= 0) {
        return UniqueFd(static_cast<int>(r));
      }
      int e = errno;
      if (e == ENOSYS || e == EPERM || e == E2BIG) {
        openat2_ok_.store(false, std::memory_order_relaxed);  // old kernel or seccomp
      } else if (e != EXDEV && e != ELOOP) {
        *err = e;
        return {};
      }
      // EXDEV/ELOOP: an absolute symlink (perhaps pointing inside root) or an escape; decide
      // on the resolved path below.
    }
    int fd = ::openat(h.fd.get(), p, flags);
    if (fd < 0) {
      *err = errno;
      return {};
    }
    UniqueFd file(fd);
    if (!is_below(h, fd, rel)) {
      *err = EXDEV;
      return {};
    }
    return file;
  }

  const std::filesystem::path root_;
  std::mutex mu_;
  std::shared_ptr<const Handle> h_;
  std::atomic<bool> openat2_ok_{true};
};

// ---------------------------------------------------------------------------------------------
// Options snapshot and memory files

bool header_safe(std::string_view v) {
  return std::none_of(v.begin(), v.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '<' || c == '>';
  });
}

// Immutable, derived from HttpServerOptions; replaced as a whole by update_options.
struct Snapshot {
  HttpServerOptions options;
  // Header lines shared by every file of a kind: [kind][compressible]; the subset a 304 repeats.
  std::array<std::array<std::string, 2>, 4> extras;
  std::array<std::array<std::string, 2>, 4> extras_304;
  std::string self_prefix;  // public_url with exactly one trailing '/'; "" = no self link

  explicit Snapshot(HttpServerOptions o) : options(std::move(o)) {
    if (options.header_limit_bytes < 512) {
      options.header_limit_bytes = 512;
    }
    if (options.max_connections < 1) {
      options.max_connections = 1;
    }
    std::string hub_links;
    for (const auto& hub : options.hubs) {
      if (!hub.empty() && header_safe(hub)) {
        hub_links += "Link: <" + hub + ">; rel=\"hub\"\r\n";
      }
    }
    if (!options.public_url.empty() && header_safe(options.public_url)) {
      self_prefix = options.public_url;
      while (!self_prefix.empty() && self_prefix.back() == '/') {
        self_prefix.pop_back();
      }
      self_prefix += '/';
    }
    for (int k = 0; k < 4; ++k) {
      for (int c = 0; c < 2; ++c) {
        auto kind = static_cast<Kind>(k);
        int age = kind == Kind::av      ? kMediaMaxAge
                  : kind == Kind::image ? kImageMaxAge
                                        : std::max(0, options.cache_max_age_s);
        std::string& e = extras[k][c];
        e = "Cache-Control: max-age=" + std::to_string(age) + "\r\n";
        if (c == 1) {
          e += "Vary: Accept-Encoding\r\n";
        }
        // RFC 9110 15.4.5: a 304 repeats Cache-Control and Vary (and ETag, Date); other
        // representation metadata stays in the client's cache. CORS too: a script that sends
        // its own If-None-Match sees the 304 itself, and Fetch checks it for the header.
        extras_304[k][c] = e + "Access-Control-Allow-Origin: *\r\n";
        e += "Accept-Ranges: bytes\r\nAccess-Control-Allow-Origin: *\r\n";
        e += "X-Content-Type-Options: nosniff\r\n";
        if (kind == Kind::feed) {
          e += hub_links;
        }
      }
    }
  }

  const std::string& extra(Kind kind, bool compressible) const {
    return extras[static_cast<int>(kind)][compressible ? 1 : 0];
  }
  const std::string& extra_304(Kind kind, bool compressible) const {
    return extras_304[static_cast<int>(kind)][compressible ? 1 : 0];
  }

  void append_self_link(std::string& out, std::string_view rel) const {
    if (self_prefix.empty() || !header_safe(rel)) {
      return;
    }
    out += "Link: <";
    out += self_prefix;
    out += rel;
    out += ">; rel=\"self\"\r\n";
  }
};

std::string gzip_etag(std::string_view etag) {
  std::string s(etag);
  if (!s.empty() && s.back() == '"') {
    s.insert(s.size() - 1, "-gzip");
  } else {
    s += "-gzip";
  }
  return s;
}

void append_quoted_hex(std::string& out, std::uint64_t v, std::string_view suffix) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (int shift = 60; shift >= 0; shift -= 4) {
    out += kHex[(v >> shift) & 0xf];
  }
  out += suffix;
  out += '"';
}

// A memory file with every header that does not depend on the request precomputed.
struct MemEntry {
  std::shared_ptr<const MemoryFile> file;
  std::string_view body;  // views of file's bytes
  std::string_view gzip;
  std::string content_type;
  std::string etag;
  std::string etag_gzip;
  std::string last_modified;
  std::string extra;
  std::string extra_304;
};

std::shared_ptr<const MemEntry> make_entry(const std::string& rel,
                                           std::shared_ptr<const MemoryFile> file,
                                           const Snapshot& snap) {
  auto e = std::make_shared<MemEntry>();
  if (file->body) {
    e->body = *file->body;
  }
  if (file->gzip) {
    e->gzip = *file->gzip;
  }
  TypeInfo ti = type_for_path(rel);
  std::string_view ct = file->content_type.empty() ? ti.type : file->content_type;
  if (!header_safe(ct)) {
    ct = ti.type;
  }
  e->content_type = ct;
  Kind kind = text::istarts_with_ascii(ct, "application/rss+xml") ? Kind::feed
              : text::istarts_with_ascii(ct, "audio/") || text::istarts_with_ascii(ct, "video/")
                  ? Kind::av
              : text::istarts_with_ascii(ct, "image/") ? Kind::image
                                                       : Kind::other;
  bool compressible =
      !e->gzip.empty() || ti.compressible || text::istarts_with_ascii(ct, "text/") ||
      ct.find("xml") != std::string_view::npos || ct.find("json") != std::string_view::npos;
  if (!file->etag.empty() && header_safe(file->etag)) {
    e->etag = file->etag;
    if (e->etag.front() != '"' && !text::istarts_with_ascii(e->etag, "W/")) {
      e->etag = "\"" + e->etag + "\"";
    }
  } else {
    append_quoted_hex(e->etag, hash::hash64(e->body), {});
  }
  e->etag_gzip = gzip_etag(e->etag);
  if (file->last_modified > 0) {
    char buf[32];
    e->last_modified.assign(buf, format_http_date_to(buf, file->last_modified));
  }
  e->extra = snap.extra(kind, compressible);
  e->extra_304 = snap.extra_304(kind, compressible);
  if (kind == Kind::feed) {
    snap.append_self_link(e->extra, rel);
  }
  e->file = std::move(file);
  return e;
}

// ---------------------------------------------------------------------------------------------
// Conditional requests and ranges, shared by memory and disk files.

struct Resource {
  std::string_view content_type;
  std::string_view etag;       // identity, quoted
  std::string_view etag_gzip;  // same with -gzip
  bool has_gzip = false;
  std::uint64_t size = 0;
  std::uint64_t gzip_size = 0;
  std::int64_t mtime = 0;  // 0 = unknown
  std::string_view last_modified;
  std::string_view extra;
  std::string_view extra2;
  std::string_view extra_304;  // replaces extra and extra2 on a 304
};

struct Decision {
  int status = 200;
  bool gzip = false;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint64_t total = 0;
  std::string_view etag;
};

// If-None-Match (weak comparison, RFC 9110 13.1.2): the stored tag that matched, if any.
std::optional<std::string_view> match_if_none_match(std::string_view list, const Resource& r,
                                                    std::string_view selected) {
  std::size_t i = 0;
  while (i < list.size()) {
    char c = list[i];
    if (c == ' ' || c == '\t' || c == ',') {
      ++i;
      continue;
    }
    if (c == '*') {
      return selected;
    }
    if (list.substr(i, 2) == "W/") {
      i += 2;
    }
    if (i >= list.size() || list[i] != '"') {
      auto comma = list.find(',', i);
      if (comma == std::string_view::npos) {
        break;
      }
      i = comma + 1;
      continue;
    }
    auto close = list.find('"', i + 1);
    if (close == std::string_view::npos) {
      break;
    }
    std::string_view tag = list.substr(i, close - i + 1);
    if (tag == strip_weak(r.etag)) {
      return r.etag;
    }
    if (tag == strip_weak(r.etag_gzip)) {
      return r.etag_gzip;
    }
    i = close + 1;
  }
  return std::nullopt;
}

bool if_range_matches(std::string_view value, std::string_view etag, std::int64_t mtime) {
  value = trim(value);
  if (value.empty() || text::istarts_with_ascii(value, "W/")) {
    return false;
  }
  if (value[0] == '"') {
    return !text::istarts_with_ascii(etag, "W/") && value == etag;  // strong comparison
  }
  auto t = timefmt::parse_http_date(value);
  return t && mtime > 0 && *t == mtime;
}

Decision decide(const Request& req, const Resource& r) {
  Decision d;
  d.gzip = r.has_gzip && req.has_ae && accepts_gzip(req.accept_encoding);
  d.etag = d.gzip ? r.etag_gzip : r.etag;
  d.total = d.gzip ? r.gzip_size : r.size;
  d.length = d.total;
  // RFC 9110 13.2.2: If-None-Match, when present, decides alone.
  if (req.has_inm) {
    if (auto m = match_if_none_match(req.if_none_match, r, d.etag)) {
      d.status = 304;
      d.etag = *m;
      d.length = 0;
      return d;
    }
  } else if (req.ims_count == 1 && r.mtime > 0) {
    auto t = timefmt::parse_http_date(trim(req.if_modified_since));
    if (t && r.mtime <= *t) {
      d.status = 304;
      d.length = 0;
      return d;
    }
  }
  if (req.range_count != 1 || req.if_range_count > 1) {
    return d;
  }
  if (req.if_range_count == 1 && !if_range_matches(req.if_range, d.etag, r.mtime)) {
    return d;
  }
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  switch (parse_range(req.range, d.total, &first, &last)) {
    case RangeResult::ignore:
      break;
    case RangeResult::unsatisfiable:
      d.status = 416;
      d.length = 0;
      break;
    case RangeResult::ok:
      d.status = 206;
      d.offset = first;
      d.length = last - first + 1;
      break;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Response plans

struct Plan {
  int status = 500;
  int version = 11;
  bool close = false;
  bool send_body = true;  // false for HEAD
  std::string_view mem;   // the body bytes (memory, owned or static)
  std::shared_ptr<const void> hold;
  std::string owned;
  UniqueFd fd;
  std::uint64_t file_offset = 0;
  std::uint64_t file_length = 0;
  bool api = false;
  ApiRequest api_request;
  std::string scratch;

  void reset() {
    status = 500;
    version = 11;
    close = false;
    send_body = true;
    mem = {};
    hold.reset();
    owned.clear();
    fd.reset();
    file_offset = file_length = 0;
    api = false;
    api_request.path.clear();
    api_request.query.clear();
  }
  std::uint64_t body_size() const { return fd ? file_length : mem.size(); }
};

void begin_head(std::string& out, int status) {
  out += "HTTP/1.1 ";
  append_uint(out, static_cast<std::uint64_t>(status));
  out += ' ';
  out += reason(status);
  out += "\r\nDate: ";
  out += current_http_date();
  out += "\r\nServer: podcastd\r\n";
}

void end_head(std::string& out, const Plan& plan, bool keep_alive_10) {
  if (plan.close) {
    out += "Connection: close\r\n";
  } else if (plan.version < 11 && keep_alive_10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
}

void content_length(std::string& out, std::uint64_t n) {
  out += "Content-Length: ";
  append_uint(out, n);
  out += "\r\n";
}

// A response with a small generated or static body.
void simple_response(Plan& plan, std::string& head, int status, std::string_view content_type,
                     std::string_view body, std::string_view extra) {
  plan.status = status;
  begin_head(head, status);
  head += "Content-Type: ";
  head += content_type;
  head += "\r\n";
  content_length(head, body.size());
  head += extra;
  end_head(head, plan, true);
  plan.mem = plan.send_body ? body : std::string_view{};
}

void error_response(Plan& plan, std::string& head, int status, bool close,
                    std::string_view extra = {}) {
  plan.close = plan.close || close;
  simple_response(plan, head, status, "text/plain; charset=utf-8", reason_line(status), extra);
}

void resource_head(std::string& out, const Plan& plan, const Decision& d, const Resource& r) {
  begin_head(out, d.status);
  if (d.status != 304) {
    out += "Content-Type: ";
    out += r.content_type;
    out += "\r\n";
    if (d.gzip) {
      out += "Content-Encoding: gzip\r\n";
    }
    content_length(out, d.length);
  }
  if (d.status == 206) {
    out += "Content-Range: bytes ";
    append_uint(out, d.offset);
    out += '-';
    append_uint(out, d.offset + d.length - 1);
    out += '/';
    append_uint(out, d.total);
    out += "\r\n";
  } else if (d.status == 416) {
    out += "Content-Range: bytes */";
    append_uint(out, d.total);
    out += "\r\n";
  }
  out += "ETag: ";
  out += d.etag;
  out += "\r\n";
  if (!r.last_modified.empty()) {
    out += "Last-Modified: ";
    out += r.last_modified;
    out += "\r\n";
  }
  if (d.status == 304) {
    out += r.extra_304;
  } else {
    out += r.extra;
    out += r.extra2;
  }
  end_head(out, plan, true);
}

ApiResponse call_api(const HttpServer::ApiHandler& handler, const ApiRequest& req) {
  try {
    return handler(req);
  } catch (const std::exception& e) {
    log::error("http: api " + req.path + ": " + e.what());
  } catch (...) {
    log::error("http: api " + req.path + ": unknown exception");
  }
  return ApiResponse{500, "application/json", "{\"error\":\"internal error\"}"};
}

// Runs the API handler on `pool` and completes on the caller's executor (for a coroutine: its
// strand). Plain posts rather than co_spawn of a capturing coroutine lambda, which GCC 12
// miscompiles (the closure's captures are destroyed twice).
template <typename Token>
auto async_call_api(asio::any_io_executor pool,
                    std::shared_ptr<const HttpServer::ApiHandler> handler, ApiRequest request,
                    Token&& token) {
  return asio::async_initiate<Token, void(ApiResponse)>(
      [](auto completion, asio::any_io_executor pool_ex,
         std::shared_ptr<const HttpServer::ApiHandler> h, ApiRequest req) {
        // A tracked executor keeps the caller's io_context running until we post back.
        auto home = asio::prefer(asio::get_associated_executor(completion),
                                 asio::execution::outstanding_work.tracked);
        asio::post(pool_ex, [completion = std::move(completion), home = std::move(home),
                             h = std::move(h), req = std::move(req)]() mutable {
          ApiResponse resp = call_api(*h, req);
          auto ex = home;
          asio::post(
              ex, [completion = std::move(completion), home = std::move(home),
                   resp = std::move(resp)]() mutable { std::move(completion)(std::move(resp)); });
        });
      },
      token, std::move(pool), std::move(handler), std::move(request));
}

// ---------------------------------------------------------------------------------------------
// Router: maps one parsed request to a response plan. No sockets; thread-safe.

// What requests are answered from: options and memory files. Immutable; the Router replaces it
// as a whole (copy on write: options change on SIGHUP, memory files once per publish).
struct RouterState {
  std::shared_ptr<const Snapshot> snap;
  std::unordered_map<std::string, std::shared_ptr<const MemEntry>> mem;
};

class Router {
 public:
  Router(HttpServerOptions options, Metrics* metrics)
      : root_(options.root),
        metrics_(metrics),
        state_(std::make_shared<const RouterState>(
            RouterState{std::make_shared<const Snapshot>(std::move(options)), {}})) {}

  // The current state. version() changes after every replacement, so a reader may keep a
  // state and check one atomic per request instead of locking: a version read before state()
  // is never newer than the state returned.
  std::shared_ptr<const RouterState> state() const {
    std::lock_guard lock(mu_);
    return state_;
  }
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }
  std::shared_ptr<const Snapshot> snapshot() const { return state()->snap; }

  void update_options(const HttpServerOptions& options) {
    HttpServerOptions o = options;
    std::lock_guard lock(mu_);
    o.root = state_->snap->options.root;
    RouterState next{std::make_shared<const Snapshot>(std::move(o)), {}};
    for (const auto& [path, entry] : state_->mem) {
      next.mem.emplace(path, make_entry(path, entry->file, *next.snap));
    }
    publish(std::move(next));
  }

  void put(const std::string& rel, std::shared_ptr<const MemoryFile> file) {
    auto snap = snapshot();
    // Outside the lock: an entry without an ETag hashes the whole body.
    auto entry = make_entry(rel, std::move(file), *snap);
    std::lock_guard lock(mu_);
    if (snap != state_->snap) {
      entry = make_entry(rel, entry->file, *state_->snap);
    }
    RouterState next = *state_;
    next.mem[rel] = std::move(entry);
    publish(std::move(next));
  }

  void remove(const std::string& rel) {
    std::lock_guard lock(mu_);
    if (state_->mem.count(rel) == 0) {
      return;
    }
    RouterState next = *state_;
    next.mem.erase(rel);
    publish(std::move(next));
  }

  void set_api(HttpServer::ApiHandler h) {
    auto p = h ? std::make_shared<const HttpServer::ApiHandler>(std::move(h)) : nullptr;
    std::lock_guard lock(mu_);
    api_ = std::move(p);
  }
  std::shared_ptr<const HttpServer::ApiHandler> api() const {
    std::lock_guard lock(mu_);
    return api_;
  }
  void set_health(HttpServer::HealthHandler h) {
    auto p = h ? std::make_shared<const HttpServer::HealthHandler>(std::move(h)) : nullptr;
    std::lock_guard lock(mu_);
    health_ = std::move(p);
  }

  // Fills `plan` and `head` for `req` (a complete, successfully parsed head) from `state`.
  // Sets plan.api instead when the API handler must run; finish_api() completes the plan then.
  void route(const Request& req, const RouterState& state, std::string& path, Plan& plan,
             std::string& head) {
    plan.version = req.version;
    plan.close = !req.keep_alive;
    plan.send_body = req.method == http::verb::get;
    if (req.method != http::verb::get && req.method != http::verb::head) {
      plan.send_body = true;
      error_response(plan, head, 405, req.has_body, "Allow: GET, HEAD\r\n");
      return;
    }
    if (req.has_body) {
      error_response(plan, head, 413, true);
      return;
    }
    if (req.version >= 11 && req.host_count != 1) {
      error_response(plan, head, 400, true);  // RFC 9112 3.2
      return;
    }
    if (!normalize_into(req.target, path)) {
      error_response(plan, head, 404, false);
      return;
    }
    if (path == "healthz") {
      health(plan, head);
      return;
    }
    if (path == "metrics") {
      plan.owned = metrics_ ? metrics_->render() : std::string();
      simple_response(plan, head, 200, "text/plain; version=0.0.4; charset=utf-8", plan.owned,
                      "Cache-Control: no-store\r\n");
      return;
    }
    if (path == "api" || path.starts_with("api/")) {
      plan.api = true;
      plan.api_request.path = "/";
      if (path.size() > 4) {
        plan.api_request.path.append(path, 4);
      }
      std::string_view t = req.target;
      auto q = t.find('?');
      if (q != std::string_view::npos) {
        t.remove_prefix(q + 1);
        plan.api_request.query = t.substr(0, t.find('#'));
      }
      return;
    }
    auto it = state.mem.find(path);
    if (it != state.mem.end()) {
      serve_memory(req, it->second, plan, head);
    } else {
      serve_disk(req, *state.snap, path, plan, head);
    }
  }

  // Completes an API plan with the handler's answer (or a 404 when there is no handler).
  static void finish_api(const Request& req, ApiResponse resp, Plan& plan, std::string& head) {
    int status = resp.status >= 100 && resp.status <= 599 ? resp.status : 500;
    std::string_view ct = header_safe(resp.content_type) && !resp.content_type.empty()
                              ? std::string_view(resp.content_type)
                              : std::string_view("application/json");
    plan.owned = std::move(resp.body);
    std::string extra = "Cache-Control: no-cache\r\nAccess-Control-Allow-Origin: *\r\nETag: ";
    std::string etag;
    append_quoted_hex(etag, hash::hash64(plan.owned), {});
    extra += etag;
    extra += "\r\n";
    if (status == 200 && req.has_inm) {
      Resource r;
      r.etag = etag;
      r.etag_gzip = etag;
      if (match_if_none_match(req.if_none_match, r, etag)) {
        plan.status = 304;
        begin_head(head, 304);
        head += extra;
        end_head(head, plan, true);
        plan.owned.clear();
        plan.mem = {};
        return;
      }
    }
    if (status == 204 || status == 304) {
      plan.status = status;
      begin_head(head, status);
      head += extra;
      end_head(head, plan, true);
      plan.mem = {};
      return;
    }
    simple_response(plan, head, status, ct, plan.owned, extra);
  }

 private:
  void health(Plan& plan, std::string& head) {
    std::shared_ptr<const HttpServer::HealthHandler> h;
    {
      std::lock_guard lock(mu_);
      h = health_;
    }
    int status = 200;
    plan.owned = "ok\n";
    if (h) {
      try {
        auto [s, body] = (*h)();
        status = s >= 100 && s <= 599 ? s : 500;
        plan.owned = std::move(body);
      } catch (const std::exception& e) {
        log::error(std::string("http: health handler: ") + e.what());
        status = 500;
        plan.owned = "health handler failed\n";
      }
    }
    simple_response(plan, head, status, "text/plain; charset=utf-8", plan.owned,
                    "Cache-Control: no-store\r\n");
  }

  static void serve_memory(const Request& req, const std::shared_ptr<const MemEntry>& e, Plan& plan,
                           std::string& head) {
    Resource r;
    r.content_type = e->content_type;
    r.etag = e->etag;
    r.etag_gzip = e->etag_gzip;
    r.has_gzip = !e->gzip.empty();
    r.size = e->body.size();
    r.gzip_size = e->gzip.size();
    r.mtime = e->file->last_modified;
    r.last_modified = e->last_modified;
    r.extra = e->extra;
    r.extra_304 = e->extra_304;
    Decision d = decide(req, r);
    plan.status = d.status;
    resource_head(head, plan, d, r);
    if (plan.send_body && (d.status == 200 || d.status == 206)) {
      std::string_view body = d.gzip ? e->gzip : e->body;
      plan.mem = body.substr(d.offset, d.length);
      plan.hold = e;
    }
  }

  void serve_disk(const Request& req, const Snapshot& snap, std::string& path, Plan& plan,
                  std::string& head) {
    struct stat st {};
    int err = 0;
    UniqueFd fd = root_.open(path, &st, &err);
    if (fd && S_ISDIR(st.st_mode)) {
      if (!path.empty() && path.back() != '/') {
        path += '/';
      }
      path += "index.html";
      fd = root_.open(path, &st, &err);
    }
    if (!fd) {
      if (err == EMFILE || err == ENFILE || err == ENOMEM) {
        error_response(plan, head, 503, false, "Retry-After: 1\r\n");
      } else {
        error_response(plan, head, 404, false);
      }
      return;
    }
    if (!S_ISREG(st.st_mode) || (!path.empty() && path.back() == '/')) {
      error_response(plan, head, 404, false);
      return;
    }
    TypeInfo ti = type_for_path(path);
    UniqueFd gz;
    struct stat gst {};
    if (ti.compressible && req.has_ae && accepts_gzip(req.accept_encoding)) {
      path += ".gz";
      int gerr = 0;
      gz = root_.open(path, &gst, &gerr);
      path.resize(path.size() - 3);
      // A .gz older than its source is stale (the publisher writes FILE first).
      if (gz &&
          (!S_ISREG(gst.st_mode) || gst.st_mtim.tv_sec < st.st_mtim.tv_sec ||
           (gst.st_mtim.tv_sec == st.st_mtim.tv_sec && gst.st_mtim.tv_nsec < st.st_mtim.tv_nsec))) {
        gz.reset();
      }
    }
    struct {
      std::uint64_t size, sec, nsec, ino, dev;
    } key{static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(st.st_mtim.tv_sec),
          static_cast<std::uint64_t>(st.st_mtim.tv_nsec), static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::uint64_t>(st.st_dev)};
    std::uint64_t h =
        hash::hash64(std::string_view(reinterpret_cast<const char*>(&key), sizeof key));
    std::string& scratch = plan.scratch;
    scratch.clear();
    append_quoted_hex(scratch, h, {});
    std::size_t etag_len = scratch.size();
    append_quoted_hex(scratch, h, "-gzip");
    std::size_t gzip_end = scratch.size();
    char date[32];
    std::size_t date_len = format_http_date_to(date, st.st_mtim.tv_sec);
    if (ti.kind == Kind::feed) {
      snap.append_self_link(scratch, path);
    }
    std::string_view sv = scratch;
    Resource r;
    r.content_type = ti.type;
    r.etag = sv.substr(0, etag_len);
    r.etag_gzip = sv.substr(etag_len, gzip_end - etag_len);
    r.has_gzip = static_cast<bool>(gz);
    r.size = static_cast<std::uint64_t>(st.st_size);
    r.gzip_size = gz ? static_cast<std::uint64_t>(gst.st_size) : 0;
    r.mtime = st.st_mtim.tv_sec;
    r.last_modified = std::string_view(date, date_len);
    r.extra = snap.extra(ti.kind, ti.compressible);
    r.extra2 = sv.substr(gzip_end);
    r.extra_304 = snap.extra_304(ti.kind, ti.compressible);
    Decision d = decide(req, r);
    plan.status = d.status;
    resource_head(head, plan, d, r);
    if (plan.send_body && (d.status == 200 || d.status == 206) && d.length > 0) {
      plan.fd = d.gzip ? std::move(gz) : std::move(fd);
      plan.file_offset = d.offset;
      plan.file_length = d.length;
    }
  }

  // Under mu_.
  void publish(RouterState next) {
    state_ = std::make_shared<const RouterState>(std::move(next));
    version_.fetch_add(1, std::memory_order_release);
  }

  RootDir root_;
  Metrics* metrics_;
  mutable std::mutex mu_;
  std::shared_ptr<const RouterState> state_;
  std::atomic<std::uint64_t> version_{0};
  std::shared_ptr<const HttpServer::ApiHandler> api_;
  std::shared_ptr<const HttpServer::HealthHandler> health_;
};

// Metric handles for the hot path.
struct HttpMetrics {
  explicit HttpMetrics(Metrics& m)
      : metrics(m),
        bytes(m.counter("http_response_bytes_total",
                        "Bytes written in HTTP responses (head and body).")),
        connections(m.gauge("http_connections", "Open HTTP connections.")),
        accepted(m.counter("http_connections_accepted_total", "HTTP connections accepted.")),
        rejected(
            m.counter("http_connections_rejected_total",
                      "HTTP connections refused with 503 because max_connections was reached.")),
        duration(m.histogram("http_request_duration_seconds",
                             "Time from a complete request head to the last response byte.")) {
    for (int s : {200, 206, 304, 400, 404, 405, 413, 416, 431, 500, 503}) {
      by_status.emplace_back(s, status_counter(s));
    }
  }

  Metrics::Counter status_counter(int status) {
    return metrics.counter("http_requests_total", "HTTP requests answered, by status code.",
                           "status=\"" + std::to_string(status) + "\"");
  }
  void count(int status) {
    for (const auto& [s, c] : by_status) {
      if (s == status) {
        c.add(1);
        return;
      }
    }
    status_counter(status).add(1);
  }

  Metrics& metrics;
  Metrics::Counter bytes;
  Metrics::Gauge connections;
  Metrics::Counter accepted;
  Metrics::Counter rejected;
  Metrics::Histogram duration;
  std::vector<std::pair<int, Metrics::Counter>> by_status;
};

std::string endpoint_text(const tcp::endpoint& ep) {
  if (ep.address().is_v6()) {
    return "[" + ep.address().to_string() + "]:" + std::to_string(ep.port());
  }
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

Result<tcp::endpoint> parse_host_port(std::string_view s) {
  auto bad = [&]() {
    return make_error(ErrorCode::invalid_argument,
                      "http listen address \"" + std::string(s) +
                          "\": expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
  };
  std::string_view host;
  std::string_view port;
  if (!s.empty() && s[0] == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') {
      return bad();
    }
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    auto colon = s.rfind(':');
    if (colon == std::string_view::npos) {
      return bad();
    }
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return bad();  // IPv6 needs brackets
    }
  }
  std::uint64_t p = 0;
  if (!parse_digits(port, &p) || p > 65535) {
    return bad();
  }
  std::string h(host);
  if (h.empty() || h == "*") {
    h = "0.0.0.0";
  } else if (h == "localhost") {
    h = "127.0.0.1";
  }
  error_code ec;
  auto addr = asio::ip::make_address(h, ec);
  if (ec) {
    return bad();
  }
  return tcp::endpoint(addr, static_cast<unsigned short>(p));
}

void log_exception(std::string_view what, const std::exception_ptr& e) {
  if (!e) {
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    log::error(std::string("http: ") + std::string(what) + ": " + x.what());
  } catch (...) {
    log::error(std::string("http: ") + std::string(what) + ": unknown exception");
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

namespace {

class HttpSession;

// Concrete executor, socket and timer types for sessions: with the type-erased any_io_executor
// (beast::tcp_stream's) every operation copies, destroys and prefers executors through a vtable.
using IoExecutor = asio::io_context::executor_type;
using Strand = asio::strand<IoExecutor>;
using Socket = asio::basic_stream_socket<tcp, Strand>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Strand>;
template <typename T>
using Task = asio::awaitable<T, Strand>;
constexpr asio::use_awaitable_t<Strand> use_task;

// Everything the server shares with its sessions (HttpServer::Impl is this; sessions cannot
// name the private Impl).
struct ServerCore : std::enable_shared_from_this<ServerCore> {
  ServerCore(IoExecutor executor, HttpServerOptions options, Metrics& m)
      : ex(std::move(executor)), router(std::move(options), &m), hm(m), grace_timer(ex) {
    hm.connections.set(0);
  }

  Result<tcp::endpoint> start(tcp::acceptor acceptor);
  // Coroutines take `self` so the frame keeps the server alive until it finishes.
  static asio::awaitable<void> accept_loop(std::shared_ptr<ServerCore> self,
                                           std::shared_ptr<tcp::acceptor> acceptor);
  static asio::awaitable<void> reject(std::shared_ptr<ServerCore> self, Socket socket);
  void stop(std::chrono::milliseconds grace);
  void session_ended(HttpSession* s, bool notify);
  std::vector<std::shared_ptr<HttpSession>> live_sessions();
  // After the router's state changed: idle sessions let go of the old one (and so of old feeds).
  void release_stale_states();

  // Constant after construction
  IoExecutor ex;
  Router router;
  HttpMetrics hm;
  // Executor only
  std::vector<std::shared_ptr<tcp::acceptor>> acceptors;
  asio::steady_timer grace_timer;
  // Any thread
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};
  std::atomic<int> rejecting{0};
  std::mutex sessions_mu;
  std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> sessions;
};

using Impl = ServerCore;

// Advances a pair of buffers past `n` bytes.
void consume(std::array<asio::const_buffer, 2>& bufs, std::size_t n) {
  for (auto& b : bufs) {
    std::size_t k = std::min(n, b.size());
    b += k;
    n -= k;
  }
}

// One connection: reads request heads one at a time and writes each response before reading
// the next (bounded pipelining). Runs on its own strand; stop_soft/stop_hard/drop_stale_state
// must be posted there.
//
// Deadlines: one timer per session, not one per operation. set_deadline() stores the time by
// which the operation in progress must end; the timer only moves when a deadline comes closer
// than its expiry. When it fires it closes the socket if the deadline has passed, else waits
// again, at most min(request_timeout, idle_timeout) ahead, so a later `now + timeout` never
// needs a re-arm. Small responses go out with one non-blocking send and no deadline at all.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  using Clock = std::chrono::steady_clock;

  HttpSession(std::shared_ptr<Impl> server, Socket socket)
      : server_(std::move(server)), socket_(std::move(socket)), timer_(socket_.get_executor()) {}

  ~HttpSession() {
    if (!ended_) {
      server_->session_ended(this, false);
    }
  }

  Strand executor() { return socket_.get_executor(); }

  Task<void> run() {
    try {
      co_await serve();
    } catch (const std::exception& e) {
      log::error(std::string("http: session: ") + e.what());
    }
    error_code ec;
    socket_.close(ec);
    ++timer_gen_;
    timer_at_ = Clock::time_point::max();
    timer_.cancel();
    state_.reset();
    ended_ = true;
    server_->session_ended(this, true);
  }

  // Server stopping: close now when idle, else after the response in flight.
  void stop_soft() {
    stopping_ = true;
    if (idle_) {
      close();
    }
  }
  void stop_hard() {
    stopping_ = true;
    close();
  }
  // Lets go of an outdated router state while waiting for the next request.
  void drop_stale_state() {
    if (idle_ && state_ && state_version_ != server_->router.version()) {
      state_.reset();
    }
  }

 private:
  void close() {
    error_code ec;
    socket_.close(ec);
  }

  // The router's current state, refreshed when it changed (one atomic load otherwise). Stays
  // valid until the session is next idle.
  const RouterState& state() {
    auto v = server_->router.version();
    if (!state_ || v != state_version_) {
      state_ = server_->router.state();
      state_version_ = v;
      const auto& opt = state_->snap->options;
      tick_ = std::max<Clock::duration>(std::min(opt.request_timeout, opt.idle_timeout),
                                        std::chrono::milliseconds(1));
    }
    return *state_;
  }

  void set_deadline(Clock::time_point d) {
    deadline_ = d;
    if (d < timer_at_) {
      arm(d);
    }
  }

  void arm(Clock::time_point at) {
    timer_at_ = at;
    timer_.expires_at(at);  // cancels the wait in progress: its handler sees an old generation
    timer_.async_wait(
        [self = shared_from_this(), gen = ++timer_gen_](error_code) { self->on_timer(gen); });
  }

  void on_timer(std::uint64_t gen) {
    if (gen != timer_gen_) {
      return;
    }
    auto now = Clock::now();
    if (now >= deadline_) {
      timer_at_ = Clock::time_point::max();
      close();  // the pending read or write fails with operation_aborted
      return;
    }
    arm(std::min(deadline_, now + tick_));
  }

  Task<void> serve() {
    set_deadline(Clock::now() + state().snap->options.request_timeout);
    bool first = true;
    for (;;) {
      std::size_t header_limit;
      std::chrono::milliseconds request_timeout;
      {
        const auto& opt = state().snap->options;
        header_limit = opt.header_limit_bytes;
        request_timeout = opt.request_timeout;
        if (buffer_.max_size() != header_limit + kPipelineSlack && buffer_.size() == 0) {
          buffer_ = beast::flat_buffer(header_limit + kPipelineSlack);
        }
        if (buffer_.size() == 0 && !first) {
          // The first request must arrive whole within request_timeout of the accept.
          set_deadline(Clock::now() + opt.idle_timeout);
        }
      }
      error_code ec;
      // The head must complete within request_timeout of its first byte (of the accept for
      // the first request); armed only when the head needs more than one read.
      bool head_deadline = first;
      if (buffer_.size() == 0) {
        // Waiting for the next request: the only state in which stop() closes at once.
        idle_ = true;
        if (stopping_) {
          co_return;
        }
        if (state_version_ != server_->router.version()) {
          state_.reset();
        }
        std::size_t n = co_await socket_.async_read_some(
            buffer_.prepare(std::min(kReadChunk, buffer_.max_size())),
            asio::redirect_error(use_task, ec));
        idle_ = false;
        if (ec) {
          co_return;
        }
        buffer_.commit(n);
      }
      idle_ = false;
      first = false;

      // Parse the head from what is buffered before reading more (what http::read_some does,
      // without its completion post when no read was needed).
      RequestParser parser(req_, header_limit);
      for (;;) {
        if (buffer_.size() > 0) {
          std::size_t used = parser.put(buffer_.data(), ec);
          buffer_.consume(used);
          if (ec != http::error::need_more) {
            break;
          }
          ec = {};
        }
        if (!head_deadline) {
          set_deadline(Clock::now() + request_timeout);
          head_deadline = true;
        }
        std::size_t size = beast::read_size(buffer_, 65536);
        if (size == 0) {
          ec = http::error::buffer_overflow;
          break;
        }
        beast::flat_buffer::mutable_buffers_type space;
        try {
          space = buffer_.prepare(size);
        } catch (const std::length_error&) {
          ec = http::error::buffer_overflow;
          break;
        }
        std::size_t n = co_await socket_.async_read_some(space, asio::redirect_error(use_task, ec));
        buffer_.commit(n);
        if (ec == asio::error::eof) {
          if (parser.got_some()) {
            ec = {};
            parser.put_eof(ec);  // an unfinished head: partial_message
          } else {
            ec = http::error::end_of_stream;
          }
          break;
        }
        if (ec) {
          break;
        }
      }

      auto started = Clock::now();
      const RouterState& st = state();
      const HttpServerOptions& opt = st.snap->options;
      head_.clear();
      plan_.reset();
      if (ec) {
        int status = status_for_read_error(ec);
        if (status == 0) {
          co_return;
        }
        plan_.close = true;
        error_response(plan_, head_, status, true);
      } else {
        finish_request(parser, req_);
        bool failed = false;
        try {
          server_->router.route(req_, st, path_, plan_, head_);
          if (plan_.api) {
            co_await run_api(opt);
          }
        } catch (const std::exception& e) {
          log::error(std::string("http: ") + req_.target + ": " + e.what());
          failed = true;
        }
        if (failed) {
          bool head_only = req_.method == http::verb::head;
          head_.clear();
          plan_.reset();
          plan_.send_body = !head_only;
          error_response(plan_, head_, 500, true);
        }
      }
      if (stopping_ && !plan_.close) {
        // Tell the client this connection ends after this response.
        plan_.close = true;
        auto pos = head_.rfind("\r\n\r\n");
        if (pos != std::string::npos) {
          auto ka = head_.find("Connection: keep-alive\r\n");
          if (ka != std::string::npos) {
            head_.erase(ka, 24);
            pos = head_.rfind("\r\n\r\n");
          }
          head_.insert(pos + 2, "Connection: close\r\n");
        }
      }
      std::uint64_t written = 0;
      bool ok = true;
      if (!plan_.fd && plan_.mem.size() <= kMemoryChunk) {
        // Most responses: the whole of it in one non-blocking send.
        std::array<asio::const_buffer, 2> bufs{asio::buffer(std::string_view(head_)),
                                               asio::buffer(plan_.mem)};
        std::size_t total = asio::buffer_size(bufs);
        std::size_t n = send_now(bufs);
        written = n;
        if (n < total) {
          ok = co_await write_rest(bufs, opt.request_timeout, &written);
        }
      } else {
        ok = co_await write_response(opt.request_timeout, &written);
      }
      auto& hm = server_->hm;
      hm.count(plan_.status);
      hm.bytes.add(static_cast<double>(written));
      hm.duration.observe(std::chrono::duration<double>(Clock::now() - started).count());
      if (log::level() == log::Level::debug) {
        log::debug("http: " + std::string(http::to_string(req_.method)) + " " + req_.target + " " +
                   std::to_string(plan_.status) + " " + std::to_string(written));
      }
      plan_.hold.reset();
      plan_.fd.reset();
      if (!ok) {
        co_return;
      }
      if (plan_.close) {
        co_await close_gracefully(
            std::min<std::chrono::milliseconds>(request_timeout, kLingerTime));
        co_return;
      }
    }
  }

  Task<void> run_api(const HttpServerOptions& opt) {
    auto handler = server_->router.api();
    ApiResponse resp;
    if (!handler) {
      resp = ApiResponse{404, "application/json", "{\"error\":\"not found\"}"};
    } else if (opt.blocking_executor) {
      // No socket operation is in progress meanwhile: no deadline (as with Beast's streams).
      set_deadline(Clock::time_point::max());
      resp = co_await async_call_api(opt.blocking_executor, std::move(handler), plan_.api_request,
                                     use_task);
    } else {
      resp = call_api(*handler, plan_.api_request);
    }
    Router::finish_api(req_, std::move(resp), plan_, head_);
  }

  // Sends what the socket takes now without waiting; advances `bufs` past it. Errors are left
  // for the asynchronous write that follows to report.
  std::size_t send_now(std::array<asio::const_buffer, 2>& bufs) {
    error_code ec;
    std::size_t n = socket_.send(bufs, 0, ec);
    if (ec) {
      n = 0;
    }
    consume(bufs, n);
    return n;
  }

  // Writes the rest of `bufs` (one chunk), which must be accepted within `timeout`.
  Task<bool> write_rest(std::array<asio::const_buffer, 2> bufs, std::chrono::milliseconds timeout,
                        std::uint64_t* written) {
    error_code ec;
    set_deadline(Clock::now() + timeout);
    *written += co_await asio::async_write(socket_, bufs, asio::redirect_error(use_task, ec));
    co_return !ec;
  }

  // Writes head_ and the plan's body in chunks, each accepted within `timeout`. False when the
  // connection must be dropped.
  Task<bool> write_response(std::chrono::milliseconds timeout, std::uint64_t* written) {
    if (!plan_.fd) {
      std::string_view body = plan_.mem;
      std::size_t off = 0;
      bool first = true;
      while (first || off < body.size()) {
        std::size_t n = std::min(kMemoryChunk, body.size() - off);
        std::array<asio::const_buffer, 2> bufs{
            first ? asio::buffer(std::string_view(head_)) : asio::const_buffer{},
            asio::buffer(body.data() + off, n)};
        std::size_t total = asio::buffer_size(bufs);
        std::size_t sent = send_now(bufs);
        *written += sent;
        if (sent < total && !co_await write_rest(bufs, timeout, written)) {
          co_return false;
        }
        off += n;
        first = false;
      }
      co_return true;
    }
    if (!file_buf_) {
      file_buf_ = std::make_unique<char[]>(kFileChunk);
    }
    std::uint64_t remain = plan_.file_length;
    auto off = static_cast<off_t>(plan_.file_offset);
    bool first = true;
    while (first || remain > 0) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kFileChunk, remain));
      ssize_t got = 0;
      if (want > 0) {
        do {
          got = ::pread(plan_.fd.get(), file_buf_.get(), want, off);
        } while (got < 0 && errno == EINTR);
        if (got <= 0) {
          // The file shrank or failed under us after Content-Length went out (or is about
          // to): the only honest signal left is dropping the connection.
          log::warning("http: short read serving " + req_.target);
          co_return false;
        }
      }
      std::array<asio::const_buffer, 2> bufs{
          first ? asio::buffer(std::string_view(head_)) : asio::const_buffer{},
          asio::const_buffer(file_buf_.get(), static_cast<std::size_t>(got))};
      std::size_t total = asio::buffer_size(bufs);
      std::size_t sent = send_now(bufs);
      *written += sent;
      if (sent < total && !co_await write_rest(bufs, timeout, written)) {
        co_return false;
      }
      remain -= static_cast<std::uint64_t>(got);
      off += got;
      first = false;
    }
    co_return true;
  }

  // Half-closes and drains what the client still sends, so our last response is not lost to
  // a reset (what nginx calls lingering close). Bounded in time and bytes.
  Task<void> close_gracefully(std::chrono::milliseconds linger) {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec || stopping_) {
      co_return;
    }
    idle_ = true;
    set_deadline(Clock::now() + linger);
    std::array<char, 2048> sink;
    std::size_t drained = 0;
    while (drained < kLingerBytes) {
      std::size_t n =
          co_await socket_.async_read_some(asio::buffer(sink), asio::redirect_error(use_task, ec));
      if (ec) {
        break;
      }
      drained += n;
    }
  }

  // Constant after construction
  std::shared_ptr<Impl> server_;
  // Session strand only
  Socket socket_;
  Timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point timer_at_ = Clock::time_point::max();  // max: no wait in progress
  std::uint64_t timer_gen_ = 0;
  Clock::duration tick_ = std::chrono::seconds(1);
  std::shared_ptr<const RouterState> state_;  // null while idle after a change
  std::uint64_t state_version_ = 0;
  beast::flat_buffer buffer_{8192 + kPipelineSlack};
  Request req_;
  Plan plan_;
  std::string head_;
  std::string path_;
  std::unique_ptr<char[]> file_buf_;
  bool idle_ = true;
  bool stopping_ = false;
  bool ended_ = false;
};

}  // namespace

namespace {

// The frame's copy of `session` keeps it alive while it runs.
Task<void> run_session(std::shared_ptr<HttpSession> session) { co_await session->run(); }

}  // namespace

struct HttpServer::Impl : ServerCore {
  using ServerCore::ServerCore;
};

std::vector<std::shared_ptr<HttpSession>> ServerCore::live_sessions() {
  std::vector<std::shared_ptr<HttpSession>> out;
  std::lock_guard lock(sessions_mu);
  out.reserve(sessions.size());
  for (auto& [p, w] : sessions) {
    if (auto s = w.lock()) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

void ServerCore::release_stale_states() {
  for (auto& s : live_sessions()) {
    asio::post(s->executor(), [s] { s->drop_stale_state(); });
  }
}

void ServerCore::session_ended(HttpSession* s, bool notify) {
  {
    std::lock_guard lock(sessions_mu);
    sessions.erase(s);
  }
  std::size_t left = connections.fetch_sub(1) - 1;
  hm.connections.set(static_cast<double>(left));
  if (notify && left == 0 && stopping.load()) {
    asio::post(ex, [self = shared_from_this()] { self->grace_timer.cancel(); });
  }
}

Result<tcp::endpoint> ServerCore::start(tcp::acceptor acceptor) {
  error_code ec;
  auto ep = acceptor.local_endpoint(ec);
  if (ec) {
    return make_error(ErrorCode::io, "http: local_endpoint: " + ec.message());
  }
  auto acc = std::make_shared<tcp::acceptor>(std::move(acceptor));
  acceptors.push_back(acc);
  asio::co_spawn(ex, accept_loop(shared_from_this(), acc),
                 [](std::exception_ptr e) { log_exception("accept loop", e); });
  log::info("http: listening on " + endpoint_text(ep));
  return ep;
}

asio::awaitable<void> ServerCore::accept_loop(std::shared_ptr<Impl> self,
                                              std::shared_ptr<tcp::acceptor> acceptor) {
  auto& ex = self->ex;
  auto& router = self->router;
  auto& hm = self->hm;
  auto& connections = self->connections;
  asio::steady_timer backoff(ex);
  for (;;) {
    error_code ec;
    Socket socket = co_await acceptor->async_accept(asio::make_strand(ex),
                                                    asio::redirect_error(asio::use_awaitable, ec));
    if (self->stopping.load() || !acceptor->is_open()) {
      co_return;
    }
    if (ec) {
      if (ec == asio::error::operation_aborted) {
        co_return;
      }
      // EMFILE and friends: back off instead of spinning on a ready listen queue.
      log::warning("http: accept: " + ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    auto snap = router.snapshot();
    if (connections.load() >= static_cast<std::size_t>(snap->options.max_connections)) {
      hm.rejected.add(1);
      if (self->rejecting.load() < kMaxRejecting) {
        auto sock_ex = socket.get_executor();
        asio::co_spawn(sock_ex, reject(self, std::move(socket)),
                       [](std::exception_ptr e) { log_exception("reject", e); });
      }
      continue;  // else the socket closes here
    }
    socket.set_option(tcp::no_delay(true), ec);
    socket.non_blocking(true, ec);  // sessions try each write at once (send_now)
    std::size_t now = connections.fetch_add(1) + 1;
    hm.connections.set(static_cast<double>(now));
    hm.accepted.add(1);
    auto session = std::make_shared<HttpSession>(self, std::move(socket));
    {
      std::lock_guard lock(self->sessions_mu);
      self->sessions.emplace(session.get(), session);
    }
    asio::co_spawn(session->executor(), run_session(session),
                   [](std::exception_ptr e) { log_exception("session", e); });
  }
}

asio::awaitable<void> ServerCore::reject(std::shared_ptr<Impl> self, Socket socket) {
  static constexpr std::string_view k503 =
      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain; "
      "charset=utf-8\r\nContent-Length: 20\r\nConnection: close\r\n\r\nService Unavailable\n";
  struct Count {
    std::atomic<int>& n;
    explicit Count(std::atomic<int>& c) : n(c) { ++n; }
    ~Count() { --n; }
    Count(const Count&) = delete;
    Count& operator=(const Count&) = delete;
  } count(self->rejecting);
  beast::basic_stream<tcp, Strand> stream(std::move(socket));
  error_code ec;
  stream.expires_after(std::chrono::seconds(1));
  co_await asio::async_write(stream, asio::buffer(k503),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::milliseconds(500));
  std::array<char, 1024> sink;
  for (int i = 0; i < 64 && !ec; ++i) {
    co_await stream.async_read_some(asio::buffer(sink),
                                    asio::redirect_error(asio::use_awaitable, ec));
  }
}

void ServerCore::stop(std::chrono::milliseconds grace) {
  if (stopping.exchange(true)) {
    return;
  }
  for (auto& a : acceptors) {
    error_code ec;
    a->close(ec);
  }
  auto live = live_sessions();
  log::info("http: stopping (" + std::to_string(live.size()) + " open connections)");
  for (auto& s : live) {
    asio::post(s->executor(), [s] { s->stop_soft(); });
  }
  if (connections.load() == 0) {
    return;
  }
  grace_timer.expires_after(grace);
  grace_timer.async_wait([self = shared_from_this()](error_code ec) {
    if (ec) {
      return;
    }
    for (auto& s : self->live_sessions()) {
      asio::post(s->executor(), [s] { s->stop_hard(); });
    }
  });
}

// ---------------------------------------------------------------------------------------------

HttpServer::HttpServer(boost::asio::io_context::executor_type executor, HttpServerOptions options,
                       Metrics& metrics)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options), metrics)) {}

HttpServer::~HttpServer() { impl_->stop(std::chrono::milliseconds(0)); }

Result<tcp::endpoint> HttpServer::listen(std::string_view host_port) {
  auto ep = parse_host_port(host_port);
  if (!ep) {
    return ep.error();
  }
  std::string where = "http: listen " + std::string(host_port) + ": ";
  tcp::acceptor acceptor(impl_->ex);
  error_code ec;
  acceptor.open(ep->protocol(), ec);
  if (!ec) {
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor.bind(*ep, ec);
  }
  if (!ec) {
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return make_error(ErrorCode::io, where + ec.message());
  }
  return impl_->start(std::move(acceptor));
}

Result<tcp::endpoint> HttpServer::adopt(int listening_fd) {
  std::string where = "http: adopt fd " + std::to_string(listening_fd) + ": ";
  int type = 0;
  int listening = 0;
  socklen_t len = sizeof type;
  if (::getsockopt(listening_fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) {
    return make_error(ErrorCode::invalid_argument, where + "not a stream socket");
  }
  len = sizeof listening;
  if (::getsockopt(listening_fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) {
    return make_error(ErrorCode::invalid_argument, where + "not listening");
  }
  sockaddr_storage ss{};
  len = sizeof ss;
  if (::getsockname(listening_fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 ||
      (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
    return make_error(ErrorCode::invalid_argument, where + "not an IPv4/IPv6 socket");
  }
  tcp::acceptor acceptor(impl_->ex);
  error_code ec;
  acceptor.assign(ss.ss_family == AF_INET ? tcp::v4() : tcp::v6(), listening_fd, ec);
  if (ec) {
    return make_error(ErrorCode::io, where + ec.message());
  }
  return impl_->start(std::move(acceptor));
}

void HttpServer::set_api_handler(ApiHandler handler) { impl_->router.set_api(std::move(handler)); }

void HttpServer::set_health_handler(HealthHandler handler) {
  impl_->router.set_health(std::move(handler));
}

void HttpServer::update_options(const HttpServerOptions& options) {
  impl_->router.update_options(options);
  impl_->release_stale_states();
}

void HttpServer::put_memory_file(const std::string& rel_path,
                                 std::shared_ptr<const MemoryFile> file) {
  if (!file) {
    remove_memory_file(rel_path);
    return;
  }
  impl_->router.put(rel_path, std::move(file));
  impl_->release_stale_states();
}

void HttpServer::remove_memory_file(const std::string& rel_path) {
  impl_->router.remove(rel_path);
  impl_->release_stale_states();
}

void HttpServer::stop(std::chrono::milliseconds grace) { impl_->stop(grace); }

std::size_t HttpServer::connection_count() const { return impl_->connections.load(); }

std::optional<std::string> normalize_target(std::string_view target) {
  std::string out;
  if (!normalize_into(target, out)) {
    return std::nullopt;
  }
  return out;
}

std::string simulate_request(std::string_view raw, const HttpServerOptions& options) {
  Metrics metrics;
  Router router(options, &metrics);
  auto state = router.state();
  const auto& snap = state->snap;
  Request req;
  RequestParser parser(req, snap->options.header_limit_bytes);
  error_code ec;
  parser.put(asio::buffer(raw.data(), raw.size()), ec);
  Plan plan;
  std::string head;
  std::string path;
  if (ec == http::error::need_more) {
    if (raw.size() < snap->options.header_limit_bytes) {
      return {};
    }
    ec = http::error::header_limit;
  }
  if (ec) {
    int status = status_for_read_error(ec);
    if (status == 0) {
      return {};
    }
    error_response(plan, head, status, true);
    return head;
  }
  finish_request(parser, req);
  router.route(req, *state, path, plan, head);
  if (plan.api) {
    Router::finish_api(req, ApiResponse{404, "application/json", "{\"error\":\"not found\"}"}, plan,
                       head);
  }
  return head;
}

}  // namespace podcastd::daemon
