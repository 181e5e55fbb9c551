#include "daemon/http_server.hpp"

#include <gtest/gtest.h>
