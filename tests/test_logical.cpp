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
