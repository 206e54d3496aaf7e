// The warning handler and the failure paths of TORCH_CHECK / TORCH_INTERNAL_ASSERT
// (c10_util.hpp).
#include "c10_util.hpp"

#include <cstring>
#include <iostream>

namespace tg {

std::ostream& operator<<(std::ostream& os, const SourceLocation& loc) {
  return os << loc.function << " at " << loc.file << ":" << loc.line;
}

// libtorch without glog writes `[W probe.cpp:4] Warning: hello (function f)`: the file's
// base name, then the message and the function.
void WarningHandler::process(const SourceLocation& loc, const std::string& msg, const bool) {
  const char* slash = std::strrchr(loc.file, '/');
  std::cerr << "[W " << (slash ? slash + 1 : loc.file) << ":" << loc.line << "] Warning: " << msg
            << " (function " << loc.function << ")" << std::endl;
}

namespace Warning {
// Per thread, as libtorch's ThreadWarningHandler: a handler a test installs does not see other
// threads' warnings.
static WarningHandler default_handler;
static thread_local WarningHandler* handler = &default_handler;
static bool warn_always = false;

void warn(const SourceLocation& loc, const std::string& msg, bool verbatim) {
  handler->process(loc, msg, verbatim);
}
void set_warning_handler(WarningHandler* h) noexcept { handler = h ? h : &default_handler; }
WarningHandler* get_warning_handler() noexcept { return handler; }
void set_warnAlways(bool setting) noexcept { warn_always = setting; }
bool get_warnAlways() noexcept { return warn_always; }
}  // namespace Warning

namespace detail {
void check_fail(const char* msg) { throw Error(msg); }
void check_fail(const std::string& msg) { throw Error(msg); }
void internal_assert_fail(const char* cond_msg, const std::string& user_msg) {
  throw Error(cond_msg + user_msg);
}
}  // namespace detail

}  // namespace tg
