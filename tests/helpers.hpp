// Small helpers shared by the doctest files.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "tapegrad.hpp"

namespace test {

// The message of the tg::Error that fn throws, or a marker if it throws none.
template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const tg::Error& e) {
    return e.what();
  }
  return "<no tg::Error thrown>";
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// seq(shape, phase, scale, offset)[i] = offset + scale * sin(0.7 i + phase), float64 row-major:
// RNG-free inputs, the same as tests/compat's det() and the tests/ref/*.py scripts.
inline tg::Tensor seq(std::vector<int64_t> shape, double phase, double scale = 1.0,
                      double offset = 0.0) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[size_t(i)] = offset + scale * std::sin(0.7 * double(i) + phase);
  return tg::tensor(v, tg::kDouble).reshape(shape);
}

// Weights for the gradient of a non-scalar output: go[i] = cos(0.3 i).
inline tg::Tensor go(tg::IntArrayRef shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[size_t(i)] = std::cos(0.3 * double(i));
  return tg::tensor(v, tg::kDouble).reshape(shape);
}

// What `v << stream` prints (modules, tensors).
template <class T>
std::string str(const T& v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// Copies fixed values into a parameter (converted to its dtype), as one would load weights.
inline void set(const tg::Tensor& p, const tg::Tensor& v) {
  tg::NoGradGuard g;
  p.copy_(v.to(p.scalar_type()));
}

// The values of t as float64, row-major.
inline std::vector<double> values(const tg::Tensor& t) {
  tg::Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  const double* p = d.data_ptr<double>();
  return std::vector<double>(p, p + d.numel());
}

// Checks `got` element by element against reference numbers (PyTorch's, from tests/ref/):
// |got - want| <= rtol |want| + atol, naming `what` and the index of each mismatch.
inline void expect_near(const std::vector<double>& got, const std::vector<double>& want,
                        const char* what, double rtol = 1e-10, double atol = 1e-13) {
  const std::string name = what;
  REQUIRE_MESSAGE(got.size() == want.size(),
                  name << ": got " << got.size() << " elements, want " << want.size());
  for (size_t i = 0; i < got.size(); ++i)
    CHECK_MESSAGE(std::abs(got[i] - want[i]) <= rtol * std::abs(want[i]) + atol,
                  name << "[" << i << "]: got " << got[i] << ", want " << want[i]);
}
inline void expect_near(const tg::Tensor& got, const std::vector<double>& want, const char* what,
                        double rtol = 1e-10, double atol = 1e-13) {
  REQUIRE_MESSAGE(got.defined(), what);
  expect_near(values(got), want, what, rtol, atol);
}

// Collects the warnings (TORCH_WARN) raised while it lives, instead of printing them.
struct WarningCapture : tg::WarningHandler {
  WarningCapture() : guard_(this) {}
  void process(const tg::SourceLocation&, const std::string& msg, bool) override {
    msgs.push_back(msg);
  }
  std::vector<std::string> msgs;

 private:
  tg::WarningUtils::WarningHandlerGuard guard_;
};
}  // namespace test
