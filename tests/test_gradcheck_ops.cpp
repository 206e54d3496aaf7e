#include <doctest/doctest.h>
#include "tapegrad.hpp"
