// `podcastd republish`, `podcastd validate`, `podcastd status`.
#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "catalog/text.hpp"
#include "daemon/commands.hpp"
#include "daemon/control.hpp"
#include "daemon/log.hpp"
#include "daemon/publish_run.hpp"
#include "daemon/validate_source.hpp"
#include "daemon/workspace.hpp"

namespace podcastd::daemon {
namespace {

constexpr auto kRepublishTimeout = std::chrono::minutes(30);

// The standalone republish's Publisher, left to the process's exit (as clang's -disable-free):
// freeing its 10,000 cached items would cost ~25 ms. Reachable from here, so leak checkers do
// not report it; atomic, so the store is not optimised away.
std::atomic<feeds::Publisher*> publisher_left_to_exit{nullptr};

}  // namespace

int cmd_republish(const Invocation& inv, const Config& config) {
  nlohmann::json request = {{"command", "republish"}, {"shows", inv.args}};
  Result<std::string> answer =
      control_request(config.control_socket_path(), request.dump(), kRepublishTimeout);
  if (answer) {
    nlohmann::json j = nlohmann::json::parse(*answer, nullptr, false);
    if (j.is_discarded() || !j.contains("ok")) {
      std::cerr << "podcastd: unexpected answer from the daemon: " << *answer << "\n";
      return kExitFailure;
    }
    if (inv.json) {
      j.erase("text");
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << j.value("text", "");
    }
    return j.at("ok").get<bool>() ? kExitOk : kExitFailure;
  }
  if (answer.error().code != ErrorCode::not_found) {
    std::cerr << "podcastd: " << answer.error().message << "\n";
    return kExitFailure;
  }
  // No daemon: do it here, under the state lock.
  Result<Workspace> ws = open_workspace(config, true, false);
  if (!ws) {
    std::cerr << "podcastd: " << ws.error().message << "\n";
    return kExitFailure;
  }
  // The publisher's cache is read while the content is scanned.
  feeds::PublishOptions options = publish_options(config);
  options.save_cache_after_publish = true;
  options.keep_feed_bytes = false;  // nothing here serves them
  auto publisher = std::make_unique<feeds::Publisher>(*ws->catalog, std::move(options));
  publisher->preload_cache(inv.args);
  catalog::Ingestor ingestor(*ws->catalog, config.content_dir,
                             ingest_options(config, /*keep_written=*/true));
  catalog::IngestReport ingest = ingestor.scan();
  PublishRun run = publish_shows(*ws->catalog, *publisher, std::move(ingest), inv.args, false,
                                 ingestor.take_written());
  if (Status saved = publisher->save_cache(); !saved) {  // what each publish could not save
    log::warning("publish cache not saved: " + saved.error().message);
  }
  publisher_left_to_exit.store(publisher.release());
  if (inv.json) {
    std::cout << nlohmann::json::parse(run.to_json()).dump(2) << "\n";
  } else {
    std::cout << run.to_text();
  }
  return run.ok() ? kExitOk : kExitFailure;
}

int cmd_validate(const Invocation& inv, const Config& config) {
  std::vector<ValidationTarget> targets;
  Result<std::vector<ValidationTarget>> resolved =
      resolve_validation_targets(config, inv.args.empty() ? "" : inv.args.front());
  if (!resolved) {
    std::cerr << "podcastd: " << resolved.error().message << "\n";
    return kExitFailure;
  }
  bool ok = true;
  nlohmann::json all = nlohmann::json::array();
  for (const ValidationTarget& t : *resolved) {
    feeds::ValidationReport report = validate_target(config, t);
    ok = ok && report.ok();
    if (inv.json) {
      nlohmann::json j = nlohmann::json::parse(report.to_json());
      j["feed"] = t.name;
      all.push_back(std::move(j));
    } else {
      std::cout << t.name << ":\n" << report.to_text();
    }
  }
  if (inv.json) std::cout << all.dump(2) << "\n";
  return ok ? kExitOk : kExitFailure;
}

int cmd_status(const Invocation& inv, const Config& config) {
  Result<std::string> answer = control_request(
      config.control_socket_path(), "{\"command\":\"status\"}", std::chrono::seconds(10));
  if (answer) {
    nlohmann::json j = nlohmann::json::parse(*answer, nullptr, false);
    if (inv.json || j.is_discarded()) {
      std::cout << *answer << "\n";
    } else {
      std::cout << j.value("text", *answer);
    }
    return kExitOk;
  }
  if (answer.error().code != ErrorCode::not_found) {
    std::cerr << "podcastd: " << answer.error().message << "\n";
    return kExitFailure;
  }
  if (inv.json) {
    std::cout << "{\"running\": false}\n";
  } else {
    std::cout << "podcastd is not running (no daemon at " << config.control_socket_path().string()
              << ")\n";
  }
  return kExitFailure;
}

}  // namespace podcastd::daemon
