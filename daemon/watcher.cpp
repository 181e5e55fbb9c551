#include "daemon/watcher.hpp"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <climits>
#include <cstring>
#include <set>
#include <unordered_map>

#include "catalog/text.hpp"
#include "daemon/log.hpp"

namespace podcastd::daemon {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
                                IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB | IN_ONLYDIR;

}  // namespace

struct Watcher::Impl : std::enable_shared_from_this<Impl> {
  asio::any_io_executor ex;
  fs::path root;
  std::chrono::milliseconds debounce;
  std::chrono::milliseconds max_delay;
  Callback callback;
  asio::posix::stream_descriptor stream;
  asio::steady_timer timer;
  std::unordered_map<int, fs::path> dirs;  // wd -> absolute folder
  std::set<fs::path> pending;
  bool overflow = false;
  // Set by stop(): completions already queued when it ran (a due debounce timer, a finished
  // read) must not deliver or re-arm anything; cancel() and close() do not reach them.
  bool stopped = false;
  std::chrono::steady_clock::time_point first_event;
  // Large enough for many events per read (and at least one maximal event).
  alignas(inotify_event) char buffer[64 * 1024];
  static_assert(sizeof(buffer) >= sizeof(inotify_event) + NAME_MAX + 1);

  Impl(asio::any_io_executor e, fs::path r, std::chrono::milliseconds d,
       std::chrono::milliseconds m, Callback cb)
      : ex(e),
        root(std::move(r)),
        debounce(d),
        max_delay(m),
        callback(std::move(cb)),
        stream(e),
        timer(e) {}

  void add_tree(const fs::path& dir, std::set<std::pair<dev_t, ino_t>>& seen) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
    if (!seen.insert({st.st_dev, st.st_ino}).second) return;  // symlink loop
    int wd = ::inotify_add_watch(stream.native_handle(), dir.c_str(), kMask);
    if (wd < 0) {
      if (errno == ENOSPC) {
        log::warning("inotify: out of watches at " + dir.string() +
                     " (raise fs.inotify.max_user_watches); the periodic rescan covers it");
      }
      return;
    }
    dirs[wd] = dir;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (it->is_directory(ec)) add_tree(it->path(), seen);
    }
  }

  void forget_tree(const fs::path& dir) {
    for (auto it = dirs.begin(); it != dirs.end();) {
      const fs::path& p = it->second;
      auto rel = p.lexically_relative(dir);
      if (p == dir || (!rel.empty() && *rel.begin() != "..")) {
        ::inotify_rm_watch(stream.native_handle(), it->first);
        it = dirs.erase(it);
      } else {
        ++it;
      }
    }
  }

  void note(const fs::path& path) {
    if (pending.empty() && !overflow) first_event = std::chrono::steady_clock::now();
    pending.insert(path);
    arm();
  }

  void arm() {
    auto now = std::chrono::steady_clock::now();
    auto when = std::min(now + debounce, first_event + max_delay);
    timer.expires_at(when);  // cancels the previous wait
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec == asio::error::operation_aborted || self->stopped) return;
      self->flush();
    });
  }

  void flush() {
    if (pending.empty() && !overflow) return;
    Batch b;
    b.full_rescan = overflow;
    b.paths.assign(pending.begin(), pending.end());
    pending.clear();
    overflow = false;
    callback(std::move(b));
  }

  void read() {
    stream.async_read_some(asio::buffer(buffer), [self = shared_from_this()](
                                                     boost::system::error_code ec, std::size_t n) {
      if (self->stopped) return;
      if (ec) {
        if (ec != asio::error::operation_aborted) {
          log::error("inotify read failed: " + ec.message());
        }
        return;
      }
      self->handle(n);
      self->read();
    });
  }

  void handle(std::size_t n) {
    std::size_t off = 0;
    while (off + sizeof(inotify_event) <= n) {
      auto* ev = reinterpret_cast<inotify_event*>(buffer + off);
      off += sizeof(inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        log::warning("inotify queue overflowed: rescanning the content dir");
        if (pending.empty() && !overflow) first_event = std::chrono::steady_clock::now();
        overflow = true;
        arm();
        continue;
      }
      auto dir = dirs.find(ev->wd);
      if (ev->mask & IN_IGNORED) {
        if (dir != dirs.end()) dirs.erase(dir);
        continue;
      }
      if (dir == dirs.end()) continue;
      if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        note(dir->second);
        continue;
      }
      if (ev->len == 0) continue;
      std::string name(ev->name);
      if (text::is_ignored_file_name(name)) continue;
      fs::path path = dir->second / name;
      if (ev->mask & IN_ISDIR) {
        if (name[0] == '.') continue;
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
          // Files may land in it before the watch exists: the batch lists the whole folder.
          std::set<std::pair<dev_t, ino_t>> seen;
          add_tree(path, seen);
        } else if (ev->mask & IN_MOVED_FROM) {
          forget_tree(path);
        }
        note(path);
        continue;
      }
      // IN_CREATE of a regular file is followed by IN_CLOSE_WRITE; noting both is harmless
      // (the batch is a set) and catches hard links and symlinks, which have no write.
      note(path);
    }
  }
};

Watcher::Watcher(asio::any_io_executor executor, fs::path root, std::chrono::milliseconds debounce,
                 std::chrono::milliseconds max_delay, Callback callback)
    : impl_(std::make_shared<Impl>(executor, std::move(root), debounce, max_delay,
                                   std::move(callback))) {}

Watcher::~Watcher() { stop(); }

Status Watcher::start() {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0)
    return make_error(ErrorCode::io, std::string("inotify_init1: ") + std::strerror(errno));
  impl_->stream.assign(fd);
  struct stat st;
  if (::stat(impl_->root.c_str(), &st) != 0) {
    impl_->stream.close();
    return make_error(ErrorCode::io,
                      impl_->root.string() + ": cannot watch: " + std::strerror(errno));
  }
  std::set<std::pair<dev_t, ino_t>> seen;
  impl_->add_tree(impl_->root, seen);
  impl_->read();
  return {};
}

void Watcher::stop() {
  if (!impl_) return;
  boost::system::error_code ec;
  impl_->stopped = true;
  impl_->pending.clear();
  impl_->overflow = false;
  impl_->timer.cancel();
  impl_->stream.close(ec);
  impl_->dirs.clear();
}

void Watcher::set_timing(std::chrono::milliseconds debounce, std::chrono::milliseconds max_delay) {
  impl_->debounce = debounce;
  impl_->max_delay = max_delay;
}

std::size_t Watcher::watch_count() const { return impl_->dirs.size(); }

}  // namespace podcastd::daemon
