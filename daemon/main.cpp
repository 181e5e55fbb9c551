// The podcastd executable: everything lives in podcastd_daemon; this only hands over argv.
#include "daemon/cli.hpp"

int main(int argc, char** argv) { return podcastd::daemon::run_cli(argc, argv); }
