// The gradcheck table machinery shared by the tests/test_gradcheck_*.cpp files (the row format
// is described at the top of test_gradcheck_ops.cpp). Each file including this one gets its
// own copy (anonymous namespace): include it once per file.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "tapegrad.hpp"

namespace {

using tg::Tensor;
using tg::TensorList;
using Shp = std::vector<int64_t>;
using ShapeSets = std::vector<std::vector<Shp>>;

// Broadcasting pairs: no broadcast, leading dim, both sides, a middle size-1 dim, 0-d either side.
const ShapeSets kBinary = {{{3}, {3}},          {{2, 3}, {3}}, {{2, 1}, {1, 4}},
                           {{4, 1, 3}, {2, 3}}, {{}, {2, 3}},  {{2, 3}, {}}};
const ShapeSets kUnary = {{{3}}, {{2, 3}}, {{4, 1, 3}}, {{}}};
const ShapeSets kMat = {{{2, 3}}, {{3, 4}}, {{2, 3, 4}}};  // at least 2-D, dim 1 of size >= 3
const ShapeSets k3d = {{{2, 3, 4}}};

std::string shapes_str(const std::vector<Shp>& shapes) {
  std::ostringstream s;
  for (size_t i = 0; i < shapes.size(); ++i) {
    s << (i ? " x (" : "(");
    for (size_t d = 0; d < shapes[i].size(); ++d) s << (d ? "," : "") << shapes[i][d];
    s << ")";
  }
  return s.str();
}

Tensor make_input(const Shp& shape, size_t which, char dom) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    double x = 0.9 * std::sin(0.7 * double(k) + 0.3 + 1.3 * double(which));
    if (dom == 'p') x = 1.0 + 0.5 * x;
    if (dom == 'w') x += x < 0 ? -0.3 : 0.3;
    v[size_t(k)] = x;
  }
  return tg::from_blob(v.data(), shape, tg::kDouble).clone().requires_grad_(true);  // v dies
}

enum Order { kGradOnly = 1, kGradGrad = 2 };

void run_row(const char* name, const ShapeSets& sets, const char* dom, Order order,
             const tg::autograd::GradcheckFn& fn) {
  REQUIRE(!sets.empty());
  const size_t ndom = std::string(dom).size();
  for (const auto& shapes : sets) {
    const std::string where = std::string(name) + " " + shapes_str(shapes);
    try {
      TensorList in;
      int64_t in_elems = 0;
      for (size_t i = 0; i < shapes.size(); ++i) {
        in.push_back(make_input(shapes[i], i, dom[std::min(i, ndom - 1)]));
        in_elems += in.back().numel();
      }
      const int64_t out_elems = fn(in).numel();
      auto rep = tg::autograd::gradcheck(fn, in);
      CHECK_MESSAGE(rep.ok, where << ": " << rep);
      // Every Jacobian element was compared: a check of nothing cannot pass.
      CHECK_MESSAGE(rep.checked == out_elems * in_elems, where << ": checked " << rep.checked);
      // The inputs stay away from kinks, so none may be excused as one.
      CHECK_MESSAGE(rep.kinks.empty(), where << ": " << rep);
      if (order < kGradGrad) continue;
      // Second order: the Jacobian of (inputs, v) -> v^T J, an in_elems x (in_elems + out_elems)
      // matrix, every element compared.
      auto rep2 = tg::autograd::gradgradcheck(fn, in);
      CHECK_MESSAGE(rep2.ok, where << ": " << rep2);
      CHECK_MESSAGE(rep2.kinks.empty(), where << ": " << rep2);
      CHECK_MESSAGE(rep2.checked == in_elems * (in_elems + out_elems),
                    where << ": gradgradcheck checked " << rep2.checked);
    } catch (const std::exception& e) {
      FAIL_CHECK(where << ": threw: " << e.what());
    }
  }
}

}  // namespace

#define GC_ROW(NAME, SETS, DOM, ORDER, ...) \
  TEST_CASE("gradcheck " NAME) { run_row(NAME, SETS, DOM, ORDER, __VA_ARGS__); }
#define FN [](const TensorList& in) -> Tensor
