#include "attention.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "../autograd/functions.hpp"
#include "dropout.hpp"
#include "functional.hpp"
#include "init.hpp"

namespace tg::nn {

MultiheadAttentionOptions::MultiheadAttentionOptions(int64_t embed_dim, int64_t num_heads)
    : embed_dim_(embed_dim), num_heads_(num_heads), kdim_(embed_dim), vdim_(embed_dim) {}

namespace functional {

MultiheadAttentionForwardFuncOptions::MultiheadAttentionForwardFuncOptions(
    int64_t embed_dim_to_check, int64_t num_heads, Tensor in_proj_weight, Tensor in_proj_bias,
    Tensor bias_k, Tensor bias_v, bool add_zero_attn, double dropout_p, Tensor out_proj_weight,
    Tensor out_proj_bias)
    : embed_dim_to_check_(embed_dim_to_check),
      num_heads_(num_heads),
      in_proj_weight_(std::move(in_proj_weight)),
      in_proj_bias_(std::move(in_proj_bias)),
      bias_k_(std::move(bias_k)),
      bias_v_(std::move(bias_v)),
      add_zero_attn_(add_zero_attn),
      dropout_p_(dropout_p),
      out_proj_weight_(std::move(out_proj_weight)),
      out_proj_bias_(std::move(out_proj_bias)) {}

namespace {
void check(bool ok, const std::string& what) {
  if (!ok) throw Error("multi_head_attention_forward: " + what);
}
// Rows [start, end) of a packed projection (weight or bias; an undefined bias stays undefined).
Tensor rows(const Tensor& t, int64_t start, int64_t end) {
  return t.defined() ? t.slice(0, start, end) : t;
}
// Appends one column of zeros (of the mask's dtype) to an (N, S) or (L, S) mask.
Tensor pad_column(const Tensor& mask) {
  if (!mask.defined()) return mask;
  return tg::cat({mask, tg::zeros({mask.size(0), 1}, TensorOptions(mask.scalar_type()))}, 1);
}
}  // namespace

std::tuple<Tensor, Tensor> multi_head_attention_forward(
    const Tensor& query, const Tensor& key, const Tensor& value,
    const MultiheadAttentionForwardFuncOptions& o) {
  check(query.dim() == 3, "query must be (L, N, E), got shape " + to_string(query.sizes()));
  const int64_t tgt_len = query.size(0), bsz = query.size(1), embed_dim = query.size(2);
  const int64_t num_heads = o.num_heads();
  check(embed_dim == o.embed_dim_to_check(), "query's embed_dim " + std::to_string(embed_dim) +
                                                 " is not embed_dim_to_check " +
                                                 std::to_string(o.embed_dim_to_check()));
  check(key.sizes() == value.sizes(), "key and value must have the same shape");
  const int64_t head_dim = embed_dim / num_heads;
  if (head_dim * num_heads != embed_dim) throw Error("embed_dim must be divisible by num_heads");
  const double scaling = 1 / std::sqrt(double(head_dim));

  // The in-projections: one packed (3E, E) weight, or three separate ones.
  Tensor q, k, v;
  const Tensor& w = o.in_proj_weight();
  const Tensor& b = o.in_proj_bias();
  if (!o.use_separate_proj_weight()) {
    if (query.equal(key) && key.equal(value)) {  // self-attention
      auto chunks = functional::linear(query, w, b).chunk(3, -1);
      q = chunks[0], k = chunks[1], v = chunks[2];
    } else if (key.equal(value)) {  // encoder-decoder attention
      q = functional::linear(query, rows(w, 0, embed_dim), rows(b, 0, embed_dim));
      auto chunks =
          functional::linear(key, w.slice(0, embed_dim), b.defined() ? b.slice(0, embed_dim) : b)
              .chunk(2, -1);
      k = chunks[0], v = chunks[1];
    } else {
      q = functional::linear(query, rows(w, 0, embed_dim), rows(b, 0, embed_dim));
      k = functional::linear(key, rows(w, embed_dim, 2 * embed_dim),
                             rows(b, embed_dim, 2 * embed_dim));
      v = functional::linear(value, w.slice(0, 2 * embed_dim),
                             b.defined() ? b.slice(0, 2 * embed_dim) : b);
    }
  } else {
    auto check_proj = [&](const Tensor& pw, const Tensor& x, const char* name) {
      check(pw.defined() && pw.dim() == 2 && pw.size(0) == embed_dim && pw.size(1) == x.size(-1),
            std::string(name) + " must be (embed_dim, features of its input)");
    };
    check_proj(o.q_proj_weight(), query, "q_proj_weight");
    check_proj(o.k_proj_weight(), key, "k_proj_weight");
    check_proj(o.v_proj_weight(), value, "v_proj_weight");
    q = functional::linear(query, o.q_proj_weight(), rows(b, 0, embed_dim));
    k = functional::linear(key, o.k_proj_weight(), rows(b, embed_dim, 2 * embed_dim));
    v = functional::linear(value, o.v_proj_weight(), b.defined() ? b.slice(0, 2 * embed_dim) : b);
  }
  q = q * scaling;

  Tensor attn_mask = o.attn_mask(), key_padding_mask = o.key_padding_mask();
  const Tensor &bias_k = o.bias_k(), &bias_v = o.bias_v();
  const Tensor &static_k = o.static_k(), &static_v = o.static_v();
  if (bias_k.defined() && bias_v.defined()) {
    if (!static_k.defined() && !static_v.defined()) {  // one more key/value position
      k = tg::cat({k, bias_k.repeat({1, bsz, 1})});
      v = tg::cat({v, bias_v.repeat({1, bsz, 1})});
      attn_mask = pad_column(attn_mask);
      key_padding_mask = pad_column(key_padding_mask);
    } else {
      if (static_k.defined()) throw Error("bias cannot be added to static key.");
      if (static_v.defined()) throw Error("bias cannot be added to static value.");
    }
  } else {
    check(!bias_k.defined() && !bias_v.defined(), "bias_k and bias_v must both be given");
  }
  // Heads: (L, N, E) -> (N * heads, L, head_dim).
  q = q.contiguous().view({tgt_len, bsz * num_heads, head_dim}).transpose(0, 1);
  k = k.contiguous().view({-1, bsz * num_heads, head_dim}).transpose(0, 1);
  v = v.contiguous().view({-1, bsz * num_heads, head_dim}).transpose(0, 1);
  if (static_k.defined()) {
    check(static_k.size(0) == bsz * num_heads && static_k.size(2) == head_dim,
          "static_k must be (N * num_heads, S, head_dim)");
    k = static_k;
  }
  if (static_v.defined()) {
    check(static_v.size(0) == bsz * num_heads && static_v.size(2) == head_dim,
          "static_v must be (N * num_heads, S, head_dim)");
    v = static_v;
  }
  int64_t src_len = k.size(1);
  if (key_padding_mask.defined())
    check(key_padding_mask.size(0) == bsz && key_padding_mask.size(1) == src_len,
          "key_padding_mask must be (N, S), got shape " + to_string(key_padding_mask.sizes()));
  if (o.add_zero_attn()) {  // one more key/value position of zeros
    src_len += 1;
    k = tg::cat({k, tg::zeros({k.size(0), 1, k.size(2)}, TensorOptions(k.scalar_type()))}, 1);
    v = tg::cat({v, tg::zeros({v.size(0), 1, v.size(2)}, TensorOptions(v.scalar_type()))}, 1);
    attn_mask = pad_column(attn_mask);
    key_padding_mask = pad_column(key_padding_mask);
  }
  // Scores (N * heads, L, S), masked, softmax over the keys.
  Tensor weights = q.bmm(k.transpose(1, 2));
  if (attn_mask.defined()) weights = weights + attn_mask.unsqueeze(0);
  if (key_padding_mask.defined()) {
    weights = weights.view({bsz, num_heads, tgt_len, src_len})
                  .masked_fill(key_padding_mask.unsqueeze(1).unsqueeze(2),
                               -std::numeric_limits<double>::infinity())
                  .view({bsz * num_heads, tgt_len, src_len});
  }
  weights = functional::softmax(weights, -1);
  weights = functional::dropout(
      weights, functional::DropoutFuncOptions().p(o.dropout_p()).training(o.training()));
  Tensor out = weights.bmm(v);  // (N * heads, L, head_dim)
  out = out.transpose(0, 1).contiguous().view({tgt_len, bsz, embed_dim});
  out = functional::linear(out, o.out_proj_weight(), o.out_proj_bias());
  if (!o.need_weights()) return {out, Tensor()};
  weights = weights.view({bsz, num_heads, tgt_len, src_len});
  if (o.average_attn_weights()) weights = weights.sum(1) / double(num_heads);
  return {out, weights};
}
}  // namespace functional

MultiheadAttentionImpl::MultiheadAttentionImpl(const MultiheadAttentionOptions& options_)
    : Cloneable("torch::nn::MultiheadAttention"), options(options_) {
  reset();
}
MultiheadAttentionImpl::MultiheadAttentionImpl(int64_t embed_dim, int64_t num_heads)
    : MultiheadAttentionImpl(MultiheadAttentionOptions(embed_dim, num_heads)) {}

void MultiheadAttentionImpl::reset() {
  const int64_t e = options.embed_dim();
  _qkv_same_embed_dim = options.kdim() == e && options.vdim() == e;
  head_dim = options.num_heads() ? e / options.num_heads() : 0;
  if (options.num_heads() <= 0 || head_dim * options.num_heads() != e)
    throw Error("embed_dim must be divisible by num_heads");
  if (!_qkv_same_embed_dim) {
    q_proj_weight = register_parameter("q_proj_weight", tg::empty({e, e}));
    k_proj_weight = register_parameter("k_proj_weight", tg::empty({e, options.kdim()}));
    v_proj_weight = register_parameter("v_proj_weight", tg::empty({e, options.vdim()}));
    register_parameter("in_proj_weight", Tensor(), /*requires_grad=*/false);
  } else {
    in_proj_weight = register_parameter("in_proj_weight", tg::empty({3 * e, e}));
    register_parameter("q_proj_weight", Tensor(), false);
    register_parameter("k_proj_weight", Tensor(), false);
    register_parameter("v_proj_weight", Tensor(), false);
  }
  if (options.bias())
    in_proj_bias = register_parameter("in_proj_bias", tg::empty({3 * e}));
  else
    register_parameter("in_proj_bias", Tensor(), false);
  out_proj = register_module("out_proj", Linear(LinearOptions(e, e).bias(options.bias())));
  if (options.add_bias_kv()) {
    bias_k = register_parameter("bias_k", tg::empty({1, 1, e}));
    bias_v = register_parameter("bias_v", tg::empty({1, 1, e}));
  } else {
    bias_k = Tensor();
    bias_v = Tensor();
  }
  _reset_parameters();
}

void MultiheadAttentionImpl::_reset_parameters() {
  if (_qkv_same_embed_dim) {
    init::xavier_uniform_(in_proj_weight);
  } else {
    init::xavier_uniform_(q_proj_weight);
    init::xavier_uniform_(k_proj_weight);
    init::xavier_uniform_(v_proj_weight);
  }
  if (in_proj_bias.defined()) {
    init::constant_(in_proj_bias, 0.);
    init::constant_(out_proj->bias, 0.);
  }
  if (bias_k.defined()) init::xavier_normal_(bias_k);
  if (bias_v.defined()) init::xavier_normal_(bias_v);
}

std::tuple<Tensor, Tensor> MultiheadAttentionImpl::forward(
    const Tensor& query, const Tensor& key, const Tensor& value, const Tensor& key_padding_mask,
    bool need_weights, const Tensor& attn_mask, bool average_attn_weights) {
  auto o = functional::MultiheadAttentionForwardFuncOptions(
               options.embed_dim(), options.num_heads(), in_proj_weight, in_proj_bias, bias_k,
               bias_v, options.add_zero_attn(), options.dropout(), out_proj->weight, out_proj->bias)
               .training(is_training())
               .key_padding_mask(key_padding_mask)
               .need_weights(need_weights)
               .attn_mask(attn_mask)
               .average_attn_weights(average_attn_weights);
  if (!_qkv_same_embed_dim)
    o.use_separate_proj_weight(true)
        .q_proj_weight(q_proj_weight)
        .k_proj_weight(k_proj_weight)
        .v_proj_weight(v_proj_weight);
  return functional::multi_head_attention_forward(query, key, value, o);
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<MultiheadAttentionImpl, Module>;
// forward()'s default arguments, for AnyModule and Sequential (any_value.hpp).
TG_FORWARD_DEFAULT_ARGS_DEFINED(MultiheadAttentionImpl, {3, AnyValue(Tensor())},
                                {4, AnyValue(true)}, {5, AnyValue(Tensor())}, {6, AnyValue(true)})

}  // namespace tg::nn
