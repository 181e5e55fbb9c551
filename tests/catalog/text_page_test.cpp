#include "catalog/text_page.hpp"

#include <gtest/gtest.h>
