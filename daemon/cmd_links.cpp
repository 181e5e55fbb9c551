// `podcastd links check [SHOW] [--json]`: checks the links of the show notes and records
// their status in the catalog. Through the running daemon when there is one (it owns the
// catalog writer), else here under the state lock.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "daemon/commands.hpp"
#include "daemon/control.hpp"
#include "daemon/link_checker.hpp"
#include "daemon/workspace.hpp"

namespace podcastd::daemon {
namespace {

constexpr auto kLinksTimeout = std::chrono::minutes(30);

catalog::UnixTime now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int print_report(const std::string& report, bool json) {
  nlohmann::json j = nlohmann::json::parse(report, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    std::cerr << "podcastd: unexpected link report: " << report << "\n";
    return kExitFailure;
  }
  if (j.contains("error")) {
    std::cerr << "podcastd: " << j.value("error", "") << "\n";
    return kExitFailure;
  }
  if (json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << link_report_text(report);
  }
  return j.value("ok", false) ? kExitOk : kExitFailure;
}

}  // namespace

int cmd_links(const Invocation& inv, const Config& config) {
  std::string show = inv.args.size() > 1 ? inv.args[1] : "";
  nlohmann::json request = {{"command", "links_check"}, {"show", show}};
  Result<std::string> answer =
      control_request(config.control_socket_path(), request.dump(), kLinksTimeout);
  if (answer) {
    return print_report(*answer, inv.json);
  }
  if (answer.error().code != ErrorCode::not_found) {
    std::cerr << "podcastd: " << answer.error().message << "\n";
    return kExitFailure;
  }
  // No daemon: check from here and record under the state lock.
  Result<Workspace> ws = open_workspace(config, true, true);
  if (!ws) {
    std::cerr << "podcastd: " << ws.error().message << "\n";
    return kExitFailure;
  }
  Result<std::vector<catalog::Link>> links = links_to_check(*ws->catalog, show, config.content_dir);
  if (!links) {
    std::cerr << "podcastd: " << links.error().message << "\n";
    return kExitFailure;
  }
  std::vector<catalog::LinkCheck> checks;
  {
    HttpClient client(link_check_limits(config));
    checks = check_links(client, urls_of(*links), link_check_options(config), now_seconds());
  }
  return print_report(record_link_checks(*ws->catalog, *links, checks), inv.json);
}

}  // namespace podcastd::daemon
