// Embedding: a lookup table of num_embeddings rows of size embedding_dim, libtorch's
// torch::nn::Embedding with its options.
//
//   tg::nn::Embedding emb(tg::nn::EmbeddingOptions(1000, 16).padding_idx(0));
//   auto v = emb(ids);        // ids int64 of any shape -> (*ids.shape, 16)
//   auto e2 = tg::nn::Embedding::from_pretrained(table);  // frozen (requires_grad false)
//
// weight starts N(0, 1) with the padding_idx row zero; that row gets no gradient (its value
// is still returned as it is). max_norm renormalises the looked-up rows in place, without
// gradient, as PyTorch does; scale_grad_by_freq divides each row's gradient by how often its
// index occurs in the batch. Sparse gradients do not exist in tapegrad (sparse(true) throws).
#pragma once

#include <iosfwd>
#include <optional>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg {
// ATen's embedding: weight rows picked by `indices`; padding_idx -1 means none.
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx = -1,
                 bool scale_grad_by_freq = false, bool sparse = false);
}  // namespace tg

namespace tg::nn {

namespace detail {
// PyTorch's embedding_renorm_: each row of `weight` looked up by `indices` whose norm_type-norm
// exceeds max_norm is scaled down to it, in place and outside the graph.
void embedding_renorm_(const Tensor& weight, const Tensor& indices, double max_norm,
                       double norm_type);
}  // namespace detail

struct EmbeddingOptions {
  EmbeddingOptions(int64_t num_embeddings, int64_t embedding_dim)
      : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
  TG_ARG(int64_t, num_embeddings);
  TG_ARG(int64_t, embedding_dim);
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(bool, sparse) = false;
  TG_ARG(Tensor, _weight) = Tensor();
};

struct EmbeddingFromPretrainedOptions {
  TG_ARG(bool, freeze) = true;
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(bool, sparse) = false;
};

namespace functional {
struct EmbeddingFuncOptions {
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(bool, sparse) = false;
};

// weight[input]: rows of the (num_embeddings, dim) weight picked by the int64 `input`.
// Indices outside [0, num_embeddings) throw tg::Error naming the index.
Tensor embedding(const Tensor& input, const Tensor& weight,
                 const EmbeddingFuncOptions& options = {});
}  // namespace functional

class EmbeddingImpl : public Cloneable<EmbeddingImpl> {
 public:
  EmbeddingImpl(int64_t num_embeddings, int64_t embedding_dim);
  explicit EmbeddingImpl(EmbeddingOptions options_);

  void reset() override;
  void reset_parameters();  // N(0, 1), padding row zeroed
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& indices);

  EmbeddingOptions options;
  Tensor weight;  // (num_embeddings, embedding_dim)
};
extern template class detail::CloneableAs<EmbeddingImpl, Module>;

// A holder with libtorch's static from_pretrained, so not declared by TG_MODULE.
class Embedding : public ModuleHolder<EmbeddingImpl> {
 public:
  using ModuleHolder<EmbeddingImpl>::ModuleHolder;
  using Impl = EmbeddingImpl;
  // A copy of `embeddings` (2-D) as the weight; frozen (no gradient) unless freeze(false).
  static Embedding from_pretrained(const Tensor& embeddings,
                                   const EmbeddingFromPretrainedOptions& options = {});
};

}  // namespace tg::nn
