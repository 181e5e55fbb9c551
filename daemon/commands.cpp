#include "daemon/commands.hpp"

#include <iostream>

namespace podcastd::daemon {

int run_command(const Invocation& inv, const Config& config) {
  const std::string& c = inv.command;
  if (c == "run") return cmd_run(inv, config);
  if (c == "republish") return cmd_republish(inv, config);
  if (c == "validate") return cmd_validate(inv, config);
  if (c == "import") return cmd_import(inv, config);
  if (c == "episodes") return cmd_episodes(inv, config);
  if (c == "search") return cmd_search(inv, config);
  if (c == "links") return cmd_links(inv, config);
  if (c == "status") return cmd_status(inv, config);
  std::cerr << "podcastd: unknown command '" << c << "'\n";
  return kExitUsage;
}

}  // namespace podcastd::daemon
