#include "daemon/control.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

#include "daemon/log.hpp"

namespace podcastd::daemon {
namespace {

namespace asio = boost::asio;
using stream = asio::local::stream_protocol;
constexpr std::size_t kMaxRequest = 64 * 1024;

}  // namespace

struct ControlServer::Impl : std::enable_shared_from_this<Impl> {
  asio::any_io_executor ex;
  Handler handler;
  stream::acceptor acceptor;
  std::filesystem::path path;

  Impl(asio::any_io_executor e, Handler h) : ex(e), handler(std::move(h)), acceptor(e) {}

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (acceptor.is_open()) {
      boost::system::error_code ec;
      stream::socket socket(ex);
      co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        log::warning("control socket: accept failed: " + ec.message());
        continue;
      }
      asio::co_spawn(ex, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(stream::socket socket) {
    auto self = shared_from_this();
    auto sock = std::make_shared<stream::socket>(std::move(socket));
    asio::streambuf buf(kMaxRequest);
    boost::system::error_code ec;
    // A request must arrive promptly; a silent client is dropped.
    asio::steady_timer deadline(ex, std::chrono::seconds(10));
    deadline.async_wait([sock](boost::system::error_code e) {
      if (!e) sock->close();
    });
    std::size_t n = co_await asio::async_read_until(*sock, buf, '\n',
                                                    asio::redirect_error(asio::use_awaitable, ec));
    deadline.cancel();
    if (ec) co_return;
    std::string request(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + n);
    handler(request, [sock](std::string answer) {
      answer += '\n';
      auto data = std::make_shared<std::string>(std::move(answer));
      asio::async_write(*sock, asio::buffer(*data),
                        [sock, data](boost::system::error_code, std::size_t) { sock->close(); });
    });
  }
};

ControlServer::ControlServer(asio::any_io_executor executor, Handler handler)
    : impl_(std::make_shared<Impl>(executor, std::move(handler))) {}

ControlServer::~ControlServer() { stop(); }

Status ControlServer::listen(const std::filesystem::path& path) {
  std::error_code fec;
  std::filesystem::create_directories(path.parent_path(), fec);
  // A stale socket from a crashed daemon: only remove it if nobody answers there.
  if (std::filesystem::exists(path, fec)) {
    Result<std::string> probe =
        control_request(path, "{\"command\":\"ping\"}", std::chrono::milliseconds(500));
    if (probe || probe.error().code != ErrorCode::not_found) {
      return make_error(ErrorCode::conflict, path.string() + ": another daemon answers here");
    }
    std::filesystem::remove(path, fec);
  }
  boost::system::error_code ec;
  impl_->acceptor.open(stream(), ec);
  // Owner-only from the start: create the socket under a restrictive umask.
  mode_t old = ::umask(0177);
  if (!ec) impl_->acceptor.bind(stream::endpoint(path.string()), ec);
  ::umask(old);
  if (!ec) ::chmod(path.c_str(), 0600);
  if (!ec) impl_->acceptor.listen(16, ec);
  if (ec) {
    impl_->acceptor.close();
    return make_error(ErrorCode::io, path.string() + ": cannot listen: " + ec.message());
  }
  impl_->path = path;
  asio::co_spawn(impl_->ex, impl_->accept_loop(), [](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::error(std::string("control socket: ") + ex.what());
      }
    }
  });
  return {};
}

void ControlServer::stop() {
  if (!impl_ || !impl_->acceptor.is_open()) return;
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  std::error_code fec;
  if (!impl_->path.empty()) std::filesystem::remove(impl_->path, fec);
}

Result<std::string> control_request(const std::filesystem::path& path, const std::string& request,
                                    std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(ErrorCode::io, std::string("socket: ") + std::strerror(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string p = path.string();
  if (p.size() >= sizeof addr.sun_path) {
    ::close(fd);
    return make_error(ErrorCode::io, p + ": socket path too long");
  }
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd);
    if (err == ENOENT || err == ECONNREFUSED) {
      return make_error(ErrorCode::not_found, p + ": no daemon listening");
    }
    return make_error(ErrorCode::io, p + ": cannot connect: " + std::strerror(err));
  }
  std::string line = request + "\n";
  std::size_t sent = 0;
  while (sent < line.size()) {
    ssize_t n = ::send(fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      return make_error(ErrorCode::io, p + ": cannot send: " + std::strerror(err));
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (answer.empty() || answer.back() != '\n') {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::close(fd);
      return make_error(ErrorCode::io, p + ": no answer from the daemon within " +
                                           std::to_string(timeout.count() / 1000) + " s");
    }
    pollfd pfd{fd, POLLIN, 0};
    int rc = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (answer.empty()) return make_error(ErrorCode::io, p + ": the daemon closed without answering");
  if (answer.back() == '\n') answer.pop_back();
  return answer;
}

}  // namespace podcastd::daemon
