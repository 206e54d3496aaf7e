// Transformer, TransformerEncoder(Layer) and TransformerDecoder(Layer): libtorch 1.13's
// torch::nn transformer modules (post-norm layers, sequence-first (S, N, E) tensors).
//
//   tg::nn::Transformer model(tg::nn::TransformerOptions(16, 4, 2, 2).dropout(0.0));
//   auto out = model(src, tgt);        // src (S, N, 16), tgt (T, N, 16) -> (T, N, 16)
//   auto mask = tg::nn::TransformerImpl::generate_square_subsequent_mask(T);  // -inf above
//   tg::nn::TransformerEncoderLayer layer(tg::nn::TransformerEncoderLayerOptions(16, 4)
//                                              .activation(tg::kGELU));
//   tg::nn::TransformerEncoder enc(tg::nn::TransformerEncoderOptions(layer, 6));  // 6 copies
#pragma once

#include <functional>
#include <type_traits>
#include <utility>

#include "attention.hpp"
#include "container.hpp"
#include "dropout.hpp"
#include "enum.hpp"
#include "linear.hpp"
#include "modulelist.hpp"
#include "normalization.hpp"

namespace tg::nn {

// libtorch's activation_t, c10::variant<kReLU, kGELU, std::function<Tensor(const Tensor&)>>:
// the layers' feed-forward activation, set as `.activation(tg::kGELU)` or
// `.activation([](const tg::Tensor& t) { ... })`. (tg::enumtype::variant holds only trivially
// copyable payloads, so this one is a class of its own.)
class activation_t {
 public:
  using function_type = std::function<Tensor(const Tensor&)>;
  activation_t(enumtype::kReLU) : index_(0) {}  // NOLINT: implicit
  activation_t(enumtype::kGELU) : index_(1) {}  // NOLINT: implicit
  template <class F, std::enable_if_t<std::is_constructible_v<function_type, F&&> &&
                                          !std::is_same_v<std::decay_t<F>, activation_t>,
                                      int> = 0>
  activation_t(F&& f) : index_(2), function_(std::forward<F>(f)) {}  // NOLINT: implicit
  size_t index() const noexcept { return index_; }
  template <class T>
  const T* get_if() const noexcept {
    if constexpr (std::is_same_v<T, enumtype::kReLU>)
      return index_ == 0 ? &enumtype::detail::tag<T> : nullptr;
    else if constexpr (std::is_same_v<T, enumtype::kGELU>)
      return index_ == 1 ? &enumtype::detail::tag<T> : nullptr;
    else
      return index_ == 2 ? &function_ : nullptr;
  }
  // Applies the activation (F::relu, F::gelu or the function).
  Tensor operator()(const Tensor& input) const;

 private:
  size_t index_;
  function_type function_;
};
template <class T>
const T* get_if(const activation_t* a) noexcept {
  return a ? a->template get_if<T>() : nullptr;
}

struct TransformerEncoderLayerOptions {
  /* implicit */ TransformerEncoderLayerOptions(int64_t d_model, int64_t nhead);  // NOLINT
  TG_ARG(int64_t, d_model);
  TG_ARG(int64_t, nhead);
  TG_ARG(int64_t, dim_feedforward) = 2048;
  TG_ARG(double, dropout) = 0.1;
  TG_ARG(activation_t, activation) = tg::kReLU;
};

struct TransformerDecoderLayerOptions {
  TransformerDecoderLayerOptions(int64_t d_model, int64_t nhead);
  TG_ARG(int64_t, d_model);
  TG_ARG(int64_t, nhead);
  TG_ARG(int64_t, dim_feedforward) = 2048;
  TG_ARG(double, dropout) = 0.1;
  TG_ARG(activation_t, activation) = tg::kReLU;
};

// src -> norm1(src + self_attn(src)) -> norm2(. + linear2(dropout(activation(linear1(.))))).
class TransformerEncoderLayerImpl : public Cloneable<TransformerEncoderLayerImpl> {
 public:
  TransformerEncoderLayerImpl(int64_t d_model, int64_t nhead);
  explicit TransformerEncoderLayerImpl(const TransformerEncoderLayerOptions& options_);
  // src (S, N, E); src_mask (S, S) added to the scores; src_key_padding_mask (N, S), true =
  // padding.
  Tensor forward(const Tensor& src, const Tensor& src_mask = {},
                 const Tensor& src_key_padding_mask = {});
  void reset() override;
  void reset_parameters();

  TransformerEncoderLayerOptions options;
  MultiheadAttention self_attn = nullptr;
  Linear linear1 = nullptr;
  Dropout dropout = nullptr;
  Linear linear2 = nullptr;
  LayerNorm norm1 = nullptr;
  LayerNorm norm2 = nullptr;
  Dropout dropout1 = nullptr;
  Dropout dropout2 = nullptr;
};
TG_MODULE(TransformerEncoderLayer);
extern template class detail::CloneableAs<TransformerEncoderLayerImpl, Module>;

// Self-attention, then attention over `memory` (the encoder's output), then the feed-forward
// block, each followed by dropout, a residual sum and a LayerNorm.
class TransformerDecoderLayerImpl : public Cloneable<TransformerDecoderLayerImpl> {
 public:
  TransformerDecoderLayerImpl(int64_t d_model, int64_t nhead);
  explicit TransformerDecoderLayerImpl(const TransformerDecoderLayerOptions& options_);
  Tensor forward(Tensor tgt, const Tensor& memory, const Tensor& tgt_mask = {},
                 const Tensor& memory_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {});
  void reset() override;
  void reset_parameters();

  TransformerDecoderLayerOptions options;
  MultiheadAttention self_attn = nullptr;
  MultiheadAttention multihead_attn = nullptr;
  Linear linear1 = nullptr;
  Dropout dropout = nullptr;
  Linear linear2 = nullptr;
  LayerNorm norm1 = nullptr;
  LayerNorm norm2 = nullptr;
  LayerNorm norm3 = nullptr;
  Dropout dropout1 = nullptr;
  Dropout dropout2 = nullptr;
  Dropout dropout3 = nullptr;

 protected:
  Tensor activation(const Tensor& input);
};
TG_MODULE(TransformerDecoderLayer);
extern template class detail::CloneableAs<TransformerDecoderLayerImpl, Module>;

struct TransformerEncoderOptions {
  // Keeps `encoder_layer` (the encoder holds num_layers clones of it).
  TransformerEncoderOptions(TransformerEncoderLayer encoder_layer, int64_t num_layers);
  // Builds a new layer from the options.
  TransformerEncoderOptions(const TransformerEncoderLayerOptions& encoder_layer_options,
                            int64_t num_layers);
  TG_ARG(TransformerEncoderLayer, encoder_layer) = nullptr;
  TG_ARG(int64_t, num_layers);
  TG_ARG(AnyModule, norm);  // applied to the last layer's output when set
};

struct TransformerDecoderOptions {
  TransformerDecoderOptions(TransformerDecoderLayer decoder_layer, int64_t num_layers);
  TransformerDecoderOptions(const TransformerDecoderLayerOptions& decoder_layer_options,
                            int64_t num_layers);
  TG_ARG(TransformerDecoderLayer, decoder_layer) = nullptr;
  TG_ARG(int64_t, num_layers);
  TG_ARG(AnyModule, norm);
};

class TransformerEncoderImpl : public Cloneable<TransformerEncoderImpl> {
 public:
  explicit TransformerEncoderImpl(TransformerEncoderOptions options_);
  Tensor forward(const Tensor& src, const Tensor& src_mask = {},
                 const Tensor& src_key_padding_mask = {});
  void reset() override;
  void reset_parameters();

  TransformerEncoderOptions options;
  ModuleList layers = nullptr;
  AnyModule norm;
};
TG_MODULE(TransformerEncoder);
extern template class detail::CloneableAs<TransformerEncoderImpl, Module>;

class TransformerDecoderImpl : public Cloneable<TransformerDecoderImpl> {
 public:
  explicit TransformerDecoderImpl(TransformerDecoderOptions options_);
  Tensor forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = {},
                 const Tensor& memory_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {});
  void reset() override;
  void reset_parameters();

  TransformerDecoderOptions options;
  ModuleList layers = nullptr;
  AnyModule norm;
};
TG_MODULE(TransformerDecoder);
extern template class detail::CloneableAs<TransformerDecoderImpl, Module>;

struct TransformerOptions {
  TransformerOptions() = default;
  TransformerOptions(int64_t d_model, int64_t nhead);
  TransformerOptions(int64_t d_model, int64_t nhead, int64_t num_encoder_layers,
                     int64_t num_decoder_layers);
  TG_ARG(int64_t, d_model) = 512;
  TG_ARG(int64_t, nhead) = 8;
  TG_ARG(int64_t, num_encoder_layers) = 6;
  TG_ARG(int64_t, num_decoder_layers) = 6;
  TG_ARG(int64_t, dim_feedforward) = 2048;
  TG_ARG(double, dropout) = 0.1;
  TG_ARG(activation_t, activation) = tg::kReLU;
  // A TransformerEncoder / TransformerDecoder used (cloned) instead of the default ones.
  TG_ARG(AnyModule, custom_encoder);
  TG_ARG(AnyModule, custom_decoder);
};

class TransformerImpl : public Cloneable<TransformerImpl> {
 public:
  explicit TransformerImpl(TransformerOptions options_);
  // src (S, N, E), tgt (T, N, E) -> (T, N, E).
  Tensor forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask = {},
                 const Tensor& tgt_mask = {}, const Tensor& memory_mask = {},
                 const Tensor& src_key_padding_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {});
  void reset() override;
  // Every parameter of more than one dimension ~ xavier_uniform_.
  void reset_parameters();
  // (sz, sz) float: 0 on and below the diagonal, -inf above.
  static Tensor generate_square_subsequent_mask(int64_t sz);

  TransformerOptions options;
  AnyModule encoder;
  AnyModule decoder;
};
TG_MODULE(Transformer);
extern template class detail::CloneableAs<TransformerImpl, Module>;

}  // namespace tg::nn
