// doctest's main for the test executables (tapegrad_tests, compat_tests).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
