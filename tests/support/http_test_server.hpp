#pragma once
// A small real HTTP/1.1 server on loopback for outbound tests: answers each request from a
// scripted handler (status, headers, body, an optional delay before answering), one request
// per connection (Connection: close), and records every request it received. Test-only.
//
// The accept loop and each connection run on threads of the server's own; requests(),
// request_count() and max_concurrent() may be called from any thread. The handler runs on
// connection threads (several at once) and must be thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace podcastd::testing {

struct TestRequest {
  std::string method;
  std::string target;                                        // as sent: "/hub?x=1"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;

  std::string header(std::string_view lower_name) const;
  std::string path() const;   // target before '?'
  std::string query() const;  // after '?', "" when none
  // The decoded value of query (or form body) parameter `name`, "" when absent.
  std::string param(std::string_view name) const;
  std::string form(std::string_view name) const;
};

struct TestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait before answering (interrupted by stop())
  bool hang_up = false;                // close the connection without answering
};

// Decodes %XX and '+' of a form/query component.
std::string url_decode(std::string_view s);

class HttpTestServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;

  // Binds address:port (port 0: any free port; SO_REUSEADDR, so a port used by a stopped
  // server can be bound again) and starts serving. Fails the test when it cannot bind.
  explicit HttpTestServer(Handler handler, std::string address = "127.0.0.1", int port = 0);
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  int port() const { return port_; }
  // "http://ADDRESS:PORT" + path.
  std::string url(std::string_view path = "/") const;

  std::vector<TestRequest> requests() const;
  std::size_t request_count() const;
  // The most requests that were being handled at the same moment.
  int max_concurrent() const { return max_concurrent_.load(); }

  // Stops accepting, wakes delayed answers, closes connections and joins every thread.
  void stop();

 private:
  void accept_loop();
  void serve(int fd);

  std::string address_;
  int port_ = 0;
  int listen_fd_ = -1;
  std::thread acceptor_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  const Handler handler_;
  std::vector<TestRequest> requests_;
  std::vector<std::thread> connections_;
  std::vector<int> open_fds_;
  std::atomic<int> concurrent_{0};
  std::atomic<int> max_concurrent_{0};
};

}  // namespace podcastd::testing
