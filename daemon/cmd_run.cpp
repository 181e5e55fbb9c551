// `podcastd run`: the daemon on one io_context (STYLE.md F).
#include <boost/asio/io_context.hpp>
#include <iostream>

#include "daemon/commands.hpp"
#include "daemon/daemon.hpp"
#include "daemon/log.hpp"

namespace podcastd::daemon {

int cmd_run(const Invocation&, const Config& config) {
  boost::asio::io_context ioc{1};  // one thread: an implicit strand
  std::optional<std::filesystem::path> file;
  if (!config.source.empty()) file = config.source;
  int code;
  {
    Daemon daemon(ioc, config, file);
    if (Status st = daemon.start(); !st) {
      log::error(st.error().message);
      return kExitFailure;
    }
    ioc.run();
    code = daemon.exit_code();
  }
  log::info("stopped");
  return code;
}

}  // namespace podcastd::daemon
