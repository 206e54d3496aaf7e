// Precompiled for every doctest file of tapegrad_tests (meson `cpp_pch`, force-included): doctest
// and the whole public API through helpers.hpp are parsed once per build instead of once per
// file, which was ~3 s of each file's ~8 s. It changes no meaning: each file still includes what
// it uses. (test_main.cpp, which must define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN before doctest,
// is built without it, see tests/meson.build.)
#include <doctest/doctest.h>

#include "../helpers.hpp"
