// c10::InferenceMode, no-grad views, the default dtype and the Tensor API that PyTorch's
// tensor/autograd tests use (backward(inputs), mark_dirty, retain_grad across in-place ops,
// pruning in autograd::grad), with libtorch's values and messages.
#include <doctest/doctest.h>

#include "helpers.hpp"

using test::contains;
using test::error_of;
using tg::Tensor;

TEST_CASE("InferenceMode: guard nesting, grad mode and inference tensors") {
  CHECK_FALSE(tg::InferenceMode::is_enabled());
  {
    tg::InferenceMode guard;
    CHECK(tg::InferenceMode::is_enabled());
    CHECK_FALSE(tg::GradMode::is_enabled());
    {
      tg::InferenceMode off(false);
      CHECK_FALSE(tg::InferenceMode::is_enabled());
      CHECK(tg::GradMode::is_enabled());
    }
    CHECK(tg::InferenceMode::is_enabled());
    Tensor c = tg::ones({2, 3}).set_requires_grad(true);
    CHECK(c.is_inference());
    CHECK(c.requires_grad());
    Tensor y = c * c;  // nothing recorded
    CHECK(y.is_inference());
    CHECK_FALSE(y.requires_grad());
    Tensor v = c.view({3, 2});
    CHECK(v.is_inference());
    CHECK_FALSE(v.is_view());
  }
  CHECK(tg::GradMode::is_enabled());
  CHECK_FALSE(tg::ones({2}).is_inference());
}

TEST_CASE("InferenceMode: the rules libtorch enforces outside the guard") {
  Tensor t, r;
  {
    tg::InferenceMode guard;
    t = tg::ones({2, 3});
    r = tg::ones({2, 3}).set_requires_grad(true);
    t.add_(1);  // allowed inside
  }
  CHECK(contains(error_of([&] { t.add_(1); }),
                 "Inplace update to inference tensor outside InferenceMode is not allowed"));
  CHECK(contains(error_of([&] {
                   t.copy_(tg::zeros({2, 3}));
                 }),
                 "Inplace update to inference tensor outside InferenceMode is not allowed"));
  CHECK(contains(error_of([&] { t.set_requires_grad(true); }),
                 "Setting requires_grad=True on inference tensor outside InferenceMode is not "
                 "allowed."));
  t.set_requires_grad(false);
  CHECK(contains(
      error_of([&] { (void)t.unsafeGetTensorImpl()->version_counter().current_version(); }),
      "Inference tensors do not track version counter."));
  // Ops on inference tensors alone record nothing; with a normal tensor they do, and a value
  // the op saves for backward may not be an inference tensor.
  Tensor s = tg::ones({2, 3}).set_requires_grad(true);
  CHECK_FALSE((r * r).requires_grad());
  Tensor out = r.add(s);  // add saves nothing
  CHECK(out.requires_grad());
  CHECK_FALSE(out.is_inference());
  out.sum().backward();
  CHECK(r.grad().equal(tg::ones({2, 3})));
  CHECK(contains(error_of([&] { (void)r.mul(s); }),
                 "Inference tensors cannot be saved for backward."));
  // out= forms refuse autograd, then inference outputs
  CHECK(contains(error_of([&] { tg::mul_out(t, s, s); }),
                 "out=... arguments don't support automatic differentiation"));
  Tensor a = tg::ones({2, 3});
  CHECK(contains(error_of([&] { tg::mul_out(t, a, a); }),
                 "Inplace update to inference tensor outside InferenceMode"));
}

TEST_CASE("Views taken with grad mode off: requires_grad, no gradient, no in-place in grad mode") {
  Tensor s = tg::ones({1, 2, 3}).set_requires_grad(true);
  Tensor a = s.clone();
  Tensor v;
  {
    tg::NoGradGuard no_grad;
    v = a.view({2, 3});
    CHECK(v.requires_grad());
    CHECK(v.is_leaf());
  }
  Tensor tmp = v * v;
  CHECK(tmp.requires_grad());
  tmp.sum().backward();
  CHECK_FALSE(v.grad().defined());
  CHECK(contains(error_of([&] { v.mul_(2); }),
                 "A view was created in no_grad mode and is being modified inplace with grad "
                 "mode enabled."));
  Tensor w;
  {
    tg::InferenceMode guard;
    w = a.view({3, 2});
    CHECK_FALSE(w.is_inference());
    CHECK(w.requires_grad());
  }
  a.mul_(2);  // the base, written after the view was taken
  CHECK(contains(error_of([&] { (void)w.grad_fn(); }),
                 "A view was created in inference mode and its base or another view of its base "
                 "has been modified inplace in normal mode."));
}

TEST_CASE("set_default_dtype: factories and floating-point literals follow it") {
  CHECK(tg::get_default_dtype() == tg::kFloat);
  tg::set_default_dtype(caffe2::TypeMeta::Make<double>());
  CHECK(tg::ones(2).dtype() == tg::kDouble);
  CHECK(tg::TensorOptions().dtype() == tg::kDouble);
  CHECK(tg::tensor({1.5, 2.5}).dtype() == tg::kDouble);
  CHECK(tg::tensor({1, 2}).dtype() == tg::kLong);
  CHECK(tg::arange(0., 3).dtype() == tg::kDouble);
  CHECK(tg::ones(2, tg::kFloat).dtype() == tg::kFloat);
  CHECK((tg::tensor({1, 2}) * 0.5).dtype() == tg::kDouble);
  tg::set_default_dtype(caffe2::TypeMeta::Make<float>());
  CHECK(tg::tensor({1.5}).dtype() == tg::kFloat);
  CHECK(tg::tensor({}).sizes() == tg::IntArrayRef({0}));
}

TEST_CASE("Tensor API: data_ptr, set_data, t[i] = v, strides, backward(inputs)") {
  Tensor x = tg::zeros({2, 2});
  x[0][1] = 5;
  CHECK(x[0][1].item<float>() == 5.0f);
  CHECK(x.data_ptr() == x.data_ptr<float>());
  Tensor y = tg::ones({3});
  x.set_data(y);
  CHECK(x.data_ptr() == y.data_ptr());
  CHECK(x.sizes() == tg::IntArrayRef({3}));
  CHECK(tg::zeros({2, 3, 4}).strides() == std::vector<int64_t>{12, 4, 1});

  Tensor a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  Tensor b = tg::tensor({3.0, 4.0}, tg::requires_grad());
  Tensor z = a * a + a * b;
  Tensor w = z * b;
  w.backward(tg::ones({2}), false, false, std::vector<Tensor>{a, z});
  // dw/da = (2a + b) b, dw/dz = b; b gets nothing
  CHECK(a.grad().allclose(tg::tensor({15.0, 32.0})));
  CHECK(z.grad().allclose(tg::tensor({3.0, 4.0})));
  CHECK_FALSE(b.grad().defined());
  Tensor c = tg::tensor({1.0, 2.0}, tg::requires_grad());
  (c * c).backward(tg::ones({2}), false, false, {c});  // a braced list of inputs
  CHECK(c.grad().allclose(tg::tensor({2.0, 4.0})));
  CHECK(contains(error_of([&] { w.backward(tg::ones({2}), true, false, std::vector<Tensor>{}); }),
                 "'inputs' argument to backward cannot be empty"));
}

TEST_CASE("retain_grad follows a tensor through in-place ops") {
  Tensor a = tg::ones({2}, tg::requires_grad()).clone();
  int seen = 0;
  a.register_hook([&](const Tensor& g) {
    ++seen;
    CHECK(g.allclose(tg::full({2}, 2.0)));
  });
  a.retain_grad();
  a.mul_(2);
  (a + 1).sum().backward();
  CHECK(seen == 1);
  CHECK(a.retains_grad());
  CHECK(a.grad().allclose(tg::ones({2})));
}

namespace {
struct Never : tg::autograd::Function<Never> {
  static Tensor forward(tg::autograd::AutogradContext*, Tensor x) { return x; }
  static tg::autograd::variable_list backward(tg::autograd::AutogradContext*,
                                              tg::autograd::variable_list g) {
    FAIL("pruned node executed");
    return g;
  }
};
struct TimesTwoInPlace : tg::autograd::Function<TimesTwoInPlace> {
  static Tensor forward(tg::autograd::AutogradContext* ctx, Tensor v) {
    v.mul_(2);
    ctx->mark_dirty({v});
    return v;
  }
  static tg::autograd::variable_list backward(tg::autograd::AutogradContext*,
                                              tg::autograd::variable_list g) {
    return {g[0] * 2};
  }
};
}  // namespace

TEST_CASE("autograd::grad prunes nodes that lead to no requested input; mark_dirty") {
  Tensor x = tg::randn({1}, tg::requires_grad());
  Tensor x2 = Never::apply(x + tg::randn({1}));
  Tensor y = tg::randn({1}, tg::requires_grad());
  auto g = tg::autograd::grad({x2}, {y}, {}, {}, false, true);
  CHECK_FALSE(g[0].defined());

  Tensor leaf = tg::ones({3}, tg::requires_grad());
  Tensor c = leaf.clone();
  auto v0 = c._version();
  Tensor out = TimesTwoInPlace::apply(c);
  CHECK(out.is_same(c));
  CHECK(c._version() >= v0 + 1);
  out.sum().backward();
  CHECK(leaf.grad().allclose(tg::full({3}, 2.0)));
  CHECK(contains(error_of([&] { TimesTwoInPlace::apply(leaf); }),
                 "a leaf Variable that requires grad"));
}

namespace {
// Records what needs_input_grad said in backward.
struct Pair : tg::autograd::Function<Pair> {
  static std::vector<bool>& seen() {
    static std::vector<bool> s;
    return s;
  }
  static Tensor forward(tg::autograd::AutogradContext*, Tensor a, Tensor b) { return a * b; }
  static tg::autograd::variable_list backward(tg::autograd::AutogradContext* ctx,
                                              tg::autograd::variable_list g) {
    seen() = {ctx->needs_input_grad(0), ctx->needs_input_grad(1), ctx->needs_input_grad({{0, 2}})};
    return {g[0], g[0]};
  }
};
}  // namespace

TEST_CASE("needs_input_grad in backward: what this sweep wants, as libtorch's") {
  Tensor a = tg::ones({2}, tg::requires_grad()), b = tg::ones({2}, tg::requires_grad());
  (void)tg::autograd::grad({Pair::apply(a, b).sum()}, {a});
  CHECK(Pair::seen() == std::vector<bool>{true, false, true});
  Pair::apply(a, b).sum().backward();
  CHECK(Pair::seen() == std::vector<bool>{true, true, true});
}

TEST_CASE("tensor literals: up to 12 dims, libtorch's printing and sub-list message") {
  Tensor t = tg::tensor({{{{{{{{{{1}}}}}}}}}});
  CHECK(t.dim() == 10);
  CHECK(tg::tensor({{{{{{{{{{}}}}}}}}}}).sizes() ==
        tg::IntArrayRef({1, 1, 1, 1, 1, 1, 1, 1, 1, 0}));
  CHECK(tg::str(tg::detail::TensorDataContainer({{1, 2}, {3, 4}})) == "{{1, 2}, {3, 4}}");
  CHECK(tg::str(tg::detail::TensorDataContainer({1.1, 2.2})) == "{1.1, 2.2}");
  CHECK(tg::str(tg::detail::TensorDataContainer(1.1)) == "1.1");
  CHECK(contains(error_of([] {
                   (void)tg::tensor({{{2, 3, 4}, {{5, 6}, {7}}}});
                 }),
                 "Expected all sub-lists to have sizes: 2 (e.g. {5, 6}), but got sub-list {7} "
                 "with sizes: 1"));
  // A braced list must not mix element types (libtorch's TensorDataContainer, its words): the
  // type is the C++ literal's, so 1 is Int and 2.0 Double.
  const char* mixed = "Expected all elements of the tensor to have the same scalar type: ";
  CHECK(error_of([] { (void)tg::tensor({{{1, 2.0}, {1, 2.0}}}); }) ==
        std::string(mixed) + "Int, but got element of scalar type: Double");
  CHECK(error_of([] { (void)tg::tensor({{{true, 2.0, 3}, {true, 2.0, 3}}}); }) ==
        std::string(mixed) + "Bool, but got element of scalar type: Double");
  CHECK(error_of([] { (void)tg::tensor({{{true}, {2}}}); }) ==
        std::string(mixed) + "Bool, but got element of scalar type: Int");
  CHECK(error_of([] { (void)tg::tensor({{1.5, 2}, {3, 4}}); }) ==
        std::string(mixed) + "Double, but got element of scalar type: Int");
  CHECK(error_of([] { (void)tg::tensor({{1.f, 2.f}, {3.0, 4.0}}); }) ==
        std::string(mixed) + "Float, but got element of scalar type: Double");
  CHECK(error_of([] { (void)tg::tensor({int64_t(1), 2}); }) ==
        std::string(mixed) + "Long, but got element of scalar type: Int");
  // One type throughout: ints give Long, floats and doubles the default dtype.
  CHECK(tg::tensor({1, 2}).scalar_type() == tg::kLong);
  CHECK(tg::tensor({{1.f, 2.f}}).scalar_type() == tg::kFloat);
  CHECK(tg::tensor({{true}, {false}}).sizes() == tg::IntArrayRef({2, 1}));
}
