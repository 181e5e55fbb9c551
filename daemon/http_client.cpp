#include "daemon/http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "catalog/text.hpp"

namespace podcastd::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// What the curl callbacks of one hop (one easy handle) see.
struct Transfer {
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t max_body = 0;
  bool discard_body = false;
  bool stopped_at_body = false;
  bool too_large = false;
  bool allow_private = false;
  const std::function<bool(std::string_view)>* refuse = nullptr;
  bool refused = false;
  std::string refused_ip;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->discard_body) {
    t->stopped_at_body = len > 0;
    return len > 0 ? 0 : len;  // 0 aborts the transfer: the status is all we wanted
  }
  if (t->body.size() + len > t->max_body) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->headers.clear();  // a new response (after 100 Continue)
  } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    t->headers.emplace_back(text::to_lower_ascii(text::trim(line.substr(0, colon))),
                            std::string(text::trim(line.substr(colon + 1))));
  }
  return size * n;
}

// Checks the address curl is about to connect to: the policy applies after DNS resolution,
// to every connection of every hop.
curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* addr) {
  auto* t = static_cast<Transfer*>(user);
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr->family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr->addr);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
  } else if (addr->family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr->addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
  } else {
    t->refused = true;
    return CURL_SOCKET_BAD;
  }
  bool refuse = (t->refuse && *t->refuse) ? (*t->refuse)(buf)
                                          : (!t->allow_private && is_private_address(buf));
  if (refuse) {
    t->refused = true;
    t->refused_ip = buf;
    return CURL_SOCKET_BAD;
  }
  return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One easy handle and what its callbacks write to. Not movable: curl holds pointers into it.
struct Hop {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  Transfer t;
  char errbuf[CURL_ERROR_SIZE] = {};

  Hop() = default;
  Hop(const Hop&) = delete;
  Hop& operator=(const Hop&) = delete;
  ~Hop() {
    if (easy) {
      curl_easy_cleanup(easy);
    }
    if (headers) {
      curl_slist_free_all(headers);
    }
  }
};

// Sets up `hop` for one request to `url`; every curl_easy_setopt result is checked.
Status setup_hop(Hop& hop, const std::string& url, const std::string& method,
                 const FetchOptions& o) {
  hop.easy = curl_easy_init();
  if (!hop.easy) {
    return make_error(ErrorCode::network, url + ": cannot create a curl handle");
  }
  hop.t.max_body = o.max_body_bytes;
  hop.t.discard_body = o.discard_body;
  hop.t.allow_private = o.allow_private_addresses;
  hop.t.refuse = &o.refuse_address;
  for (const std::string& h : o.headers) {
    curl_slist* next = curl_slist_append(hop.headers, h.c_str());
    if (!next) {
      return make_error(ErrorCode::network, url + ": out of memory for headers");
    }
    hop.headers = next;
  }
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption opt, auto value) {
    if (rc == CURLE_OK) {
      rc = curl_easy_setopt(hop.easy, opt, value);
    }
  };
  long timeout_ms = static_cast<long>(o.timeout.count());
  set(CURLOPT_URL, url.c_str());
  set(CURLOPT_ERRORBUFFER, hop.errbuf);
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_PROXY, "");  // never a proxy from the environment
  set(CURLOPT_TIMEOUT_MS, timeout_ms);
  set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  set(CURLOPT_USERAGENT, o.user_agent.c_str());
  set(CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate, decoded
  set(CURLOPT_WRITEFUNCTION, on_body);
  set(CURLOPT_WRITEDATA, &hop.t);
  set(CURLOPT_HEADERFUNCTION, on_header);
  set(CURLOPT_HEADERDATA, &hop.t);
  set(CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  set(CURLOPT_OPENSOCKETDATA, &hop.t);
  if (hop.headers) {
    set(CURLOPT_HTTPHEADER, hop.headers);
  }
  if (method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else if (method == "POST") {
    set(CURLOPT_POST, 1L);
    set(CURLOPT_POSTFIELDSIZE, static_cast<long>(o.body.size()));
    set(CURLOPT_POSTFIELDS, o.body.c_str());
  } else if (method != "GET") {
    return make_error(ErrorCode::invalid_argument, url + ": unsupported method " + method);
  }
  if (rc != CURLE_OK) {
    return make_error(ErrorCode::network,
                      url + ": cannot set up the request: " + curl_easy_strerror(rc));
  }
  return {};
}

// One logical request across its redirect hops.
struct Request {
  std::string start_url;
  std::string url;
  std::string method;
  FetchOptions options;
  FetchResponse response;
  Clock::time_point started = Clock::now();
  int hop = 0;

  Request(std::string u, FetchOptions o)
      : start_url(u), url(std::move(u)), method(o.method), options(std::move(o)) {}

  // Interprets a finished hop. Returns the final result, or nullopt when another hop to
  // `url` (with `method`) is needed.
  std::optional<Result<FetchResponse>> after_hop(Hop& h, CURLcode rc) {
    long status = 0;
    char* redirect = nullptr;
    if (curl_easy_getinfo(h.easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) {
      status = 0;
    }
    if (curl_easy_getinfo(h.easy, CURLINFO_REDIRECT_URL, &redirect) != CURLE_OK) {
      redirect = nullptr;
    }
    std::string next = redirect ? redirect : "";
    if (h.t.refused) {
      return make_error(ErrorCode::refused,
                        url + ": refused: " +
                            (h.t.refused_ip.empty()
                                 ? std::string("unsupported address family")
                                 : h.t.refused_ip + " is a private or loopback address "
                                                    "(outbound.allow_private_addresses is false)"));
    }
    if (h.t.too_large) {
      return make_error(ErrorCode::network, url + ": response larger than " +
                                                std::to_string(options.max_body_bytes) + " bytes");
    }
    bool stopped_on_purpose = rc == CURLE_WRITE_ERROR && h.t.stopped_at_body;
    bool head_refused =
        rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
        (rc == CURLE_OK && (status == 400 || status == 403 || status == 405 || status == 501));
    if (method == "HEAD" && options.get_when_head_refused && head_refused) {
      method = "GET";  // the same URL again, as a GET that stops at the first body byte
      options.discard_body = true;
      return std::nullopt;
    }
    if (rc != CURLE_OK && !stopped_on_purpose) {
      std::string why = h.errbuf[0] ? h.errbuf : curl_easy_strerror(rc);
      if (rc == CURLE_OPERATION_TIMEDOUT && why.find("timed out") == std::string::npos) {
        why = "timed out: " + why;
      }
      return make_error(ErrorCode::network, url + ": " + why);
    }
    bool is_redirect =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (is_redirect && !next.empty()) {
      if (hop >= options.max_redirects) {
        return make_error(
            ErrorCode::network,
            start_url + ": more than " + std::to_string(options.max_redirects) + " redirects");
      }
      if (!text::has_http_scheme(next)) {
        return make_error(ErrorCode::refused, url + ": redirect to a non-http URL: " + next);
      }
      // What browsers and curl do: 303 turns anything but HEAD into GET; 301/302 turn a
      // POST into a GET; 307/308 keep the method and body.
      if ((status == 303 && method != "HEAD") ||
          ((status == 301 || status == 302) && method == "POST")) {
        method = "GET";
        options.body.clear();
      }
      response.redirects.emplace_back(static_cast<int>(status), next);
      url = next;
      ++hop;
      return std::nullopt;
    }
    response.status = static_cast<int>(status);
    response.body = std::move(h.t.body);
    response.headers = std::move(h.t.headers);
    response.final_url = url;
    response.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return std::move(response);
  }
};

std::string cancelled_message(const std::string& url) { return url + ": cancelled"; }

}  // namespace

std::string FetchResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) {
      return v;
    }
  }
  return "";
}

bool is_private_address(std::string_view ip) {
  std::string s(ip);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    std::uint32_t a = ntohl(v4.s_addr);
    auto in = [a](std::uint32_t net, int bits) {
      std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
      return (a & mask) == net;
    };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
           in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) || in(0xC0000000, 24) ||
           in(0xC6120000, 15) || in(0xE0000000, 4) || in(0xF0000000, 4);
  }
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    const unsigned char* b = v6.s6_addr;
    bool zero_prefix = std::all_of(b, b + 10, [](unsigned char c) { return c == 0; });
    if (zero_prefix && b[10] == 0xff && b[11] == 0xff) {
      char buf[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, b + 12, buf, sizeof buf);
      return is_private_address(buf);  // IPv4-mapped
    }
    bool all_zero = std::all_of(b, b + 15, [](unsigned char c) { return c == 0; });
    if (all_zero && (b[15] == 0 || b[15] == 1)) {
      return true;  // :: and ::1
    }
    if ((b[0] & 0xfe) == 0xfc) {
      return true;  // fc00::/7 unique local
    }
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
      return true;  // fe80::/10 link-local
    }
    if (b[0] == 0xff) {
      return true;  // multicast
    }
    return false;
  }
  return true;  // not an address: refuse
}

std::string url_host(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return "";
  }
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    rest = rest.substr(at + 1);
  }
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    return text::to_lower_ascii(
        rest.substr(0, close == std::string_view::npos ? rest.size() : close + 1));
  }
  return text::to_lower_ascii(rest.substr(0, rest.find(':')));
}

Result<FetchResponse> fetch(const std::string& start_url, const FetchOptions& options) {
  global_init();
  if (!text::has_http_scheme(start_url)) {
    return make_error(ErrorCode::invalid_argument,
                      start_url + ": only http:// and https:// URLs can be fetched");
  }
  Request req(start_url, options);
  while (true) {
    Hop hop;
    if (Status st = setup_hop(hop, req.url, req.method, req.options); !st) {
      return st.error();
    }
    CURLcode rc = curl_easy_perform(hop.easy);
    if (std::optional<Result<FetchResponse>> done = req.after_hop(hop, rc)) {
      return std::move(*done);
    }
  }
}

// ---- HttpClient

struct HttpClient::Impl {
  struct Pending {
    std::unique_ptr<Request> request;
    Callback done;
  };
  struct Active {
    std::unique_ptr<Request> request;
    Callback done;
    std::unique_ptr<Hop> hop;
    std::string host;
  };

  Limits limits;
  CURLM* multi = nullptr;
  std::thread thread;

  mutable std::mutex mu;
  std::deque<Pending> inbox;  // guarded by mu
  bool stopping = false;      // guarded by mu
  std::atomic<std::size_t> outstanding{0};

  // Client thread only.
  std::map<std::string, std::deque<Pending>> waiting;  // by host, FIFO each
  std::map<CURL*, Active> active;
  std::map<std::string, int> per_host;

  explicit Impl(Limits l) : limits(l) {
    limits.max_parallel = std::max(1, limits.max_parallel);
    limits.max_per_host = std::max(1, limits.max_per_host);
    global_init();
    multi = curl_multi_init();
  }

  ~Impl() {
    if (multi) {
      curl_multi_cleanup(multi);
    }
  }

  void complete(Callback& done, Result<FetchResponse> result) {
    --outstanding;
    if (done) {
      done(std::move(result));
    }
  }

  void start_ready() {
    // Round-robin over hosts, one transfer per host per round, so one busy host cannot hold
    // back the others.
    bool progress = true;
    while (progress && static_cast<int>(active.size()) < limits.max_parallel) {
      progress = false;
      for (auto it = waiting.begin();
           it != waiting.end() && static_cast<int>(active.size()) < limits.max_parallel;) {
        if (it->second.empty()) {
          it = waiting.erase(it);
          continue;
        }
        int& in_flight = per_host[it->first];
        if (in_flight >= limits.max_per_host) {
          ++it;
          continue;
        }
        Pending p = std::move(it->second.front());
        it->second.pop_front();
        start(std::move(p), it->first);
        progress = true;
        ++it;
      }
    }
  }

  void start(Pending p, const std::string& host) {
    auto hop = std::make_unique<Hop>();
    Request& r = *p.request;
    if (Status st = setup_hop(*hop, r.url, r.method, r.options); !st) {
      complete(p.done, st.error());
      return;
    }
    CURLMcode mc = curl_multi_add_handle(multi, hop->easy);
    if (mc != CURLM_OK) {
      complete(p.done, make_error(ErrorCode::network,
                                  r.url + ": cannot start: " + curl_multi_strerror(mc)));
      return;
    }
    ++per_host[host];
    CURL* easy = hop->easy;
    active.emplace(easy, Active{std::move(p.request), std::move(p.done), std::move(hop), host});
  }

  void enqueue(Pending p) {
    std::string host = url_host(p.request->url);
    waiting[host].push_back(std::move(p));
  }

  void finished(CURL* easy, CURLcode rc) {
    auto it = active.find(easy);
    if (it == active.end()) {
      return;
    }
    Active a = std::move(it->second);
    active.erase(it);
    // Cannot fail for a handle this loop added; nothing to do if it did.
    static_cast<void>(curl_multi_remove_handle(multi, easy));
    if (--per_host[a.host] <= 0) {
      per_host.erase(a.host);
    }
    std::optional<Result<FetchResponse>> done = a.request->after_hop(*a.hop, rc);
    a.hop.reset();
    if (done) {
      complete(a.done, std::move(*done));
    } else {
      enqueue(Pending{std::move(a.request), std::move(a.done)});
    }
  }

  // Fails every transfer in flight with `why(url)`.
  void fail_active(const std::function<std::string(const std::string& url)>& why) {
    for (auto& [easy, a] : active) {
      curl_multi_remove_handle(multi, easy);
      a.hop.reset();
      complete(a.done, make_error(ErrorCode::network, why(a.request->url)));
    }
    active.clear();
    per_host.clear();
  }

  void cancel_all() {
    fail_active(cancelled_message);
    for (auto& [host, queue] : waiting) {
      for (Pending& p : queue) {
        complete(p.done, make_error(ErrorCode::network, cancelled_message(p.request->url)));
      }
    }
    waiting.clear();
  }

  void run() {
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stopping) {
          break;
        }
        while (!inbox.empty()) {
          enqueue(std::move(inbox.front()));
          inbox.pop_front();
        }
      }
      start_ready();
      int running = 0;
      CURLMcode mc = curl_multi_perform(multi, &running);
      bool any_done = false;
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg == CURLMSG_DONE) {
          finished(msg->easy_handle, msg->data.result);
          any_done = true;
        }
      }
      if (mc != CURLM_OK) {
        // A broken multi handle: fail what is in flight rather than spin.
        fail_active([mc](const std::string& url) {
          return url + ": curl multi: " + curl_multi_strerror(mc);
        });
      }
      if (any_done) {
        continue;  // start queued work before sleeping
      }
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    std::deque<Pending> late;
    {
      std::lock_guard<std::mutex> lock(mu);
      late.swap(inbox);
    }
    for (Pending& p : late) {
      enqueue(std::move(p));
    }
    cancel_all();
  }
};

HttpClient::HttpClient(Limits limits) : impl_(std::make_unique<Impl>(limits)) {
  if (impl_->multi) {
    // Only sizes the idle-connection cache: curl's default is fine if this fails.
    CURLMcode mc = curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS,
                                     static_cast<long>(impl_->limits.max_parallel));
    static_cast<void>(mc);
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
  }
}

HttpClient::~HttpClient() { stop(); }

void HttpClient::submit(std::string url, FetchOptions options, Callback done) {
  ++impl_->outstanding;
  if (!text::has_http_scheme(url)) {
    impl_->complete(done, make_error(ErrorCode::invalid_argument,
                                     url + ": only http:// and https:// URLs can be fetched"));
    return;
  }
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (impl_->stopping || !impl_->multi) {
    lock.unlock();
    impl_->complete(done, make_error(ErrorCode::network, cancelled_message(url)));
    return;
  }
  impl_->inbox.push_back(
      {std::make_unique<Request>(std::move(url), std::move(options)), std::move(done)});
  lock.unlock();
  curl_multi_wakeup(impl_->multi);
}

void HttpClient::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  if (impl_->multi) {
    curl_multi_wakeup(impl_->multi);
  }
  // From a callback (the client thread itself) run() ends on its own after the callback;
  // the destructor, which must run on another thread, joins it.
  if (impl_->thread.joinable() && impl_->thread.get_id() != std::this_thread::get_id()) {
    impl_->thread.join();
  }
}

std::size_t HttpClient::outstanding() const { return impl_->outstanding.load(); }

FetchOptions outbound_options(const OutboundConfig& config) {
  FetchOptions o;
  o.timeout = std::chrono::seconds(config.timeout_s);
  o.max_redirects = config.max_redirects;
  o.allow_private_addresses = config.allow_private_addresses;
  o.user_agent = config.user_agent;
  return o;
}

}  // namespace podcastd::daemon
