#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// LeakyReLU, ELU, GELU, SiLU, Softplus, Embedding and Bilinear: values and gradients against
// PyTorch in float64 (tests/ref/activation_ref.py), gradchecks, options, printing, bad input.

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace {

using test::contains;
using test::error_of;
using test::go;
using test::seq;
using test::set;
using test::str;
using test::values;
using tg::Tensor;
namespace nn = tg::nn;
namespace F = tg::nn::functional;

#include "ref/activation_ref.inc"

bool all_finite(const Tensor& t) {
  for (double v : values(t))
    if (!std::isfinite(v)) return false;
  return true;
}

// The activation inputs of activation_ref.py: 24 values in [-6, 6], then tails and near-zeros.
Tensor act_input() {
  return tg::cat({seq({24}, 0.3, 6.0), tg::tensor({-30.0, -1e-9, 1e-9, 25.0, 40.0}, tg::kDouble)},
                 0)
      .requires_grad_(true);
}

template <class Fn>
void check_activation(Fn fn, const std::vector<double>& want_y, const std::vector<double>& want_g,
                      const char* what) {
  Tensor x = act_input();
  Tensor y = fn(x);
  (y * go(y.sizes())).sum().backward();
  // 1e-10 relative, and 1e-16 absolute where the result is tiny: there PyTorch loses relative
  // accuracy (ELU as exp(x) - 1 near 0, GELU-tanh's tails through 1 + tanh(u) ~ 1e-8), so only
  // the absolute error of an O(1) computation is comparable. tapegrad's ELU uses expm1.
  test::expect_near(y, want_y, what, 1e-10, 1e-16);
  test::expect_near(x.grad(), want_g, what, 1e-10, 1e-16);
  // Away from the kinks (the first 24 values are at least 0.1 from 0 and from the thresholds).
  Tensor smooth = seq({24}, 0.3, 6.0).requires_grad_(true);
  auto report =
      tg::autograd::gradcheck([&](const tg::TensorList& in) { return fn(in[0]); }, {smooth});
  CHECK_MESSAGE(report, what << ": " << report);
}

}  // namespace

TEST_CASE("activations: values and gradients match PyTorch, gradcheck passes") {
  check_activation(
      [](const Tensor& x) { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2))(x); },
      kLeakyReluY, kLeakyReluGrad, "leaky_relu");
  check_activation([](const Tensor& x) { return F::elu(x, F::ELUFuncOptions().alpha(0.7)); }, kEluY,
                   kEluGrad, "elu");
  check_activation([](const Tensor& x) { return nn::GELU()(x); }, kGeluNoneY, kGeluNoneGrad,
                   "gelu");
  check_activation(
      [](const Tensor& x) { return F::gelu(x, F::GELUFuncOptions().approximate("tanh")); },
      kGeluTanhY, kGeluTanhGrad, "gelu tanh");
  check_activation([](const Tensor& x) { return nn::SiLU()(x); }, kSiluY, kSiluGrad, "silu");
  check_activation([](const Tensor& x) { return nn::Softplus()(x); }, kSoftplusY, kSoftplusGrad,
                   "softplus");
  check_activation(
      [](const Tensor& x) { return F::softplus(x, F::SoftplusFuncOptions().beta(2).threshold(5)); },
      kSoftplusBetaY, kSoftplusBetaGrad, "softplus beta");
}

TEST_CASE("activations: float32 works, no NaN for huge inputs, inplace writes back") {
  Tensor big = tg::tensor({-1e4, -100.0, 0.0, 100.0, 1e4}).requires_grad_(true);
  for (auto y : {F::elu(big), F::gelu(big), F::silu(big), F::softplus(big), F::leaky_relu(big)}) {
    CHECK(y.scalar_type() == tg::kFloat);
    (y.sum()).backward();
    CHECK(all_finite(big.grad()));
    CHECK(all_finite(y));
    big.mutable_grad() = Tensor();
  }
  Tensor x = tg::tensor({-2.0, 3.0}, tg::kDouble);
  Tensor r = F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.5).inplace(true));
  CHECK(r.is_same(x));
  CHECK(x.equal(tg::tensor({-1.0, 3.0}, tg::kDouble)));
  // ELU near 0 keeps its relative accuracy (expm1, not exp(x) - 1), and so does its gradient
  // far out (e^x from the input, not expm1(x) + 1).
  Tensor tiny = tg::tensor({-1e-9, -30.0}, tg::kDouble).requires_grad_(true);
  Tensor e = F::elu(tiny, F::ELUFuncOptions().alpha(0.7));
  e.sum().backward();
  CHECK(e[0].item<double>() == doctest::Approx(0.7 * std::expm1(-1e-9)).epsilon(1e-15));
  CHECK(tiny.grad()[1].item<double>() == doctest::Approx(0.7 * std::exp(-30.0)).epsilon(1e-15));
  nn::ELU elu(nn::ELUOptions().inplace(true));
  elu(x);
  CHECK(x[0].item<double>() == doctest::Approx(std::expm1(-1.0)).epsilon(1e-15));
}

// The printed forms are libtorch 1.13's output for the same modules (GELU prints no options).
TEST_CASE("activations: options, printing and errors") {
  CHECK(str(nn::LeakyReLU()) == "torch::nn::LeakyReLU(negative_slope=0.01)");
  CHECK(str(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2).inplace(true))) ==
        "torch::nn::LeakyReLU(negative_slope=0.2, inplace=true)");
  CHECK(str(nn::ELU()) == "torch::nn::ELU(alpha=1)");
  CHECK(str(nn::ELU(nn::ELUOptions().alpha(0.5).inplace(true))) ==
        "torch::nn::ELU(alpha=0.5, inplace=true)");
  CHECK(str(nn::GELU()) == "torch::nn::GELU()");
  CHECK(str(nn::GELU(nn::GELUOptions().approximate("tanh"))) == "torch::nn::GELU()");
  CHECK(str(nn::SiLU()) == "torch::nn::SiLU()");
  CHECK(str(nn::Softplus()) == "torch::nn::Softplus(beta=1, threshold=20)");
  CHECK(str(nn::Softplus(nn::SoftplusOptions().beta(2).threshold(10))) ==
        "torch::nn::Softplus(beta=2, threshold=10)");
  CHECK(error_of([] { nn::GELU(nn::GELUOptions().approximate("fast")); }) ==
        "GELU: approximate must be \"none\" or \"tanh\", got \"fast\"");
  CHECK(error_of([] { F::silu(tg::ones({2}, tg::kLong)); }) ==
        "silu: expected a floating-point input, got Long of shape [2]");
  CHECK(error_of([] { F::elu(Tensor()); }) == "elu: input is an undefined tensor");
}

// ---- Embedding -----------------------------------------------------------------------------
TEST_CASE("Embedding: lookup and padding_idx gradient match PyTorch") {
  nn::Embedding emb(nn::EmbeddingOptions(6, 3).padding_idx(1));
  emb->to(tg::kDouble);
  set(emb->weight, seq({6, 3}, 0.2));
  Tensor idx = tg::tensor({{0L, 1L, 4L}, {4L, 5L, 1L}});
  Tensor y = emb(idx);
  CHECK(y.sizes() == tg::IntArrayRef({2, 3, 3}));
  (y * go(y.sizes())).sum().backward();
  test::expect_near(y, kEmbY, "embedding");  // the padding row's values are returned as they are
  test::expect_near(emb->weight.grad(), kEmbGradW, "embedding grad");
  CHECK(emb->weight.grad()[1].abs().sum().item<double>() == 0);

  nn::Embedding freq(nn::EmbeddingOptions(6, 3).scale_grad_by_freq(true));
  freq->to(tg::kDouble);
  set(freq->weight, seq({6, 3}, 0.2));
  Tensor yf = freq(idx);
  (yf * go(yf.sizes())).sum().backward();
  test::expect_near(freq->weight.grad(), kEmbFreqGradW, "scale_grad_by_freq grad");

  nn::Embedding mn(nn::EmbeddingOptions(6, 3).max_norm(1.0));
  mn->to(tg::kDouble);
  set(mn->weight, seq({6, 3}, 0.2, 2.0));
  Tensor ym = mn(idx);
  (ym * go(ym.sizes())).sum().backward();
  test::expect_near(ym, kEmbMaxNormY, "max_norm");
  test::expect_near(mn->weight, kEmbMaxNormW, "max_norm renormalised weight");
  test::expect_near(mn->weight.grad(), kEmbMaxNormGradW, "max_norm grad");
}

TEST_CASE("Embedding: init N(0, 1) with a zero padding row, from_pretrained, gradcheck") {
  tg::manual_seed(4);
  nn::Embedding emb(nn::EmbeddingOptions(400, 50).padding_idx(-1));
  CHECK(emb->options.padding_idx() == 399);
  CHECK(emb->weight[399].abs().sum().item<float>() == 0);
  Tensor rows = emb->weight.narrow(0, 0, 399);
  CHECK(std::abs(rows.mean().item<float>()) < 0.01);  // 19950 draws: sd of the mean ~0.007
  CHECK(rows.std().item<float>() == doctest::Approx(1.0).epsilon(0.02));

  Tensor table = seq({4, 2}, 0.3);
  auto pre = nn::Embedding::from_pretrained(table);
  CHECK_FALSE(pre->weight.requires_grad());
  CHECK(pre(tg::tensor({3L, 0L})).equal(tg::stack({table[3], table[0]}, 0)));
  CHECK(nn::Embedding::from_pretrained(table, nn::EmbeddingFromPretrainedOptions().freeze(false))
            ->weight.requires_grad());

  Tensor w = seq({5, 3}, 0.1).requires_grad_(true);
  Tensor idx = tg::tensor({{1L, 2L}, {2L, 0L}});
  auto report = tg::autograd::gradcheck(
      [&](const tg::TensorList& in) {
        return F::embedding(idx, in[0]);  // (padding_idx zeroes a gradient on purpose)
      },
      {w});
  CHECK_MESSAGE(report, report);
}

TEST_CASE("Embedding: out-of-range indices and bad options throw, naming Embedding") {
  nn::Embedding emb(10, 3);
  CHECK(error_of([&] {
          emb(tg::tensor({1L, 12L}));
        }) ==
        "Embedding: index 12 is out of range for 10 embeddings (valid: 0 to 9), in indices of "
        "shape [2]");
  CHECK(contains(error_of([&] { emb(tg::tensor({-1L})); }), "Embedding: index -1 is out of range"));
  CHECK(error_of([&] { emb(tg::tensor({1.0})); }) ==
        "Embedding: indices must be an int64 (Long) tensor, got Float of shape [1]");
  CHECK(error_of([] { nn::Embedding(nn::EmbeddingOptions(10, 3).padding_idx(10)); }) ==
        "Embedding: padding_idx must be within num_embeddings (10), got 10");
  CHECK(contains(
      error_of([] { nn::Embedding(nn::EmbeddingOptions(4, 2).sparse(true))(tg::tensor({0L})); }),
      "sparse gradients are not supported"));
  CHECK(str(nn::Embedding(10, 3)) == "torch::nn::Embedding(num_embeddings=10, embedding_dim=3)");
  CHECK(str(nn::Embedding(nn::EmbeddingOptions(10, 3).padding_idx(2))) ==
        "torch::nn::Embedding(num_embeddings=10, embedding_dim=3, padding_idx=2)");
  CHECK(
      str(nn::Embedding(
          nn::EmbeddingOptions(10, 3).padding_idx(-1).max_norm(1.0).scale_grad_by_freq(true).sparse(
              true))) ==
      "torch::nn::Embedding(num_embeddings=10, embedding_dim=3, padding_idx=9, max_norm=1, "
      "scale_grad_by_freq=true, sparse=true)");
}

// ---- Bilinear ------------------------------------------------------------------------------
TEST_CASE("Bilinear: values and gradients match PyTorch, gradcheck, init, errors") {
  nn::Bilinear bil(3, 2, 4);
  CHECK(bil->weight.sizes() == tg::IntArrayRef({4, 3, 2}));
  CHECK(bil->named_parameters().keys() == std::vector<std::string>{"weight", "bias"});
  bil->to(tg::kDouble);
  set(bil->weight, seq({4, 3, 2}, 0.4, 0.5));
  set(bil->bias, seq({4}, 1.0, 0.3));
  Tensor x1 = seq({2, 2, 3}, 0.1).requires_grad_(true),
         x2 = seq({2, 2, 2}, 0.9).requires_grad_(true);
  Tensor y = bil(x1, x2);
  CHECK(y.sizes() == tg::IntArrayRef({2, 2, 4}));
  (y * go(y.sizes())).sum().backward();
  test::expect_near(y, kBilY, "bilinear");
  test::expect_near(bil->weight.grad(), kBilGradW, "bilinear grad weight");
  test::expect_near(bil->bias.grad(), kBilGradB, "bilinear grad bias");
  test::expect_near(x1.grad(), kBilGradX1, "bilinear grad x1");
  test::expect_near(x2.grad(), kBilGradX2, "bilinear grad x2");
  auto report = tg::autograd::gradcheck(
      [&](const tg::TensorList& in) { return F::bilinear(in[0], in[1], in[2], in[3]); },
      {seq({2, 3}, 0.1).requires_grad_(true), seq({2, 2}, 0.5).requires_grad_(true),
       seq({4, 3, 2}, 0.2).requires_grad_(true), seq({4}, 0.7).requires_grad_(true)});
  CHECK_MESSAGE(report, report);

  tg::manual_seed(2);
  nn::Bilinear big(nn::BilinearOptions(16, 5, 100).bias(false));
  CHECK_FALSE(big->bias.defined());
  CHECK(big->parameters().size() == 1);
  CHECK(big->weight.abs().max().item<float>() <= 0.25f);  // U(-1/sqrt(16), 1/sqrt(16))
  CHECK(big->weight.abs().max().item<float>() > 0.24f);
  CHECK(str(bil) ==
        "torch::nn::Bilinear(in1_features=3, in2_features=2, out_features=4, bias=true)");
  CHECK(error_of([&] {
          bil(tg::ones({2, 3}, tg::kDouble), tg::ones({3, 2}, tg::kDouble));
        }) ==
        "bilinear: inputs of shapes [2, 3] and [3, 2] do not match weight of shape [4, 3, 2] "
        "(expected [..., 3] and [..., 2] with the same leading dimensions)");
}
