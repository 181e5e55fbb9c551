#include "catalog/markdown_source.hpp"

#include <gtest/gtest.h>
