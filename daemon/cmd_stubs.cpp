// Commands whose implementation has not landed yet; each says so and fails.
#include <iostream>

#include "daemon/commands.hpp"

namespace podcastd::daemon {
namespace {
int not_yet(const Invocation& inv) {
  std::cerr << "podcastd: '" << inv.command << "' is not implemented yet\n";
  return kExitFailure;
}
}  // namespace

int cmd_import(const Invocation& inv, const Config&) { return not_yet(inv); }

}  // namespace podcastd::daemon
