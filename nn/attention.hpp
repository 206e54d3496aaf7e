// MultiheadAttention and F::multi_head_attention_forward, libtorch 1.13's torch::nn ones.
// Inputs are sequence-first: query (L, N, E), key (S, N, kdim), value (S, N, vdim); the result
// is (attn_output (L, N, E), attn_weights (N, L, S), or (N, heads, L, S) when
// average_attn_weights is false, undefined when need_weights is false).
//
//   tg::nn::MultiheadAttention attn(tg::nn::MultiheadAttentionOptions(8, 2).dropout(0.1));
//   auto [out, weights] = attn(q, k, v);
//   std::cout << attn;   // torch::nn::MultiheadAttention(\n  (out_proj): ...Linear(...)\n)
#pragma once

#include <cstdint>
#include <tuple>

#include "cloneable.hpp"
#include "linear.hpp"
#include "module.hpp"

namespace tg::nn {

struct MultiheadAttentionOptions {
  // kdim and vdim default to embed_dim.
  MultiheadAttentionOptions(int64_t embed_dim, int64_t num_heads);
  TG_ARG(int64_t, embed_dim);
  TG_ARG(int64_t, num_heads);
  TG_ARG(double, dropout) = 0.0;
  TG_ARG(bool, bias) = true;
  TG_ARG(bool, add_bias_kv) = false;
  TG_ARG(bool, add_zero_attn) = false;
  TG_ARG(int64_t, kdim);
  TG_ARG(int64_t, vdim);
};

namespace functional {
struct MultiheadAttentionForwardFuncOptions {
  MultiheadAttentionForwardFuncOptions(int64_t embed_dim_to_check, int64_t num_heads,
                                       Tensor in_proj_weight, Tensor in_proj_bias, Tensor bias_k,
                                       Tensor bias_v, bool add_zero_attn, double dropout_p,
                                       Tensor out_proj_weight, Tensor out_proj_bias);
  TG_ARG(int64_t, embed_dim_to_check);
  TG_ARG(int64_t, num_heads);
  TG_ARG(Tensor, in_proj_weight);
  TG_ARG(Tensor, in_proj_bias);
  TG_ARG(Tensor, bias_k);
  TG_ARG(Tensor, bias_v);
  TG_ARG(bool, add_zero_attn);
  TG_ARG(double, dropout_p);
  TG_ARG(Tensor, out_proj_weight);
  TG_ARG(Tensor, out_proj_bias);
  TG_ARG(bool, training) = true;
  TG_ARG(Tensor, key_padding_mask) = {};  // (N, S), true = ignore that key
  TG_ARG(bool, need_weights) = true;
  TG_ARG(Tensor, attn_mask) = {};  // (L, S), added to the scores
  TG_ARG(bool, use_separate_proj_weight) = false;
  TG_ARG(Tensor, q_proj_weight) = {};
  TG_ARG(Tensor, k_proj_weight) = {};
  TG_ARG(Tensor, v_proj_weight) = {};
  TG_ARG(Tensor, static_k) = {};  // (N * heads, S, head_dim), replaces the projected key
  TG_ARG(Tensor, static_v) = {};
  TG_ARG(bool, average_attn_weights) = true;
};

std::tuple<Tensor, Tensor> multi_head_attention_forward(
    const Tensor& query, const Tensor& key, const Tensor& value,
    const MultiheadAttentionForwardFuncOptions& options);
}  // namespace functional

class MultiheadAttentionImpl : public Cloneable<MultiheadAttentionImpl> {
 public:
  MultiheadAttentionImpl(int64_t embed_dim, int64_t num_heads);
  explicit MultiheadAttentionImpl(const MultiheadAttentionOptions& options_);

  std::tuple<Tensor, Tensor> forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                     const Tensor& key_padding_mask = {}, bool need_weights = true,
                                     const Tensor& attn_mask = {},
                                     bool average_attn_weights = true);
  // Registers in_proj_weight (or q/k/v_proj_weight when kdim or vdim differs from embed_dim),
  // in_proj_bias, out_proj, bias_k and bias_v, then _reset_parameters().
  void reset() override;
  // Projection weights ~ xavier_uniform_, biases 0, bias_k and bias_v ~ xavier_normal_.
  void _reset_parameters();

  MultiheadAttentionOptions options;
  bool _qkv_same_embed_dim = true;
  Tensor in_proj_weight;
  Tensor in_proj_bias;
  Tensor bias_k;
  Tensor bias_v;
  Linear out_proj = nullptr;
  Tensor q_proj_weight;
  Tensor k_proj_weight;
  Tensor v_proj_weight;
  int64_t head_dim = 0;

 protected:
  TG_FORWARD_DEFAULT_ARGS_DECLARED  // {3, AnyValue(Tensor())}, {4, AnyValue(true)}, {5,
                                    // AnyValue(Tensor())}, {6, AnyValue(true)} (in the .cpp)
};
TG_MODULE(MultiheadAttention);
extern template class detail::CloneableAs<MultiheadAttentionImpl, Module>;

}  // namespace tg::nn
