#include "catalog/audio_probe.hpp"

#include <gtest/gtest.h>
