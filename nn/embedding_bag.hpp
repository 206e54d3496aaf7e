// EmbeddingBag: sums, averages or takes the max of bags of embedding rows without building
// the (indices, dim) intermediate per bag, libtorch's torch::nn::EmbeddingBag with its options,
// F::embedding_bag, and ATen's tg::embedding_bag.
//
//   tg::nn::EmbeddingBag bag(tg::nn::EmbeddingBagOptions(1000, 16).mode(tg::kSum));
//   auto y = bag(ids, offsets);       // ids (n) int64, offsets (B): bag b = ids[offsets[b]:
//                                     // offsets[b+1]] -> y (B, 16)
//   auto z = bag(ids2d);              // (B, L) ids: B bags of L each, no offsets
// Empty bags give zero rows; padding_idx entries are skipped (and not counted by kMean);
// per_sample_weights (kSum only) scale each looked-up row. Gradients reach the weight through
// index_select / index_add (max: through the row that won each column).
#pragma once

#include <iosfwd>
#include <optional>
#include <tuple>

#include "embedding.hpp"
#include "enum.hpp"

namespace tg {
// ATen's embedding_bag: mode 0 sum, 1 mean, 2 max; returns (output (B, dim), offset2bag (n),
// bag_size (B), max_indices (B, dim) for max mode, else bag_size).
std::tuple<Tensor, Tensor, Tensor, Tensor> embedding_bag(
    const Tensor& weight, const Tensor& indices, const Tensor& offsets,
    bool scale_grad_by_freq = false, int64_t mode = 0, bool sparse = false,
    const Tensor& per_sample_weights = {}, bool include_last_offset = false,
    std::optional<int64_t> padding_idx = std::nullopt);
}  // namespace tg

namespace tg::nn {

using EmbeddingBagMode = enumtype::variant<enumtype::kSum, enumtype::kMean, enumtype::kMax>;

struct EmbeddingBagOptions {
  EmbeddingBagOptions(int64_t num_embeddings, int64_t embedding_dim)
      : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
  TG_ARG(int64_t, num_embeddings);
  TG_ARG(int64_t, embedding_dim);
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(EmbeddingBagMode, mode) = tg::kMean;
  TG_ARG(bool, sparse) = false;
  TG_ARG(Tensor, _weight) = Tensor();
  TG_ARG(bool, include_last_offset) = false;
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
};

struct EmbeddingBagFromPretrainedOptions {
  TG_ARG(bool, freeze) = true;
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(EmbeddingBagMode, mode) = tg::kMean;
  TG_ARG(bool, sparse) = false;
  TG_ARG(bool, include_last_offset) = false;
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
};

namespace functional {
struct EmbeddingBagFuncOptions {
  TG_ARG(Tensor, offsets) = Tensor();
  TG_ARG(std::optional<double>, max_norm) = std::nullopt;
  TG_ARG(double, norm_type) = 2.;
  TG_ARG(bool, scale_grad_by_freq) = false;
  TG_ARG(EmbeddingBagMode, mode) = tg::kMean;
  TG_ARG(bool, sparse) = false;
  TG_ARG(Tensor, per_sample_weights) = Tensor();
  TG_ARG(bool, include_last_offset) = false;
  TG_ARG(std::optional<int64_t>, padding_idx) = std::nullopt;
};
// input (n) with offsets, or (B, L) without; returns (B, dim).
Tensor embedding_bag(const Tensor& input, const Tensor& weight,
                     const EmbeddingBagFuncOptions& options = {});
}  // namespace functional

class EmbeddingBagImpl : public Cloneable<EmbeddingBagImpl> {
 public:
  EmbeddingBagImpl(int64_t num_embeddings, int64_t embedding_dim);
  explicit EmbeddingBagImpl(EmbeddingBagOptions options_);
  void reset() override;
  void reset_parameters();  // padding row zeroed, then N(0, 1) (libtorch's order)
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& offsets = {},
                 const Tensor& per_sample_weights = {});

  EmbeddingBagOptions options;
  Tensor weight;  // (num_embeddings, embedding_dim)

 protected:
  TG_FORWARD_DEFAULT_ARGS_DECLARED  // {1, AnyValue(Tensor())}, {2, AnyValue(Tensor())} (in the
                                    // .cpp)
};
extern template class detail::CloneableAs<EmbeddingBagImpl, Module>;

class EmbeddingBag : public ModuleHolder<EmbeddingBagImpl> {
 public:
  using ModuleHolder<EmbeddingBagImpl>::ModuleHolder;
  using Impl = EmbeddingBagImpl;
  // A copy of `embeddings` (2-D) as the weight; frozen unless freeze(false).
  static EmbeddingBag from_pretrained(const Tensor& embeddings,
                                      const EmbeddingBagFromPretrainedOptions& options = {});
};

}  // namespace tg::nn
