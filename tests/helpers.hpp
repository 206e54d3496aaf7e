// Small helpers shared by the doctest files.
#pragma once

#include <cmath>
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

}  // namespace test
