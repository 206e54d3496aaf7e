#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// MultiheadAttention, the Transformer modules and AdaptiveLogSoftmaxWithLoss: values from
// PyTorch's own C++ tests (test/cpp/api/transformer.cpp: parameters set to cos(0, 1, ...)),
// attention against a hand-written reference, printing, errors. tests/compat/transformer.cpp
// holds the same-source rows against libtorch.

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using test::contains;
using test::error_of;
using tg::Tensor;
namespace nn = tg::nn;
namespace F = tg::nn::functional;

// PyTorch's set_parameter_to_constants: parameter p = cos(0, 1, ..., numel - 1).
template <class M>
void cos_params(M& model) {
  tg::NoGradGuard guard;
  for (auto& p : model->parameters()) {
    auto sz = p.view(-1).size(0);
    p.copy_(tg::cos(tg::arange(0, sz, tg::kFloat).view(p.sizes())));
  }
}

bool close(const Tensor& a, const Tensor& b) {
  return a.sizes() == b.sizes() && tg::allclose(a, b, 1e-7, 1e-5, /*equal_nan=*/true);
}

}  // namespace

TEST_CASE("MultiheadAttention: parameters, init, and a reference computation") {
  tg::manual_seed(0);
  nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(6, 2));
  auto names = mha->named_parameters();
  CHECK(names.contains("in_proj_weight"));
  CHECK(names.contains("in_proj_bias"));
  CHECK(names.contains("out_proj.weight"));
  CHECK_FALSE(names.contains("q_proj_weight"));  // registered undefined: not listed
  CHECK(mha->in_proj_bias.abs().sum().item<double>() == 0);
  const double bound = std::sqrt(6.0 / (6 + 18));  // xavier_uniform_ of (18, 6)
  CHECK(mha->in_proj_weight.abs().max().item<double>() <= bound);

  // Self-attention by hand: heads of q k^T / sqrt(d), softmax, times v, out_proj.
  auto x = tg::randn({3, 1, 6});
  auto [out, weights] = mha(x, x, x);
  auto qkv = F::linear(x.squeeze(1), mha->in_proj_weight, mha->in_proj_bias);  // (3, 18)
  std::vector<Tensor> heads;
  Tensor avg;
  for (int h = 0; h < 2; ++h) {
    auto q = qkv.slice(1, 3 * h, 3 * h + 3), k = qkv.slice(1, 6 + 3 * h, 6 + 3 * h + 3),
         v = qkv.slice(1, 12 + 3 * h, 12 + 3 * h + 3);
    auto w = (q.matmul(k.t()) / std::sqrt(3.0)).softmax(-1);
    heads.push_back(w.matmul(v));
    avg = avg.defined() ? avg + w / 2 : w / 2;
  }
  auto ref = F::linear(tg::cat(heads, 1), mha->out_proj->weight, mha->out_proj->bias);
  CHECK(tg::allclose(out.squeeze(1), ref, 1e-5, 1e-6));
  CHECK(tg::allclose(weights.squeeze(0), avg, 1e-5, 1e-6));

  // kdim/vdim: separate projections.
  nn::MultiheadAttention sep(nn::MultiheadAttentionOptions(4, 2).kdim(3).vdim(3).add_bias_kv(true));
  CHECK_FALSE(sep->_qkv_same_embed_dim);
  CHECK(sep->named_parameters().contains("k_proj_weight"));
  CHECK(sep->bias_k.sizes() == tg::IntArrayRef({1, 1, 4}));
  auto [o2, w2] = sep(tg::randn({2, 3, 4}), tg::randn({5, 3, 3}), tg::randn({5, 3, 3}));
  CHECK(o2.sizes() == tg::IntArrayRef({2, 3, 4}));
  CHECK(w2.sizes() == tg::IntArrayRef({3, 2, 6}));  // one more key: bias_k
}

TEST_CASE("MultiheadAttention: masks, static keys, errors, printing") {
  nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2));
  auto x = tg::randn({3, 2, 4});
  auto kpm = tg::zeros({2, 3}, tg::kBool);
  kpm.index_put_({0, 2}, true);
  auto [out, w] = mha(x, x, x, kpm, true, Tensor(), /*average_attn_weights=*/false);
  CHECK(w.sizes() == tg::IntArrayRef({2, 2, 3, 3}));
  CHECK(w.select(0, 0).select(2, 2).abs().sum().item<double>() == 0);  // masked key: weight 0
  CHECK(tg::allclose(w.sum(-1), tg::ones({2, 2, 3})));
  auto [o2, w2] = mha(x, x, x, Tensor(), /*need_weights=*/false);
  CHECK_FALSE(w2.defined());

  nn::MultiheadAttention kv(nn::MultiheadAttentionOptions(4, 2).add_bias_kv(true));
  auto opts = F::MultiheadAttentionForwardFuncOptions(4, 2, kv->in_proj_weight, kv->in_proj_bias,
                                                      kv->bias_k, kv->bias_v, false, 0.0,
                                                      kv->out_proj->weight, kv->out_proj->bias)
                  .static_k(tg::randn({4, 3, 2}));
  CHECK(contains(error_of([&] { F::multi_head_attention_forward(x, x, x, opts); }),
                 "bias cannot be added to static key"));
  CHECK(contains(error_of([] { nn::MultiheadAttention(5, 2); }),
                 "embed_dim must be divisible by num_heads"));

  std::ostringstream s;
  s << nn::MultiheadAttention(nn::MultiheadAttentionOptions(20, 10).bias(false));
  CHECK(s.str() ==
        "torch::nn::MultiheadAttention(\n  (out_proj): torch::nn::Linear(in_features=20, "
        "out_features=20, bias=false)\n)");
}

TEST_CASE("TransformerEncoderLayer and TransformerEncoder: PyTorch's reference values") {
  nn::TransformerEncoderLayer layer(
      nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(16).dropout(0.0));
  cos_params(layer);
  auto x = tg::tensor({{{20.f, 30.f, 40.f, 50.f}}});
  CHECK(close(layer(x), tg::tensor({{{2.258703f, 0.127985f, -0.697881f, 0.170862f}}})));
  auto all_masked = tg::tensor({{1}}) == 1;
  CHECK(tg::isnan(layer(x, Tensor(), all_masked)).all().item<bool>());
  auto x2 = tg::tensor({{{1.f, 2.f, 3.f, 4.f}}, {{5.f, 6.f, 7.f, 8.f}}});
  auto mask = tg::tensor({{1, 0}}) == 1;
  CHECK(close(layer(x2, Tensor(), mask),
              tg::tensor({{{2.301516f, 0.092249f, -0.679101f, 0.103088f}},
                          {{2.301516f, 0.092249f, -0.679101f, 0.103088f}}})));
  layer->options.activation(tg::kGELU);
  CHECK(close(layer(x), tg::tensor({{{2.249815f, 0.131006f, -0.702199f, 0.177868f}}})));
  layer->options.activation([](const Tensor& t) { return F::relu(t); });
  CHECK(close(layer(x), tg::tensor({{{2.258703f, 0.127985f, -0.697881f, 0.170862f}}})));

  // The encoder holds copies: changing the layer afterwards leaves it alone.
  nn::TransformerEncoder enc(nn::TransformerEncoderOptions(layer, 2));
  CHECK(enc->layers->size() == 2);
  CHECK(enc->named_parameters().size() == 2 * layer->named_parameters().size());
  {
    tg::NoGradGuard g;
    layer->linear1->weight.fill_(0);
  }
  CHECK(enc->layers->at<nn::TransformerEncoderLayerImpl>(0)
            .linear1->weight.abs()
            .sum()
            .item<double>() > 0);
}

TEST_CASE("TransformerDecoder and Transformer: PyTorch's reference values") {
  nn::TransformerDecoderLayer layer(
      nn::TransformerDecoderLayerOptions(4, 2).dim_feedforward(16).dropout(0.0));
  cos_params(layer);
  nn::TransformerDecoder dec(nn::TransformerDecoderOptions(layer, 1));
  auto tgt = tg::tensor({{{20.f, 30.f, 40.f, 50.f}}}),
       memory = tg::tensor({{{60.f, 70.f, 80.f, 90.f}}});
  CHECK(close(dec(tgt, memory), tg::tensor({{{2.314351f, 0.094805f, -0.671322f, 0.101977f}}})));

  auto model = nn::Transformer(nn::TransformerOptions()
                                   .d_model(4)
                                   .nhead(2)
                                   .num_encoder_layers(2)
                                   .num_decoder_layers(1)
                                   .dim_feedforward(16)
                                   .dropout(0.0));
  cos_params(model);
  auto src = tg::tensor({{{1.f, 2.f, 3.f, 4.f}, {5.f, 6.f, 7.f, 8.f}},
                         {{9.f, 10.f, 11.f, 12.f}, {13.f, 14.f, 15.f, 16.f}},
                         {{17.f, 18.f, 19.f, 20.f}, {21.f, 22.f, 23.f, 24.f}}});
  auto t = tg::tensor({{{1.f, 2.f, 3.f, 4.f}, {5.f, 6.f, 7.f, 8.f}},
                       {{9.f, 10.f, 11.f, 12.f}, {13.f, 14.f, 15.f, 16.f}}});
  auto ref = tg::tensor({{{2.695875f, 0.347114f, -0.044355f, -0.549541f},
                          {2.696091f, 0.347015f, -0.044770f, -0.548522f}},
                         {{2.695875f, 0.347114f, -0.044355f, -0.549541f},
                          {2.696091f, 0.347015f, -0.044770f, -0.548522f}}});
  CHECK(close(model(src, t), ref));
  auto src_mask = nn::TransformerImpl::generate_square_subsequent_mask(3);
  CHECK(close(model(src, t, src_mask), ref));
  CHECK(src_mask.equal(
      tg::tensor({{0.f, -INFINITY, -INFINITY}, {0.f, 0.f, -INFINITY}, {0.f, 0.f, 0.f}})));

  CHECK(contains(error_of([&] {
                   model(tg::randn({2, 3, 4}), tg::randn({3, 2, 4}));
                 }),
                 "src and tgt should have equal batch size"));
  CHECK(contains(error_of([&] {
                   model(tg::randn({2, 3, 4}), tg::randn({2, 3, 3}));
                 }),
                 "src and tgt should have same feature size as d_model"));
  CHECK(contains(error_of([&] {
                   model(tg::randn({2, 3}), tg::randn({2, 3, 3}));
                 }),
                 "src and tgt should have 3 dimensions"));
}

TEST_CASE("Transformer modules print as libtorch's") {
  std::ostringstream s;
  s << nn::TransformerEncoderLayer(4, 2);
  CHECK(s.str() ==
        "torch::nn::TransformerEncoderLayerImpl(\n"
        "  (self_attn): torch::nn::MultiheadAttention(\n"
        "    (out_proj): torch::nn::Linear(in_features=4, out_features=4, bias=true)\n"
        "  )\n"
        "  (linear1): torch::nn::Linear(in_features=4, out_features=2048, bias=true)\n"
        "  (dropout): torch::nn::Dropout(p=0.1, inplace=false)\n"
        "  (linear2): torch::nn::Linear(in_features=2048, out_features=4, bias=true)\n"
        "  (norm1): torch::nn::LayerNorm([4], eps=1e-05, elementwise_affine=true)\n"
        "  (norm2): torch::nn::LayerNorm([4], eps=1e-05, elementwise_affine=true)\n"
        "  (dropout1): torch::nn::Dropout(p=0.1, inplace=false)\n"
        "  (dropout2): torch::nn::Dropout(p=0.1, inplace=false)\n"
        ")");
}

TEST_CASE("AdaptiveLogSoftmaxWithLoss") {
  nn::AdaptiveLogSoftmaxWithLoss asfm(
      nn::AdaptiveLogSoftmaxWithLossOptions(8, 10, {4, 8}).div_value(2.).head_bias(true));
  auto x = tg::randn({16, 8});
  auto lp = asfm->log_prob(x);
  CHECK(lp.sizes() == tg::IntArrayRef({16, 10}));
  CHECK(tg::allclose(tg::exp(lp).data().sum(1), tg::ones({16})));  // PyTorch's test's form
  CHECK_FALSE(lp.data().requires_grad());
  CHECK(asfm->predict(x).equal(lp.argmax(1)));
  auto y = tg::tensor({0, 3, 4, 7, 8, 9, 1, 5, 6, 2, 9, 8, 0, 4, 5, 7}, tg::kLong);
  auto out = asfm(x, y);
  auto want = lp.gather(1, y.unsqueeze(1)).squeeze(1);
  CHECK(tg::allclose(out.output, want, 1e-5, 1e-6));
  CHECK(out.loss == doctest::Approx(-want.mean().item<double>()).epsilon(1e-5));
  out.output.sum().backward();
  CHECK(asfm->head->weight.grad().defined());
  CHECK(contains(error_of([&] { asfm(x, tg::full({16}, 10, tg::kLong)); }),
                 "Target values should be in [0, 9]"));
  CHECK(contains(
      error_of([] {
        nn::AdaptiveLogSoftmaxWithLoss(nn::AdaptiveLogSoftmaxWithLossOptions(8, 10, {4, 4}));
      }),
      "cutoffs should be a sequence of unique, positive integers"));
  std::ostringstream s;
  s << nn::AdaptiveLogSoftmaxWithLoss(
      nn::AdaptiveLogSoftmaxWithLossOptions(8, 4, {2}).div_value(2.));
  CHECK(s.str() ==
        "torch::nn::AdaptiveLogSoftmaxWithLoss(\n"
        "  (head): torch::nn::Linear(in_features=8, out_features=3, bias=false)\n"
        "  (tail): torch::nn::ModuleList(\n"
        "    (0): torch::nn::Sequential(\n"
        "      (0): torch::nn::Linear(in_features=8, out_features=4, bias=false)\n"
        "      (1): torch::nn::Linear(in_features=4, out_features=2, bias=false)\n"
        "    )\n"
        "  )\n"
        ")");
}

TEST_CASE("allclose: equal_nan and infinities (PyTorch's isclose)") {
  auto a = tg::tensor({1.f, NAN, INFINITY}), b = tg::tensor({1.f, NAN, INFINITY});
  CHECK_FALSE(tg::allclose(a, b));
  CHECK(tg::allclose(a, b, 1e-5, 1e-8, /*equal_nan=*/true));
  CHECK(a.allclose(b, 1e-5, 1e-8, true));
  CHECK_FALSE(tg::allclose(tg::tensor({INFINITY}), tg::tensor({-INFINITY})));
  CHECK_FALSE(tg::allclose(tg::tensor({INFINITY}), tg::tensor({1e300}, tg::kDouble)));
}

TEST_CASE("Tensor: assigning to a temporary writes through it (libtorch's rvalue operator=)") {
  auto m = tg::zeros({2, 3});
  m[0][1] = 1;                         // fill_
  m[1] = tg::tensor({4.f, 5.f, 6.f});  // copy_
  CHECK(m.equal(tg::tensor({{0.f, 1.f, 0.f}, {4.f, 5.f, 6.f}})));
  auto a = tg::ones({2});
  auto b = a;
  b = tg::zeros({2});  // a named tensor rebinds: a keeps its values
  CHECK(a.equal(tg::ones({2})));
  b.reset();
  CHECK_FALSE(b.defined());
}
