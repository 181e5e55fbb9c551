#include "catalog/show_source.hpp"

#include <gtest/gtest.h>
