#pragma once
// The podcastd command line (DESIGN.md "Command line", a contract): parsing into an
// Invocation, usage text, exit codes, and dispatch to the commands. Used by main() only.

#include <optional>
#include <string>
#include <vector>

#include "catalog/result.hpp"

namespace podcastd::daemon {

// Process exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed (errors were printed)
inline constexpr int kExitUsage = 2;    // bad command line
inline constexpr int kExitConfig = 3;   // the configuration could not be loaded

struct Invocation {
  std::string command;  // run, republish, validate, import, episodes, search, links, status,
                        // help, version
  std::vector<std::string> args;      // positional arguments after the command
  std::optional<std::string> config;  // --config FILE
  std::optional<std::string> show;    // --show SLUG (import)
  bool json = false;                  // --json
  bool help = false;                  // --help after a command
};

// Parses argv[1..]. Errors (code invalid_argument) name the offending argument.
Result<Invocation> parse_command_line(const std::vector<std::string>& args);

// The text of `podcastd --help` (or `podcastd COMMAND --help` when command is not empty).
std::string usage(const std::string& command = "");
std::string version_text();

// main()'s body: parse, load configuration, run the command, map failures to exit codes.
int run_cli(int argc, char** argv);

}  // namespace podcastd::daemon
