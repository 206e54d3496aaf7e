// libtorch's c10 utilities that programs and PyTorch's own tests use everywhere, under the same
// names in tg:: (so c10::str, c10::irange, ... compile once `namespace c10 = tg;`):
//   str(args...)       concatenates with operator<< (c10::str)
//   irange(n), irange(a, b)   integer ranges for range-for loops (c10/util/irange.h)
//   optional, nullopt  std::optional under c10's names
//   make_unique        std::make_unique (torch::make_unique)
//   TORCH_CHECK, TORCH_INTERNAL_ASSERT, AT_ASSERT, AT_ERROR: throw tg::Error with libtorch's
//                      messages (the text of c10::Error::what_without_backtrace)
//   TORCH_WARN, TORCH_WARN_ONCE, Warning::, WarningHandler: warnings go to a replaceable
//                      handler; the default one prints `[W file.cpp:12] Warning: msg (function f)`
//                      to stderr, as a libtorch built without glog does
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>

#include "core.hpp"

namespace tg {

// ---- strings -------------------------------------------------------------------------------
// Every argument is written with operator<<: str("got ", 3, " dims") == "got 3 dims".
template <class... Args>
std::string str(const Args&... args) {
  if constexpr (sizeof...(Args) == 0) {
    return std::string();
  } else {
    std::ostringstream os;
    (os << ... << args);
    return os.str();
  }
}

// ---- integer ranges ------------------------------------------------------------------------
// `for (auto i : irange(n))` counts 0..n-1 with i of n's type; an empty range when end <= begin.
template <class I>
class integer_range {
  static_assert(std::is_integral_v<I>, "irange takes integers");

 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = I;
    using difference_type = std::ptrdiff_t;
    using pointer = const I*;
    using reference = const I&;
    explicit iterator(I v) : v_(v) {}
    const I& operator*() const { return v_; }
    iterator& operator++() { return ++v_, *this; }
    iterator operator++(int) {
      iterator old = *this;
      ++v_;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.v_ == b.v_; }
    friend bool operator!=(const iterator& a, const iterator& b) { return a.v_ != b.v_; }

   private:
    I v_;
  };
  integer_range(I begin, I end) : begin_(begin), end_(std::max(begin, end)) {}
  iterator begin() const { return iterator(begin_); }
  iterator end() const { return iterator(end_); }

 private:
  I begin_, end_;
};
// As in c10, the loop variable has the type of `end`.
template <class I1, class I2,
          std::enable_if_t<std::is_integral_v<I1> && std::is_integral_v<I2>, int> = 0>
integer_range<I2> irange(I1 begin, I2 end) {
  return {static_cast<I2>(begin), end};
}
template <class I, std::enable_if_t<std::is_integral_v<I>, int> = 0>
integer_range<I> irange(I end) {
  return {I(), end};
}

// ---- optional ------------------------------------------------------------------------------
template <class T>
using optional = std::optional<T>;
using std::make_optional;
using std::nullopt;
using std::nullopt_t;

// torch::make_unique (torch/csrc/utils/memory.h, from before C++14) is std::make_unique.
using std::make_unique;

// ---- errors of the kinds libtorch distinguishes (all are tg::Error) ------------------------
struct IndexError : Error {
  using Error::Error;
};
struct ValueError : Error {
  using Error::Error;
};
struct TypeError : Error {
  using Error::Error;
};
struct NotImplementedError : Error {
  using Error::Error;
};

// ---- warnings ------------------------------------------------------------------------------
// SourceLocation (c10's {function, file, line}) is in core.hpp.
std::ostream& operator<<(std::ostream& os, const SourceLocation& loc);  // "f at file.cpp:12"

// Receives every warning; a program installs its own to collect or silence them.
class WarningHandler {
 public:
  virtual ~WarningHandler() = default;
  // The default: `[W file.cpp:12] Warning: msg (function f)` on stderr.
  virtual void process(const SourceLocation& source_location, const std::string& msg,
                       const bool verbatim);
};

// c10::Warning is a namespace, as in libtorch 1.13. The handler is per thread.
namespace Warning {
void warn(const SourceLocation& source_location, const std::string& msg, bool verbatim);
void set_warning_handler(WarningHandler* handler) noexcept;  // nullptr: the default
WarningHandler* get_warning_handler() noexcept;
class WarningHandlerGuard {
 public:
  explicit WarningHandlerGuard(WarningHandler* handler) : prev_(get_warning_handler()) {
    set_warning_handler(handler);
  }
  ~WarningHandlerGuard() { set_warning_handler(prev_); }
  WarningHandlerGuard(const WarningHandlerGuard&) = delete;
  WarningHandlerGuard& operator=(const WarningHandlerGuard&) = delete;

 private:
  WarningHandler* prev_;
};
// TORCH_WARN_ONCE warns every time while this is set (tests use it).
void set_warnAlways(bool setting) noexcept;
bool get_warnAlways() noexcept;
struct WarnAlways {
  explicit WarnAlways(bool setting = true) : prev_(get_warnAlways()) { set_warnAlways(setting); }
  ~WarnAlways() { set_warnAlways(prev_); }

 private:
  bool prev_;
};
}  // namespace Warning
// Later libtorch spells the guard c10::WarningUtils::WarningHandlerGuard.
namespace WarningUtils {
using Warning::get_warning_handler;
using Warning::set_warning_handler;
using Warning::WarningHandlerGuard;
}  // namespace WarningUtils

namespace detail {
[[noreturn]] void check_fail(const char* msg);
[[noreturn]] void check_fail(const std::string& msg);
// TORCH_CHECK's message: the arguments concatenated, or the default text when there are none.
inline const char* check_msg(const char* dflt) { return dflt; }
template <class... Args>
std::string check_msg(const char*, const Args&... args) {
  return str(args...);
}
[[noreturn]] void internal_assert_fail(const char* cond_msg, const std::string& user_msg);
template <class E>
[[noreturn]] void throw_as(const std::string& msg) {
  throw E(msg);
}
}  // namespace detail

}  // namespace tg

// ---- the macros (libtorch's names; each defined only if the program has no other) -------------
#define TG_CHECK_WITH_(error_t, cond, ...)                                                      \
  do {                                                                                          \
    if (__builtin_expect(!(cond), 0))                                                           \
      ::tg::detail::throw_as<error_t>(::tg::detail::check_msg(                                  \
          "Expected " #cond                                                                     \
          " to be true, but got false.  (Could this error message be improved?  If so, please " \
          "report an enhancement request to PyTorch.)" __VA_OPT__(, ) __VA_ARGS__));            \
  } while (false)
#ifndef TORCH_CHECK
#define TORCH_CHECK(cond, ...) TG_CHECK_WITH_(::tg::Error, cond __VA_OPT__(, ) __VA_ARGS__)
#define TORCH_CHECK_INDEX(cond, ...) \
  TG_CHECK_WITH_(::tg::IndexError, cond __VA_OPT__(, ) __VA_ARGS__)
#define TORCH_CHECK_VALUE(cond, ...) \
  TG_CHECK_WITH_(::tg::ValueError, cond __VA_OPT__(, ) __VA_ARGS__)
#define TORCH_CHECK_TYPE(cond, ...) TG_CHECK_WITH_(::tg::TypeError, cond __VA_OPT__(, ) __VA_ARGS__)
#define TORCH_CHECK_NOT_IMPLEMENTED(cond, ...) \
  TG_CHECK_WITH_(::tg::NotImplementedError, cond __VA_OPT__(, ) __VA_ARGS__)
#define TORCH_CHECK_ARG(cond, argN, ...) \
  TORCH_CHECK(cond, "invalid argument ", argN, ": " __VA_OPT__(, ) __VA_ARGS__)
#endif
#define TG_STRINGIZE_(x) #x
#define TG_STRINGIZE(x) TG_STRINGIZE_(x)
#ifndef TORCH_INTERNAL_ASSERT
#define TORCH_INTERNAL_ASSERT(cond, ...)                                               \
  do {                                                                                 \
    if (__builtin_expect(!(cond), 0))                                                  \
      ::tg::detail::internal_assert_fail(                                              \
          #cond " INTERNAL ASSERT FAILED at " TG_STRINGIZE(__FILE__) ":" TG_STRINGIZE( \
              __LINE__) ", please report a bug to PyTorch. ",                          \
          ::tg::str(__VA_ARGS__));                                                     \
  } while (false)
#ifdef NDEBUG
#define TORCH_INTERNAL_ASSERT_DEBUG_ONLY(...) \
  while (false) TORCH_INTERNAL_ASSERT(__VA_ARGS__)
#else
#define TORCH_INTERNAL_ASSERT_DEBUG_ONLY(...) TORCH_INTERNAL_ASSERT(__VA_ARGS__)
#endif
#define AT_ASSERT(...) TORCH_INTERNAL_ASSERT(__VA_ARGS__)
#define AT_ASSERTM(cond, ...) TORCH_INTERNAL_ASSERT(cond, __VA_ARGS__)
#define AT_ERROR(...) ::tg::detail::check_fail(::tg::str(__VA_ARGS__))
#endif
#ifndef TORCH_WARN
#define TORCH_WARN(...)                                                      \
  ::tg::Warning::warn({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, \
                      ::tg::str(__VA_ARGS__), false)
// Once per call site (a function-local static), unless Warning::WarnAlways is in force.
#define TORCH_WARN_ONCE(...)                                     \
  do {                                                           \
    if (::tg::Warning::get_warnAlways()) {                       \
      TORCH_WARN(__VA_ARGS__);                                   \
    } else {                                                     \
      [[maybe_unused]] static const bool tg_warned_once_ = [&] { \
        TORCH_WARN(__VA_ARGS__);                                 \
        return true;                                             \
      }();                                                       \
    }                                                            \
  } while (false)
#endif
