// libtorch's c10 utilities under tg:: (autograd/c10_util.hpp): str, irange, TORCH_CHECK and
// friends, and the warning handler. Messages are compared with what libtorch 1.13 prints.
#include <doctest/doctest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

using test::contains;
using test::error_of;

TEST_CASE("c10: str concatenates with operator<<") {
  CHECK(tg::str() == "");
  CHECK(tg::str("a", 1, 2.5, ' ', tg::kFloat) == "a12.5 Float");  // libtorch: a12.5 Float
  CHECK(tg::str("shape ", tg::IntArrayRef{2, 3}) == "shape [2, 3]");
  std::string s = tg::str(tg::Device("cuda:1"), "/", tg::kCPU);
  CHECK(s == "cuda:1/cpu");
}

TEST_CASE("c10: irange counts with the end's type and is empty when end <= begin") {
  std::vector<int64_t> got;
  for (auto i : tg::irange(2, int64_t(5))) {
    static_assert(std::is_same_v<decltype(i), int64_t>);
    got.push_back(i);
  }
  CHECK(got == std::vector<int64_t>{2, 3, 4});
  got.clear();
  for (auto i : tg::irange(size_t(3))) {
    static_assert(std::is_same_v<decltype(i), size_t>);
    got.push_back(int64_t(i));
  }
  CHECK(got == std::vector<int64_t>{0, 1, 2});
  int n = 0;
  for (auto i : tg::irange(5, 2)) n += i + 1;
  for (auto i : tg::irange(-3)) n += i + 1;
  CHECK(n == 0);
}

TEST_CASE("c10: optional and nullopt are std's") {
  tg::optional<int64_t> o = tg::nullopt;
  CHECK(!o.has_value());
  o = 3;
  CHECK(*o == 3);
}

TEST_CASE("c10: TORCH_CHECK throws tg::Error with libtorch's messages") {
  CHECK(error_of([] { TORCH_CHECK(1 == 2); }) ==
        "Expected 1 == 2 to be true, but got false.  (Could this error message be improved?  "
        "If so, please report an enhancement request to PyTorch.)");
  CHECK(error_of([] { TORCH_CHECK(false, "bad ", 5); }) == "bad 5");
  int calls = 0;
  TORCH_CHECK(++calls == 1, "evaluated once");
  CHECK(calls == 1);
  try {
    TORCH_CHECK_INDEX(false, "index ", 7, " is out of bounds");
    FAIL("no throw");
  } catch (const tg::IndexError& e) {
    CHECK(std::string(e.what_without_backtrace()) == "index 7 is out of bounds");
    CHECK(e.msg() == "index 7 is out of bounds");
  }
  CHECK_THROWS_AS(TORCH_CHECK_VALUE(false, "v"), tg::ValueError);
  CHECK_THROWS_AS(TORCH_CHECK_TYPE(false, "t"), tg::TypeError);
  CHECK(error_of([] { TORCH_CHECK_ARG(false, 2, "too big"); }) == "invalid argument 2: too big");
  CHECK(error_of([] { AT_ERROR("failed: ", 3); }) == "failed: 3");
}

TEST_CASE("c10: TORCH_INTERNAL_ASSERT and AT_ASSERT name the condition, file and line") {
  // libtorch: `1 == 2 INTERNAL ASSERT FAILED at "probe.cpp":11, please report a bug to
  // PyTorch. x=4`
  const int line = __LINE__ + 1;
  std::string m = error_of([] { TORCH_INTERNAL_ASSERT(1 == 2, "x=", 4); });
  CHECK(m == "1 == 2 INTERNAL ASSERT FAILED at \"" __FILE__ "\":" + std::to_string(line) +
                 ", please report a bug to PyTorch. x=4");
  m = error_of([] { AT_ASSERT(2 < 1); });
  CHECK(contains(m, "2 < 1 INTERNAL ASSERT FAILED at \""));
  CHECK(contains(m, ", please report a bug to PyTorch. "));
  TORCH_INTERNAL_ASSERT(true);
}

namespace {
struct Capture : tg::WarningHandler {
  std::vector<std::string> msgs;
  std::vector<std::string> functions;
  void process(const tg::SourceLocation& loc, const std::string& msg, const bool) override {
    msgs.push_back(msg);
    functions.push_back(loc.function);
  }
};
void warn_once_a() { TORCH_WARN_ONCE("warn once"); }
void warn_many() { TORCH_WARN("warn ", 3, " times"); }
}  // namespace

TEST_CASE("c10: warnings reach the installed handler; TORCH_WARN_ONCE once per call site") {
  Capture cap;
  {
    tg::Warning::WarningHandlerGuard guard(&cap);
    CHECK(tg::Warning::get_warning_handler() == &cap);
    warn_many();
    warn_many();
    warn_once_a();
    warn_once_a();
    {
      tg::Warning::WarnAlways always;  // libtorch's way to test TORCH_WARN_ONCE
      warn_once_a();
    }
    warn_once_a();
  }
  CHECK(tg::Warning::get_warning_handler() != &cap);
  CHECK(cap.msgs ==
        std::vector<std::string>{"warn 3 times", "warn 3 times", "warn once", "warn once"});
  CHECK(cap.functions[0] == "warn_many");
  // The c10::WarningUtils spelling of the guard.
  Capture cap2;
  {
    tg::WarningUtils::WarningHandlerGuard guard(&cap2);
    warn_many();
  }
  CHECK(cap2.msgs.size() == 1);
}

TEST_CASE("c10: the default handler prints libtorch's line to stderr") {
  std::ostringstream err;
  auto* old = std::cerr.rdbuf(err.rdbuf());
  const int line = __LINE__ + 1;
  TORCH_WARN("hello ", 3, " world");
  std::cerr.rdbuf(old);
  // libtorch without glog: [W probe.cpp:4] Warning: hello 3 world (function f)
  const std::string want =
      "[W test_c10_util.cpp:" + std::to_string(line) + "] Warning: hello 3 world (function ";
  CHECK(err.str().substr(0, want.size()) == want);
  CHECK(err.str().substr(err.str().size() - 2) == ")\n");
}

TEST_CASE("c10: tapegrad's own warnings go through the handler, in libtorch's words") {
  Capture cap;
  tg::Warning::WarningHandlerGuard guard(&cap);
  auto x = tg::ones({2}, tg::requires_grad());
  auto h = x * 3;
  CHECK(!h.grad().defined());
  REQUIRE(cap.msgs.size() == 1);
  CHECK(contains(cap.msgs[0],
                 "The .grad attribute of a Tensor that is not a leaf Tensor is "
                 "being accessed. Its .grad attribute won't be populated"));
  h.retain_grad();
  (void)h.grad();  // retained: no warning
  (void)x.grad();  // a leaf: no warning
  CHECK(cap.msgs.size() == 1);
  struct M : tg::nn::Module {};
  M m;
  m.register_parameter("undefined", tg::Tensor());
  m.register_parameter("quiet", tg::Tensor(), /*requires_grad=*/false);
  REQUIRE(cap.msgs.size() == 2);
  CHECK(cap.msgs[1] ==
        "An undefined tensor cannot require grad. Ignoring the `requires_grad=true` function "
        "parameter.");
  CHECK(m.parameters().empty());
}
