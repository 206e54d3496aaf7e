#include "transformer.hpp"

#include <limits>
#include <string>

#include "../autograd/functions.hpp"
#include "activation.hpp"
#include "functional.hpp"
#include "init.hpp"

namespace tg::nn {

Tensor activation_t::operator()(const Tensor& input) const {
  switch (index_) {
    case 0:
      return functional::relu(input);
    case 1:
      return functional::gelu(input);
    default:
      if (!function_) throw Error("activation should be kGELU, kReLU, or a callable");
      return function_(input);
  }
}

TransformerEncoderLayerOptions::TransformerEncoderLayerOptions(int64_t d_model, int64_t nhead)
    : d_model_(d_model), nhead_(nhead) {}
TransformerDecoderLayerOptions::TransformerDecoderLayerOptions(int64_t d_model, int64_t nhead)
    : d_model_(d_model), nhead_(nhead) {}
TransformerEncoderOptions::TransformerEncoderOptions(TransformerEncoderLayer encoder_layer,
                                                     int64_t num_layers)
    : encoder_layer_(std::move(encoder_layer)), num_layers_(num_layers) {}
TransformerEncoderOptions::TransformerEncoderOptions(
    const TransformerEncoderLayerOptions& encoder_layer_options, int64_t num_layers)
    : encoder_layer_(encoder_layer_options), num_layers_(num_layers) {}
TransformerDecoderOptions::TransformerDecoderOptions(TransformerDecoderLayer decoder_layer,
                                                     int64_t num_layers)
    : decoder_layer_(std::move(decoder_layer)), num_layers_(num_layers) {}
TransformerDecoderOptions::TransformerDecoderOptions(
    const TransformerDecoderLayerOptions& decoder_layer_options, int64_t num_layers)
    : decoder_layer_(decoder_layer_options), num_layers_(num_layers) {}
TransformerOptions::TransformerOptions(int64_t d_model, int64_t nhead)
    : d_model_(d_model), nhead_(nhead) {}
TransformerOptions::TransformerOptions(int64_t d_model, int64_t nhead, int64_t num_encoder_layers,
                                       int64_t num_decoder_layers)
    : d_model_(d_model),
      nhead_(nhead),
      num_encoder_layers_(num_encoder_layers),
      num_decoder_layers_(num_decoder_layers) {}

// ---- TransformerEncoderLayer -----------------------------------------------------------------
TransformerEncoderLayerImpl::TransformerEncoderLayerImpl(
    const TransformerEncoderLayerOptions& options_)
    : Cloneable("torch::nn::TransformerEncoderLayerImpl"), options(options_) {
  reset();
}
TransformerEncoderLayerImpl::TransformerEncoderLayerImpl(int64_t d_model, int64_t nhead)
    : TransformerEncoderLayerImpl(TransformerEncoderLayerOptions(d_model, nhead)) {}

void TransformerEncoderLayerImpl::reset() {
  const auto& o = options;
  self_attn = register_module(
      "self_attn",
      MultiheadAttention(MultiheadAttentionOptions(o.d_model(), o.nhead()).dropout(o.dropout())));
  linear1 = register_module("linear1", Linear(o.d_model(), o.dim_feedforward()));
  dropout = register_module("dropout", Dropout(o.dropout()));
  linear2 = register_module("linear2", Linear(o.dim_feedforward(), o.d_model()));
  norm1 = register_module("norm1", LayerNorm(LayerNormOptions({o.d_model()})));
  norm2 = register_module("norm2", LayerNorm(LayerNormOptions({o.d_model()})));
  dropout1 = register_module("dropout1", Dropout(o.dropout()));
  dropout2 = register_module("dropout2", Dropout(o.dropout()));
}

void TransformerEncoderLayerImpl::reset_parameters() {
  self_attn->_reset_parameters();
  linear1->reset_parameters();
  linear2->reset_parameters();
  norm1->reset_parameters();
  norm2->reset_parameters();
}

Tensor TransformerEncoderLayerImpl::forward(const Tensor& src, const Tensor& src_mask,
                                            const Tensor& src_key_padding_mask) {
  Tensor src2 = std::get<0>(self_attn(src, src, src, src_key_padding_mask,
                                      /*need_weights=*/true, src_mask));
  Tensor ret = norm1(src + dropout1(src2));
  src2 = linear2(dropout(options.activation()(linear1(ret))));
  return norm2(ret + dropout2(src2));
}

// ---- TransformerDecoderLayer -----------------------------------------------------------------
TransformerDecoderLayerImpl::TransformerDecoderLayerImpl(
    const TransformerDecoderLayerOptions& options_)
    : Cloneable("torch::nn::TransformerDecoderLayerImpl"), options(options_) {
  reset();
}
TransformerDecoderLayerImpl::TransformerDecoderLayerImpl(int64_t d_model, int64_t nhead)
    : TransformerDecoderLayerImpl(TransformerDecoderLayerOptions(d_model, nhead)) {}

void TransformerDecoderLayerImpl::reset() {
  const auto& o = options;
  auto attention = [&] {
    return MultiheadAttention(
        MultiheadAttentionOptions(o.d_model(), o.nhead()).dropout(o.dropout()));
  };
  self_attn = register_module("self_attn", attention());
  multihead_attn = register_module("multihead_attn", attention());
  linear1 = register_module("linear1", Linear(o.d_model(), o.dim_feedforward()));
  dropout = register_module("dropout", Dropout(o.dropout()));
  linear2 = register_module("linear2", Linear(o.dim_feedforward(), o.d_model()));
  norm1 = register_module("norm1", LayerNorm(LayerNormOptions({o.d_model()})));
  norm2 = register_module("norm2", LayerNorm(LayerNormOptions({o.d_model()})));
  norm3 = register_module("norm3", LayerNorm(LayerNormOptions({o.d_model()})));
  dropout1 = register_module("dropout1", Dropout(o.dropout()));
  dropout2 = register_module("dropout2", Dropout(o.dropout()));
  dropout3 = register_module("dropout3", Dropout(o.dropout()));
}

void TransformerDecoderLayerImpl::reset_parameters() {
  self_attn->_reset_parameters();
  multihead_attn->_reset_parameters();
  linear1->reset_parameters();
  linear2->reset_parameters();
  norm1->reset_parameters();
  norm2->reset_parameters();
  norm3->reset_parameters();
}

Tensor TransformerDecoderLayerImpl::forward(Tensor tgt, const Tensor& memory,
                                            const Tensor& tgt_mask, const Tensor& memory_mask,
                                            const Tensor& tgt_key_padding_mask,
                                            const Tensor& memory_key_padding_mask) {
  Tensor tgt2 =
      std::get<0>(self_attn(tgt, tgt, tgt, tgt_key_padding_mask, /*need_weights=*/false, tgt_mask));
  tgt = norm1(tgt + dropout1(tgt2));
  tgt2 = std::get<0>(multihead_attn(tgt, memory, memory, memory_key_padding_mask,
                                    /*need_weights=*/false, memory_mask));
  tgt = norm2(tgt + dropout2(tgt2));
  tgt2 = linear2(dropout(activation(linear1(tgt))));
  return norm3(tgt + dropout3(tgt2));
}

Tensor TransformerDecoderLayerImpl::activation(const Tensor& input) {
  return options.activation()(input);
}

// ---- TransformerEncoder / TransformerDecoder -------------------------------------------------
TransformerEncoderImpl::TransformerEncoderImpl(TransformerEncoderOptions options_)
    : Cloneable("torch::nn::TransformerEncoderImpl"), options(std::move(options_)) {
  reset();
}

void TransformerEncoderImpl::reset() {
  layers = register_module("layers", ModuleList());
  for (int64_t i = 0; i < options.num_layers(); ++i)
    layers->push_back(options.encoder_layer()->clone());
  if (!options.norm().is_empty()) {
    norm = options.norm().clone();
    register_module("norm", norm.ptr());
  }
}

void TransformerEncoderImpl::reset_parameters() {
  if (layers->size() != size_t(options.num_layers()))
    throw Error("TransformerEncoder should have" + std::to_string(options.num_layers()) +
                " encoder layers, but got " + std::to_string(layers->size()));
  for (size_t i = 0; i < layers->size(); ++i)
    layers->at<TransformerEncoderLayerImpl>(i).reset_parameters();
  if (!norm.is_empty()) {
    unregister_module("norm");
    norm = AnyModule();
  }
  if (!options.norm().is_empty()) {
    norm = options.norm().clone();
    register_module("norm", norm.ptr());
  }
}

Tensor TransformerEncoderImpl::forward(const Tensor& src, const Tensor& src_mask,
                                       const Tensor& src_key_padding_mask) {
  Tensor output;
  for (size_t i = 0; i < layers->size(); ++i)
    output = layers->at<TransformerEncoderLayerImpl>(i).forward(i == 0 ? src : output, src_mask,
                                                                src_key_padding_mask);
  if (!norm.is_empty()) output = norm.forward(layers->size() == 0 ? src : output);
  return output;
}

TransformerDecoderImpl::TransformerDecoderImpl(TransformerDecoderOptions options_)
    : Cloneable("torch::nn::TransformerDecoderImpl"), options(std::move(options_)) {
  reset();
}

void TransformerDecoderImpl::reset() {
  layers = register_module("layers", ModuleList());
  for (int64_t i = 0; i < options.num_layers(); ++i)
    layers->push_back(options.decoder_layer()->clone());
  if (!options.norm().is_empty()) {
    norm = options.norm().clone();
    register_module("norm", norm.ptr());
  }
}

void TransformerDecoderImpl::reset_parameters() {
  if (layers->size() != size_t(options.num_layers()))
    throw Error("TransformerDecoder should have" + std::to_string(options.num_layers()) +
                " decoder layers, but got " + std::to_string(layers->size()));
  for (size_t i = 0; i < layers->size(); ++i)
    layers->at<TransformerDecoderLayerImpl>(i).reset_parameters();
  if (!norm.is_empty()) {
    unregister_module("norm");
    norm = AnyModule();
  }
  if (!options.norm().is_empty()) {
    norm = options.norm().clone();
    register_module("norm", norm.ptr());
  }
}

Tensor TransformerDecoderImpl::forward(const Tensor& tgt, const Tensor& memory,
                                       const Tensor& tgt_mask, const Tensor& memory_mask,
                                       const Tensor& tgt_key_padding_mask,
                                       const Tensor& memory_key_padding_mask) {
  Tensor output;
  for (size_t i = 0; i < layers->size(); ++i)
    output = layers->at<TransformerDecoderLayerImpl>(i).forward(
        i == 0 ? tgt : output, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
        memory_key_padding_mask);
  if (!norm.is_empty()) output = norm.forward(layers->size() == 0 ? tgt : output);
  return output;
}

// ---- Transformer -----------------------------------------------------------------------------
TransformerImpl::TransformerImpl(TransformerOptions options_)
    : Cloneable("torch::nn::TransformerImpl"), options(std::move(options_)) {
  reset();
}

void TransformerImpl::reset() {
  const auto& o = options;
  if (o.custom_encoder().is_empty()) {
    LayerNorm norm(LayerNormOptions({o.d_model()}));
    TransformerEncoder trans_encoder(
        TransformerEncoderOptions(TransformerEncoderLayerOptions(o.d_model(), o.nhead())
                                      .dim_feedforward(o.dim_feedforward())
                                      .dropout(o.dropout())
                                      .activation(o.activation()),
                                  o.num_encoder_layers())
            .norm(AnyModule(norm)));
    encoder = AnyModule(trans_encoder);
  } else {
    encoder = o.custom_encoder().clone();
  }
  register_module("encoder", encoder.ptr());
  if (o.custom_decoder().is_empty()) {
    LayerNorm norm(LayerNormOptions({o.d_model()}));
    TransformerDecoder trans_decoder(
        TransformerDecoderOptions(TransformerDecoderLayerOptions(o.d_model(), o.nhead())
                                      .dim_feedforward(o.dim_feedforward())
                                      .dropout(o.dropout())
                                      .activation(o.activation()),
                                  o.num_decoder_layers())
            .norm(AnyModule(norm)));
    decoder = AnyModule(trans_decoder);
  } else {
    decoder = o.custom_decoder().clone();
  }
  register_module("decoder", decoder.ptr());
  reset_parameters();
}

void TransformerImpl::reset_parameters() {
  for (auto& param : parameters())
    if (param.dim() > 1) init::xavier_uniform_(param);
}

Tensor TransformerImpl::forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask,
                                const Tensor& tgt_mask, const Tensor& memory_mask,
                                const Tensor& src_key_padding_mask,
                                const Tensor& tgt_key_padding_mask,
                                const Tensor& memory_key_padding_mask) {
  if (src.dim() != 3 || tgt.dim() != 3)
    throw Error("src and tgt should have 3 dimensions, but got " + std::to_string(src.dim()) +
                " and " + std::to_string(tgt.dim()));
  if (src.size(1) != tgt.size(1))
    throw Error("src and tgt should have equal batch size (at dim 1), but got " +
                std::to_string(src.size(1)) + " and " + std::to_string(tgt.size(1)));
  if (src.size(2) != options.d_model() || tgt.size(2) != options.d_model())
    throw Error("src and tgt should have same feature size as d_model (at dim 2), but got " +
                std::to_string(src.size(2)) + " and " + std::to_string(tgt.size(2)) +
                " while d_model is " + std::to_string(options.d_model()));
  Tensor memory;
  if (auto* e = encoder.ptr()->as<TransformerEncoderImpl>())
    memory = e->forward(src, src_mask, src_key_padding_mask);
  else
    memory = encoder.forward(src);
  auto* d = decoder.ptr()->as<TransformerDecoderImpl>();
  if (!d) throw Error("Transformer: the decoder must be a TransformerDecoder");
  return d->forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
                    memory_key_padding_mask);
}

Tensor TransformerImpl::generate_square_subsequent_mask(int64_t sz) {
  if (sz < 0)
    throw Error(
        "Input size must be non-negative to genearte a valid square subsequent mask, but got " +
        std::to_string(sz));
  // libtorch's triu(full(-inf), 1): -inf where column > row, 0 elsewhere.
  const Tensor r = tg::arange(sz, TensorOptions(kLong));
  return tg::full({sz, sz}, -std::numeric_limits<float>::infinity())
      .masked_fill(r.unsqueeze(0) <= r.unsqueeze(1), 0.0);
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<TransformerDecoderImpl, Module>;
template class detail::CloneableAs<TransformerDecoderLayerImpl, Module>;
template class detail::CloneableAs<TransformerEncoderImpl, Module>;
template class detail::CloneableAs<TransformerEncoderLayerImpl, Module>;
template class detail::CloneableAs<TransformerImpl, Module>;
}  // namespace tg::nn
