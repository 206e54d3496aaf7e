// Activations: the ATen free functions (torch::elu, hardtanh_, prelu, rrelu, ...), the
// nn::functional forms and modules (values and gradients), rrelu's training draws and
// gumbel_softmax after manual_seed (libtorch's generator order), and how the modules print.
#include <sstream>

#include "common.hpp"

namespace F = torch::nn::functional;

template <class M>
std::string printed(const M& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

int main() {
  // |x| >= 0.25 keeps every input off the kink at 0, scaled by 3: within [-3.75, 3.75].
  auto X3 = [] {
    auto t = det({3, 4}, 1.0, 0.3);
    return t.add(t.sign().mul(0.25)).mul(3).requires_grad_(true);
  };
  auto X32 = [] {  // float32
    auto t = det({3, 4}, 1.0, 0.3);
    return t.add(t.sign().mul(0.25)).mul(3).to(torch::kFloat).requires_grad_(true);
  };

  // ---- ATen free functions ----
  section("elu", [&](auto n) {
    auto x = X3();
    check(n, torch::elu(x, 0.7), {x});
  });
  section("elu_scales", [&](auto n) {
    auto x = X3();
    check(n, torch::elu(x, 0.7, 1.5, 0.5), {x});
  });
  section("selu", [&](auto n) {
    auto x = X3();
    check(n, torch::selu(x), {x});
  });
  section("celu", [&](auto n) {
    auto x = X3();
    check(n, torch::celu(x, 2.5), {x});
  });
  section("leaky_relu", [&](auto n) {
    auto x = X3();
    check(n, torch::leaky_relu(x, 0.2), {x});
  });
  section("hardshrink", [&](auto n) {
    auto x = X3();
    check(n, torch::hardshrink(x, 1.1), {x});
  });
  section("softshrink", [&](auto n) {
    auto x = X3();
    check(n, torch::softshrink(x, 1.1), {x});
  });
  section("hardtanh", [&](auto n) {
    auto x = X3();
    check(n, torch::hardtanh(x, -1.1, 2.1), {x});
  });
  section("relu6", [&](auto n) {
    auto x = X3();
    check(n, torch::relu6(x.mul(2)), {x});
  });
  section("threshold", [&](auto n) {
    auto x = X3();
    check(n, torch::threshold(x, 0.9, -2.0), {x});
  });
  section("glu", [&](auto n) {
    auto x = X3();
    check(n, torch::glu(x, 1), {x});
  });
  section("glu_dim0", [&](auto n) {
    auto x = leaf({4, 3}, 1.0, 0.9);
    check(n, torch::glu(x, 0), {x});
  });
  section("gelu", [&](auto n) {
    auto x = X3();
    check(n, torch::gelu(x), {x});
  });
  section("gelu_tanh", [&](auto n) {
    auto x = X3();
    check(n, torch::gelu(x, "tanh"), {x});
  });
  section("silu", [&](auto n) {
    auto x = X3();
    check(n, torch::silu(x), {x});
  });
  section("mish", [&](auto n) {
    auto x = X3();
    check(n, torch::mish(x), {x});
  });
  section("softplus", [&](auto n) {
    auto x = X3();
    check(n, torch::softplus(x, 2.0, 3.0), {x});
  });
  section("hardsigmoid", [&](auto n) {
    auto x = X3();
    check(n, torch::hardsigmoid(x), {x});
  });
  section("hardswish", [&](auto n) {
    auto x = X3();
    check(n, torch::hardswish(x), {x});
  });
  section("prelu_one", [&](auto n) {
    auto x = X3();
    auto w = torch::full({1}, 0.3, torch::kDouble).requires_grad_(true);
    check(n, torch::prelu(x, w), {x, w});
  });
  section("prelu_channels", [&](auto n) {
    auto x = leaf_away({2, 3, 2}, 0.25, 0.7);
    auto w = leaf({3}, 0.5, 0.2);
    check(n, torch::prelu(x, w), {x, w});
  });
  section("rrelu_eval", [&](auto n) {
    auto x = X3();
    check(n, torch::rrelu(x, 0.1, 0.3), {x});
  });
  section("rrelu_train", [&](auto n) {
    torch::manual_seed(7);
    auto x = X3();
    check(n, torch::rrelu(x, 0.1, 0.3, /*training=*/true), {x});
    emit(n + "/next", torch::rand({2}, torch::kDouble));  // the generator after the draws
  });
  section("rrelu_train_f32", [&](auto n) {
    torch::manual_seed(11);
    auto x = X32();
    check(n, torch::rrelu(x, 0.2, 0.45, /*training=*/true), {x});
  });
  section("inplace", [&](auto n) {
    auto x = det({3, 4}, 3.0, 0.3);
    torch::hardtanh_(x, -1.0, 2.0);
    torch::elu_(x, 0.5);
    torch::leaky_relu_(x, 0.3);
    torch::celu_(x, 1.5);
    torch::selu_(x);
    torch::relu6_(x);
    emit(n, x);
    auto y = det({3, 4}, 3.0, 0.9);
    torch::threshold_(y, 0.5, 7.0);
    torch::rrelu_(y, 0.1, 0.2);
    emit(n + "/b", y);
  });

  // ---- nn::functional ----
  section("F_selu", [&](auto n) {
    auto x = X3();
    check(n, F::selu(x), {x});
  });
  section("F_celu", [&](auto n) {
    auto x = X3();
    check(n, F::celu(x, F::CELUFuncOptions().alpha(0.6)), {x});
  });
  section("F_hardtanh", [&](auto n) {
    auto x = X3();
    check(n, F::hardtanh(x, F::HardtanhFuncOptions().min_val(-2).max_val(0.5)), {x});
  });
  section("F_relu6_inplace", [&](auto n) {
    auto x = det({3, 4}, 9.0, 0.3);
    auto y = F::relu6(x, /*inplace=*/true);
    emit(n, x);
    emit(n + "/y", y);
  });
  section("F_threshold", [&](auto n) {
    auto x = X3();
    check(n, F::threshold(x, F::ThresholdFuncOptions(0.5, 3.0)), {x});
  });
  section("F_shrink", [&](auto n) {
    auto x = X3();
    check(n, F::hardshrink(x) + F::softshrink(x, 1.4), {x});
  });
  section("F_logsigmoid", [&](auto n) {
    auto x = X3();
    check(n, F::logsigmoid(x), {x});
  });
  section("F_softmin", [&](auto n) {
    auto x = X3();
    check(n, F::softmin(x, 1), {x});
  });
  section("F_softmin_dtype", [&](auto n) {
    auto x = X32();
    check(n, F::softmin(x, F::SoftminFuncOptions(0).dtype(torch::kDouble)), {x});
  });
  section("F_glu", [&](auto n) {
    auto x = X3();
    check(n, F::glu(x), {x});
  });
  section("F_softsign", [&](auto n) {
    auto x = X3();
    check(n, F::softsign(x), {x});
  });
  section("F_tanhshrink", [&](auto n) {
    auto x = X3();
    check(n, F::tanhshrink(x), {x});
  });
  section("F_mish", [&](auto n) {
    auto x = X3();
    check(n, F::mish(x), {x});
  });
  section("F_rrelu_train", [&](auto n) {
    torch::manual_seed(3);
    auto x = X3();
    check(n, F::rrelu(x, F::RReLUFuncOptions().training(true)), {x});
  });
  section("F_gumbel_softmax", [&](auto n) {
    torch::manual_seed(5);
    auto x = X3();
    check(n, F::gumbel_softmax(x, F::GumbelSoftmaxFuncOptions().tau(0.7)), {x});
  });
  section("F_gumbel_softmax_hard", [&](auto n) {
    torch::manual_seed(6);
    auto x = X3();
    check(n, F::gumbel_softmax(x, F::GumbelSoftmaxFuncOptions().hard(true).dim(0)), {x});
  });

  // ---- modules ----
  section("PReLU", [&](auto n) {
    torch::nn::PReLU m(torch::nn::PReLUOptions().num_parameters(3).init(0.1));
    fix_params(m);
    auto x = leaf_away({2, 3, 2}, 0.25, 0.7);
    check(n, m(x), {x, m->weight});
  });
  section("RReLU_train", [&](auto n) {
    torch::manual_seed(9);
    torch::nn::RReLU m(torch::nn::RReLUOptions().lower(0.05).upper(0.5));
    auto x = X3();
    check(n, m(x), {x});
    m->eval();
    emit(n + "/eval", m(x));
  });
  section("Softmax2d", [&](auto n) {
    torch::nn::Softmax2d m;
    auto x = leaf({2, 3, 2}, 1.0, 0.4);
    check(n, m(x), {x});
  });
  section("modules", [&](auto n) {
    auto x = X3();
    auto y = torch::nn::SELU()(x) + torch::nn::CELU(torch::nn::CELUOptions().alpha(2))(x) +
             torch::nn::ReLU6()(x) + torch::nn::GLU(0)(x.repeat({2, 1})) +
             torch::nn::Hardshrink(0.7)(x) + torch::nn::Softshrink(0.7)(x) +
             torch::nn::Hardtanh()(x) + torch::nn::LogSigmoid()(x) + torch::nn::Softmin(1)(x) +
             torch::nn::Mish()(x) + torch::nn::Softsign()(x) + torch::nn::Tanhshrink()(x) +
             torch::nn::Threshold(0.1, 20)(x);
    check(n, y, {x});
  });
  section("errors", [&](auto n) {
    expect_throw(n + "/hardtanh",
                 [] { torch::nn::Hardtanh(torch::nn::HardtanhOptions().min_val(1).max_val(1)); });
    expect_throw(n + "/glu_odd", [] { torch::glu(torch::ones({3, 3}), 1); });
    expect_throw(n + "/softshrink_neg", [] { torch::softshrink(torch::ones({3}), -1); });
    expect_throw(n + "/rrelu_bounds", [] { torch::rrelu(torch::ones({3}), 0.5, 0.1); });
    expect_throw(n + "/prelu_channels", [] {
      torch::prelu(torch::ones({2, 3}), torch::ones({2}));
    });
  });
  section("print", [&](auto n) {
    using namespace torch::nn;
    emit_text(n + "/SELU", printed(SELU(true)) + printed(SELU()));
    emit_text(n + "/GLU", printed(GLU()) + printed(GLU(1)));
    emit_text(n + "/Hardshrink", printed(Hardshrink()) + printed(Hardshrink(42.42)));
    emit_text(n + "/Hardtanh",
              printed(Hardtanh()) +
                  printed(Hardtanh(HardtanhOptions().min_val(-42.42).max_val(0.42).inplace(true))));
    emit_text(n + "/misc", printed(LogSigmoid()) + printed(Softmin(1)) + printed(Softmax2d()) +
                               printed(Mish()) + printed(Softsign()) + printed(Tanhshrink()));
    emit_text(n + "/PReLU", printed(PReLU()) + printed(PReLU(PReLUOptions().num_parameters(42))));
    emit_text(n + "/ReLU6", printed(ReLU6()) + printed(ReLU6(true)));
    emit_text(
        n + "/RReLU",
        printed(RReLU()) + printed(RReLU(RReLUOptions().lower(0.24).upper(0.42).inplace(true))));
    emit_text(n + "/CELU",
              printed(CELU()) + printed(CELU(CELUOptions().alpha(42.42).inplace(true))));
    emit_text(n + "/Softshrink", printed(Softshrink()) + printed(Softshrink(42.42)));
    emit_text(n + "/Threshold",
              printed(Threshold(24.24, 42.42)) +
                  printed(Threshold(ThresholdOptions(42.42, 24.24).inplace(true))));
  });
  return 0;
}
