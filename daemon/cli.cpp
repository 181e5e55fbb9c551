#include "daemon/cli.hpp"

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>

#include "daemon/commands.hpp"
#include "daemon/config.hpp"
#include "daemon/log.hpp"

#ifndef PODCASTD_VERSION
#define PODCASTD_VERSION "0.0.0"
#endif

namespace podcastd::daemon {
namespace {

struct CommandSpec {
  const char* name;
  const char* synopsis;
  const char* summary;
  int min_args;
  int max_args;  // -1 = unlimited
  bool json;     // accepts --json
  bool show;     // accepts --show SLUG
};

constexpr CommandSpec kCommands[] = {
    {"run", "run [--config FILE]", "the daemon: watch, publish, serve", 0, 0, false, false},
    {"republish", "republish [SHOW...] [--json]",
     "rescan and publish now (through the running daemon when there is one)", 0, -1, true, false},
    {"validate", "validate [SHOW | FILE | URL] [--json]",
     "validation report of our feed or of any feed", 0, 1, true, false},
    {"import", "import FILE|URL --show SLUG", "migrate an existing feed into content files", 1, 1,
     false, true},
    {"episodes", "episodes [SHOW] [--json]", "the catalog's episodes and their status", 0, 1, true,
     false},
    {"search", "search QUERY [--json]", "full-text search over notes and transcripts", 1, -1, true,
     false},
    {"links", "links check [SHOW] [--json]", "check show-notes links and record their status", 1, 2,
     true, false},
    {"status", "status [--json]", "what the daemon is doing", 0, 0, true, false},
};

const CommandSpec* find_command(const std::string& name) {
  for (const CommandSpec& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

Error usage_error(std::string message) {
  return make_error(ErrorCode::invalid_argument, std::move(message));
}

}  // namespace

std::string version_text() { return std::string("podcastd ") + PODCASTD_VERSION + "\n"; }

std::string usage(const std::string& command) {
  if (const CommandSpec* c = find_command(command)) {
    std::string out = std::string("usage: podcastd ") + c->synopsis + "\n\n" + c->summary + "\n";
    out +=
        "\noptions:\n"
        "  --config FILE   configuration file (else $PODCASTD_CONFIG, else ./podcastd.toml,\n"
        "                  else built-in defaults relative to the working folder)\n";
    if (c->json) out += "  --json          machine-readable output\n";
    if (c->show) out += "  --show SLUG     the show (content folder) to create or update\n";
    out += "  -h, --help      this help\n";
    return out;
  }
  std::string out =
      "usage: podcastd COMMAND [ARGS...] [--config FILE]\n"
      "\n"
      "podcastd publishes podcast feeds from a folder of episodes.\n"
      "\n"
      "commands:\n";
  for (const CommandSpec& c : kCommands) {
    std::string line = std::string("  ") + c.synopsis;
    if (line.size() < 44)
      line.resize(44, ' ');
    else
      line += "\n" + std::string(44, ' ');
    out += line + c.summary + "\n";
  }
  out +=
      "\n"
      "options:\n"
      "  --config FILE   configuration file (else $PODCASTD_CONFIG, else ./podcastd.toml,\n"
      "                  else built-in defaults relative to the working folder)\n"
      "  -h, --help      this help; `podcastd COMMAND --help` for one command\n"
      "  -V, --version   print the version\n"
      "\n"
      "exit status: 0 success, 1 the command failed, 2 bad command line, 3 bad configuration\n";
  return out;
}

Result<Invocation> parse_command_line(const std::vector<std::string>& args) {
  Invocation inv;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!options_done && a == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && a.size() > 1 && a[0] == '-') {
      auto take_value = [&](const std::string& flag) -> Result<std::string> {
        std::string prefix = flag + "=";
        if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
        if (i + 1 >= args.size()) return usage_error(flag + " needs a value");
        return args[++i];
      };
      if (a == "-h" || a == "--help") {
        inv.help = true;
      } else if (a == "-V" || a == "--version") {
        if (inv.command.empty()) inv.command = "version";
      } else if (a == "--json") {
        inv.json = true;
      } else if (a == "--config" || a.rfind("--config=", 0) == 0) {
        Result<std::string> v = take_value("--config");
        if (!v) return v.error();
        if (v->empty()) return usage_error("--config needs a file name");
        inv.config = *v;
      } else if (a == "--show" || a.rfind("--show=", 0) == 0) {
        Result<std::string> v = take_value("--show");
        if (!v) return v.error();
        if (v->empty()) return usage_error("--show needs a show slug");
        inv.show = *v;
      } else {
        return usage_error("unknown option '" + a + "'");
      }
      continue;
    }
    if (inv.command.empty()) {
      inv.command = a;
      if (!find_command(a) && a != "help") {
        return usage_error("unknown command '" + a + "' (see podcastd --help)");
      }
    } else {
      inv.args.push_back(a);
    }
  }
  if (inv.command.empty() || inv.command == "help") {
    if (inv.command == "help" && !inv.args.empty()) {
      inv.command = inv.args.front();
      inv.args.clear();
      if (!find_command(inv.command)) {
        return usage_error("unknown command '" + inv.command + "' (see podcastd --help)");
      }
      inv.help = true;
      return inv;
    }
    inv.command = "help";
    return inv;
  }
  if (inv.command == "version" || inv.help) return inv;
  const CommandSpec* spec = find_command(inv.command);
  if (!spec) return usage_error("unknown command '" + inv.command + "' (see podcastd --help)");
  int n = static_cast<int>(inv.args.size());
  if (n < spec->min_args || (spec->max_args >= 0 && n > spec->max_args)) {
    return usage_error(std::string("usage: podcastd ") + spec->synopsis);
  }
  if (inv.json && !spec->json) {
    return usage_error("--json is not an option of '" + inv.command + "'");
  }
  if (inv.show && !spec->show) {
    return usage_error("--show is not an option of '" + inv.command + "'");
  }
  if (spec->show && !inv.show) {
    return usage_error(inv.command + " needs --show SLUG (usage: podcastd " + spec->synopsis + ")");
  }
  if (inv.command == "links" && inv.args.front() != "check") {
    return usage_error("unknown links subcommand '" + inv.args.front() +
                       "' (usage: podcastd links check [SHOW])");
  }
  return inv;
}

int run_cli(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  Result<Invocation> parsed = parse_command_line(args);
  if (!parsed) {
    std::cerr << "podcastd: " << parsed.error().message << "\n";
    return kExitUsage;
  }
  Invocation& inv = *parsed;
  if (inv.command == "version") {
    std::cout << version_text();
    return kExitOk;
  }
  if (inv.command == "help" || inv.help) {
    std::cout << usage(inv.command == "help" ? "" : inv.command);
    return kExitOk;
  }
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  Result<Config> config = resolve_config(inv.config, std::getenv("PODCASTD_CONFIG"), cwd);
  if (!config) {
    std::cerr << "podcastd: " << config.error().message << "\n";
    return kExitConfig;
  }
  log::set_level(config->log_level);
  // The third of the three places exceptions are caught (after ingest batches and HTTP
  // requests): log and exit non-zero so systemd restarts us.
  try {
    return run_command(inv, *config);
  } catch (const std::exception& e) {
    log::error(std::string("fatal: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace podcastd::daemon
