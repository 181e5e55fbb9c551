#include "feeds/validator.hpp"

#include <gtest/gtest.h>
