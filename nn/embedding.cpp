// Embedding: the lookup is index_select; padding and frequency scaling act on the gradient
// through a hook on the looked-up rows, so the forward values stay exactly the table's.
#include "embedding.hpp"

#include <ostream>

#include "../autograd/functions.hpp"
#include "init.hpp"

namespace tg::nn {

namespace {
// padding_idx may count from the end, as in PyTorch; returns it in [0, rows).
std::optional<int64_t> wrap_padding(std::optional<int64_t> padding_idx, int64_t rows,
                                    const char* op) {
  if (!padding_idx) return std::nullopt;
  if (*padding_idx >= rows || *padding_idx < -rows)
    throw Error(std::string(op) + ": padding_idx must be within num_embeddings (" +
                std::to_string(rows) + "), got " + std::to_string(*padding_idx));
  return *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
}
}  // namespace

namespace detail {
void embedding_renorm_(const Tensor& weight, const Tensor& indices, double max_norm,
                       double norm_type) {
  NoGradGuard no_grad;
  Tensor flat = indices.reshape({-1});
  Tensor used = zeros({weight.size(0)}, weight.scalar_type())
                    .index_add(0, flat, ones({flat.numel()}, weight.scalar_type()));
  Tensor norms = weight.detach().norm(norm_type, {1}, /*keepdim=*/true);
  Tensor shrink = logical_and(norms > max_norm, used.gt(0).unsqueeze(1));
  weight.mul_(where(shrink, max_norm / (norms + 1e-7), ones_like(norms)));
}
}  // namespace detail

namespace functional {

Tensor embedding(const Tensor& input, const Tensor& weight, const EmbeddingFuncOptions& options) {
  if (!input.defined() || !weight.defined())
    throw Error("Embedding: input and weight must be defined tensors");
  if (weight.dim() != 2)
    throw Error("Embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape " +
                to_string(weight.sizes()));
  if (input.scalar_type() != kLong)
    throw Error(std::string("Embedding: indices must be an int64 (Long) tensor, got ") +
                dtype_name(input.scalar_type()) + " of shape " + to_string(input.sizes()));
  if (options.sparse())
    throw Error("Embedding: sparse gradients are not supported by tapegrad (use sparse(false))");
  const int64_t rows = weight.size(0);
  const auto padding = wrap_padding(options.padding_idx(), rows, "Embedding");
  Tensor flat = input.reshape({-1});
  const int64_t* idx = flat.data_ptr<int64_t>();
  for (int64_t i = 0; i < flat.numel(); ++i)
    if (idx[i] < 0 || idx[i] >= rows)
      throw Error("Embedding: index " + std::to_string(idx[i]) + " is out of range for " +
                  std::to_string(rows) + " embeddings (valid: 0 to " + std::to_string(rows - 1) +
                  "), in indices of shape " + to_string(input.sizes()));

  // How often each row is looked up (scale_grad_by_freq needs it).
  Tensor counts;
  if (options.scale_grad_by_freq())
    counts = zeros({rows}, weight.scalar_type())
                 .index_add(0, flat, ones({flat.numel()}, weight.scalar_type()));
  if (options.max_norm())
    detail::embedding_renorm_(weight, flat, *options.max_norm(), options.norm_type());

  Shape out_shape = input.sizes();
  out_shape.push_back(weight.size(1));
  Tensor out = weight.index_select(0, flat);
  if (out.requires_grad() && (padding || options.scale_grad_by_freq())) {
    // factor[i] multiplies the gradient of looked-up row i: 0 for the padding index, and
    // 1 / (occurrences of the index) with scale_grad_by_freq.
    Tensor factor = ones({flat.numel()}, weight.scalar_type());
    if (options.scale_grad_by_freq()) factor = factor / counts.index_select(0, flat);
    if (padding) factor = factor * flat.ne(*padding).to(weight.scalar_type());
    factor = factor.unsqueeze(1);
    out.register_hook([factor](const Tensor& g) { return g * factor; });
  }
  return out.reshape(out_shape);
}

}  // namespace functional

}  // namespace tg::nn

namespace tg {
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx,
                 bool scale_grad_by_freq, bool sparse) {
  auto o =
      nn::functional::EmbeddingFuncOptions().scale_grad_by_freq(scale_grad_by_freq).sparse(sparse);
  if (padding_idx >= 0) o.padding_idx(padding_idx);
  return nn::functional::embedding(indices, weight, o);
}
}  // namespace tg

namespace tg::nn {

EmbeddingImpl::EmbeddingImpl(EmbeddingOptions options_) : options(std::move(options_)) { reset(); }

void EmbeddingImpl::reset() {
  const int64_t rows = options.num_embeddings(), dim = options.embedding_dim();
  if (rows < 0 || dim < 0)
    throw Error("Embedding: num_embeddings and embedding_dim must be non-negative, got " +
                std::to_string(rows) + " and " + std::to_string(dim));
  options.padding_idx(wrap_padding(options.padding_idx(), rows, "Embedding"));
  if (options._weight().defined()) {
    if (options._weight().sizes() != IntArrayRef({rows, dim}))
      throw Error("Embedding: _weight has shape " + to_string(options._weight().sizes()) +
                  ", expected [" + std::to_string(rows) + ", " + std::to_string(dim) + "]");
    weight = register_parameter("weight", options._weight());
  } else {
    weight = register_parameter("weight", empty({rows, dim}));
    reset_parameters();
  }
}

void EmbeddingImpl::reset_parameters() {
  init::normal_(weight);
  if (options.padding_idx()) {
    NoGradGuard no_grad;
    weight.select(0, *options.padding_idx()).fill_(0);
  }
}

void EmbeddingImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Embedding(num_embeddings=" << options.num_embeddings()
         << ", embedding_dim=" << options.embedding_dim();
  if (options.padding_idx()) stream << ", padding_idx=" << *options.padding_idx();
  if (options.max_norm()) stream << ", max_norm=" << *options.max_norm();
  if (options.norm_type() != 2) stream << ", norm_type=" << options.norm_type();
  if (options.scale_grad_by_freq()) stream << ", scale_grad_by_freq=" << std::boolalpha << true;
  if (options.sparse()) stream << ", sparse=" << std::boolalpha << true;
  stream << ")";
}

Tensor EmbeddingImpl::forward(const Tensor& indices) {
  return functional::embedding(indices, weight,
                               functional::EmbeddingFuncOptions()
                                   .padding_idx(options.padding_idx())
                                   .max_norm(options.max_norm())
                                   .norm_type(options.norm_type())
                                   .scale_grad_by_freq(options.scale_grad_by_freq())
                                   .sparse(options.sparse()));
}

Embedding Embedding::from_pretrained(const Tensor& embeddings,
                                     const EmbeddingFromPretrainedOptions& options) {
  if (!embeddings.defined() || embeddings.dim() != 2)
    throw Error("Embedding::from_pretrained: embeddings must be 2-D, got shape " +
                (embeddings.defined() ? to_string(embeddings.sizes()) : std::string("undefined")));
  Embedding e(EmbeddingOptions(embeddings.size(0), embeddings.size(1))
                  ._weight(embeddings.detach().clone())
                  .padding_idx(options.padding_idx())
                  .max_norm(options.max_norm())
                  .norm_type(options.norm_type())
                  .scale_grad_by_freq(options.scale_grad_by_freq())
                  .sparse(options.sparse()));
  e->weight.requires_grad_(!options.freeze());
  return e;
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
EmbeddingImpl::EmbeddingImpl(int64_t num_embeddings, int64_t embedding_dim)
    : EmbeddingImpl(EmbeddingOptions(num_embeddings, embedding_dim)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<EmbeddingImpl, Module>;
}  // namespace tg::nn
