#pragma once
// Integration-test plumbing: the real podcastd as a child process, a raw HTTP/1.1 client for
// loopback (raw so tests can send what real clients never would), and a NOTIFY_SOCKET
// receiver standing in for systemd. Test-only; one thread.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace podcastd::testing {

class Process {
 public:
  // Starts `argv` with extra environment `env` (NAME=value), in `cwd`, stdout and stderr
  // appended to `log_file`.
  static Process start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                       const std::filesystem::path& cwd, const std::filesystem::path& log_file);
  Process(Process&& other) noexcept;
  Process& operator=(Process&&) = delete;
  ~Process();  // SIGKILLs a still-running child

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Waits for exit; returns the exit status (128+signal when killed), or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();
  std::string log() const;  // what it wrote so far

 private:
  Process(pid_t pid, std::filesystem::path log) : pid_(pid), log_(std::move(log)) {}
  pid_t pid_ = -1;
  std::filesystem::path log_;
  std::optional<int> status_;
};

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool ok = false;  // a complete response arrived
  std::string header(const std::string& name) const;
};

// Sends `raw` (a complete request, CRLFs included) to 127.0.0.1:port and reads one response
// (Content-Length or close delimited; no body for HEAD/304/204).
HttpReply http_raw(int port, const std::string& raw,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10), bool head = false);
// GET or HEAD with extra header lines ("Name: value").
HttpReply http_get(int port, const std::string& target,
                   const std::vector<std::string>& headers = {}, bool head = false);

// A unix datagram socket in `dir` for $NOTIFY_SOCKET; collects what the child sends.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& dir);
  ~NotifySocket();
  const std::string& path() const { return path_; }
  // Reads what has arrived (non-blocking) and returns every message so far.
  const std::vector<std::string>& messages();
  // Waits until a message contains `text`.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string path_;
  std::vector<std::string> messages_;
};

// The port from the daemon's "serving ... on http://127.0.0.1:PORT" log line, once it appears.
std::optional<int> wait_for_port(Process& p, std::chrono::milliseconds timeout);

}  // namespace podcastd::testing
