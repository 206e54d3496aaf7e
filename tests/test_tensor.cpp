// Tensors without the tape: creation, dtypes and promotion, shapes, values, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <iomanip>
#include <sstream>

#include "helpers.hpp"
#include "tapegrad.hpp"

using tg::Tensor;

static std::vector<double> values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}
static std::vector<int64_t> shape(const Tensor& t) { return t.sizes().vec(); }

using test::error_of;
static bool mentions(const std::string& msg, const std::string& part) {
  return test::contains(msg, part);
}

TEST_CASE("creation: dtypes follow libtorch's defaults") {
  CHECK(tg::zeros({2, 3}).scalar_type() == tg::kFloat);
  CHECK(tg::tensor({1.5, 2.5}).scalar_type() == tg::kFloat);
  CHECK(tg::tensor({1, 2}).scalar_type() == tg::kLong);
  CHECK(tg::tensor({true, false}).scalar_type() == tg::kBool);
  CHECK(tg::arange(5).scalar_type() == tg::kLong);
  CHECK(tg::arange(0.0, 1.0, 0.25).scalar_type() == tg::kFloat);
  CHECK(tg::arange(5, tg::kDouble).scalar_type() == tg::kDouble);
  CHECK(tg::full({2}, 3).scalar_type() == tg::kLong);
  CHECK(tg::full({2}, 3.0).scalar_type() == tg::kFloat);
  CHECK(tg::randint(0, 2, {4}).scalar_type() == tg::kLong);
}

TEST_CASE("creation: values and shapes") {
  CHECK(values(tg::arange(0.0, 1.0, 0.25)) == std::vector<double>{0, 0.25, 0.5, 0.75});
  CHECK(values(tg::linspace(0, 1, 5)) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
  CHECK(values(tg::eye(2, 3)) == std::vector<double>{1, 0, 0, 0, 1, 0});
  auto t = tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, tg::kDouble);
  CHECK(shape(t) == std::vector<int64_t>{2, 3});
  CHECK(t.size(-1) == 3);
  CHECK(t.numel() == 6);
  CHECK(values(tg::ones_like(t)) == std::vector<double>(6, 1.0));
  double raw[4] = {1, 2, 3, 4};
  auto b = tg::from_blob(raw, {2, 2}, tg::kDouble);
  raw[0] = 100;  // from_blob wraps raw, as libtorch: the tensor sees the write
  CHECK(values(b) == std::vector<double>{100, 2, 3, 4});
  CHECK(tg::tensor(2.5).dim() == 0);
  CHECK(tg::tensor(2.5).item<double>() == 2.5);
}

TEST_CASE("creation: random numbers are reproducible with manual_seed") {
  tg::manual_seed(42);
  auto a = tg::randn({100});
  tg::manual_seed(42);
  auto b = tg::randn({100});
  CHECK(tg::equal(a, b));
  auto u = tg::rand({1000}, tg::kDouble);
  CHECK(u.min().item<double>() >= 0.0);
  CHECK(u.max().item<double>() < 1.0);
  CHECK(u.mean().item<double>() == doctest::Approx(0.5).epsilon(0.05));
  auto n = tg::randn({20000}, tg::kDouble);
  CHECK(n.mean().item<double>() == doctest::Approx(0.0).epsilon(0.03));
  CHECK(n.std().item<double>() == doctest::Approx(1.0).epsilon(0.03));
  auto r = tg::randint(3, 7, {1000});
  CHECK(r.min().item<int64_t>() == 3);
  CHECK(r.max().item<int64_t>() == 6);
}

TEST_CASE("promotion: PyTorch's result_type rules") {
  auto f = tg::ones({2});
  auto d = tg::ones({2}, tg::kDouble);
  auto l = tg::ones({2}, tg::kLong);
  auto b = tg::ones({2}, tg::kBool);
  CHECK((f + d).scalar_type() == tg::kDouble);
  CHECK((l + f).scalar_type() == tg::kFloat);
  CHECK((l + 1).scalar_type() == tg::kLong);
  CHECK((l + 1.5).scalar_type() == tg::kFloat);  // a Python-like float scalar: default dtype
  CHECK((f + 1.5).scalar_type() == tg::kFloat);  // a scalar never widens a float tensor
  CHECK((f + tg::tensor(2.0, tg::kDouble)).scalar_type() == tg::kFloat);  // 0-d doesn't either
  CHECK((tg::tensor(2.0, tg::kDouble) + tg::tensor(1.0)).scalar_type() == tg::kDouble);
  CHECK((b + l).scalar_type() == tg::kLong);
  CHECK((l / 2).scalar_type() == tg::kFloat);  // true division
  CHECK(values(l / 2) == std::vector<double>{0.5, 0.5});
  CHECK(f.gt(0.5).scalar_type() == tg::kBool);
}

TEST_CASE("elementwise: broadcasting values") {
  auto a = tg::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, tg::kDouble);
  auto r = tg::tensor({10.0, 20.0, 30.0}, tg::kDouble);
  auto c = tg::tensor({{1.0}, {2.0}}, tg::kDouble);
  CHECK(values(a + r) == std::vector<double>{11, 22, 33, 14, 25, 36});
  CHECK(values(a * c) == std::vector<double>{1, 2, 3, 8, 10, 12});
  CHECK(values(r - c) == std::vector<double>{9, 19, 29, 8, 18, 28});
  CHECK(values(2.0 - a.narrow(0, 0, 1)) == std::vector<double>{1, 0, -1});
  CHECK(values(6.0 / r.narrow(0, 0, 2)) == std::vector<double>{0.6, 0.3});
  CHECK(values(a.add(r, 2)) == std::vector<double>{21, 42, 63, 24, 45, 66});
  CHECK(values(tg::maximum(a, c * 3)) == std::vector<double>{3, 3, 3, 6, 6, 6});
  CHECK(values(tg::where(a > 3.5, a, -a)) == std::vector<double>{-1, -2, -3, 4, 5, 6});
  CHECK(values(a.clamp(2, 5)) == std::vector<double>{2, 2, 3, 4, 5, 5});
  CHECK(values(tg::pow(2.0, r.narrow(0, 0, 1) / 10)) == std::vector<double>{2.0});
  CHECK(values(tg::tensor({-1.5, 0.0, 2.0}).sign()) == std::vector<double>{-1, 0, 1});
  CHECK(values(a.eq(2.0)) == std::vector<double>{0, 1, 0, 0, 0, 0});
}

TEST_CASE("elementwise: unary math matches the C library") {
  auto x = tg::tensor({0.1, 0.5, 1.7}, tg::kDouble);
  auto v = values(x.exp());
  CHECK(v[2] == doctest::Approx(std::exp(1.7)).epsilon(1e-15));
  CHECK(values(x.log())[0] == doctest::Approx(std::log(0.1)).epsilon(1e-15));
  CHECK(values(x.tanh())[1] == doctest::Approx(std::tanh(0.5)).epsilon(1e-15));
  CHECK(values(x.sigmoid())[1] == doctest::Approx(1 / (1 + std::exp(-0.5))).epsilon(1e-15));
  auto ls = values(tg::log_sigmoid(tg::tensor({-1e4, 0.0, 1e4}, tg::kDouble)));
  CHECK(ls[0] == -1e4);
  CHECK(ls[1] == doctest::Approx(-std::log(2.0)).epsilon(1e-15));
  CHECK(ls[2] == 0.0);
}

TEST_CASE("reductions: values with dim and keepdim") {
  auto a = tg::tensor({{1.0, 5.0, 3.0}, {4.0, 2.0, 6.0}}, tg::kDouble);
  CHECK(values(a.sum()) == std::vector<double>{21});
  CHECK(values(a.sum({0})) == std::vector<double>{5, 7, 9});
  CHECK(shape(a.sum({1}, true)) == std::vector<int64_t>{2, 1});
  CHECK(values(a.mean({1})) == std::vector<double>{3, 4});
  CHECK(values(a.prod(1)) == std::vector<double>{15, 48});
  auto [mx, idx] = a.max(1);
  CHECK(values(mx) == std::vector<double>{5, 6});
  CHECK(values(idx) == std::vector<double>{1, 2});
  CHECK(idx.scalar_type() == tg::kLong);
  CHECK(values(a.amin({0})) == std::vector<double>{1, 2, 3});
  CHECK(values(a.argmax()) == std::vector<double>{5});
  CHECK(values(a.argmin(0)) == std::vector<double>{0, 1, 0});
  CHECK(values(a.var({1}, true, false))[0] == doctest::Approx(4.0));
  CHECK(values(a.var())[0] == doctest::Approx(3.5));  // like libtorch, var({1}) would be var(bool)
  CHECK(values(a.std({1}, false))[1] == doctest::Approx(std::sqrt(8.0 / 3)));
  CHECK(values(a.norm())[0] == doctest::Approx(std::sqrt(91.0)));
  CHECK(values(tg::tensor({3, 4}).sum()) == std::vector<double>{7});
  CHECK(tg::tensor({3, 4}).sum().scalar_type() == tg::kLong);
  auto big = tg::tensor({1000.0, 1000.0}, tg::kDouble);
  CHECK(values(big.logsumexp({0}))[0] == doctest::Approx(1000 + std::log(2.0)));
  CHECK(values(big.softmax(0))[0] == doctest::Approx(0.5).epsilon(1e-15));
}

TEST_CASE("float sums accumulate in double (no float32 drift over 2e7 ones)") {
  auto ones = tg::ones({20000000});
  CHECK(ones.sum().item<double>() == 20000000.0);
}

TEST_CASE("shape ops: values") {
  auto a = tg::arange(6, tg::kDouble).reshape({2, 3});
  CHECK(values(a.t()) == std::vector<double>{0, 3, 1, 4, 2, 5});
  CHECK(values(a.permute({1, 0})) == values(a.transpose(0, 1)));
  CHECK(shape(a.unsqueeze(1)) == std::vector<int64_t>{2, 1, 3});
  CHECK(shape(a.unsqueeze(1).squeeze()) == std::vector<int64_t>{2, 3});
  CHECK(shape(a.view({-1})) == std::vector<int64_t>{6});
  CHECK(shape(tg::zeros({2, 3, 4}).flatten(1)) == std::vector<int64_t>{2, 12});
  CHECK(values(a.narrow(1, 1, 2)) == std::vector<double>{1, 2, 4, 5});
  CHECK(values(a.select(1, 2)) == std::vector<double>{2, 5});
  CHECK(values(a[1]) == std::vector<double>{3, 4, 5});
  CHECK(values(a.index_select(1, tg::tensor({2, 0}))) == std::vector<double>{2, 0, 5, 3});
  CHECK(values(a.gather(1, tg::tensor({{2, 2}, {0, 1}}))) == std::vector<double>{2, 2, 3, 4});
  CHECK(values(tg::cat({a, a * 10}, 1)) ==
        std::vector<double>{0, 1, 2, 0, 10, 20, 3, 4, 5, 30, 40, 50});
  CHECK(shape(tg::stack({a, a}, 1)) == std::vector<int64_t>{2, 2, 3});
  auto parts = a.chunk(2, 1);
  REQUIRE(parts.size() == 2);
  CHECK(values(parts[1]) == std::vector<double>{2, 5});
  CHECK(values(a.expand({2, 2, 3}).sum({0})) == values(a * 2));
  CHECK(values(
            tg::zeros({3}, tg::kDouble)
                .scatter_add(0, tg::tensor({0, 0, 2}), tg::tensor({1.0, 2.0, 3.0}, tg::kDouble))) ==
        std::vector<double>{3, 0, 3});
}

TEST_CASE("shape ops: reshape and leading slices share storage, like libtorch views") {
  auto a = tg::zeros({2, 3}, tg::kDouble);
  auto v = a.view({6});
  v.fill_(7);
  CHECK(values(a) == std::vector<double>(6, 7.0));
  a[1].fill_(1);
  CHECK(values(a) == std::vector<double>{7, 7, 7, 1, 1, 1});
  auto tr = a.t();
  CHECK_THROWS_AS(tr.fill_(0), tg::Error);  // a copy here: refused, not silently lost
}

// A tensor and its storage share one allocation (autograd/tensor_impl.hpp) but die apart: these
// orders of destruction must neither free the block early nor leak it (the ASan run checks).
TEST_CASE("lifetimes: a view outlives its base; a tensor outlives its first storage") {
  tg::Tensor v;
  {
    auto base = tg::arange(6, tg::kDouble);
    v = base.view({2, 3});
    CHECK(base.use_count() == 1);
  }  // base's TensorImpl dies here, its storage lives on in v
  CHECK(values(v) == std::vector<double>{0, 1, 2, 3, 4, 5});
  tg::Tensor copy = v;
  CHECK(v.use_count() == 2);

  tg::nn::Linear lin(2, 2);  // Module::to moves each parameter onto a new storage
  tg::Tensor w = lin->weight, old_view = w.view({4});
  const std::vector<double> before = values(old_view.to(tg::kDouble));
  lin->to(tg::kDouble);
  CHECK(w.scalar_type() == tg::kDouble);
  CHECK(values(w.view({4})) == before);
  CHECK(values(old_view.to(tg::kDouble)) == before);  // the first storage, still alive
  w = tg::Tensor();
  lin = tg::nn::Linear(nullptr);
  CHECK(values(old_view.to(tg::kDouble)) == before);
}

TEST_CASE("linear algebra: matmul shapes and values") {
  auto a = tg::arange(6, tg::kDouble).reshape({2, 3});
  auto b = tg::arange(12, tg::kDouble).reshape({3, 4});
  auto c = a.matmul(b);
  CHECK(values(c) == std::vector<double>{20, 23, 26, 29, 56, 68, 80, 92});
  auto v = tg::tensor({1.0, 2.0, 3.0}, tg::kDouble);
  CHECK(values(a.matmul(v)) == std::vector<double>{8, 26});
  CHECK(values(v.matmul(b)) == std::vector<double>{32, 38, 44, 50});
  CHECK(values(v.dot(v)) == std::vector<double>{14});
  auto batch = tg::stack({a, a * 2});  // (2, 2, 3)
  CHECK(shape(batch.matmul(b)) == std::vector<int64_t>{2, 2, 4});
  CHECK(values(batch.matmul(b)).back() == 184);
  auto bb = tg::stack({b, b});  // (2, 3, 4)
  CHECK(values(tg::bmm(batch, bb)) == values(batch.matmul(b)));
  CHECK(shape(tg::ones({5, 1, 2, 3}).matmul(tg::ones({4, 3, 2}))) ==
        std::vector<int64_t>{5, 4, 2, 2});
  // Large enough to take the BLAS path; compare with the plain loop on the same data.
  auto x = tg::arange(64 * 48, tg::kDouble).reshape({64, 48}).sin();
  auto y = tg::arange(48 * 32, tg::kDouble).reshape({48, 32}).cos();
  auto blas = x.mm(y);
  auto loop = (x.unsqueeze(2) * y.unsqueeze(0)).sum({1});
  CHECK(tg::allclose(blas, loop, 1e-12, 1e-12));
}

TEST_CASE("errors: shape mismatches name the op and the shapes") {
  auto a = tg::ones({2, 3});
  auto msg = error_of([&] { (void)(a + tg::ones({4})); });
  CHECK(mentions(msg, "add"));
  CHECK(mentions(msg, "[2, 3]"));
  CHECK(mentions(msg, "[4]"));
  msg = error_of([&] { (void)a.matmul(tg::ones({2, 3})); });
  CHECK(mentions(msg, "2x3 and 2x3"));
  msg = error_of([&] { (void)a.mm(tg::ones({3})); });
  CHECK(mentions(msg, "mm"));
  CHECK(mentions(error_of([&] { (void)a.view({4, 2}); }), "invalid for input of size 6"));
  CHECK(mentions(error_of([&] { (void)a.sum({2}); }), "out of range"));
  CHECK(mentions(error_of([&] { (void)tg::cat({a, tg::ones({2, 3, 1})}); }), "cat"));
}

TEST_CASE("errors: out-of-range indices are caught before memory is touched") {
  auto a = tg::ones({2, 3});
  auto msg = error_of([&] { (void)a.select(0, 2); });
  CHECK(mentions(msg, "select"));
  CHECK(mentions(msg, "[2, 3]"));
  CHECK(mentions(error_of([&] { (void)a.select(1, -4); }), "out of range"));
  msg = error_of([&] { (void)a.gather(1, tg::tensor({{0, 3}, {1, 1}})); });
  CHECK(mentions(msg, "gather"));
  CHECK(mentions(msg, "out of bounds"));
  CHECK(mentions(error_of([&] { (void)a.gather(1, tg::tensor({{0.0}})); }), "int64"));
  CHECK(mentions(error_of([&] { (void)a.index_select(0, tg::tensor({5})); }), "index_select"));
  CHECK(mentions(error_of([&] { (void)a.narrow(1, 2, 2); }), "narrow"));
  CHECK(mentions(error_of([&] { (void)a[0].item<float>(); }), "3 elements"));
  CHECK(mentions(error_of([&] { (void)a.data_ptr<double>(); }), "Float"));
  CHECK(mentions(error_of([&] { tg::ones({2}, tg::kLong).requires_grad_(); }), "floating point"));
  CHECK(mentions(error_of([&] {
                   (void)tg::zeros({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
                 }),
                 "at most 12"));
}

TEST_CASE("in-place ops: values, broadcasting into self, version counter") {
  auto a = tg::ones({2, 3}, tg::kDouble);
  a.add_(tg::tensor({1.0, 2.0, 3.0}, tg::kDouble));
  a.mul_(2);
  a -= 1.0;
  CHECK(values(a) == std::vector<double>{3, 5, 7, 3, 5, 7});
  CHECK(a._version() == 3);
  auto b = tg::ones({3}, tg::kDouble);
  CHECK_THROWS_AS(b.add_(tg::ones({2, 3}, tg::kDouble)), tg::Error);  // self can't grow
  auto l = tg::ones({2}, tg::kLong);
  CHECK_THROWS_AS(l.add_(0.5), tg::Error);  // Float result can't go into Long
  a.copy_(tg::tensor({1.0, 2.0, 3.0}));
  CHECK(values(a) == std::vector<double>{1, 2, 3, 1, 2, 3});
  a.zero_();
  CHECK(values(a.sum()) == std::vector<double>{0});
}

TEST_CASE("printing follows libtorch's layout") {
  // Expected strings are libtorch 1.13's output (tests/compat/print.cpp has the full gallery).
  auto text = [](const auto& x) {
    std::ostringstream s;
    s << x;
    return s.str();
  };
  CHECK(text(tg::tensor({1.5, 2.25})) == " 1.5000\n 2.2500\n[ CPUFloatType{2} ]");
  CHECK(text(tg::ones({2, 2}, tg::kLong)) == " 1  1\n 1  1\n[ CPULongType{2,2} ]");
  // A common factor for values below 0.1, printed above them in default notation.
  CHECK(text(tg::tensor({0.001, 0.002})) == "0.001 *\n 1.0000\n 2.0000\n[ CPUFloatType{2} ]");
  CHECK(text(tg::tensor({1.5, 2.5, 1.5, 2.5}).reshape({1, 2, 2})) ==
        "(1,.,.) = \n  1.5000  2.5000\n  1.5000  2.5000\n[ CPUFloatType{1,2,2} ]");
  // Wider than 80 characters: bands of columns, each header running into its first row.
  auto row = tg::arange(9, tg::kFloat).div(4).reshape({1, 9});
  CHECK(text(tg::cat({row, row}, 1)) ==
        "Columns 1 to 10 0.0000  0.2500  0.5000  0.7500  1.0000  1.2500  1.5000  1.7500  2.0000  "
        "0.0000\n\nColumns 11 to 18 0.2500  0.5000  0.7500  1.0000  1.2500  1.5000  1.7500  "
        "2.0000\n[ CPUFloatType{1,18} ]");
  CHECK(text(tg::Tensor()) == "[ Tensor (undefined) ]");
}

TEST_CASE("printing uses and then restores the caller's stream format") {
  std::ostringstream s;
  s << std::setprecision(3) << tg::tensor(1.0 / 3) << " " << 2.0 / 3;
  CHECK(s.str() == "0.333\n[ CPUFloatType{} ] 0.667");
  std::ostringstream o;  // libtorch's TensorOptions printout leaves std::boolalpha set
  o << tg::Scalar(1.5) << " " << tg::Scalar(true) << " " << tg::Scalar(int64_t(3)) << " "
    << tg::dtype(tg::kDouble).requires_grad(false) << " " << true;
  CHECK(o.str() ==
        "1.5 true 3 TensorOptions(dtype=double, device=cpu (default), layout=Strided (default), "
        "requires_grad=false, pinned_memory=false (default), memory_format=(nullopt)) true");
}

TEST_CASE("to, clone, detach") {
  auto a = tg::tensor({1.5, -2.5});
  CHECK(values(a.to(tg::kLong)) == std::vector<double>{1, -2});
  auto c = a.clone();
  c.fill_(0);
  CHECK(values(a) == std::vector<double>{1.5, -2.5});
  auto d = a.detach();
  d.fill_(3);
  CHECK(values(a) == std::vector<double>{3, 3});  // detach shares storage
}

TEST_CASE("is_signed: every dtype but uint8 and bool, as c10::isSignedType") {
  CHECK(tg::zeros({1}).is_signed());
  CHECK(tg::zeros({1}, tg::kDouble).is_signed());
  CHECK(tg::zeros({1}, tg::kLong).is_signed());
  CHECK(tg::zeros({1}, tg::kChar).is_signed());
  CHECK(tg::zeros({1}, tg::kInt).is_signed());
  CHECK(!tg::zeros({1}, tg::kByte).is_signed());
  CHECK(!tg::zeros({1}, tg::kBool).is_signed());
}
