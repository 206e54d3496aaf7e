// Custom autograd functions (torch::autograd::Function + AutogradContext), same source against
// libtorch and tapegrad: values, first and second derivatives, several outputs, saved_data.
#include "common.hpp"

using namespace torch::autograd;

// y = k x^3, saving the input and k.
struct Cube : public Function<Cube> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double k) {
    ctx->save_for_backward({x});
    ctx->saved_data["k"] = k;
    return x * x * x * k;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    auto x = ctx->get_saved_variables()[0];
    double k = ctx->saved_data["k"].toDouble();
    return {g[0] * x * x * (3 * k), Tensor()};
  }
};

// exp, saving its output.
struct MyExp : public Function<MyExp> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    auto y = x.exp();
    ctx->save_for_backward({y});
    return y;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    return {g[0] * ctx->get_saved_variables()[0]};
  }
};

// Two tensor inputs with a scalar in between; outputs a + b, a * b * s.
struct SumProd : public Function<SumProd> {
  static variable_list forward(AutogradContext* ctx, Tensor a, double s, Tensor b) {
    ctx->save_for_backward({a, b});
    ctx->saved_data["s"] = s;
    ctx->saved_data["tag"] = std::string("sumprod");
    return {a + b, a * b * s};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto v = ctx->get_saved_variables();
    double s = ctx->saved_data["s"].toDouble();
    return {g[0] + g[1] * v[1] * s, Tensor(), g[0] + g[1] * v[0] * s};
  }
};

// A scaled copy whose backward reports which inputs needed a gradient.
struct Scale : public Function<Scale> {
  static Tensor forward(AutogradContext* ctx, Tensor a, Tensor b) {
    ctx->saved_data["na"] = ctx->needs_input_grad(0);
    ctx->saved_data["nb"] = ctx->needs_input_grad(1);
    return a * 3.0 + b;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    emit_flag("scale/needs_a", ctx->saved_data["na"].toBool());
    emit_flag("scale/needs_b", ctx->saved_data["nb"].toBool());
    return {g[0] * 3.0, ctx->needs_input_grad(1) ? g[0] : Tensor()};
  }
};

int main() {
  section("cube", [](auto n) {
    auto x = leaf({2, 3}, 1.0, 0.3);
    check(n, Cube::apply(x, 1.5), {x});
  });
  section("cube_chain", [](auto n) {
    auto x = leaf({4}, 0.8, 0.1);
    check(n, Cube::apply(x.sin(), -0.5).tanh(), {x});
  });
  section("cube_double", [](auto n) {
    auto x = leaf({3}, 1.0, 0.7);
    auto g = torch::autograd::grad({Cube::apply(x, 2.0).sum()}, {x}, {}, true, true)[0];
    emit(n + "/g", g);
    auto gg = torch::autograd::grad({(g * g).sum()}, {x})[0];
    emit(n + "/gg", gg);
  });
  section("exp_third", [](auto n) {
    auto x = leaf({3}, 0.5, 0.2);
    auto d1 = torch::autograd::grad({MyExp::apply(x * 2.0).sum()}, {x}, {}, true, true)[0];
    auto d2 = torch::autograd::grad({d1.sum()}, {x}, {}, true, true)[0];
    auto d3 = torch::autograd::grad({d2.sum()}, {x})[0];
    emit(n + "/d1", d1);
    emit(n + "/d2", d2);
    emit(n + "/d3", d3);
  });
  section("sumprod", [](auto n) {
    auto a = leaf({2, 2}, 1.0, 0.4);
    auto b = leaf({2, 2}, 1.0, 1.1);
    auto o = SumProd::apply(a, 0.5, b);
    check_list(n, o, {a, b});
  });
  section("sumprod_one_used", [](auto n) {
    auto a = leaf({3}, 1.0, 0.4);
    auto b = leaf({3}, 1.0, 1.1);
    auto o = SumProd::apply(a, 2.0, b);
    check(n, o[1], {a, b});
  });
  section("sumprod_double", [](auto n) {
    auto a = leaf({3}, 1.0, 0.4);
    auto b = leaf({3}, 1.0, 1.1);
    auto o = SumProd::apply(a, 2.0, b);
    auto loss = (o[0].sin() * o[1]).sum();
    auto g = torch::autograd::grad({loss}, {a, b}, {}, true, true);
    emit(n + "/ga", g[0]);
    emit(n + "/gb", g[1]);
    auto h = torch::autograd::grad({(g[0] * g[1]).sum()}, {a, b});
    emit(n + "/ha", h[0]);
    emit(n + "/hb", h[1]);
  });
  section("needs_input_grad", [](auto n) {
    auto a = leaf({2}, 1.0, 0.4);
    auto b = det({2}, 1.0, 0.9);
    check(n, Scale::apply(a, b), {a});
  });
  section("no_grad", [](auto n) {
    auto x = det({3}, 1.0, 0.3);
    auto y = Cube::apply(x, 1.0);
    emit(n, y);
    emit_flag(n + "/requires_grad", y.requires_grad());
  });
  section("modified_saved", [](auto n) {
    auto x = leaf({3}, 1.0, 0.3);
    auto h = x * 1.0;
    auto y = Cube::apply(h, 1.0);
    {
      torch::NoGradGuard no_grad;
      h.mul_(2.0);
    }
    expect_throw(n, [&] { y.sum().backward(); });
  });
  section("wrong_count", [](auto n) {
    auto x = leaf({3}, 1.0, 0.3);
    struct TooFew : public Function<TooFew> {
      static Tensor forward(AutogradContext*, Tensor p, double) { return p * 2.0; }
      static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0]}; }
    };
    expect_throw(n, [&] { TooFew::apply(x, 1.0).sum().backward(); });
  });
}
