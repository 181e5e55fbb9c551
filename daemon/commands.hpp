#pragma once
// The podcastd commands behind the command line. Each takes the parsed invocation and the
// loaded configuration and returns a process exit code (cli.hpp), printing its output to
// stdout and its errors to stderr. Called from the main thread only.

#include "daemon/cli.hpp"
#include "daemon/config.hpp"

namespace podcastd::daemon {

int run_command(const Invocation& inv, const Config& config);

int cmd_run(const Invocation& inv, const Config& config);
int cmd_republish(const Invocation& inv, const Config& config);
int cmd_validate(const Invocation& inv, const Config& config);
int cmd_import(const Invocation& inv, const Config& config);
int cmd_episodes(const Invocation& inv, const Config& config);
int cmd_search(const Invocation& inv, const Config& config);
int cmd_links(const Invocation& inv, const Config& config);
int cmd_status(const Invocation& inv, const Config& config);

}  // namespace podcastd::daemon
