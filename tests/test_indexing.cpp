// Tensor::index / index_put_ with tg::indexing (autograd/indexing.hpp), take / put / index /
// index_put (ops_advanced_index.cpp), masked_fill, any / all, accessor and print
// (ops_mask_select.cpp, tensor_accessor.hpp). The same forms against libtorch, values and
// gradients, are in tests/compat/indexing.cpp; finite differences in test_gradcheck_ops.cpp.
#include <doctest/doctest.h>

#include <iostream>
#include <sstream>

#include "helpers.hpp"
#include "tapegrad.hpp"

using namespace tg::indexing;
using test::contains;
using test::error_of;
using test::values;
using tg::Tensor;
using V = std::vector<double>;

static Tensor ar(std::vector<int64_t> shape) {  // 0, 1, 2, ... in float64
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return tg::arange(n, tg::kDouble).reshape(shape);
}
static Tensor idx(std::vector<int64_t> v) { return tg::tensor(v, tg::kLong); }

TEST_CASE("index: integers, slices, None, Ellipsis") {
  auto x = ar({3, 4});
  CHECK(values(x.index({1})) == V{4, 5, 6, 7});
  CHECK(values(x.index({1, 2})) == V{6});
  CHECK(x.index({1, 2}).dim() == 0);
  CHECK(values(x.index({-1, -1})) == V{11});
  CHECK(values(x.index({Slice(), 1})) == V{1, 5, 9});
  CHECK(values(x.index({Slice(1, None), Slice(None, 2)})) == V{4, 5, 8, 9});
  CHECK(values(x.index({Slice(None, None, 2), Slice(1, None, 2)})) == V{1, 3, 9, 11});
  CHECK(values(x.index({Slice(-2, 100)})) == V{4, 5, 6, 7, 8, 9, 10, 11});
  CHECK(x.index({Slice(3, 1)}).sizes() == tg::IntArrayRef{0, 4});  // empty, as Python
  CHECK(x.index({None}).sizes() == tg::IntArrayRef{1, 3, 4});
  CHECK(x.index({Slice(), None, 0}).sizes() == tg::IntArrayRef{3, 1});
  CHECK(values(x.index({"...", 3})) == V{3, 7, 11});
  CHECK(values(x.index({Ellipsis, 0, Slice(2, 4)})) == V{2, 3});
  CHECK(x.index({"..."}).sizes() == x.sizes());
  auto y = ar({2, 3, 4});
  CHECK(values(y.index({Ellipsis, 1})) == V{1, 5, 9, 13, 17, 21});
  CHECK(values(y.index({1, Ellipsis, 2})) == V{14, 18, 22});
}

TEST_CASE("Tensor::slice: Python's bounds along any dim, differentiable") {
  auto x = ar({3, 4}).requires_grad_(true);
  CHECK(values(x.slice(1, 1, None, 2)) == V{1, 3, 5, 7, 9, 11});
  CHECK(values(x.slice(0, -1)) == V{8, 9, 10, 11});
  CHECK(values(x.slice(-1, None, 1)) == V{0, 4, 8});
  CHECK(x.slice().sizes() == x.sizes());
  x.slice(1, 2).sum().backward();
  CHECK(values(x.grad()) == V{0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1});
  CHECK(contains(error_of([&] { x.slice(0, 0, 2, 0); }), "slice step must be positive"));
}

TEST_CASE("index: bools, index tensors and masks") {
  auto x = ar({3, 4});
  CHECK(x.index({true}).sizes() == tg::IntArrayRef{1, 3, 4});
  CHECK(x.index({false}).sizes() == tg::IntArrayRef{0, 3, 4});
  CHECK(values(x.index({idx({2, 0})})) == V{8, 9, 10, 11, 0, 1, 2, 3});
  CHECK(values(x.index({idx({2, 0}), idx({1, 3})})) == V{9, 3});
  CHECK(values(x.index({Slice(), idx({3, 0})})) == V{3, 0, 7, 4, 11, 8});
  CHECK(values(x.index({idx({-1}), Slice(1, 3)})) == V{9, 10});
  // Broadcast index tensors: a (2, 1) and a (2,) pick a 2 x 2 block.
  auto rows = tg::tensor({{0}, {2}}, tg::kLong);
  CHECK(values(x.index({rows, idx({1, 2})})) == V{1, 2, 9, 10});
  auto mask = x.gt(6.5);
  CHECK(values(x.index({mask})) == V{7, 8, 9, 10, 11});
  CHECK(values(x.index({tg::tensor({true, false, true})})) == V{0, 1, 2, 3, 8, 9, 10, 11});
  CHECK(values(x.index({Slice(), tg::tensor({false, true, true, false})})) == V{1, 2, 5, 6, 9, 10});
  CHECK(values(x.index({tg::scalar_tensor(1, tg::kLong)})) == V{4, 5, 6, 7});
  // Non-adjacent index tensors put the indexed dims first (NumPy's rule).
  auto y = ar({2, 3, 4});
  auto z = y.index({idx({0, 1}), Slice(), idx({1, 2})});
  CHECK(z.sizes() == tg::IntArrayRef{2, 3});
  CHECK(values(z) == V{1, 5, 9, 14, 18, 22});
  auto w = y.index({Slice(), idx({0, 2}), idx({1, 3})});  // adjacent: stays in place
  CHECK(w.sizes() == tg::IntArrayRef{2, 2});
  CHECK(values(w) == V{1, 11, 13, 23});
  // The functional form with nullopt for a whole dim.
  CHECK(values(tg::index(x, {std::nullopt, idx({0})})) == V{0, 4, 8});
}

TEST_CASE("index: errors keep libtorch's wording") {
  auto x = ar({3, 4});
  CHECK(contains(error_of([&] { x.index({3}); }),
                 "index 3 is out of bounds for dimension 0 with size 3"));
  CHECK(contains(error_of([&] {
                   x.index({0, 0, 0});
                 }),
                 "too many indices for tensor of dimension 2"));
  CHECK(contains(error_of([&] { x.index({idx({5})}); }),
                 "index 5 is out of bounds for dimension 0 with size 3"));
  CHECK(contains(error_of([&] {
                   x.index({idx({0, 1}), idx({0, 1, 2})});
                 }),
                 "shape mismatch: indexing tensors could not be broadcast together with shapes "
                 "[2], [3]"));
  CHECK(contains(error_of([&] {
                   x.index({tg::tensor({true, false})});
                 }),
                 "The shape of the mask [2] at index 0 does not match the shape of the indexed "
                 "tensor [3, 4] at index 0"));
  CHECK(contains(error_of([&] { x.index({Slice(None, None, -1)}); }),
                 "step must be greater than zero"));
  CHECK(contains(error_of([] { Slice(0, 1, 0); }), "slice step cannot be zero"));
  CHECK(contains(error_of([&] { x.index({x}); }),
                 "tensors used as indices must be long, byte or bool tensors"));
  CHECK(contains(error_of([&] { tg::scalar_tensor(1.0).index({0}); }),
                 "invalid index of a 0-dim tensor"));
  CHECK(contains(error_of([&] { x.index({"..", 0}); }), "Expected \"...\""));
  CHECK(contains(error_of([&] { x.index(std::vector<TensorIndex>{}); }),
                 "Passing an empty index list to Tensor::index() is not valid syntax"));
}

TEST_CASE("index: the gradient adds back into the indexed places") {
  auto x = ar({3, 4}).requires_grad_(true);
  auto y = x.index({idx({0, 2, 0}), Slice(1, None, 2)});  // row 0 picked twice
  CHECK(values(y) == V{1, 3, 9, 11, 1, 3});
  (y * tg::tensor({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}}, tg::kDouble)).sum().backward();
  CHECK(values(x.grad()) == V{0, 6, 0, 8, 0, 0, 0, 0, 0, 3, 0, 4});
  auto m = ar({2, 2}).requires_grad_(true);
  m.index({m.detach().gt(0.5)}).pow(2).sum().backward();
  CHECK(values(m.grad()) == V{0, 2, 4, 6});
  auto s = ar({4}).requires_grad_(true);  // basic indices go through select / narrow
  (s.index({Slice(1, 3)}) * 3.0 + s.index({-1})).sum().backward();
  CHECK(values(s.grad()) == V{0, 3, 3, 2});
}

TEST_CASE("index_put_: slices, integers, tensors, masks, broadcast values") {
  auto x = tg::zeros({3, 4}, tg::kDouble);
  x.index_put_({1}, 5.0);
  x.index_put_({Slice(), 0}, tg::tensor({1.0, 2.0, 3.0}, tg::kDouble));
  x.index_put_({0, Slice(1, None, 2)}, 7);
  x.index_put_({idx({2, 2}), idx({3, 2})}, tg::tensor({8.0, 9.0}, tg::kDouble));
  CHECK(values(x) == V{1, 7, 0, 7, 2, 5, 5, 5, 3, 0, 9, 8});
  x.index_put_({x.gt(6.5)}, -1.0);
  CHECK(values(x) == V{1, -1, 0, -1, 2, 5, 5, 5, 3, 0, -1, -1});
  x.index_put_({"...", Slice(2, 4)}, tg::tensor({{10.0, 20.0}}, tg::kDouble));  // (1, 2) -> rows
  CHECK(values(x) == V{1, -1, 10, 20, 2, 5, 10, 20, 3, 0, 10, 20});
  x.index_put_({false}, 100.0);  // writes nothing
  CHECK(values(x.index({0})) == V{1, -1, 10, 20});
  const auto v0 = x._version();
  x.index_put_({0, 0}, 4);
  CHECK(x._version() > v0);
  CHECK(x.index({0, 0}).item<double>() == 4);
  auto l = tg::zeros({4}, tg::kLong);
  l.index_put_({idx({1, 3})}, 2.9);  // the value takes self's dtype
  CHECK(values(l) == V{0, 2, 0, 2});
  CHECK(contains(error_of([&] {
                   x.index_put_({idx({0, 1})}, tg::ones({3}, tg::kDouble));
                 }),
                 "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result "
                 "of shape [2, 4]"));
  // Accumulating form: repeated positions add up.
  auto a = tg::index_put(tg::zeros({3}, tg::kDouble), {idx({0, 0, 2})},
                         tg::tensor({1.0, 2.0, 3.0}, tg::kDouble), true);
  CHECK(values(a) == V{3, 0, 3});
}

TEST_CASE("index_put_: gradients flow to the values and around the overwritten places") {
  auto w = ar({3}).requires_grad_(true);
  auto v = tg::tensor({10.0, 20.0}, tg::kDouble).requires_grad_(true);
  auto x = w * 2.0;  // a non-leaf, written in place
  x.index_put_({idx({0, 2})}, v * 3.0);
  CHECK(values(x) == V{30, 2, 60});
  (x * tg::tensor({1.0, 2.0, 3.0}, tg::kDouble)).sum().backward();
  CHECK(values(w.grad()) == V{0, 4, 0});  // overwritten places get nothing
  CHECK(values(v.grad()) == V{3, 9});
  // A plain buffer filled from values that require grad.
  auto r = tg::tensor({1.0, 2.0}, tg::kDouble).requires_grad_(true);
  auto buf = tg::zeros({2, 2}, tg::kDouble);
  buf.index_put_({Slice(), 1}, r);
  CHECK(buf.requires_grad());
  buf.sum().backward();
  CHECK(values(r.grad()) == V{1, 1});
  auto leaf = ar({2}).requires_grad_(true);
  CHECK(contains(error_of([&] { leaf.index_put_({0}, 1.0); }), "leaf Variable"));
}

TEST_CASE("take, put and nonzero") {
  auto x = ar({2, 3}).requires_grad_(true);
  auto t = tg::take(x, tg::tensor({{5, 0}, {-1, 1}}, tg::kLong));
  CHECK(values(t) == V{5, 0, 5, 1});
  t.sum().backward();
  CHECK(values(x.grad()) == V{1, 1, 0, 0, 0, 2});
  auto p = tg::put(ar({4}), idx({3, 0}), tg::tensor({7.0, 8.0}, tg::kDouble));
  CHECK(values(p) == V{8, 1, 2, 7});
  auto nz = tg::nonzero(tg::tensor({{0, 1}, {2, 0}}, tg::kLong));
  CHECK(nz.sizes() == tg::IntArrayRef{2, 2});
  CHECK(values(nz) == V{0, 1, 1, 0});
  CHECK(contains(error_of([&] { tg::take(x, idx({6})); }), "out of range"));
}

TEST_CASE("masked_fill, in place and with a 0-d tensor value") {
  auto x = ar({2, 3}).requires_grad_(true);
  auto mask = tg::tensor({true, false, true});  // broadcast over rows
  auto y = x.masked_fill(mask, -1.0);
  CHECK(values(y) == V{-1, 1, -1, -1, 4, -1});
  auto val = tg::scalar_tensor(2.5, tg::kDouble).requires_grad_(true);
  auto z = tg::masked_fill(x, mask, val);
  CHECK(values(z) == V{2.5, 1, 2.5, 2.5, 4, 2.5});
  (y.sum() + (z * 2.0).sum()).backward();
  CHECK(values(x.grad()) == V{0, 3, 0, 0, 3, 0});
  CHECK(val.grad().item<double>() == 8);
  auto b = ar({2, 2});
  b.masked_fill_(b.lt(1.5), 9);
  CHECK(values(b) == V{9, 9, 2, 3});
  CHECK(contains(error_of([&] { b.masked_fill(b, 1.0); }), "only supports boolean masks"));
  CHECK(values(b.masked_fill(tg::tensor({0, 1}), 0)) ==
        V{9, 0, 2, 0});  // 0/1 integers, as libtorch
  CHECK(contains(error_of([&] { b.masked_fill(tg::tensor({0, 2}), 0); }), "0 and 1 values only"));
  CHECK(contains(error_of([&] { b.masked_fill(b.gt(0.0), tg::ones({1})); }),
                 "only supports a 0-dimensional value tensor"));
}

TEST_CASE("any and all, whole and per dim") {
  auto b = tg::tensor({{true, false, false}, {true, true, true}});
  CHECK(b.any().item<bool>());
  CHECK_FALSE(b.all().item<bool>());
  CHECK(values(b.any(1)) == V{1, 1});
  CHECK(values(b.all(1)) == V{0, 1});
  CHECK(values(b.all(0)) == V{1, 0, 0});
  CHECK(b.all(0, true).sizes() == tg::IntArrayRef{1, 3});
  CHECK(values(tg::any(tg::tensor({0.0, 0.5}), -1)) == V{1});
  CHECK(tg::all(tg::zeros({0})).item<bool>());  // empty: all true, any false
  CHECK_FALSE(tg::any(tg::zeros({0})).item<bool>());
  CHECK(b.any().scalar_type() == tg::kBool);
}

TEST_CASE("accessor reads and writes the data; print names type and sizes") {
  auto x = tg::zeros({2, 3});
  auto a = x.accessor<float, 2>();
  CHECK(a.size(0) == 2);
  CHECK(a.size(1) == 3);
  CHECK(a.stride(0) == 3);
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 3; ++j) a[i][j] = float(10 * i + j);
  CHECK(values(x) == V{0, 1, 2, 10, 11, 12});
  CHECK(x.accessor<float, 2>()[1][2] == 12.0f);
  CHECK(tg::arange(3, tg::kLong).accessor<int64_t, 1>()[2] == 2);
  CHECK(contains(error_of([&] { x.accessor<double, 2>(); }), "expected scalar type Float"));
  CHECK(contains(error_of([&] { x.accessor<float, 3>(); }), "expected 3 dims but tensor has 2"));
  std::ostringstream err;
  auto* old = std::cerr.rdbuf(err.rdbuf());
  x.print();
  Tensor().print();
  std::cerr.rdbuf(old);
  CHECK(err.str() == "[CPUFloatType [2, 3]]\n[UndefinedTensor]\n");
}

TEST_CASE("index: uint8 masks (deprecated, warned), 0-d integer and byte index tensors") {
  Tensor v = tg::arange(0., 15).view({5, 3});
  Tensor mask = tg::tensor({1, 0, 1, 1, 0}, tg::kByte);
  CHECK(v.index({mask}).equal(tg::stack({v[0], v[2], v[3]})));
  Tensor y = tg::ones({4});
  y.index_put_({tg::tensor({1, 0, 0, 1}, tg::kByte)}, tg::tensor({5.0f, 6.0f}));
  CHECK(values(y) == std::vector<double>{5, 1, 1, 6});
  y.index_put_({tg::tensor({true, true, false, false})}, tg::ones({2}), /*accumulate=*/true);
  CHECK(values(y) == std::vector<double>{6, 2, 1, 6});
  // a 0-d int tensor selects like an int (a view); a 0-d byte one acts like a bool
  CHECK(v.index({tg::tensor(1, tg::kInt)}).data_ptr() == v.index({1}).data_ptr());
  Tensor a = tg::tensor(3.0);
  CHECK(a.index({tg::tensor(true, tg::kByte)}).sizes() == tg::IntArrayRef({1}));
  CHECK(a.index({tg::tensor(false, tg::kByte)}).sizes() == tg::IntArrayRef({0}));
}
