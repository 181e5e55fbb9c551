#include "feeds/xml_writer.hpp"

#include <gtest/gtest.h>
