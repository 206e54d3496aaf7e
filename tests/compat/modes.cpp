// Grad mode and inference mode: which tensors are inference tensors, which require grad, which
// uses are errors; views taken with grad mode off; the default dtype; backward(inputs),
// retain_grad across in-place ops and a custom Function's mark_dirty.
#include "common.hpp"

struct TimesTwoInPlace : torch::autograd::Function<TimesTwoInPlace> {
  static Tensor forward(torch::autograd::AutogradContext* ctx, Tensor v) {
    v.mul_(2);
    ctx->mark_dirty({v});
    return v;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext*,
                                                 torch::autograd::variable_list g) {
    return {g[0] * 2};
  }
};

int main() {
  section("inference_flags", [](auto n) {
    Tensor s = leaf({2, 3});
    Tensor c, y, v, w;
    {
      torch::autograd::InferenceMode guard;
      emit_flag(n + "/enabled", torch::autograd::InferenceMode::is_enabled());
      emit_flag(n + "/grad_mode", torch::GradMode::is_enabled());
      c = torch::ones({2, 3}, torch::kDouble).set_requires_grad(true);
      y = c * c;
      v = c.view({3, 2});
      w = s.view({3, 2});
    }
    emit_flag(n + "/c_inference", c.is_inference());
    emit_flag(n + "/y_inference", y.is_inference());
    emit_flag(n + "/y_requires_grad", y.requires_grad());
    emit_flag(n + "/v_inference", v.is_inference());
    emit_flag(n + "/v_is_view", v.is_view());
    emit_flag(n + "/w_inference", w.is_inference());
    emit_flag(n + "/w_requires_grad", w.requires_grad());
    emit_flag(n + "/w_is_leaf", w.is_leaf());
    emit_flag(n + "/cc_requires_grad", (c * c).requires_grad());
    Tensor out = c.add(s);
    emit_flag(n + "/out_inference", out.is_inference());
    (out * weight_like(out)).sum().backward();
    emit_grad(n + "/c_grad", c.grad());
    emit_grad(n + "/s_grad", s.grad());
    expect_throw(n + "/mul_saves", [&] { (void)c.mul(s); });
    expect_throw(n + "/inplace_outside", [&] { c.add_(1); });
    expect_throw(n + "/requires_grad_outside", [&] {
      torch::Tensor t;
      {
        torch::autograd::InferenceMode guard;
        t = torch::ones({2});
      }
      t.set_requires_grad(true);
    });
  });
  section("nograd_view", [](auto n) {
    Tensor s = leaf({2, 3});
    Tensor a = s * 1.5;
    Tensor v;
    {
      torch::NoGradGuard no_grad;
      v = a.view({3, 2});
    }
    emit_flag(n + "/requires_grad", v.requires_grad());
    emit_flag(n + "/is_leaf", v.is_leaf());
    Tensor t = v * v;
    emit_flag(n + "/t_requires_grad", t.requires_grad());
    t.sum().backward();
    emit_flag(n + "/v_grad_defined", v.grad().defined());
    emit_flag(n + "/s_grad_defined", s.grad().defined());
    expect_throw(n + "/inplace", [&] { v.mul_(2); });
  });
  section("default_dtype", [](auto n) {
    torch::set_default_dtype(caffe2::TypeMeta::Make<double>());
    emit(n + "/ones", torch::ones({2}));
    emit(n + "/literal", torch::tensor({1.25, 2.5}));
    emit(n + "/arange", torch::arange(0., 3));
    emit(n + "/int_times_half", torch::tensor({1, 2}) * 0.5);
    emit_flag(n + "/options_double", torch::TensorOptions().dtype() == torch::kDouble);
    torch::set_default_dtype(caffe2::TypeMeta::Make<float>());
    emit_flag(n + "/back_to_float", torch::tensor({1.5}).dtype() == torch::kFloat);
  });
  section("backward_inputs", [](auto n) {
    Tensor a = leaf({2, 2}, 1.0, 0.1);
    Tensor b = leaf({2, 2}, 1.0, 0.7);
    Tensor z = a * a + a * b;
    Tensor w = z * b;
    w.backward(weight_like(w), false, false, std::vector<Tensor>{a, z});
    emit_grad(n + "/a", a.grad());
    emit_grad(n + "/z", z.grad());
    emit_flag(n + "/b_defined", b.grad().defined());
  });
  section("retain_grad_inplace", [](auto n) {
    Tensor s = leaf({3});
    Tensor a = s.clone();
    a.retain_grad();
    a.mul_(2);
    Tensor y = a * a;
    (y * weight_like(y)).sum().backward();
    emit_flag(n + "/retains", a.retains_grad());
    emit_grad(n + "/a", a.grad());
    emit_grad(n + "/s", s.grad());
  });
  section("mark_dirty", [](auto n) {
    Tensor s = leaf({3});
    Tensor c = s.clone();
    Tensor out = TimesTwoInPlace::apply(c);
    emit_flag(n + "/same", out.is_same(c));
    emit(n + "/out", out);
    (out * weight_like(out)).sum().backward();
    emit_grad(n + "/s", s.grad());
  });
  section("set_data", [](auto n) {
    Tensor x = torch::zeros({2, 2}, torch::kDouble);
    x[0][1] = 5;
    emit(n + "/x", x);
    Tensor y = torch::ones({3}, torch::kDouble);
    x.set_data(y);
    emit_flag(n + "/shares", x.data_ptr() == y.data_ptr());
    emit(n + "/after", x);
  });
  return 0;
}
