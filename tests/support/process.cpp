#include "tests/support/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/support/test_support.hpp"

namespace podcastd::testing {

Process Process::start(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                       const std::filesystem::path& cwd, const std::filesystem::path& log_file) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    ::setenv("PODCASTD_LOG_PREFIX", "0", 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return Process(pid, log_file);
}

Process::Process(Process&& other) noexcept
    : pid_(other.pid_), log_(std::move(other.log_)), status_(other.status_) {
  other.pid_ = -1;
}

Process::~Process() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int st;
    ::waitpid(pid_, &st, 0);
  }
}

void Process::signal(int sig) const { ::kill(pid_, sig); }

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int st;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool Process::running() { return !wait(std::chrono::milliseconds(0)).has_value(); }

std::string Process::log() const { return read_file(log_); }

std::string HttpReply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpReply http_raw(int port, const std::string& raw, std::chrono::milliseconds timeout, bool head) {
  HttpReply reply;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return reply;
  }
  ::send(fd, raw.data(), raw.size(), MSG_NOSIGNAL);
  std::string data;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t header_end = std::string::npos;
  std::optional<std::size_t> length;
  while (std::chrono::steady_clock::now() < deadline) {
    if (header_end != std::string::npos) {
      bool no_body = head || reply.status == 304 || reply.status == 204;
      if (no_body || (length && data.size() >= header_end + *length)) {
        reply.body = no_body ? "" : data.substr(header_end, length.value_or(0));
        reply.ok = true;
        break;
      }
    }
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (::poll(&p, 1, std::max(left, 0)) <= 0) break;
    char buf[65536];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (header_end != std::string::npos && !length) {
        reply.body = data.substr(header_end);
        reply.ok = true;
      }
      break;
    }
    data.append(buf, static_cast<std::size_t>(n));
    if (header_end == std::string::npos) {
      std::size_t e = data.find("\r\n\r\n");
      if (e == std::string::npos) continue;
      header_end = e + 4;
      std::istringstream lines(data.substr(0, e));
      std::string line;
      std::getline(lines, line);
      if (line.size() >= 12) reply.status = std::atoi(line.c_str() + 9);
      while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        reply.headers[name] = value;
      }
      if (reply.headers.count("content-length")) {
        length = std::stoull(reply.headers["content-length"]);
      }
    }
  }
  ::close(fd);
  return reply;
}

HttpReply http_get(int port, const std::string& target, const std::vector<std::string>& headers,
                   bool head) {
  std::string raw = std::string(head ? "HEAD " : "GET ") + target +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const std::string& h : headers) raw += h + "\r\n";
  raw += "\r\n";
  return http_raw(port, raw, std::chrono::seconds(10), head);
}

NotifySocket::NotifySocket(const std::filesystem::path& dir) {
  path_ = (dir / "notify.sock").string();
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
  ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
}

NotifySocket::~NotifySocket() {
  if (fd_ >= 0) ::close(fd_);
  ::unlink(path_.c_str());
}

const std::vector<std::string>& NotifySocket::messages() {
  char buf[4096];
  while (true) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    messages_.emplace_back(buf, static_cast<std::size_t>(n));
  }
  return messages_;
}

bool NotifySocket::wait_for(const std::string& text, std::chrono::milliseconds timeout) {
  return wait_until(
      [&] {
        for (const std::string& m : messages()) {
          if (m.find(text) != std::string::npos) return true;
        }
        return false;
      },
      timeout);
}

std::optional<int> wait_for_port(Process& p, std::chrono::milliseconds timeout) {
  std::optional<int> port;
  std::regex re("on http://127\\.0\\.0\\.1:([0-9]+)");
  wait_until(
      [&] {
        std::smatch m;
        std::string log = p.log();
        if (std::regex_search(log, m, re)) port = std::stoi(m[1]);
        return port.has_value() || !p.running();
      },
      timeout);
  return port;
}

}  // namespace podcastd::testing
