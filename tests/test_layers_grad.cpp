#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// Convolution, pooling, normalisation and dropout: gradcheck (and gradgradcheck, so gradients
// of gradients work through them) in float64 over stride/padding/dilation/groups; dropout and
// batch norm train/eval behaviour; default initialisation; bad input; the wrapper layers.

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace {

using test::contains;
using test::error_of;
using test::seq;
using tg::Tensor;
using tg::TensorList;
namespace nn = tg::nn;
namespace F = tg::nn::functional;
namespace ag = tg::autograd;

Tensor leaf(const Tensor& t) { return t.detach().requires_grad_(true); }

void check_grads(const ag::GradcheckFn& fn, const TensorList& in, const std::string& what,
                 bool second_order = true) {
  auto rep = ag::gradcheck(fn, in);
  CHECK_MESSAGE(rep.ok, what << ": " << rep);
  CHECK_MESSAGE(rep.checked > 0, what);
  if (second_order) {
    auto rep2 = ag::gradgradcheck(fn, in);
    CHECK_MESSAGE(rep2.ok, what << " (second order): " << rep2);
  }
}

template <class T>
std::string str(const T& v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

TEST_CASE("gradcheck: conv2d over stride, padding, dilation, groups, with bias") {
  struct C {
    std::vector<int64_t> x, w, s, p, d;
    int64_t g;
  };
  for (const C& c : {C{{1, 2, 5, 4}, {3, 2, 3, 2}, {1}, {0}, {1}, 1},
                     C{{2, 2, 5, 5}, {2, 2, 3, 3}, {2, 1}, {1, 0}, {1, 2}, 1},
                     C{{1, 4, 4, 5}, {4, 2, 2, 2}, {1, 2}, {1}, {2, 1}, 2},
                     C{{1, 3, 4, 4}, {3, 1, 2, 2}, {2}, {1}, {1}, 3}}) {
    Tensor x = leaf(seq(c.x, 0.1)), w = leaf(seq(c.w, 0.5, 0.7)), b = leaf(seq({c.w[0]}, 0.9));
    check_grads(
        [&](const TensorList& in) { return tg::conv2d(in[0], in[1], in[2], c.s, c.p, c.d, c.g); },
        {x, w, b}, "conv2d groups=" + std::to_string(c.g));
  }
}

TEST_CASE("gradcheck: conv2d large enough for the OpenBLAS path, 1 and 2 groups") {
  // 4 x 27 x 72 multiply-adds per product > 16^3: the forward and both backward gemms (with
  // transposed operands over the column buffer) go through cblas, unlike the small cases above.
  for (int64_t groups : {1, 2}) {
    Tensor x = leaf(seq({2, 6, 6, 6}, 0.1)), w = leaf(seq({8, 6 / groups, 3, 3}, 0.5, 0.7));
    Tensor b = leaf(seq({8}, 0.9));
    check_grads(
        [&](const TensorList& in) { return tg::conv2d(in[0], in[1], in[2], 1, 1, 1, groups); },
        {x, w, b}, "conv2d large groups=" + std::to_string(groups), /*second_order=*/false);
  }
}

TEST_CASE("gradcheck: conv1d, padding='same', unbatched input, im2col and col2im") {
  Tensor x = leaf(seq({2, 2, 7}, 0.2)), w = leaf(seq({4, 1, 3}, 0.6));
  check_grads([](const TensorList& in) { return tg::conv1d(in[0], in[1], {}, 2, 1, 2, 2); }, {x, w},
              "conv1d");
  Tensor xs = leaf(seq({2, 4, 5}, 0.3)), ws = leaf(seq({2, 2, 2, 3}, 0.8));
  check_grads(
      [](const TensorList& in) {
        return tg::conv2d(in[0], in[1], {}, 1, "same", {2, 1});
      },
      {xs, ws}, "conv2d same");
  Tensor xi = leaf(seq({1, 2, 4, 5}, 0.4));
  check_grads(
      [](const TensorList& in) {
        return tg::im2col(in[0], {2, 3}, {1, 1}, {1, 0}, 2);
      },
      {xi}, "im2col");
  Tensor cols = leaf(seq({1, 12, 6}, 0.5));
  check_grads(
      [](const TensorList& in) {
        return tg::col2im(in[0], {4, 5}, {2, 3}, {1, 1}, {1, 0}, 2);
      },
      {cols}, "col2im");
}

TEST_CASE("gradcheck: max_pool2d, avg_pool2d, adaptive_avg_pool2d") {
  Tensor x = leaf(seq({2, 2, 5, 6}, 0.3));  // sin(0.7 i): no two elements of a window tie
  check_grads([](const TensorList& in) { return tg::max_pool2d(in[0], 2); }, {x}, "max 2");
  check_grads([](const TensorList& in) { return tg::max_pool2d(in[0], 3, 2, 1, 1, true); }, {x},
              "max ceil");
  check_grads(
      [](const TensorList& in) {
        return tg::max_pool2d(in[0], {2, 3}, {1, 2}, 0, 2);
      },
      {x}, "max dilated");
  check_grads([](const TensorList& in) { return tg::avg_pool2d(in[0], 3, 2, 1, true, false); }, {x},
              "avg ceil no-pad-count");
  check_grads(
      [](const TensorList& in) {
        return tg::avg_pool2d(in[0], {2, 3}, {1, 2}, {1, 0}, false, true, 5);
      },
      {x}, "avg divisor");
  check_grads(
      [](const TensorList& in) {
        return tg::adaptive_avg_pool2d(in[0], {3, 4});
      },
      {x}, "adaptive");
}

TEST_CASE("gradcheck: batch_norm (train and eval) and layer_norm") {
  Tensor x = leaf(seq({3, 2, 2, 3}, 0.2, 1.5)), w = leaf(seq({2}, 0.4, 0.5, 1.0)),
         b = leaf(seq({2}, 0.9));
  check_grads(
      [](const TensorList& in) {
        return tg::batch_norm(in[0], in[1], in[2], {}, {}, true, 0.1, 1e-5);
      },
      {x, w, b}, "batch_norm train");
  Tensor rm = seq({2}, 0.1, 0.2), rv = seq({2}, 0.3, 0.2, 1.0);
  check_grads(
      [&](const TensorList& in) {
        return tg::batch_norm(in[0], in[1], in[2], rm, rv, false, 0.1, 1e-5);
      },
      {x, w, b}, "batch_norm eval");
  Tensor xl = leaf(seq({2, 3, 4}, 0.6)), wl = leaf(seq({3, 4}, 0.3, 0.5, 1.0)),
         bl = leaf(seq({3, 4}, 1.2));
  check_grads(
      [](const TensorList& in) {
        return tg::layer_norm(in[0], {3, 4}, in[1], in[2]);
      },
      {xl, wl, bl}, "layer_norm");
}

TEST_CASE("gradcheck through the Conv2d module's parameters") {
  tg::manual_seed(3);
  nn::Conv2d conv(nn::Conv2dOptions(2, 4, 3).stride(2).padding(1).groups(2));
  conv->to(tg::kDouble);
  Tensor x = leaf(seq({1, 2, 5, 5}, 0.2));
  check_grads([&](const TensorList& in) { return tg::conv2d(in[0], in[1], in[2], 2, 1, 1, 2); },
              {x, conv->weight, conv->bias}, "Conv2d params", false);
}

TEST_CASE("dropout: scale 1/(1-p), fraction zeroed close to p, identity in eval") {
  tg::manual_seed(0);
  const double p = 0.3;
  Tensor x = tg::ones({200, 100}, tg::kDouble).requires_grad_(true);
  nn::Dropout drop(p);
  Tensor y = drop(x);
  const double* v = y.data_ptr<double>();
  int64_t zeros = 0;
  for (int64_t i = 0; i < y.numel(); ++i) {
    if (v[i] == 0)
      ++zeros;
    else
      CHECK(v[i] == doctest::Approx(1 / (1 - p)).epsilon(1e-15));
  }
  const double frac = double(zeros) / double(y.numel());
  CHECK(std::abs(frac - p) < 0.015);  // 20000 draws: standard deviation 0.0032
  // The gradient is the same mask and scale.
  y.sum().backward();
  CHECK(tg::equal(x.grad(), y.detach()));
  drop->eval();
  CHECK(tg::equal(drop(x), x));
  CHECK(tg::equal(F::dropout(x, F::DropoutFuncOptions().p(p).training(false)), x));
  CHECK(tg::equal(F::dropout(x, F::DropoutFuncOptions().p(1.0)), tg::zeros_like(x)));
  CHECK(contains(error_of([&] { nn::Dropout(1.5); }), "Dropout"));
}

TEST_CASE("alpha dropouts: the functionals default to training(false), as libtorch's") {
  tg::manual_seed(0);
  Tensor x = tg::randn({50});
  // Not training: the input itself, whatever the shape (1-d too).
  CHECK(tg::equal(F::alpha_dropout(x), x));
  CHECK(tg::equal(F::feature_alpha_dropout(x), x));
  CHECK(tg::equal(F::feature_alpha_dropout(x, F::FeatureAlphaDropoutFuncOptions().p(0.8)), x));
  // Training: feature dropout needs a channel dimension (ATen's make_feature_noise).
  CHECK(contains(error_of([&] {
                   F::feature_alpha_dropout(
                       x, F::FeatureAlphaDropoutFuncOptions().p(0.5).training(true));
                 }),
                 "Feature dropout requires at least 2 dimensions in the input"));
  // The modules train by default, so they do drop.
  nn::AlphaDropout drop(0.5);
  CHECK_FALSE(tg::equal(drop(x), x));
  drop->eval();
  CHECK(tg::equal(drop(x), x));
}

TEST_CASE("BatchNorm2d: training normalises with batch statistics, eval uses running ones") {
  nn::BatchNorm2d bn(nn::BatchNorm2dOptions(3).momentum(0.5));
  Tensor x = seq({4, 3, 2, 2}, 0.3, 2.0, 1.0).to(tg::kFloat);
  Tensor y = bn(x);
  Tensor m = y.mean({0, 2, 3}), v = y.var({0, 2, 3}, false);
  for (int64_t c = 0; c < 3; ++c) {
    CHECK(m[c].item<float>() == doctest::Approx(0).epsilon(1e-5).scale(1));
    CHECK(v[c].item<float>() == doctest::Approx(1).epsilon(1e-3));
  }
  // running = 0.5 * initial + 0.5 * batch statistic (unbiased variance).
  Tensor bm = x.mean({0, 2, 3}), bv = x.var({0, 2, 3}, true);
  CHECK(tg::allclose(bn->running_mean, bm * 0.5, 1e-5, 1e-6));
  CHECK(tg::allclose(bn->running_var, bv * 0.5 + 0.5, 1e-5, 1e-6));
  bn->eval();
  Tensor ye = bn(x);
  Tensor want = (x - bn->running_mean.reshape({1, 3, 1, 1})) /
                (bn->running_var.reshape({1, 3, 1, 1}) + 1e-5).sqrt();
  CHECK(tg::allclose(ye, want, 1e-5, 1e-6));
  // Without tracked statistics, eval still uses the batch's, and there are no buffers.
  nn::BatchNorm2d plain(nn::BatchNorm2dOptions(3).track_running_stats(false).affine(false));
  plain->eval();
  CHECK(plain->buffers().empty());
  CHECK(plain->parameters().empty());
  CHECK(tg::allclose(plain(x), y, 1e-5, 1e-6));
  CHECK(bn->named_buffers().keys() ==
        std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"});
}

TEST_CASE("Conv2d default initialisation follows libtorch's bounds") {
  tg::manual_seed(1);
  nn::Conv2d conv(nn::Conv2dOptions(8, 16, 3));
  CHECK(conv->weight.sizes() == tg::IntArrayRef({16, 8, 3, 3}));
  // kaiming_uniform_(a = sqrt 5) and the bias: both U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  const double bound = 1.0 / std::sqrt(72.0);
  for (const Tensor& t : {conv->weight, conv->bias}) {
    CHECK(t.abs().max().item<float>() <= bound);
    CHECK(t.abs().max().item<float>() > 0.8 * bound);
  }
  nn::Conv2d nob(nn::Conv2dOptions(2, 4, {1, 2}).bias(false));
  CHECK(!nob->bias.defined());
  CHECK(nob->parameters().size() == 1);
}

TEST_CASE("bad input to the layers throws tg::Error naming the layer and the shapes") {
  nn::Conv2d conv(nn::Conv2dOptions(3, 4, 3));
  std::string e = error_of([&] { conv(tg::zeros({2, 1, 8, 8})); });
  CHECK(contains(e, "Conv2d"));
  CHECK(contains(e, "[2, 1, 8, 8]"));
  e = error_of([&] { conv(tg::zeros({2, 3, 2, 8})); });
  CHECK(contains(e, "Conv2d"));
  CHECK(contains(e, "Kernel size can't be greater than actual input size"));
  CHECK(contains(error_of([&] { conv(tg::zeros({8, 8})); }), "[8, 8]"));
  CHECK(contains(error_of([&] { nn::Conv2d(nn::Conv2dOptions(3, 4, 3).groups(2)); }),
                 "divisible by groups"));
  // Reflect padding wider than the input (test_conv_nd.cpp checks the padding modes' values).
  CHECK(contains(error_of([&] {
                   nn::Conv2d(nn::Conv2dOptions(3, 4, 3).padding(3).padding_mode(tg::kReflect))(
                       tg::zeros({1, 3, 3, 3}));
                 }),
                 "Padding size should be less than the corresponding input dimension"));
  CHECK(contains(error_of([&] {
                   tg::conv2d(tg::zeros({1, 4, 5, 5}), tg::zeros({2, 2, 3, 3}), {}, 1, 0, 1, 3);
                 }),
                 "conv2d"));
  e = error_of([&] { nn::MaxPool2d(3)(tg::zeros({1, 1, 2, 2})); });
  CHECK(contains(e, "MaxPool2d"));
  CHECK(contains(e, "Output size is too small"));
  CHECK(contains(error_of([&] {
                   nn::MaxPool2d(nn::MaxPool2dOptions(2).padding(2))(tg::zeros({1, 1, 6, 6}));
                 }),
                 "pad should be at most half"));
  CHECK(contains(error_of([&] { nn::AvgPool2d(2)(tg::zeros({6, 6})); }), "AvgPool2d"));
  e = error_of([&] { nn::BatchNorm2d(3)(tg::zeros({2, 4, 2, 2})); });
  CHECK(contains(e, "BatchNorm2d"));
  CHECK(contains(e, "[2, 4, 2, 2]"));
  CHECK(contains(error_of([&] {
                   nn::BatchNorm1d(3)(tg::zeros({1, 3}));
                 }),
                 "more than 1 value per channel"));
  CHECK(contains(error_of([&] { nn::BatchNorm1d(3)(tg::zeros({2, 3, 4, 5})); }), "BatchNorm1d"));
  e = error_of([&] { nn::LayerNorm(std::vector<int64_t>{4})(tg::zeros({2, 5})); });
  CHECK(contains(e, "LayerNorm"));
  CHECK(contains(e, "[2, 5]"));
  CHECK(contains(error_of([&] {
                   nn::Flatten(nn::FlattenOptions().start_dim(3))(tg::zeros({2, 3}));
                 }),
                 "Flatten"));
}

TEST_CASE("Identity, Flatten, Functional and ModuleList") {
  Tensor x = seq({2, 3, 2, 2}, 0.1);
  CHECK(tg::equal(nn::Identity(1, "ignored")(x), x));
  CHECK(nn::Flatten()(x).sizes() == tg::IntArrayRef({2, 12}));
  CHECK(nn::Flatten(nn::FlattenOptions().start_dim(0).end_dim(1))(x).sizes() ==
        tg::IntArrayRef({6, 2, 2}));
  nn::Functional relu(tg::relu);
  CHECK(tg::equal(relu(x), x.relu()));
  nn::Functional clip(tg::clamp_max, 0.5);
  CHECK(tg::equal(clip(x), x.clamp_max(0.5)));
  nn::Sequential seq_net(nn::Flatten(), nn::Functional(tg::tanh), nn::Identity());
  CHECK(tg::allclose(seq_net->forward(x), x.flatten(1).tanh()));

  nn::ModuleList list(nn::Linear(3, 4), nn::ReLU());
  list->push_back(nn::Conv2d(1, 2, 3));
  CHECK(list->size() == 3);
  CHECK(list->ptr<nn::LinearImpl>(0) != nullptr);
  CHECK(list->ptr<nn::LinearImpl>(1) == nullptr);
  CHECK(list[2]->as<nn::Conv2d>() != nullptr);
  CHECK(list->named_parameters().keys() ==
        std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"});
  CHECK(contains(error_of([&] { list->ptr(3); }), "out of range"));
  int n = 0;
  for (const auto& m : *list) n += m != nullptr;
  CHECK(n == 3);
}

TEST_CASE("layers print as libtorch's, with tg::nn names") {
  CHECK(str(nn::Conv2d(nn::Conv2dOptions(1, 16, 3).padding(1))) ==
        "torch::nn::Conv2d(1, 16, kernel_size=[3, 3], stride=[1, 1], padding=[1, 1])");
  CHECK(str(nn::Conv1d(nn::Conv1dOptions(2, 4, 3).dilation(2).groups(2).bias(false))) ==
        "torch::nn::Conv1d(2, 4, kernel_size=3, stride=1, dilation=2, groups=2, bias=false)");
  CHECK(str(nn::MaxPool2d(2)) ==
        "torch::nn::MaxPool2d(kernel_size=[2, 2], stride=[2, 2], padding=[0, 0], dilation=[1, 1], "
        "ceil_mode=false)");
  CHECK(str(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions({std::nullopt, 3}))) ==
        "torch::nn::AdaptiveAvgPool2d(output_size=[None, 3])");
  CHECK(
      str(nn::BatchNorm2d(4)) ==
      "torch::nn::BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=true, track_running_stats=true)");
  CHECK(str(nn::Dropout(0.25)) == "torch::nn::Dropout(p=0.25, inplace=false)");
  CHECK(str(nn::LayerNorm(std::vector<int64_t>{3, 4})) ==
        "torch::nn::LayerNorm([3, 4], eps=1e-05, elementwise_affine=true)");
  CHECK(str(nn::Flatten()) == "torch::nn::Flatten(start_dim=1, end_dim=-1)");
}

TEST_CASE("conv2d: a bias of another dtype is converted (no out-of-bounds read)") {
  Tensor x = seq({2, 2, 4, 4}, 0.1).to(tg::kFloat), w = seq({3, 2, 3, 3}, 0.4).to(tg::kFloat);
  Tensor b = seq({3}, 0.9);  // double
  Tensor y = tg::conv2d(x, w, b, 1, 1), ref = tg::conv2d(x, w, b.to(tg::kFloat), 1, 1);
  CHECK(y.scalar_type() == tg::kFloat);
  CHECK(tg::allclose(y, ref, 0, 0));
}
