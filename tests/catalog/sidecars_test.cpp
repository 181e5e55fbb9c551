#include "catalog/sidecars.hpp"

#include <gtest/gtest.h>
