#include "feeds/transcripts.hpp"

#include <gtest/gtest.h>
