#include "daemon/metrics.hpp"

#include <gtest/gtest.h>
