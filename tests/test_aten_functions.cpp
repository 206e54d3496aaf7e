// ATen free functions (autograd/ops_compose.cpp, ops_sort.cpp): the add* family, sort /
// argsort / topk, meshgrid, einsum. Against libtorch in tests/compat/indexing.cpp; finite
// differences in test_gradcheck_ops.cpp.
#include <doctest/doctest.h>

#include <cmath>

#include "helpers.hpp"
#include "tapegrad.hpp"

using test::contains;
using test::error_of;
using test::values;
using tg::Tensor;
using V = std::vector<double>;

static Tensor dt(std::initializer_list<double> v) {
  return tg::tensor(std::vector<double>(v), tg::kDouble);
}

TEST_CASE("addmm, addmv, addbmm, baddbmm: beta * self + alpha * product") {
  auto s = dt({1, 2, 3, 4}).reshape({2, 2});
  auto a = dt({1, 2, 3, 4}).reshape({2, 2}), b = dt({0, 1, 1, 0}).reshape({2, 2});
  CHECK(values(tg::addmm(s, a, b)) == V{3, 3, 7, 7});
  CHECK(values(tg::addmm(s, a, b, 0.5, 2)) == V{4.5, 3, 9.5, 8});
  CHECK(values(s.addmm(a, b, 0, 1)) == V{2, 1, 4, 3});
  auto nan_self = tg::full({2}, std::nan(""), tg::kDouble);  // beta = 0: self is ignored
  CHECK(values(tg::addmv(nan_self, a, dt({1, 1}), 0)) == V{3, 7});
  CHECK(values(tg::addmv(dt({1, 1}), a, dt({1, 0}), 2, -1)) == V{1, -1});
  auto b1 = tg::stack({a, b}), b2 = tg::stack({b, a});
  CHECK(values(tg::baddbmm(tg::zeros({2, 2, 2}, tg::kDouble), b1, b2)) ==
        V{2, 1, 4, 3, 3, 4, 1, 2});
  CHECK(values(tg::addbmm(dt({1, 1}), b1, b2, 1, 0.5)) == V{3.5, 3.5, 3.5, 3.5});
  CHECK(contains(error_of([&] {
                   tg::addmm(tg::ones({3, 2}, tg::kDouble), a, b);
                 }),
                 "cannot be broadcast"));
  // The gradient comes from mm's: d self = beta g, d a = alpha g b^T.
  auto sl = s.clone().requires_grad_(true), al = a.clone().requires_grad_(true);
  tg::addmm(sl, al, b, 3, 2).sum().backward();
  CHECK(values(sl.grad()) == V{3, 3, 3, 3});
  CHECK(values(al.grad()) == V{2, 2, 2, 2});
}

TEST_CASE("addcmul, addcdiv and their in-place forms") {
  auto s = dt({1, 2, 3});
  CHECK(values(tg::addcmul(s, dt({1, 2, 3}), dt({2, 2, 2}), 0.5)) == V{2, 4, 6});
  CHECK(values(s.addcdiv(dt({1, 2, 3}), dt({2, 4, 6}))) == V{1.5, 2.5, 3.5});
  auto t = dt({0, 0});
  t.addcmul_(dt({1, 2}), dt({3, 4}), 2).addcdiv_(dt({1, 1}), dt({2, 4}));
  CHECK(values(t) == V{6.5, 16.25});
  CHECK(contains(error_of([] {
                   tg::addcdiv(tg::ones({2}), tg::ones({2}, tg::kLong), tg::ones({2}, tg::kLong));
                 }),
                 "Integer division with addcdiv is no longer supported"));
}

TEST_CASE("sort and argsort: stable, descending, along a dim; values carry the gradient") {
  auto x = dt({3, 1, 2, 1, 5, 0}).reshape({2, 3}).requires_grad_(true);
  auto [v, i] = tg::sort(x);
  CHECK(values(v) == V{1, 2, 3, 0, 1, 5});
  CHECK(values(i) == V{1, 2, 0, 2, 0, 1});
  CHECK(i.scalar_type() == tg::kLong);
  (v * dt({1, 2, 3, 4, 5, 6}).reshape({2, 3})).sum().backward();
  CHECK(values(x.grad()) == V{3, 1, 2, 5, 6, 4});
  auto [vd, id] = x.sort(0, true);
  CHECK(values(vd) == V{3, 5, 2, 1, 1, 0});
  CHECK(values(id) == V{0, 1, 0, 1, 0, 1});
  auto ties = tg::tensor({2, 1, 2, 1});
  CHECK(values(tg::argsort(ties)) == V{1, 3, 0, 2});  // equal keys keep their order
  CHECK(values(ties.argsort(0, true)) == V{0, 2, 1, 3});
  CHECK(values(std::get<1>(tg::sort(ties, true, 0, false))) == V{1, 3, 0, 2});
  auto with_nan = dt({1, std::nan(""), 0});
  CHECK(values(with_nan.argsort()) == V{2, 0, 1});  // NaN sorts last, as libtorch
}

TEST_CASE("topk: largest or smallest k along a dim") {
  auto x = dt({4, 9, 1, 7, 3, 8}).reshape({2, 3}).requires_grad_(true);
  auto [v, i] = x.topk(2);
  CHECK(values(v) == V{9, 4, 8, 7});
  CHECK(values(i) == V{1, 0, 2, 0});
  v.sum().backward();
  CHECK(values(x.grad()) == V{1, 1, 0, 1, 0, 1});
  auto [vs, is] = tg::topk(x, 1, 0, false);
  CHECK(values(vs) == V{4, 3, 1});
  CHECK(values(is) == V{0, 1, 0});
  CHECK(contains(error_of([&] { x.topk(4); }), "selected index k (4) out of range"));
}

TEST_CASE("meshgrid: ij and xy") {
  auto a = dt({1, 2, 3}), b = dt({10, 20});
  auto ij = tg::meshgrid({a, b}, "ij");
  REQUIRE(ij.size() == 2);
  CHECK(ij[0].sizes() == tg::IntArrayRef{3, 2});
  CHECK(values(ij[0]) == V{1, 1, 2, 2, 3, 3});
  CHECK(values(ij[1]) == V{10, 20, 10, 20, 10, 20});
  auto xy = tg::meshgrid({a, b}, "xy");
  CHECK(xy[0].sizes() == tg::IntArrayRef{2, 3});
  CHECK(values(xy[0]) == V{1, 2, 3, 1, 2, 3});
  CHECK(values(xy[1]) == V{10, 10, 10, 20, 20, 20});
  CHECK(values(tg::meshgrid({a})[0]) == V{1, 2, 3});
  CHECK(contains(error_of([&] { tg::meshgrid({a, b}, "yx"); }), "indexing must be one of"));
  CHECK(contains(error_of([&] { tg::meshgrid({a.reshape({3, 1})}); }), "Expected 0D or 1D"));
}

TEST_CASE("einsum: products, traces, diagonals, implicit output") {
  auto a = dt({1, 2, 3, 4, 5, 6}).reshape({2, 3});
  auto b = dt({1, 0, 0, 1, 1, 1}).reshape({3, 2});
  CHECK(values(tg::einsum("ij,jk->ik", {a, b})) == V{4, 5, 10, 11});
  CHECK(values(tg::einsum("ij,jk", {a, b})) == V{4, 5, 10, 11});
  CHECK(values(tg::einsum("ij->ji", {a})) == V{1, 4, 2, 5, 3, 6});
  CHECK(values(tg::einsum("ij->j", {a})) == V{5, 7, 9});
  CHECK(values(tg::einsum("ij,ij->", {a, a})) == V{91});
  auto sq = dt({1, 2, 3, 4, 5, 6, 7, 8, 9}).reshape({3, 3});
  CHECK(values(tg::einsum("ii->i", {sq})) == V{1, 5, 9});
  CHECK(tg::einsum("ii", {sq}).dim() == 0);
  CHECK(values(tg::einsum("ii", {sq})) == V{15});
  CHECK(values(tg::einsum("i,j->ij", {dt({1, 2}), dt({3, 4, 5})})) == V{3, 4, 5, 6, 8, 10});
  CHECK(values(tg::einsum("b i j , b j k -> b i k", {tg::stack({sq, sq}), tg::stack({sq, sq})})) ==
        values(tg::stack({sq.mm(sq), sq.mm(sq)})));
  auto s = sq.clone().requires_grad_(true);
  tg::einsum("ii", {s}).backward();  // d trace = identity
  CHECK(values(s.grad()) == V{1, 0, 0, 0, 1, 0, 0, 0, 1});
  CHECK(contains(error_of([&] { tg::einsum("ij,jk->ik", {a}); }), "2 operands were specified"));
  CHECK(contains(error_of([&] { tg::einsum("ij,jk->ik", {a, a}); }), "do not broadcast"));
  CHECK(contains(error_of([&] { tg::einsum("ij->k", {a}); }), "output subscript k"));
  CHECK(contains(error_of([&] { tg::einsum("...ij->ij", {a}); }), "ellipsis"));
}
