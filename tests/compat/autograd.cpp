// The tape's semantics against libtorch's: reuse, gradient arguments, accumulation,
// retain_grad, autograd::grad, higher order, hooks, in-place ops, no-grad, and errors.
#include "common.hpp"

namespace ag = torch::autograd;

int main() {
  auto X = [] { return leaf({2, 3}, 1.0, 0.3); };

  // y = x*x + x: x reaches y along three paths; the gradient is the sum (2x + 1) * g.
  section("reuse", [&](auto n) {
    auto x = X();
    auto y = x * x + x;
    emit(n, y);
    y.backward(weight_like(y));
    emit(n + "/dx", x.grad());
  });
  section("reuse_deep", [&](auto n) {
    auto x = X();
    auto s = x.sin();
    auto y = s * s.exp() + s.tanh() * x;
    check(n, y, {x});
  });
  section("backward_gradient", [&](auto n) {
    auto x = X();
    auto y = x.sin() * 2.0;
    y.backward(torch::full({2, 3}, 0.5, torch::kDouble));
    emit(n + "/dx", x.grad());
  });
  section("accumulate_retain", [&](auto n) {
    auto x = X();
    auto loss = (x * x).sum();
    loss.backward({}, true);
    emit(n + "/first", x.grad());
    loss.backward();
    emit(n + "/second", x.grad());
  });
  section("accumulate_two_graphs", [&](auto n) {
    auto x = X();
    x.exp().sum().backward();
    (x * 3.0).sum().backward();
    emit(n + "/dx", x.grad());
  });
  section("mutable_grad_zero", [&](auto n) {
    auto x = X();
    (x * x).sum().backward();
    x.mutable_grad().zero_();
    x.tanh().sum().backward();
    emit(n + "/dx", x.grad());
  });
  section("retain_grad", [&](auto n) {
    auto x = X();
    auto h = x * 2.0 + 1.0;
    h.retain_grad();
    auto out = (h.tanh() * weight_like(h)).sum();
    out.backward();
    emit(n + "/dh", h.grad());
    emit(n + "/dx", x.grad());
    emit_flag(n + "/x_is_leaf", x.is_leaf());
    emit_flag(n + "/h_is_leaf", h.is_leaf());
    emit_flag(n + "/h_requires_grad", h.requires_grad());
    emit_flag(n + "/out_requires_grad", out.requires_grad());
  });
  section("flags", [&](auto n) {
    auto c = det({3});
    emit_flag(n + "/const_requires_grad", c.requires_grad());
    emit_flag(n + "/const_is_leaf", c.is_leaf());
    auto x = X();
    auto y = x * 2.0;
    emit_flag(n + "/nonleaf_grad_defined", y.grad().defined());
    emit_flag(n + "/leaf_grad_defined_before", x.grad().defined());
    emit_flag(n + "/detach_requires_grad", x.detach().requires_grad());
    auto r = torch::ones({2}, torch::dtype(torch::kDouble).requires_grad(true));
    emit_flag(n + "/options_requires_grad", r.requires_grad());
  });

  section("grad", [&](auto n) {
    auto x = X(), w = leaf({3}, 0.8, 1.1);
    auto y = ((x * w).sin() * weight_like(x)).sum();
    auto g = ag::grad({y}, {x, w});
    emit(n + "/dx", g[0]);
    emit(n + "/dw", g[1]);
    emit_flag(n + "/leaf_grad_untouched", x.grad().defined());  // grad() does not accumulate
  });
  section("grad_outputs", [&](auto n) {
    auto x = X();
    auto y = x.exp() * x;
    auto g = ag::grad({y}, {x}, {weight_like(y)});
    emit(n + "/dx", g[0]);
  });
  section("grad_two_outputs", [&](auto n) {
    auto x = X();
    auto g = ag::grad({x.sin().sum(), (x * x).sum()}, {x});
    emit(n + "/dx", g[0]);
  });
  section("grad_allow_unused", [&](auto n) {
    auto x = X(), z = leaf({2}, 1.0, 0.9);
    auto g = ag::grad({(x * 2.0).sum()}, {x, z}, {}, {}, false, true);
    emit(n + "/dx", g[0]);
    emit_flag(n + "/dz_defined", g[1].defined());
  });
  section("grad_nonleaf_input", [&](auto n) {
    auto x = X();
    auto h = x.tanh();
    auto g = ag::grad({(h * h).sum()}, {h});
    emit(n + "/dh", g[0]);
  });
  // Second derivatives: the first backward is itself recorded (create_graph).
  section("second_order_grad", [&](auto n) {
    auto x = X();
    auto y = (x.pow(3) + x.sin()).sum();
    auto g = ag::grad({y}, {x}, {}, true, true)[0];
    emit(n + "/g", g);
    g.sum().backward();
    emit(n + "/gg", x.grad());
  });
  section("second_order_backward", [&](auto n) {
    auto x = X();
    auto y = (x.exp() * x).sum();
    y.backward({}, true, true);
    auto g = x.grad();
    emit(n + "/g", g);
    auto gg = ag::grad({(g * weight_like(g)).sum()}, {x})[0];
    emit(n + "/gg", gg);
  });

  section("hook_nonleaf", [&](auto n) {
    auto x = X();
    auto h = x * 2.0;
    h.register_hook([](torch::Tensor g) { return g * 3.0; });
    (h.sin() * weight_like(h)).sum().backward();
    emit(n + "/dx", x.grad());
  });
  section("hook_leaf", [&](auto n) {
    auto x = X();
    x.register_hook([](torch::Tensor g) { return g + 1.0; });
    // x is used twice: the leaf hook sees the summed gradient once, so +1 is added once.
    (x * x + x).sum().backward();
    emit(n + "/dx", x.grad());
  });

  // A second backward through mm, bmm and linear adds into the leaves' .grad. tapegrad does it
  // inside the product (a gemm with beta = 1, when nothing else holds .grad); libtorch adds a
  // separate product. Shapes cover the small loops, gemv (one output column) and OpenBLAS.
  for (auto dt : {torch::kDouble, torch::kFloat32}) {
    const std::string tag = dt == torch::kDouble ? "" : "float32/";
    auto L = [dt](std::vector<int64_t> s, double scale, double phase) {
      return det(std::move(s), scale, phase).to(dt).requires_grad_();
    };
    section(tag + "accumulate_products", [&](auto n) {
      // k = 4: the small loops, emitted whole. k = 100: OpenBLAS gemm (and gemv for the
      // one-output layer's weight), emitted as two sums that any wrong element changes.
      for (int64_t k : {4, 100}) {
        const int64_t r = k == 4 ? 3 : 48;
        auto a = L({r, k}, 1.0, 0.3), b = L({k, 20}, 0.8, 1.1);
        auto p = L({2, r, k}, 0.6, 0.2), q = L({2, k, 5}, 0.9, 1.4);
        auto x = L({r, k}, 1.0, 1.7), w = L({7, k}, 0.5, 0.7), bias = L({7}, 1.0, 0.9);
        auto w1 = L({1, k}, 0.5, 2.1), b1 = L({1}, 1.0, 0.4);
        for (int step = 0; step < 2; ++step) {
          auto y = a.mm(b);
          auto z = p.bmm(q);
          auto u = torch::nn::functional::linear(x, w, bias);
          auto v = torch::nn::functional::linear(x, w1, b1);
          ((y * weight_like(y)).sum() + (z * weight_like(z)).sum() + (u * weight_like(u)).sum() +
           (v * weight_like(v)).sum())
              .backward();
        }
        const std::string m = n + "/k" + std::to_string(k);
        int i = 0;
        for (auto& t : {a, b, p, q, x, w, bias, w1, b1}) {
          auto g = t.grad();
          emit(m + "/d" + std::to_string(i++),
               k == 4 ? g : torch::stack({(g * weight_like(g)).sum(), (g * g).sum()}));
        }
      }
    });
  }
  section("accumulate_held_grad", [&](auto n) {
    // .grad is added into in place in both libraries, so a copy held across backward sees it.
    auto a = leaf({3, 4}), b = leaf({4, 2}, 0.7, 1.3);
    a.mm(b).sum().backward();
    auto held = a.grad();
    (a.mm(b) * 2.0).sum().backward();
    emit(n + "/held", held);
    emit(n + "/da", a.grad());
  });
  section("accumulate_square", [&](auto n) {
    auto a = leaf({4, 4});
    for (int step = 0; step < 2; ++step) {
      auto y = a.mm(a);
      (y * weight_like(y)).sum().backward();
    }
    emit(n + "/da", a.grad());
  });
  section("accumulate_hook_leaf", [&](auto n) {
    auto a = leaf({3, 4}), b = leaf({4, 2}, 0.7, 1.3);
    a.mm(b).sum().backward();
    a.register_hook([](torch::Tensor g) { return g * 3.0; });  // sees this backward's sum
    (a.mm(b).sum() + (a * a).sum()).backward();
    emit(n + "/da", a.grad());
  });
  section("accumulate_failed_backward", [&](auto n) {
    // The newest ops are swept first: the product's part reaches a.grad before the older
    // multiplication finds its saved value modified and throws. Both libraries keep it.
    auto a = leaf({3, 4}), b = leaf({4, 2}, 0.7, 1.3), c = leaf({3, 2}, 0.5, 2.0);
    a.mm(b).sum().backward();
    auto v = c * 2.0;
    auto u = v * v;
    v.add_(1.0);
    auto y = a.mm(b) + u;
    expect_throw(n + "/threw", [&] { y.sum().backward(); });
    emit(n + "/da", a.grad());
  });

  section("no_grad", [&](auto n) {
    auto x = X();
    torch::Tensor y;
    {
      torch::NoGradGuard guard;
      y = x * 2.0;
    }
    emit_flag(n + "/requires_grad", y.requires_grad());
    auto z = (x * y).sum();  // y is a constant here
    z.backward();
    emit(n + "/dx", x.grad());
  });
  section("detach", [&](auto n) {
    auto x = X();
    check(n, x.detach() * x + x.detach().exp(), {x});
  });

  // In-place ops: an optimizer-style update of a leaf, then in-place ops inside a graph.
  section("inplace_leaf_update", [&](auto n) {
    auto w = X();
    (w * w).sum().backward();
    {
      torch::NoGradGuard guard;
      w.sub_(w.grad(), 0.1);
      w.mul_(2.0);
      w.add_(0.5);
      w.div_(torch::full({3}, 4.0, torch::kDouble));
      w.add_(torch::ones({3}, torch::kDouble), 0.25);
      w.sub_(1.0);
    }
    emit(n + "/w", w);
    w.mutable_grad().zero_();
    (w * w).sum().backward();
    emit(n + "/dw", w.grad());
  });
  section("inplace_fill_copy", [&](auto n) {
    auto t = torch::zeros({2, 3}, torch::kDouble);
    t.fill_(1.5);
    emit(n + "/fill", t);
    t.copy_(det({2, 3}));
    emit(n + "/copy", t);
    t.copy_(det({3}, 2.0));  // copy_ broadcasts its source
    emit(n + "/copy_bcast", t);
    t.zero_();
    emit(n + "/zero", t);
    t.requires_grad_();
    emit_flag(n + "/requires_grad_", t.requires_grad());
  });
  section("inplace_in_graph", [&](auto n) {
    auto x = X(), z = leaf({3}, 0.8, 1.1);
    auto a = x * 2.0;
    a.add_(z);
    a.mul_(3.0);
    a.sub_(x, 0.5);
    a.div_(torch::full({2, 3}, 2.0, torch::kDouble));
    a.mul_(torch::full({3}, -1.5, torch::kDouble));
    check(n, a, {x, z});
  });
  section("inplace_then_use", [&](auto n) {
    auto x = X();
    auto a = x.sin();
    auto b = a * 1.0;
    b.add_(1.0);
    check(n, b * b, {x});
  });

  // Misuse that libtorch rejects; tapegrad must reject it too (throw tg::Error, not crash).
  expect_throw("error/inplace_modified_saved", [] {
    auto x = leaf({3});
    auto y = x.exp();  // exp saves its output for backward
    y.add_(1.0);
    y.sum().backward();
  });
  expect_throw("error/inplace_on_leaf", [] {
    auto x = leaf({3});
    x.add_(1.0);
  });
  expect_throw("error/backward_twice", [] {
    auto x = leaf({3});
    auto y = (x * x).sum();
    y.backward();
    y.backward();
  });
  expect_throw("error/backward_nonscalar", [] { (leaf({3}) * 2.0).backward(); });
  expect_throw("error/backward_no_grad", [] { det({3}).sum().backward(); });
  expect_throw("error/broadcast", [] { (det({2, 3}) + det({4})).sum(); });
  expect_throw("error/matmul_shape", [] { det({2, 3}).matmul(det({4, 2})); });
  expect_throw("error/index_select_range",
               [] { det({3}).index_select(0, torch::tensor({5}, torch::kLong)); });
  expect_throw("error/view_numel", [] { det({2, 3}).view({4, 2}); });
  expect_throw("error/dim_range", [] { det({2, 3}).sum({2}); });
  expect_throw("error/grad_nonscalar_no_grad_outputs", [] {
    auto x = leaf({3});
    ag::grad({x * 2.0}, {x});
  });
  expect_throw("error/grad_unused_input", [] {
    auto x = leaf({3}), z = leaf({2});
    ag::grad({(x * 2.0).sum()}, {x, z});
  });
  expect_throw("error/requires_grad_off_nonleaf", [] {
    auto x = leaf({3});
    (x * 2.0).requires_grad_(false);
  });
  expect_throw("error/leaf_modified_after_save", [] {
    auto x = leaf({3});
    auto y = x.pow(2).sum();  // pow saves x
    {
      torch::NoGradGuard g;
      x.mul_(2.0);
    }
    y.backward();
  });
  expect_throw("no_error/requires_grad_off_leaf", [] { leaf({3}).requires_grad_(false); });
  expect_throw("no_error/broadcast_ok", [] { (det({2, 3}) + det({3})).sum(); });

  // float32 rows.
  section("float32/reuse", [&](auto n) {
    auto x = det({2, 3}, 1.0, 0.3).to(torch::kFloat32).requires_grad_();
    auto y = x * x + x.exp() * x;
    check(n, y, {x});
  });
  return 0;
}
