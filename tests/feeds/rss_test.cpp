#include "feeds/rss.hpp"

#include <gtest/gtest.h>
