// Internal: the user's source line for anomaly messages, found without any marker.
//
// In anomaly mode only, recording an op keeps the return addresses of the call stack (glibc's
// backtrace(), ~1 µs). When an anomaly is reported, the addresses are turned into file:line
// with elfutils' libdw, walking inlined calls the way `addr2line -i` does, and the first frame
// outside tapegrad's own sources (autograd/, nn/, optim/, installed tapegrad headers) and
// outside system headers is the user's line:
//
//   auto y = x.log();   // my_model.cpp:41 -> "the forward of log (tape entry #0,
//                       //   recorded at my_model.cpp:41 in 'forward') produced NaN ..."
//
// This needs the user's program built with debug information (-g; meson's default debug and
// debugoptimized builds have it) and tapegrad built with libdw found (meson option
// `source_lines`); without either the message says so. TG_HERE (autograd/functions.hpp)
// names a site explicitly and works without both.
#pragma once

#include <array>
#include <memory>
#include <string>

namespace tg::detail {

struct CallStack {
  std::array<void*, 48> pc{};
  int n = 0;
};

// The current call stack's return addresses.
std::unique_ptr<CallStack> capture_call_stack();

// "file:line in 'function'" for the innermost frame of `s` in the user's code, or, when it
// cannot be told, a hint saying why (starting with "; ").
std::string user_source_line(const CallStack& s);

// Whether this build can name source lines at all (tapegrad was built with libdw).
bool source_lines_supported();

}  // namespace tg::detail
