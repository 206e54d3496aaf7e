#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// Convolution, pooling and normalisation against PyTorch in float64: outputs and gradients of
// the ops (tg::conv2d, ...), their functional forms, and a small CNN built from the modules.
// Reference numbers: tests/ref/layers_ref.py -> tests/ref/layers_ref.inc.

#include <cmath>
#include <vector>

namespace {

using test::go;
using test::seq;
using tg::Tensor;
namespace nn = tg::nn;
namespace F = tg::nn::functional;
using Ints = std::vector<int64_t>;
using Vals = std::vector<double>;

struct ConvCase {
  Ints x, w, stride, padding, dilation;
  int64_t groups;
  bool bias;
  Ints y_shape;
  Vals y, gx, gw, gb;
};
struct PoolCase {
  Ints x, kernel, stride, padding, dilation;
  bool ceil_mode, count_include_pad;
  int64_t divisor;  // -1: none
  Ints y_shape;
  Vals y, gx, idx;
};

#include "ref/layers_ref.inc"

Vals values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).contiguous().reshape({-1});
  const double* p = d.data_ptr<double>();
  return Vals(p, p + d.numel());
}

void expect_close(const Tensor& got, const Vals& want, const char* what) {
  REQUIRE_MESSAGE(got.defined(), what);
  Vals g = values(got);
  REQUIRE_MESSAGE(g.size() == want.size(), what << ": " << g.size() << " vs " << want.size());
  for (size_t i = 0; i < g.size(); ++i)
    CHECK_MESSAGE(std::abs(g[i] - want[i]) <= 1e-10 * std::abs(want[i]) + 1e-12,
                  what << "[" << i << "]: got " << g[i] << ", want " << want[i]);
}

Tensor leaf(const Tensor& t) { return t.detach().requires_grad_(true); }

// Backpropagates (y * go).sum(), as the reference script does.
void backprop(const Tensor& y) { (y * go(y.sizes())).sum().backward(); }

}  // namespace

TEST_CASE("conv2d matches PyTorch over stride, padding, dilation, groups and bias") {
  for (const ConvCase& c : kConv2dCases) {
    CAPTURE(c.groups);
    Tensor x = leaf(seq(c.x, 0.1)), w = leaf(seq(c.w, 0.7, 0.5));
    Tensor b = c.bias ? leaf(seq({c.w[0]}, 1.3, 0.3)) : Tensor();
    Tensor y = tg::conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    CHECK(y.sizes() == tg::IntArrayRef(c.y_shape));
    backprop(y);
    expect_close(y, c.y, "y");
    expect_close(x.grad(), c.gx, "grad x");
    expect_close(w.grad(), c.gw, "grad w");
    if (c.bias) expect_close(b.grad(), c.gb, "grad b");
    // The functional form with options computes the same thing.
    Tensor y2 = F::conv2d(x, w,
                          F::Conv2dFuncOptions()
                              .bias(b)
                              .stride(c.stride)
                              .padding(c.padding)
                              .dilation(c.dilation)
                              .groups(c.groups));
    expect_close(y2, c.y, "F::conv2d");
  }
}

TEST_CASE("conv1d matches PyTorch, also through Conv1d with copied weights") {
  for (const ConvCase& c : kConv1dCases) {
    Tensor x = leaf(seq(c.x, 0.2)), w = leaf(seq(c.w, 0.4, 0.5));
    Tensor b = c.bias ? leaf(seq({c.w[0]}, 1.1, 0.3)) : Tensor();
    Tensor y = tg::conv1d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
    backprop(y);
    expect_close(y, c.y, "y");
    expect_close(x.grad(), c.gx, "grad x");
    expect_close(w.grad(), c.gw, "grad w");
    if (c.bias) expect_close(b.grad(), c.gb, "grad b");

    nn::Conv1d conv(nn::Conv1dOptions(c.x[1], c.w[0], c.w[2])
                        .stride(c.stride[0])
                        .padding(c.padding[0])
                        .dilation(c.dilation[0])
                        .groups(c.groups)
                        .bias(c.bias));
    conv->to(tg::kDouble);
    {
      tg::NoGradGuard g;
      conv->weight.copy_(w);
      if (c.bias) conv->bias.copy_(b);
    }
    Tensor x2 = leaf(x);
    Tensor y2 = conv(x2);
    backprop(y2);
    expect_close(y2, c.y, "Conv1d");
    expect_close(x2.grad(), c.gx, "Conv1d grad x");
    expect_close(conv->weight.grad(), c.gw, "Conv1d grad w");
  }
}

TEST_CASE("conv2d padding='same' with an even dilated kernel, unbatched input") {
  Tensor x = leaf(seq({2, 5, 6}, 0.3)), w = leaf(seq({3, 2, 2, 4}, 0.9, 0.5));
  Tensor y = tg::conv2d(x, w, {}, 1, "same", {2, 1});
  CHECK(y.sizes() == tg::IntArrayRef({3, 5, 6}));
  backprop(y);
  expect_close(y, kConvSameY, "y");
  expect_close(x.grad(), kConvSameGx, "grad x");
  expect_close(w.grad(), kConvSameGw, "grad w");
  Tensor y2 = F::conv2d(x, w, F::Conv2dFuncOptions().padding(tg::kSame).dilation({2, 1}));
  expect_close(y2, kConvSameY, "F::conv2d kSame");
}

TEST_CASE("max_pool2d matches PyTorch: values, indices and gradients") {
  for (const PoolCase& c : kMaxPoolCases) {
    CAPTURE(c.ceil_mode);
    Tensor x = leaf(seq(c.x, 0.5));
    auto [y, idx] =
        tg::max_pool2d_with_indices(x, c.kernel, c.stride, c.padding, c.dilation, c.ceil_mode);
    CHECK(y.sizes() == tg::IntArrayRef(c.y_shape));
    CHECK(idx.scalar_type() == tg::kLong);
    backprop(y);
    expect_close(y, c.y, "y");
    expect_close(x.grad(), c.gx, "grad x");
    expect_close(idx, c.idx, "indices");
    auto o = F::MaxPool2dFuncOptions(c.kernel)
                 .stride(c.stride)
                 .padding(c.padding)
                 .dilation(c.dilation)
                 .ceil_mode(c.ceil_mode);
    expect_close(F::max_pool2d(x, o), c.y, "F::max_pool2d");
    expect_close(nn::MaxPool2d(o)(x), c.y, "MaxPool2d");
  }
}

TEST_CASE("avg_pool2d matches PyTorch: ceil_mode, count_include_pad, divisor_override") {
  for (const PoolCase& c : kAvgPoolCases) {
    CAPTURE(c.ceil_mode);
    CAPTURE(c.count_include_pad);
    CAPTURE(c.divisor);
    std::optional<int64_t> div;
    if (c.divisor > 0) div = c.divisor;
    Tensor x = leaf(seq(c.x, 0.6));
    Tensor y =
        tg::avg_pool2d(x, c.kernel, c.stride, c.padding, c.ceil_mode, c.count_include_pad, div);
    CHECK(y.sizes() == tg::IntArrayRef(c.y_shape));
    backprop(y);
    expect_close(y, c.y, "y");
    expect_close(x.grad(), c.gx, "grad x");
    auto o = nn::AvgPool2dOptions(c.kernel)
                 .stride(c.stride)
                 .padding(c.padding)
                 .ceil_mode(c.ceil_mode)
                 .count_include_pad(c.count_include_pad)
                 .divisor_override(div);
    expect_close(nn::AvgPool2d(o)(x), c.y, "AvgPool2d");
  }
}

TEST_CASE("adaptive_avg_pool2d matches PyTorch for sizes that do not divide") {
  for (const PoolCase& c : kAdaptiveCases) {
    Tensor x = leaf(seq(c.x, 0.8));
    Tensor y = tg::adaptive_avg_pool2d(x, c.kernel);
    CHECK(y.sizes() == tg::IntArrayRef(c.y_shape));
    backprop(y);
    expect_close(y, c.y, "y");
    expect_close(x.grad(), c.gx, "grad x");
    expect_close(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(c.kernel))(x), c.y,
                 "AdaptiveAvgPool2d");
  }
  // An absent size keeps the input's: (None, 2) on (1, 2, 7, 5) pools only the width.
  Tensor x = seq({1, 2, 7, 5}, 0.8);
  nn::AdaptiveAvgPool2d keep_h(nn::AdaptiveAvgPool2dOptions({std::nullopt, 2}));
  Tensor y = keep_h(x);
  CHECK(y.sizes() == tg::IntArrayRef({1, 2, 7, 2}));
  CHECK(tg::allclose(y, tg::adaptive_avg_pool2d(x, {7, 2}), 0, 0));
}

namespace {
// Two training steps and one eval step of a BatchNorm, as tests/ref/layers_ref.py does.
template <class BN>
void check_batch_norm(BN bn, tg::IntArrayRef shape, const Vals& y_ref, const Vals& gx_ref,
                      const Vals& gw_ref, const Vals& gb_ref, const Vals& rm_ref,
                      const Vals& rv_ref, const Vals& ey_ref, const Vals& egx_ref,
                      const Vals& egw_ref) {
  const int64_t c = shape[1];
  bn->to(tg::kDouble);
  {
    tg::NoGradGuard g;
    bn->weight.copy_(seq({c}, 0.4, 0.5, 1.0));
    bn->bias.copy_(seq({c}, 0.9, 0.3));
  }
  Tensor x = leaf(seq(shape.vec(), 0.2, 2.0, 0.5));
  Tensor y = bn(x);
  backprop(y);
  expect_close(y, y_ref, "train y");
  expect_close(x.grad(), gx_ref, "train grad x");
  expect_close(bn->weight.grad(), gw_ref, "train grad weight");
  expect_close(bn->bias.grad(), gb_ref, "train grad bias");
  bn(seq(shape.vec(), 1.7, 1.5, -0.3));
  expect_close(bn->running_mean, rm_ref, "running_mean");
  expect_close(bn->running_var, rv_ref, "running_var");
  CHECK(bn->num_batches_tracked.template item<int64_t>() == 2);
  bn->eval();
  bn->zero_grad();
  Tensor xe = leaf(seq(shape.vec(), 2.5));
  Tensor ye = bn(xe);
  backprop(ye);
  expect_close(ye, ey_ref, "eval y");
  expect_close(xe.grad(), egx_ref, "eval grad x");
  expect_close(bn->weight.grad(), egw_ref, "eval grad weight");
  expect_close(bn->running_var, rv_ref, "eval leaves running_var alone");
  CHECK(bn->num_batches_tracked.template item<int64_t>() == 2);
}
}  // namespace

TEST_CASE("BatchNorm2d/1d match PyTorch in training and eval, running stats included") {
  check_batch_norm(nn::BatchNorm2d(2), {3, 2, 4, 3}, kBn2dY, kBn2dGx, kBn2dGw, kBn2dGb,
                   kBn2dRunMean, kBn2dRunVar, kBn2dEvalY, kBn2dEvalGx, kBn2dEvalGw);
  // momentum = nullopt: the cumulative average of the two batches.
  check_batch_norm(nn::BatchNorm1d(nn::BatchNorm1dOptions(3).momentum(std::nullopt)), {5, 3},
                   kBn1dY, kBn1dGx, kBn1dGw, kBn1dGb, kBn1dRunMean, kBn1dRunVar, kBn1dEvalY,
                   kBn1dEvalGx, kBn1dEvalGw);
  check_batch_norm(nn::BatchNorm1d(nn::BatchNorm1dOptions(3).momentum(0.3)), {2, 3, 4}, kBn1d3Y,
                   kBn1d3Gx, kBn1d3Gw, kBn1d3Gb, kBn1d3RunMean, kBn1d3RunVar, kBn1d3EvalY,
                   kBn1d3EvalGx, kBn1d3EvalGw);
}

TEST_CASE("layer_norm matches PyTorch over one and two trailing dims") {
  struct Case {
    Ints shape, norm;
    const Vals &y, &gx, &gw, &gb;
  };
  for (const Case& c : {Case{{3, 5}, {5}, kLn1Y, kLn1Gx, kLn1Gw, kLn1Gb},
                        Case{{2, 3, 4}, {3, 4}, kLn2Y, kLn2Gx, kLn2Gw, kLn2Gb}}) {
    Tensor w = leaf(seq(c.norm, 0.3, 0.5, 1.0)), b = leaf(seq(c.norm, 1.2, 0.2));
    Tensor x = leaf(seq(c.shape, 0.6, 1.5, 0.2));
    Tensor y = F::layer_norm(x, F::LayerNormFuncOptions(c.norm).weight(w).bias(b).eps(1e-5));
    backprop(y);
    expect_close(y, c.y, "y");
    expect_close(x.grad(), c.gx, "grad x");
    expect_close(w.grad(), c.gw, "grad w");
    expect_close(b.grad(), c.gb, "grad b");
    nn::LayerNorm ln(c.norm);
    ln->to(tg::kDouble);
    {
      tg::NoGradGuard g;
      ln->weight.copy_(w), ln->bias.copy_(b);
    }
    expect_close(ln(x), c.y, "LayerNorm");
  }
}

TEST_CASE("a CNN of Conv2d, BatchNorm2d, MaxPool2d, AvgPool2d, Flatten, Linear matches PyTorch") {
  nn::Sequential net(
      nn::Conv2d(nn::Conv2dOptions(2, 4, 3).padding(1)), nn::BatchNorm2d(4), nn::ReLU(),
      nn::MaxPool2d(2), nn::Conv2d(nn::Conv2dOptions(4, 4, 2).groups(2).bias(false)),
      nn::AvgPool2d(nn::AvgPool2dOptions(2).stride(1).padding(1).count_include_pad(false)),
      nn::Flatten(), nn::Linear(64, 3));
  net->to(tg::kDouble);
  {
    tg::NoGradGuard g;
    int i = 0;
    for (const auto& p : net->named_parameters())
      p.value().copy_(seq(p.value().sizes().vec(), 0.3 * i++, 0.4, p.key() == "1.weight" ? 1 : 0));
  }
  Tensor x = leaf(seq({2, 2, 8, 8}, 0.1));
  Tensor y = net->forward(x);
  backprop(y);
  expect_close(y, kNetY, "y");
  expect_close(x.grad(), kNetGx, "grad x");
  auto params = net->parameters();
  REQUIRE(params.size() == kNetGrads.size());
  for (size_t i = 0; i < params.size(); ++i) expect_close(params[i].grad(), kNetGrads[i], "grad");
  expect_close(net->ptr<nn::BatchNorm2dImpl>(1)->running_var, kNetRunVar, "running_var");
}
