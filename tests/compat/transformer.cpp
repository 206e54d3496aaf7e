// MultiheadAttention, the Transformer modules and AdaptiveLogSoftmaxWithLoss, written once as
// libtorch code: in float64 with fixed det() parameters, outputs and the gradients of the inputs
// and of every parameter; after torch::manual_seed, the default initialisation (float32 rows:
// libtorch's draws, clones of layers included); and what `std::cout << module` prints.
#include <sstream>

#include "common.hpp"

namespace nn = torch::nn;
namespace F = torch::nn::functional;

template <class M>
static std::vector<Tensor> with_params(std::vector<Tensor> leaves, M& module) {
  for (auto& p : module->parameters()) leaves.push_back(p);
  return leaves;
}

template <class M>
static void emit_printed(const std::string& name, const M& module) {
  std::ostringstream s;
  s << module;
  emit_text(name, s.str());
}

// Every parameter, by name, as float32 rows (default initialisation after manual_seed).
template <class M>
static void emit_params(const std::string& name, M& module) {
  for (auto& p : module->named_parameters()) emit("float32/" + name + "/" + p.key(), p.value());
}

// A (S, N) padding mask with a few positions set, never a whole row.
static Tensor padding(int64_t n, int64_t s) {
  auto m = torch::zeros({n, s}, torch::kBool);
  m.index_put_({0, s - 1}, true);
  if (n > 1) m.index_put_({1, 0}, true);
  return m;
}

int main() {
  section("mha_self", [](auto n) {
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(6, 2));
    fix_params(mha);
    auto x = leaf({4, 2, 6}, 1.0, 0.2);
    auto out = mha(x, x, x);
    check_list(n, {std::get<0>(out), std::get<1>(out)}, with_params({x}, mha));
  });
  section("mha_cross_masks", [](auto n) {
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(6, 3));
    fix_params(mha);
    auto q = leaf({3, 2, 6}, 1.0, 0.4), kv = leaf({5, 2, 6}, 1.0, 1.3);
    auto attn_mask = det({3, 5}, 0.5, 0.7).to(torch::kDouble);
    auto out = mha(q, kv, kv, padding(2, 5), true, attn_mask, /*average_attn_weights=*/false);
    check_list(n, {std::get<0>(out), std::get<1>(out)}, with_params({q, kv}, mha));
  });
  section("mha_qkv_distinct", [](auto n) {
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2));
    fix_params(mha);
    auto q = leaf({2, 3, 4}, 1.0, 0.1), k = leaf({3, 3, 4}, 1.0, 0.8),
         v = leaf({3, 3, 4}, 1.0, 2.1);
    auto out = mha(q, k, v, Tensor(), /*need_weights=*/false);
    check(n, std::get<0>(out), with_params({q, k, v}, mha));
    emit(n + "/weights_defined", torch::tensor({std::get<1>(out).defined() ? 1.0 : 0.0}));
  });
  section("mha_kdim_vdim_bias_kv_zero_attn", [](auto n) {
    nn::MultiheadAttention mha(
        nn::MultiheadAttentionOptions(6, 2).kdim(3).vdim(3).add_bias_kv(true).add_zero_attn(true));
    fix_params(mha);
    auto q = leaf({3, 2, 6}, 1.0, 0.4), k = leaf({4, 2, 3}, 1.0, 1.1),
         v = leaf({4, 2, 3}, 1.0, 1.9);
    auto attn_mask = det({3, 4}, 0.5, 0.2).to(torch::kDouble);
    auto out = mha(q, k, v, padding(2, 4), true, attn_mask);
    check_list(n, {std::get<0>(out), std::get<1>(out)}, with_params({q, k, v}, mha));
  });
  section("mha_no_bias", [](auto n) {
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 4).bias(false));
    fix_params(mha);
    auto x = leaf({3, 1, 4}, 1.0, 0.6);
    auto out = mha(x, x, x);
    check_list(n, {std::get<0>(out), std::get<1>(out)}, with_params({x}, mha));
  });
  section("F_mha_static_kv", [](auto n) {
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2));
    fix_params(mha);
    auto q = leaf({2, 3, 4}, 1.0, 0.5), k = leaf({5, 3, 4}, 1.0, 0.9);
    auto sk = leaf({6, 5, 2}, 1.0, 1.4), sv = leaf({6, 5, 2}, 1.0, 2.2);
    auto out =
        F::multi_head_attention_forward(q, k, k,
                                        F::MultiheadAttentionForwardFuncOptions(
                                            4, 2, mha->in_proj_weight, mha->in_proj_bias, {}, {},
                                            false, 0.0, mha->out_proj->weight, mha->out_proj->bias)
                                            .static_k(sk)
                                            .static_v(sv));
    check_list(n, {std::get<0>(out), std::get<1>(out)}, {q, sk, sv});
  });
  section("mha_init_seeded", [](auto n) {
    torch::manual_seed(7);
    nn::MultiheadAttention a(nn::MultiheadAttentionOptions(4, 2).add_bias_kv(true));
    emit_params(n + "/a", a);
    nn::MultiheadAttention b(nn::MultiheadAttentionOptions(4, 2).kdim(3).vdim(2));
    emit_params(n + "/b", b);
  });
  section("mha_dropout_seeded", [](auto n) {
    torch::manual_seed(3);
    nn::MultiheadAttention mha(nn::MultiheadAttentionOptions(4, 2).dropout(0.5));
    auto x = torch::randn({3, 2, 4});
    auto out = mha(x, x, x);
    emit("float32/" + n + "/out", std::get<0>(out));
    emit("float32/" + n + "/weights", std::get<1>(out));
  });

  for (bool gelu : {false, true}) {
    const std::string act = gelu ? "_gelu" : "_relu";
    section("encoder_layer" + act, [gelu](auto n) {
      auto o = nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(8).dropout(0.0);
      if (gelu) o.activation(torch::kGELU);
      nn::TransformerEncoderLayer layer(o);
      fix_params(layer);
      auto x = leaf({3, 2, 4}, 1.0, 0.3);
      auto mask = nn::TransformerImpl::generate_square_subsequent_mask(3).to(torch::kDouble);
      check(n, layer(x, mask, padding(2, 3)), with_params({x}, layer));
    });
    section("decoder_layer" + act, [gelu](auto n) {
      auto o = nn::TransformerDecoderLayerOptions(4, 2).dim_feedforward(8).dropout(0.0);
      if (gelu) o.activation(torch::kGELU);
      nn::TransformerDecoderLayer layer(o);
      fix_params(layer);
      auto tgt = leaf({3, 2, 4}, 1.0, 0.3), memory = leaf({5, 2, 4}, 1.0, 1.7);
      auto mask = nn::TransformerImpl::generate_square_subsequent_mask(3).to(torch::kDouble);
      check(n, layer(tgt, memory, mask, Tensor(), Tensor(), padding(2, 5)),
            with_params({tgt, memory}, layer));
    });
  }
  section("encoder_layer_callable", [](auto n) {
    nn::TransformerEncoderLayer layer(
        nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(6).dropout(0.0).activation(
            [](const Tensor& t) { return torch::tanh(t) * 2; }));
    fix_params(layer);
    auto x = leaf({2, 3, 4}, 1.0, 0.9);
    check(n, layer(x), with_params({x}, layer));
  });
  section("encoder_decoder_stack", [](auto n) {
    nn::TransformerEncoderLayer el(
        nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(8).dropout(0.0));
    nn::TransformerEncoder enc(nn::TransformerEncoderOptions(el, 2).norm(
        nn::AnyModule(nn::LayerNorm(nn::LayerNormOptions({4})))));
    fix_params(enc);
    nn::TransformerDecoder dec(nn::TransformerDecoderOptions(
        nn::TransformerDecoderLayerOptions(4, 2).dim_feedforward(8).dropout(0.0), 2));
    fix_params(dec);
    auto src = leaf({3, 2, 4}, 1.0, 0.2), tgt = leaf({2, 2, 4}, 1.0, 1.2);
    auto memory = enc(src, Tensor(), padding(2, 3));
    auto out = dec(tgt, memory);
    auto leaves = with_params({src, tgt}, enc);
    for (auto& p : dec->parameters()) leaves.push_back(p);
    check_list(n, {memory, out}, leaves);
  });
  section("transformer", [](auto n) {
    nn::Transformer model(nn::TransformerOptions(4, 2, 2, 1).dim_feedforward(8).dropout(0.0));
    fix_params(model);
    auto src = leaf({3, 2, 4}, 1.0, 0.2), tgt = leaf({2, 2, 4}, 1.0, 1.2);
    auto tgt_mask = nn::TransformerImpl::generate_square_subsequent_mask(2).to(torch::kDouble);
    check(n, model(src, tgt, Tensor(), tgt_mask, Tensor(), padding(2, 3), Tensor(), padding(2, 3)),
          with_params({src, tgt}, model));
  });
  section("transformer_init_seeded", [](auto n) {
    torch::manual_seed(11);
    nn::Transformer model(nn::TransformerOptions(4, 2, 2, 1).dim_feedforward(6));
    emit_params(n, model);
    emit("float32/" + n + "/after", torch::rand({4}));  // the generator's state after the clones
    nn::TransformerEncoder enc(nn::TransformerEncoderOptions(
        nn::TransformerEncoderLayerOptions(4, 2).dim_feedforward(3), 2));
    emit_params(n + "/enc", enc);
    nn::Transformer custom(nn::TransformerOptions(4, 2)
                               .custom_encoder(nn::AnyModule(enc))
                               .num_decoder_layers(1)
                               .dim_feedforward(3));
    emit_params(n + "/custom", custom);
    emit("float32/" + n + "/after2", torch::rand({4}));
  });
  section("square_subsequent_mask",
          [](auto n) { emit(n, nn::TransformerImpl::generate_square_subsequent_mask(4).eq(0)); });

  section("asm_forward", [](auto n) {
    nn::AdaptiveLogSoftmaxWithLoss asfm(
        nn::AdaptiveLogSoftmaxWithLossOptions(6, 10, {3, 7}).div_value(2.).head_bias(true));
    fix_params(asfm);
    auto x = leaf({5, 6}, 1.0, 0.3);
    auto y = torch::tensor({0, 8, 4, 2, 9}, torch::kLong);
    auto out = asfm(x, y);
    emit(n + "/loss", torch::tensor({out.loss}, torch::kDouble));
    check(n, out.output, with_params({x}, asfm));
  });
  section("asm_log_prob_predict", [](auto n) {
    nn::AdaptiveLogSoftmaxWithLoss asfm(
        nn::AdaptiveLogSoftmaxWithLossOptions(6, 9, {2, 5}).div_value(1.5));
    fix_params(asfm);
    auto x = leaf({4, 6}, 2.0, 0.8);
    check(n + "/log_prob", asfm->log_prob(x), with_params({x}, asfm));
    emit(n + "/predict", asfm->predict(x.detach()));
    emit(n + "/unbatched", asfm(x.detach()[1], torch::tensor(6, torch::kLong)).output);
  });
  section("asm_init_seeded", [](auto n) {
    torch::manual_seed(5);
    nn::AdaptiveLogSoftmaxWithLoss asfm(
        nn::AdaptiveLogSoftmaxWithLossOptions(8, 10, {4, 8}).div_value(2.));
    emit_params(n, asfm);
  });

  section("printed", [](auto n) {
    emit_printed(n + "/mha",
                 nn::MultiheadAttention(nn::MultiheadAttentionOptions(8, 2).bias(false)));
    emit_printed(n + "/encoder_layer", nn::TransformerEncoderLayer(4, 2));
    emit_printed(n + "/decoder_layer", nn::TransformerDecoderLayer(4, 2));
    emit_printed(n + "/encoder",
                 nn::TransformerEncoder(
                     nn::TransformerEncoderOptions(nn::TransformerEncoderLayerOptions(4, 2), 1)
                         .norm(nn::AnyModule(nn::LayerNorm(nn::LayerNormOptions({4}))))));
    emit_printed(n + "/transformer",
                 nn::Transformer(nn::TransformerOptions(4, 2, 1, 1).dim_feedforward(8)));
    emit_printed(n + "/asm",
                 nn::AdaptiveLogSoftmaxWithLoss(
                     nn::AdaptiveLogSoftmaxWithLossOptions(8, 10, {4, 8}).div_value(2.)));
  });
  return 0;
}
