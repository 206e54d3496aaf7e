#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// BatchNorm3d, InstanceNorm*, GroupNorm, LocalResponseNorm, CrossMapLRN2d, F::normalize,
// EmbeddingBag, RNNCell/LSTMCell/GRUCell, Unflatten, one_hot: values from libtorch 1.13 (the
// numbers PyTorch's own test/cpp/api tests expect), printing, errors.

#include <string>
#include <tuple>
#include <vector>

namespace {
using test::contains;
using test::error_of;
using test::str;
using tg::Tensor;
namespace nn = tg::nn;
namespace F = tg::nn::functional;

bool close(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8) {
  return a.sizes() == b.sizes() && tg::allclose(a, b, rtol, atol);
}
}  // namespace

TEST_CASE("BatchNorm3d: eval with fresh running stats is x / sqrt(1 + eps); stateless") {
  nn::BatchNorm3d bn(5);
  bn->eval();
  auto x = tg::arange(2. * 5 * 8).view({2, 5, 2, 2, 2}).requires_grad_();
  auto y = bn(x);
  CHECK(close(y, x.detach() / std::sqrt(1 + 1e-5)));
  y.sum().backward();
  CHECK(x.grad().sizes() == x.sizes());
  nn::BatchNorm3d s(nn::BatchNorm3dOptions(5).track_running_stats(false).affine(false));
  CHECK_FALSE(s->running_mean.defined());
  CHECK_FALSE(s->weight.defined());
  CHECK(str(nn::BatchNorm3d(nn::BatchNorm3dOptions(4).eps(0.5).affine(false))) ==
        "torch::nn::BatchNorm3d(4, eps=0.5, momentum=0.1, affine=false, "
        "track_running_stats=true)");
  CHECK(contains(error_of([&] { bn(tg::ones({2, 5, 2, 2})); }), "expected 5D input (got 4D input"));
}

TEST_CASE("InstanceNorm: per (sample, channel) statistics; running stats; unbatched") {
  auto x = tg::arange(40.).view({2, 5, 4});
  auto y = F::instance_norm(x);
  auto row = tg::tensor({-1.3416407864998738, -0.4472135954999579, 0.4472135954999579,
                         1.3416407864998738}) *
             std::sqrt(1.25 / (1.25 + 1e-5));
  CHECK(close(y, row.expand({2, 5, 4})));
  auto mean = tg::arange(5.), var = tg::arange(5.);
  F::instance_norm(x, F::InstanceNormFuncOptions().running_mean(mean).running_var(var));
  // 0.9 old + 0.1 (batch average of the per-sample mean 20 b + 4 c + 1.5 / unbiased var 5/3).
  CHECK(close(mean, tg::arange(5.) * 1.3 + 1.15));
  CHECK(close(var, tg::arange(5.) * 0.9 + 1. / 6));

  nn::InstanceNorm1d in(nn::InstanceNorm1dOptions(5).affine(true).track_running_stats(true));
  CHECK(in->running_mean.defined());
  CHECK(in->weight.sizes() == tg::IntArrayRef({5}));
  in->eval();  // running stats (0, 1): y = x / sqrt(1 + eps)
  CHECK(close(in(x.to(tg::kFloat)), x.to(tg::kFloat) / std::sqrt(1 + 1e-5)));
  nn::InstanceNorm2d in2(5);
  auto u = in2(tg::arange(20.).view({5, 2, 2}));  // unbatched (C, H, W)
  CHECK(u.sizes() == tg::IntArrayRef({5, 2, 2}));
  CHECK(contains(error_of([&] { in2(tg::ones({5})); }), "expected 3D or 4D input (got 1D input)"));
  CHECK(str(nn::InstanceNorm3d(nn::InstanceNorm3dOptions(4).eps(0.5).track_running_stats(true))) ==
        "torch::nn::InstanceNorm3d(4, eps=0.5, momentum=0.1, affine=false, "
        "track_running_stats=true)");
}

static Tensor ref_of(const Tensor& x) {
  auto g = x.view({2, 2, 6});
  return ((g - g.mean({2}, true)) / (g.var({2}, false, true) + 1e-5).sqrt()).view({2, 4, 3});
}

TEST_CASE("GroupNorm: groups of channels; module, F:: and tg:: agree") {
  auto x = tg::arange(24., tg::kDouble).view({2, 4, 3}).pow(2);
  auto y = tg::group_norm(x, 2);
  auto ref = ref_of(x);
  CHECK(close(y, ref, 1e-10, 1e-12));
  nn::GroupNorm m(nn::GroupNormOptions(2, 4).eps(1e-5));
  CHECK(close(m(x.to(tg::kFloat)), ref.to(tg::kFloat), 1e-5, 1e-6));
  CHECK(close(F::group_norm(x, F::GroupNormFuncOptions(2)), ref, 1e-10, 1e-12));
  CHECK(contains(error_of([&] { tg::group_norm(x, 3); }),
                 "Expected number of channels in input to be divisible by num_groups"));
  CHECK(str(nn::GroupNorm(nn::GroupNormOptions(2, 2).eps(2e-5).affine(false))) ==
        "torch::nn::GroupNorm(2, 2, eps=2e-05, affine=false)");
}

TEST_CASE("LocalResponseNorm and F::local_response_norm: libtorch's values") {
  nn::LocalResponseNorm m(nn::LocalResponseNormOptions(2));
  auto x = tg::arange(100., 136).reshape({2, 3, 3, 2}).requires_grad_();
  auto y = m(x);
  CHECK(close(y.select(0, 0).select(0, 0),
              tg::tensor({{73.7788, 74.1462}, {74.5031, 74.8572}, {75.2010, 75.5420}}), 1e-4,
              1e-7));
  CHECK(close(y.select(0, 1).select(0, 2),
              tg::tensor({{63.2396, 63.2637}, {63.2850, 63.3036}, {63.3195, 63.3328}}), 1e-4,
              1e-7));
  y.sum().backward();
  CHECK(x.grad().sizes() == x.sizes());
  // Integer input: libtorch's average pool truncates; the result is float.
  auto z = F::local_response_norm(tg::arange(100, 118).reshape({3, 3, 2}),
                                  F::LocalResponseNormFuncOptions(2));
  CHECK(z.scalar_type() == tg::kFloat);
  CHECK(close(z.select(0, 0),
              tg::tensor({{73.7788, 74.1462}, {60.1942, 60.3302}, {60.4609, 60.5865}}), 1e-4,
              1e-7));
  CHECK(contains(error_of([&] { m(tg::ones({2, 3})); }), "Expected 3D or higher dimensionality"));
  CHECK(str(nn::LocalResponseNorm(nn::LocalResponseNormOptions(2).alpha(0.0002).beta(0.85).k(
            2.))) == "torch::nn::LocalResponseNorm(2, alpha=0.0002, beta=0.85, k=2)");
}

TEST_CASE("CrossMapLRN2d: libtorch's values and gradient") {
  auto x = tg::arange(9, tg::kFloat).view({1, 1, 3, 3}).requires_grad_(true);
  nn::CrossMapLRN2d m(3);
  auto y = m(x);
  y.sum().backward();
  CHECK(close(y.flatten(), tg::tensor({0.00000000, 0.99997497, 1.99980010, 2.99932500, 3.99840070,
                                       4.99687700, 5.99460600, 6.99143740, 7.98722360})));
  CHECK(close(x.grad().flatten(),
              tg::tensor({1.00000000, 0.99992496, 0.99970007, 0.99932520, 0.99880093, 0.99812720,
                          0.99730474, 0.99633380, 0.99521490})));
  nn::CrossMapLRN2d k2(nn::CrossMapLRN2dOptions(3).alpha(1e-4).beta(0.75).k(2));
  CHECK(close(k2(x).flatten().narrow(0, 6, 3), tg::tensor({3.56601700, 4.15967700, 4.75302650})));
  CHECK(str(nn::CrossMapLRN2d(nn::CrossMapLRN2dOptions(3).alpha(1e-5).beta(0.1).k(10))) ==
        "torch::nn::CrossMapLRN2d(3, alpha=1e-05, beta=0.1, k=10)");
}

TEST_CASE("F::normalize: p-norm along a dim, clamped by eps; out") {
  auto x = tg::tensor({{{0., 1., 2., 3., 4.}, {5., 6., 7., 8., 9.}}}).requires_grad_();
  auto y = F::normalize(x, F::NormalizeFuncOptions().p(1).dim(-1));
  CHECK(close(
      y, tg::tensor({{{0., 0.1, 0.2, 0.3, 0.4}, {5. / 35, 6. / 35, 7. / 35, 8. / 35, 9. / 35}}})));
  y.sum().backward();
  CHECK(x.grad().numel() == 10);
  auto out = tg::zeros({1, 2, 5});
  F::normalize(x.detach().to(tg::kFloat), F::NormalizeFuncOptions().p(1).dim(-1).out(out));
  CHECK(close(out, y.detach().to(tg::kFloat)));
  auto d = F::normalize(tg::tensor({{3., 0.}, {4., 0.}}));  // default p = 2, dim = 1
  CHECK(close(d, tg::tensor({{1., 0.}, {1., 0.}})));
  auto s = tg::randn({}, tg::requires_grad());
  F::normalize(s, F::NormalizeFuncOptions().p(1).dim(-1)).backward();
  CHECK(s.grad().numel() == 1);
}

TEST_CASE("RNNCell, LSTMCell, GRUCell: libtorch's numbers after manual_seed(0)") {
  tg::manual_seed(0);
  nn::RNNCell rnn(1, 2);
  auto input = tg::randn({3, 1});
  auto hx = tg::randn({3, 2});
  CHECK(close(rnn(input, hx), tg::tensor({{-0.5078, 0.4380}, {-0.7215, 0.2969}, {-0.1304, 0.0653}}),
              1e-5, 2e-4));
  CHECK(close(rnn(input), tg::tensor({{-0.0775, 0.6688}, {-0.0734, 0.4759}, {-0.0725, 0.4225}}),
              1e-5, 2e-4));

  tg::manual_seed(0);
  nn::LSTMCell lstm(1, 2);
  input = tg::randn({3, 1});
  hx = tg::randn({3, 2});
  auto cx = tg::randn({3, 2});
  auto [h, c] = lstm(input, std::make_tuple(hx, cx));
  CHECK(
      close(h, tg::tensor({{-0.2462, 0.0810}, {-0.2206, 0.1867}, {-0.0146, 0.0429}}), 1e-5, 2e-4));
  CHECK(
      close(c, tg::tensor({{-0.4480, 0.1071}, {-0.6245, 0.2687}, {-0.0322, 0.0518}}), 1e-5, 2e-4));
  auto [h0, c0] = lstm(input);
  CHECK(
      close(c0, tg::tensor({{-0.2679, 0.2180}, {-0.3049, 0.3493}, {-0.2896, 0.2853}}), 1e-5, 2e-4));

  tg::manual_seed(0);
  nn::GRUCell gru(1, 2);
  input = tg::randn({3, 1});
  hx = tg::randn({3, 2});
  CHECK(close(gru(input, hx), tg::tensor({{1.0243, 0.3227}, {-0.5659, 0.0330}, {-0.4030, -0.2800}}),
              1e-5, 2e-4));
  CHECK(close(gru(input), tg::tensor({{-0.0085, 0.1095}, {-0.1291, 0.2675}, {-0.1339, 0.2725}}),
              1e-5, 2e-4));

  auto names = lstm->named_parameters().keys();
  CHECK(names == std::vector<std::string>{"weight_ih", "weight_hh", "bias_ih", "bias_hh"});
  CHECK(lstm->weight_ih.sizes() == tg::IntArrayRef({8, 1}));
  CHECK(str(nn::RNNCell(nn::RNNCellOptions(20, 10).bias(false).nonlinearity(tg::kReLU))) ==
        "torch::nn::RNNCell(20, 10, bias=false, nonlinearity=kReLU)");
  CHECK(str(nn::RNNCell(nn::RNNCellOptions(20, 10).nonlinearity(tg::kTanh))) ==
        "torch::nn::RNNCell(20, 10)");
  CHECK(str(nn::LSTMCell(nn::LSTMCellOptions(20, 10).bias(false))) ==
        "torch::nn::LSTMCell(20, 10, bias=false)");
  CHECK(str(nn::GRUCell(20, 10)) == "torch::nn::GRUCell(20, 10)");
  CHECK(contains(error_of([&] {
                   gru(tg::ones({3, 2}));
                 }),
                 "input has inconsistent input_size: got 2 expected 1"));
  CHECK(contains(error_of([&] {
                   gru(input, tg::ones({3, 3}));
                 }),
                 "hidden has inconsistent hidden_size: got 3, expected 2"));
}

TEST_CASE("EmbeddingBag: sum, mean, max, padding, per_sample_weights, from_pretrained") {
  auto w = tg::tensor({{1., 2.3, 3.}, {4., 5.1, 6.3}});
  auto bag = nn::EmbeddingBag::from_pretrained(w);
  CHECK(close(bag(tg::tensor({{1, 0}}, tg::kLong)), tg::tensor({{2.5, 3.7, 4.65}})));
  auto weight = tg::arange(30.).view({10, 3});
  auto in = tg::tensor({1, 2, 4, 5, 4, 3, 2, 9}, tg::kLong);
  auto off = tg::tensor({0, 4}, tg::kLong);
  auto sum = F::embedding_bag(
      in, weight, F::EmbeddingBagFuncOptions().mode(tg::kSum).offsets(off).padding_idx(4));
  // rows 1 + 2 + 5 and 3 + 2 + 9 (4 skipped); row r = (3r, 3r+1, 3r+2)
  CHECK(close(sum, tg::tensor({{24., 27., 30.}, {42., 45., 48.}})));
  auto mean = F::embedding_bag(in, weight,
                               F::EmbeddingBagFuncOptions().offsets(off).padding_idx(4));  // kMean
  CHECK(close(mean, tg::tensor({{8., 9., 10.}, {14., 15., 16.}})));
  auto mx = F::embedding_bag(in.view({2, 4}), weight, F::EmbeddingBagFuncOptions().mode(tg::kMax));
  CHECK(close(mx, tg::tensor({{15., 16., 17.}, {27., 28., 29.}})));
  auto psw = tg::tensor({1., 0., 0., 0., 0., 0., 0., 2.});
  auto weighted = F::embedding_bag(
      in, weight, F::EmbeddingBagFuncOptions().mode(tg::kSum).offsets(off).per_sample_weights(psw));
  CHECK(close(weighted, tg::tensor({{3., 4., 5.}, {54., 56., 58.}})));
  // Empty bags (offsets 0, 0) are zero rows; include_last_offset drops the last offset's bag.
  auto empty_first = F::embedding_bag(in, weight,
                                      F::EmbeddingBagFuncOptions()
                                          .mode(tg::kSum)
                                          .offsets(tg::tensor({0, 0, 8}, tg::kLong))
                                          .include_last_offset(true));
  CHECK(close(empty_first, tg::tensor({{0., 0., 0.}, {90., 98., 106.}})));
  // Gradient: each row gets the bag's upstream gradient once per (non-padding) occurrence.
  auto wg = weight.clone().requires_grad_();
  F::embedding_bag(in, wg, F::EmbeddingBagFuncOptions().mode(tg::kSum).offsets(off).padding_idx(4))
      .sum()
      .backward();
  CHECK(close(wg.grad().select(1, 0), tg::tensor({0., 1., 2., 1., 0., 1., 0., 0., 0., 1.})));
  CHECK(contains(error_of([&] { F::embedding_bag(in, weight); }),
                 "offsets has to be a 1D Tensor but got null"));
  CHECK(contains(error_of([&] {
                   F::embedding_bag(
                       in, weight,
                       F::EmbeddingBagFuncOptions().offsets(off).per_sample_weights(psw));
                 }),
                 "per_sample_weights is only supported for mode='kSum' (got mode='kMean')"));
  CHECK(str(nn::EmbeddingBag(
            nn::EmbeddingBagOptions(10, 2).max_norm(2).mode(tg::kSum).padding_idx(5))) ==
        "torch::nn::EmbeddingBag(num_embeddings=10, embedding_dim=2, max_norm=2, mode=kSum, "
        "padding_idx=5)");
  auto [out, offset2bag, bag_size, max_idx] = tg::embedding_bag(weight, in, off);
  CHECK(tg::equal(offset2bag, tg::tensor({0, 0, 0, 0, 1, 1, 1, 1}, tg::kLong)));
  CHECK(tg::equal(bag_size, tg::tensor({4, 4}, tg::kLong)));
  CHECK(close(tg::embedding(weight, tg::tensor({9, 0}, tg::kLong)),
              tg::tensor({{27., 28., 29.}, {0., 1., 2.}})));
}

TEST_CASE("Unflatten, Tensor::unflatten and one_hot") {
  nn::Unflatten u(nn::UnflattenOptions(0, {2, 2}));
  CHECK(tg::equal(u(tg::tensor({1, 2, 3, 4})), tg::tensor({{1, 2}, {3, 4}})));
  CHECK(tg::arange(24).unflatten(0, {2, -1, 3}).sizes() == tg::IntArrayRef({2, 4, 3}));
  CHECK(tg::ones({2, 6}).unflatten(-1, {3, 2}).sizes() == tg::IntArrayRef({2, 3, 2}));
  CHECK(contains(error_of([&] {
                   tg::ones({2, 6}).unflatten(1, {4, 2});
                 }),
                 "unflatten: Provided sizes [4, 2] don't multiply up to the size of dim 1 (6)"));
  CHECK(str(nn::Unflatten(nn::UnflattenOptions(0, {2, 2}))) ==
        "torch::nn::Unflatten(dim=0, unflattened_size={2, 2})");
  CHECK(str(nn::Unflatten(
            nn::UnflattenOptions("B", {std::pair<std::string, int64_t>{"B1", 2}, {"B2", 2}}))) ==
        "torch::nn::Unflatten(dim=\"B\", unflattened_size={{\"B1\", 2}, {\"B2\", 2}})");

  auto oh = F::one_hot(tg::arange(0, 5, tg::kLong) % 3);
  CHECK(tg::equal(oh,
                  tg::tensor({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}}, tg::kLong)));
  CHECK(tg::one_hot(tg::tensor({1}, tg::kLong), 4).sizes() == tg::IntArrayRef({1, 4}));
  CHECK(contains(error_of([] { tg::one_hot(tg::tensor({-1}, tg::kLong)); }),
                 "Class values must be non-negative."));
  CHECK(contains(error_of([] { tg::one_hot(tg::tensor({3}, tg::kLong), 3); }),
                 "Class values must be smaller than num_classes."));
}
