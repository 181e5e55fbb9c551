#include "feeds/atomic_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

namespace podcastd::feeds {
namespace {

namespace fs = std::filesystem;

Error io_error(const fs::path& path, const std::string& what, int err) {
  return make_error(ErrorCode::io, path.string() + ": " + what + ": " + std::strerror(err));
}

std::string temp_name(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();
  return std::string(kTempPrefix) + target.filename().string() + "-" + std::to_string(::getpid()) +
         "-" + std::to_string(salt ^ counter.fetch_add(1));
}

Status fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(dir, "cannot open folder", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return io_error(dir, "cannot fsync folder", err);
  return {};
}

Status write_all(int fd, std::string_view data, const fs::path& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(path, "cannot write", errno);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// write_all of the pieces one after another: writev, IOV_MAX pieces a call.
Status write_all(int fd, std::span<const std::string_view> pieces, const fs::path& path) {
  std::vector<iovec> iov;
  std::size_t next = 0;  // first piece not yet in iov
  while (next < pieces.size() || !iov.empty()) {
    while (iov.size() < IOV_MAX && next < pieces.size()) {
      std::string_view piece = pieces[next++];
      if (!piece.empty()) iov.push_back({const_cast<char*>(piece.data()), piece.size()});
    }
    if (iov.empty()) break;
    ssize_t n = ::writev(fd, iov.data(), static_cast<int>(iov.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(path, "cannot write", errno);
    // Drop what was written, whole pieces first, then the front of a partly written one.
    auto left = static_cast<std::size_t>(n);
    std::size_t done = 0;
    while (done < iov.size() && left >= iov[done].iov_len) left -= iov[done++].iov_len;
    iov.erase(iov.begin(), iov.begin() + static_cast<std::ptrdiff_t>(done));
    if (left > 0) {
      iov.front().iov_base = static_cast<char*>(iov.front().iov_base) + left;
      iov.front().iov_len -= left;
    }
  }
  return {};
}

// A fresh temporary beside `target` (its folder made when missing): the open fd and its name.
Result<std::pair<int, fs::path>> open_temporary(const fs::path& target) {
  fs::path dir = target.parent_path();
  fs::path tmp = dir / temp_name(target);
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
  int fd = ::open(tmp.c_str(), kFlags, 0644);
  if (fd < 0 && errno == ENOENT && !dir.empty()) {
    // A new folder (an episode published for the first time): make it, then try again. Its
    // parent is there but for the first file of a show, so one mkdir usually does it.
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec) return io_error(dir, "cannot create folder", ec.value());
    }
    fd = ::open(tmp.c_str(), kFlags, 0644);
  }
  if (fd < 0) return io_error(tmp, "cannot create", errno);
  return std::make_pair(fd, std::move(tmp));
}

// Renames a temporary over `target`, removing the temporary when that fails.
Status rename_into_place(const fs::path& tmp, const fs::path& target) {
  if (::rename(tmp.c_str(), target.c_str()) == 0) return {};
  Status st = io_error(target, "cannot rename into place", errno);
  ::unlink(tmp.c_str());
  return st;
}

// Writes the pieces to a fresh temporary beside `path` (fsynced when `sync`); returns its
// name.
Result<fs::path> write_temporary(const fs::path& path, std::span<const std::string_view> pieces,
                                 bool sync) {
  Result<std::pair<int, fs::path>> opened = open_temporary(path);
  if (!opened) return opened.error();
  auto [fd, tmp] = std::move(*opened);
  Status st = write_all(fd, pieces, tmp);
  if (st && sync && ::fsync(fd) != 0) st = io_error(tmp, "cannot fsync", errno);
  if (::close(fd) != 0 && st) st = io_error(tmp, "cannot close", errno);
  if (!st) {
    ::unlink(tmp.c_str());
    return st.error();
  }
  return tmp;
}

Result<fs::path> write_temporary(const fs::path& path, std::string_view data, bool sync) {
  return write_temporary(path, std::span<const std::string_view>(&data, 1), sync);
}

Status sync_file_system(const fs::path& any) {
  int fd = ::open(any.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(any, "cannot open", errno);
  int rc = ::syncfs(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return io_error(any, "cannot syncfs", err);
  return {};
}

}  // namespace

Status write_file_atomic(const fs::path& path, std::string_view data) {
  Result<StagedFile> staged = StagedFile::stage(path, std::span<const std::string_view>(&data, 1));
  if (!staged) return staged.error();
  return staged->publish();
}

Result<StagedFile> StagedFile::stage(const fs::path& target,
                                     std::span<const std::string_view> pieces) {
  Result<fs::path> tmp = write_temporary(target, pieces, /*sync=*/true);
  if (!tmp) return tmp.error();
  return StagedFile(std::move(*tmp), target);
}

StagedFile::StagedFile(fs::path tmp, fs::path target)
    : tmp_(std::move(tmp)), target_(std::move(target)) {}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : tmp_(std::exchange(other.tmp_, {})), target_(std::move(other.target_)) {}

StagedFile& StagedFile::operator=(StagedFile&& other) noexcept {
  if (this != &other) {
    if (!tmp_.empty()) ::unlink(tmp_.c_str());
    tmp_ = std::exchange(other.tmp_, {});
    target_ = std::move(other.target_);
  }
  return *this;
}

StagedFile::~StagedFile() {
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
}

Status StagedFile::publish() {
  if (Status st = rename_into_place(std::exchange(tmp_, {}), target_); !st) return st;
  fs::path dir = target_.parent_path();
  return fsync_dir(dir.empty() ? fs::path(".") : dir);
}

Status write_file_unsynced(const fs::path& path, std::string_view data) {
  Result<fs::path> tmp = write_temporary(path, data, /*sync=*/false);
  if (!tmp) return tmp.error();
  return rename_into_place(*tmp, path);
}

namespace {

// Reads into `buf` until it holds `size` bytes or the file ends (or fails); how many it read.
std::size_t read_fully(int fd, char* buf, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, buf + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

}  // namespace

std::optional<std::string> read_whole_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat sb;
  std::string bytes;
  bool ok = ::fstat(fd, &sb) == 0 && sb.st_size >= 0;
  if (ok) {
    bytes.resize(static_cast<std::size_t>(sb.st_size));
    ok = read_fully(fd, bytes.data(), bytes.size()) == bytes.size();
    // A file that grew since fstat (or reports no size): read on to its end.
    char buf[1 << 16];
    while (ok) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) ok = false;
      if (n <= 0) break;
      bytes.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return bytes;
}

std::optional<SharedText> read_whole_file_shared(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat sb;
  std::optional<SharedText> out;
  if (::fstat(fd, &sb) == 0 && sb.st_size >= 0) {
    const auto size = static_cast<std::size_t>(sb.st_size);
    std::shared_ptr<char[]> buffer = std::make_shared_for_overwrite<char[]>(size);
    if (read_fully(fd, buffer.get(), size) == size) {
      std::string_view bytes(buffer.get(), size);
      out = SharedText(std::shared_ptr<const void>(std::move(buffer)), bytes);
    }
  }
  ::close(fd);
  return out;
}

Result<TemporaryFile> TemporaryFile::create(const fs::path& target) {
  Result<std::pair<int, fs::path>> opened = open_temporary(target);
  if (!opened) return opened.error();
  return TemporaryFile(opened->first, std::move(opened->second), target);
}

TemporaryFile::TemporaryFile(int fd, fs::path tmp, fs::path target)
    : fd_(fd), tmp_(std::move(tmp)), target_(std::move(target)) {}

TemporaryFile::TemporaryFile(TemporaryFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      tmp_(std::move(other.tmp_)),
      target_(std::move(other.target_)) {}

TemporaryFile& TemporaryFile::operator=(TemporaryFile&& other) noexcept {
  if (this != &other) {
    discard();
    fd_ = std::exchange(other.fd_, -1);
    tmp_ = std::move(other.tmp_);
    target_ = std::move(other.target_);
  }
  return *this;
}

TemporaryFile::~TemporaryFile() { discard(); }

void TemporaryFile::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
  fd_ = -1;
}

Status TemporaryFile::append(std::string_view data) { return write_all(fd_, data, tmp_); }

Status TemporaryFile::write_at(std::uint64_t offset, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(tmp_, "cannot write", errno);
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return {};
}

Status TemporaryFile::commit() {
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    Status st = io_error(tmp_, "cannot close", errno);
    ::unlink(tmp_.c_str());
    return st;
  }
  return rename_into_place(tmp_, target_);
}

namespace {

// A temporary next to `target` with the bytes of `source`: a hard link, or a copy (fsynced
// when `sync`) where linking is impossible (EXDEV: another file system; EPERM: protected
// hard links). Its path, or an empty path when `target` already is `source` (same inode).
Result<fs::path> linked_temporary(const fs::path& source, const fs::path& target, bool sync) {
  struct stat s, t;
  if (::stat(source.c_str(), &s) != 0) return io_error(source, "cannot read", errno);
  if (::stat(target.c_str(), &t) == 0 && s.st_dev == t.st_dev && s.st_ino == t.st_ino) {
    return fs::path();
  }
  fs::path dir = target.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error(dir, "cannot create folder", ec.value());
  fs::path tmp = dir / temp_name(target);
  if (::link(source.c_str(), tmp.c_str()) == 0) return tmp;
  int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return io_error(source, "cannot read", errno);
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    int err = errno;
    ::close(in);
    return io_error(tmp, "cannot create", err);
  }
  Status st;
  char buf[1 << 16];
  while (st) {
    ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      st = io_error(source, "cannot read", errno);
      break;
    }
    if (n == 0) break;
    st = write_all(out, std::string_view(buf, static_cast<std::size_t>(n)), tmp);
  }
  if (st && sync && ::fsync(out) != 0) st = io_error(tmp, "cannot fsync", errno);
  ::close(in);
  if (::close(out) != 0 && st) st = io_error(tmp, "cannot close", errno);
  if (!st) {
    ::unlink(tmp.c_str());
    return st.error();
  }
  return tmp;
}

}  // namespace

Status link_or_copy(const fs::path& source, const fs::path& target) {
  Result<fs::path> tmp = linked_temporary(source, target, /*sync=*/true);
  if (!tmp) return tmp.error();
  if (tmp->empty()) return {};
  if (Status st = rename_into_place(*tmp, target); !st) return st;
  return fsync_dir(target.parent_path());
}

struct WriteBatch::Writer {
  struct Job {
    fs::path target;
    std::string data;
    std::size_t seq = 0;  // order of add()
  };
  std::mutex mu;
  std::condition_variable work;   // jobs queued, or stopping
  std::condition_variable space;  // the queue shrank, or a job was finished
  std::deque<Job> jobs;
  std::size_t queued_bytes = 0;
  int in_flight = 0;  // jobs taken from the queue and not yet written
  bool stopping = false;
  Status first_error;
  std::size_t added = 0;
  struct Written {
    fs::path tmp, target;
    std::size_t seq;  // the job's
  };
  // Taken by drain(). Two threads write, so not necessarily in seq order.
  std::vector<Written> written;
  std::thread thread;

  Writer() : thread([this] { run(); }) {}
  ~Writer() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    work.notify_one();
    thread.join();
    for (const Written& w : written) ::unlink(w.tmp.c_str());
  }

  // Takes the next job and writes it, unlocking `lock` meanwhile. Called with jobs queued.
  void write_next(std::unique_lock<std::mutex>& lock) {
    Job job = std::move(jobs.front());
    jobs.pop_front();
    ++in_flight;
    bool skip = !first_error || stopping;  // after an error the batch is lost anyway
    lock.unlock();
    Result<fs::path> tmp =
        skip ? Result<fs::path>(fs::path()) : write_temporary(job.target, job.data, /*sync=*/false);
    lock.lock();
    queued_bytes -= job.data.size();
    --in_flight;
    if (!skip) {
      if (tmp) {
        written.push_back({std::move(*tmp), std::move(job.target), job.seq});
      } else if (first_error) {
        first_error = tmp.error();
      }
    }
    space.notify_all();
  }

  void run() {
    std::unique_lock lock(mu);
    for (;;) {
      work.wait(lock, [this] { return stopping || !jobs.empty(); });
      if (jobs.empty()) return;  // stopping with nothing left
      write_next(lock);
    }
  }
};

WriteBatch::WriteBatch(bool background) : background_(background) {}

WriteBatch::~WriteBatch() {
  writer_.reset();  // joins the thread and removes what it wrote
  for (const auto& [tmp, target] : pending_) ::unlink(tmp.c_str());
}

std::size_t WriteBatch::size() const {
  if (!writer_) return pending_.size();
  std::lock_guard lock(writer_->mu);
  return pending_.size() + writer_->written.size() + writer_->jobs.size() +
         static_cast<std::size_t>(writer_->in_flight);
}

Status WriteBatch::add(const fs::path& path, std::string_view data) {
  if (background_ && !writer_) writer_ = std::make_unique<Writer>();  // on first use only
  if (writer_) {
    std::unique_lock lock(writer_->mu);
    writer_->space.wait(lock, [&] {
      return writer_->queued_bytes == 0 || writer_->queued_bytes + data.size() <= kMaxQueuedBytes;
    });
    writer_->queued_bytes += data.size();
    writer_->jobs.push_back({path, std::string(data), writer_->added++});
    lock.unlock();
    writer_->work.notify_one();
    return {};
  }
  Result<fs::path> tmp = write_temporary(path, data, /*sync=*/false);
  if (!tmp) return tmp.error();
  pending_.emplace_back(*tmp, path);
  return {};
}

Status WriteBatch::drain() {
  if (!writer_) return {};
  std::unique_lock lock(writer_->mu);
  // The caller has nothing else to do: it writes queued files too, beside the thread (the
  // folders and files of a first publish are kernel time, which both cores can share).
  while (!writer_->jobs.empty()) writer_->write_next(lock);
  writer_->space.wait(lock, [&] { return writer_->in_flight == 0; });
  // In the order they were added, so commit() renames the last temporary of a path added twice.
  auto by_seq = [](const Writer::Written& a, const Writer::Written& b) { return a.seq < b.seq; };
  if (!std::is_sorted(writer_->written.begin(), writer_->written.end(), by_seq)) {
    std::sort(writer_->written.begin(), writer_->written.end(), by_seq);
  }
  for (Writer::Written& w : writer_->written) {
    pending_.emplace_back(std::move(w.tmp), std::move(w.target));
  }
  writer_->written.clear();
  return writer_->first_error;
}

Status WriteBatch::link(const fs::path& source, const fs::path& target) {
  // Linked or copied now, renamed with the rest at commit() (its flush covers a copy too).
  Result<fs::path> tmp = linked_temporary(source, target, /*sync=*/false);
  if (!tmp) return tmp.error();
  if (!tmp->empty()) pending_.emplace_back(std::move(*tmp), target);
  return {};
}

Status WriteBatch::commit() {
  if (Status written = drain(); !written) return written;  // the temporaries go with the batch
  if (pending_.empty()) return {};
  const fs::path any = pending_.front().second.parent_path();
  // Data first (one flush for every file), then the renames, then the names.
  if (Status st = sync_file_system(any); !st) return st;
  // A path added twice is renamed into place once, from its last temporary (pending_ is in
  // the order of add()); the earlier ones go.
  if (pending_.size() > 1) {
    std::unordered_map<std::string_view, std::size_t> last;
    last.reserve(pending_.size());
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      auto [it, fresh] = last.try_emplace(pending_[i].second.native(), i);
      if (!fresh) {
        ::unlink(pending_[it->second].first.c_str());
        pending_[it->second].first.clear();
        it->second = i;
      }
    }
  }
  // Each rename locks only the folder it is in, so many of them (a first publish's 10,000
  // episode folders) are shared with a second thread. A temporary renamed is forgotten; one
  // not renamed (after a failure) stays and goes with the batch.
  auto rename_range = [this](std::size_t from, std::size_t to) -> Status {
    for (std::size_t i = from; i < to; ++i) {
      auto& [tmp, target] = pending_[i];
      if (tmp.empty()) continue;
      if (::rename(tmp.c_str(), target.c_str()) != 0) {
        return io_error(target, "cannot rename into place", errno);
      }
      tmp.clear();
    }
    return {};
  };
  Status first, second;
  if (pending_.size() >= kParallelRenames) {
    const std::size_t half = pending_.size() / 2;
    std::thread helper([&] { first = rename_range(0, half); });
    second = rename_range(half, pending_.size());
    helper.join();
  } else {
    first = rename_range(0, pending_.size());
  }
  std::erase_if(pending_, [](const auto& p) { return p.first.empty(); });
  if (!first) return first;
  if (!second) return second;
  return sync_file_system(any);
}

int remove_stale_temporaries(const fs::path& dir) {
  int removed = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->path().filename().string().rfind(kTempPrefix, 0) == 0 && it->is_regular_file(ec)) {
      if (fs::remove(it->path(), ec)) ++removed;
    }
  }
  return removed;
}

}  // namespace podcastd::feeds
