// isfinite, all, any and the two-tensor max/min (autograd/ops_logical.cpp), against values
// PyTorch 1.13 gives.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

static std::vector<int64_t> ints(const tg::Tensor& t) {
  tg::Tensor l = t.to(tg::kLong).reshape({-1});
  return {l.data_ptr<int64_t>(), l.data_ptr<int64_t>() + l.numel()};
}

TEST_CASE("logical: isfinite, all, any") {
  const double inf = std::numeric_limits<double>::infinity();
  auto x = tg::tensor({1.0, inf, std::nan(""), -inf, 0.0}, tg::kDouble);
  auto f = tg::isfinite(x);
  CHECK(f.scalar_type() == tg::kBool);
  CHECK(ints(f) == std::vector<int64_t>{1, 0, 0, 0, 1});
  CHECK(ints(x.isfinite()) == ints(f));
  CHECK(ints(tg::isfinite(tg::tensor({1, 2}))) == std::vector<int64_t>{1, 1});
  // torch.tensor([[1, 0], [2, 3]]): all() False, any() True, all(1) [False, True],
  // any(0) [True, True], all(0, keepdim) shape [1, 2]
  auto m = tg::tensor({{1, 0}, {2, 3}});
  CHECK(m.all().item<bool>() == false);
  CHECK(m.any().item<bool>() == true);
  CHECK(m.all().dim() == 0);
  CHECK(m.all().scalar_type() == tg::kBool);
  CHECK(ints(m.all(1)) == std::vector<int64_t>{0, 1});
  CHECK(ints(tg::any(m, 0)) == std::vector<int64_t>{1, 1});
  CHECK(m.all(0, true).sizes().vec() == std::vector<int64_t>{1, 2});
  CHECK(ints(m.all(-1)) == std::vector<int64_t>{0, 1});
  CHECK(tg::ones({2, 2}).ge(0).all().item<bool>());
  CHECK(tg::empty({0}).all().item<bool>() == true);  // torch.empty(0).all() == True
  CHECK(tg::empty({0}).any().item<bool>() == false);
  auto g = tg::ones({2}, tg::requires_grad());
  CHECK(!g.all().requires_grad());
}

TEST_CASE("logical: max(a, b) and min(a, b) are elementwise") {
  auto a = tg::tensor({1.0, 5.0, -2.0}), b = tg::tensor({3.0, 4.0, -1.0});
  CHECK(ints(tg::max(a, b)) == std::vector<int64_t>{3, 5, -1});
  CHECK(ints(tg::min(a, b)) == std::vector<int64_t>{1, 4, -2});
  CHECK(ints(a.max(b)) == std::vector<int64_t>{3, 5, -1});
  CHECK(ints(a.min(b)) == std::vector<int64_t>{1, 4, -2});
  CHECK(std::get<0>(a.max(0)).item<double>() == 5.0);  // the dim overload still wins for ints
}

static std::vector<double> vals(const tg::Tensor& t) {
  tg::Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

TEST_CASE("slice: Python bounds and steps, as libtorch's Tensor::slice") {
  auto x = tg::arange(10.);
  CHECK(vals(x.slice(0, 2, 5)) == std::vector<double>{2, 3, 4});
  CHECK(vals(x.slice(0, -3)) == std::vector<double>{7, 8, 9});
  CHECK(vals(x.slice(0, 1, 9, 3)) == std::vector<double>{1, 4, 7});
  CHECK(vals(x.slice(0, 8, 100)) == std::vector<double>{8, 9});  // clamped
  CHECK(x.slice(0, 5, 2).numel() == 0);
  CHECK(vals(x.slice()) == vals(x));
  auto m = tg::arange(12.).reshape({3, 4});
  CHECK(vals(m.slice(1, 0, 4, 2)) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(m.slice(1, 0, 4, 2).sizes().vec() == std::vector<int64_t>{3, 2});
  CHECK(vals(tg::slice(m, -1, 3)) == std::vector<double>{3, 7, 11});
  CHECK(
      test::contains(test::error_of([&] { m.slice(0, 0, 2, 0); }), "slice step must be positive"));
  // the gradient of a strided slice lands on the picked elements
  auto w = tg::arange(6., tg::dtype(tg::kDouble).requires_grad(true));
  w.slice(0, 0, 6, 2).sum().backward();
  CHECK(vals(w.grad()) == std::vector<double>{1, 0, 1, 0, 1, 0});
}

TEST_CASE("repeat: tiles along each dim, as torch.Tensor.repeat") {
  auto x = tg::tensor({1.0, 2.0, 3.0});
  // torch.tensor([1., 2., 3.]).repeat(2, 2): [[1,2,3,1,2,3],[1,2,3,1,2,3]]
  auto r = x.repeat({2, 2});
  CHECK(r.sizes().vec() == std::vector<int64_t>{2, 6});
  CHECK(vals(r) == std::vector<double>{1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3});
  auto m = tg::tensor({{1.0, 2.0}, {3.0, 4.0}});
  CHECK(vals(m.repeat({2, 1})) == std::vector<double>{1, 2, 3, 4, 1, 2, 3, 4});
  CHECK(vals(m.repeat({1, 2})) == std::vector<double>{1, 2, 1, 2, 3, 4, 3, 4});
  CHECK(m.repeat({3, 1, 1}).sizes().vec() == std::vector<int64_t>{3, 2, 2});
  CHECK(test::contains(test::error_of([&] { m.repeat({2}); }),
                       "Number of dimensions of repeat dims can not be smaller than number of "
                       "dimensions of tensor"));
  auto w = tg::tensor({1.0, 2.0}, tg::dtype(tg::kDouble).requires_grad(true));
  (w.repeat({3}) * tg::arange(6., tg::kDouble)).sum().backward();
  CHECK(vals(w.grad()) == std::vector<double>{0 + 2 + 4, 1 + 3 + 5});
}
