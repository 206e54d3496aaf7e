// EmbeddingBag as a composite: the looked-up rows (index_select), weighted, then index_add'ed
// into their bags (sum, mean) or reduced bag by bag (max). Gradients come from the tape.
#include "embedding_bag.hpp"

#include <ostream>
#include <string>
#include <vector>

#include "../autograd/functions.hpp"
#include "init.hpp"

namespace tg {

std::tuple<Tensor, Tensor, Tensor, Tensor> embedding_bag(
    const Tensor& weight, const Tensor& indices, const Tensor& offsets, bool scale_grad_by_freq,
    int64_t mode, bool sparse, const Tensor& per_sample_weights, bool include_last_offset,
    std::optional<int64_t> padding_idx) {
  if (!weight.defined() || !indices.defined() || !offsets.defined())
    throw Error("embedding_bag: weight, indices and offsets must be defined tensors");
  if (weight.dim() != 2) throw Error("embedding_bag: weight has to be a 2D Tensor");
  if (indices.dim() != 1 || offsets.dim() != 1)
    throw Error("embedding_bag: input and offsets have to be 1D Tensors");
  if (indices.scalar_type() != kLong || offsets.scalar_type() != kLong)
    throw Error("embedding_bag: expected indices and offsets of scalar type Long");
  if (sparse) throw Error("embedding_bag: sparse gradients are not supported by tapegrad");
  if (mode < 0 || mode > 2) throw Error("mode has to be one of sum, mean or max");
  if (per_sample_weights.defined() && mode != 0)
    throw Error("embedding_bag: per_sample_weights only supported with mode='sum'");
  const int64_t rows = weight.size(0), dim = weight.size(1), n = indices.numel();
  const int64_t* idx = indices.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i)
    if (idx[i] < 0 || idx[i] >= rows)
      throw Error("embedding_bag: index " + std::to_string(idx[i]) + " is out of range for " +
                  std::to_string(rows) + " embeddings");
  std::vector<int64_t> off(offsets.data_ptr<int64_t>(),
                           offsets.data_ptr<int64_t>() + offsets.numel());
  int64_t bags = int64_t(off.size());
  if (include_last_offset) {
    if (bags < 1) throw Error("include_last_offset: number of offset should be at least 1");
    --bags;
  }
  if (!off.empty() && off[0] != 0)
    throw Error(
        "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
        "position 0. However, got " +
        std::to_string(off[0]));
  if (!off.empty() && off.back() > n)
    throw Error("offsets[-1] can not be greater than input's length " + std::to_string(n) +
                ", but got " + std::to_string(off.back()));
  std::optional<int64_t> pad = padding_idx;
  if (pad && *pad < 0) *pad += rows;

  // bag of each index; kept = positions that are not padding.
  std::vector<int64_t> bag_of(size_t(n), 0), kept, bag_size(size_t(bags), 0);
  for (int64_t b = 0; b < bags; ++b) {
    const int64_t end = b + 1 < int64_t(off.size()) ? off[size_t(b + 1)] : n;
    for (int64_t i = off[size_t(b)]; i < end; ++i) {
      bag_of[size_t(i)] = b;
      if (pad && idx[i] == *pad) continue;
      kept.push_back(i);
      ++bag_size[size_t(b)];
    }
  }
  auto long_tensor = [](const std::vector<int64_t>& v) {
    Tensor t = empty({int64_t(v.size())}, kLong);
    std::copy(v.begin(), v.end(), t.data_ptr<int64_t>());
    return t;
  };
  Tensor kept_t = long_tensor(kept), offset2bag = long_tensor(bag_of),
         bag_size_t = long_tensor(bag_size);
  Tensor kept_idx = indices.index_select(0, kept_t);
  Tensor kept_bag = offset2bag.index_select(0, kept_t);
  Tensor looked = weight.index_select(0, kept_idx);  // (kept, dim)
  if (scale_grad_by_freq && looked.requires_grad() && mode != 2) {
    // Each looked-up row's gradient divided by how often its index occurs.
    Tensor counts =
        zeros({rows}, weight.scalar_type()).index_add(0, indices, ones({n}, weight.scalar_type()));
    Tensor factor = (1 / counts.index_select(0, kept_idx)).unsqueeze(1);
    looked.register_hook([factor](const Tensor& g) { return g * factor; });
  }
  if (per_sample_weights.defined())
    looked = looked * per_sample_weights.index_select(0, kept_t).unsqueeze(1);

  Tensor out, max_indices = bag_size_t;
  if (mode != 2) {
    out = zeros({bags, dim}, weight.scalar_type()).index_add(0, kept_bag, looked);
    if (mode == 1) out = out / bag_size_t.clamp_min(1).to(weight.scalar_type()).unsqueeze(1);
  } else {
    std::vector<Tensor> per_bag, arg;
    int64_t start = 0;
    for (int64_t b = 0; b < bags; ++b) {
      const int64_t k = bag_size[size_t(b)];
      if (k == 0) {
        per_bag.push_back(zeros({dim}, weight.scalar_type()));
        arg.push_back(full({dim}, -1, kLong));
      } else {
        auto [values, where] = looked.narrow(0, start, k).max(0);
        per_bag.push_back(values);
        arg.push_back(kept_idx.narrow(0, start, k).index_select(0, where));
      }
      start += k;
    }
    out = bags ? stack(per_bag, 0) : zeros({0, dim}, weight.scalar_type());
    max_indices = bags ? stack(arg, 0) : zeros({0, dim}, kLong);
  }
  return {out, offset2bag, bag_size_t, max_indices};
}

}  // namespace tg

namespace tg::nn {

namespace functional {

Tensor embedding_bag(const Tensor& input, const Tensor& weight,
                     const EmbeddingBagFuncOptions& options) {
  Tensor in = input, offsets = options.offsets(), psw = options.per_sample_weights();
  if (psw.defined() && in.sizes() != psw.sizes())
    throw Error("embedding_bag: If per_sample_weights (" + to_string(psw.sizes()) +
                ") is not null, then it must have the same shape as the input (" +
                to_string(in.sizes()) + ")");
  if (in.dim() == 2) {
    if (offsets.defined())
      throw Error(
          "If input is 2D, then offsets has to be null, as input is treated is a mini-batch of "
          "fixed length sequences. However, found offsets of type Tensor");
    offsets = arange(0, in.numel(), in.size(1), kLong);
    in = in.reshape({-1});
    if (psw.defined()) psw = psw.reshape({-1});
  } else if (in.dim() == 1) {
    if (!offsets.defined()) throw Error("offsets has to be a 1D Tensor but got null");
    if (offsets.dim() != 1) throw Error("offsets has to be a 1D Tensor");
  } else {
    throw Error("input has to be 1D or 2D Tensor, but got Tensor of dimension " +
                std::to_string(in.dim()));
  }
  int64_t mode = 0;
  if (holds_alternative<enumtype::kMean>(options.mode())) {
    mode = 1;
  } else if (holds_alternative<enumtype::kMax>(options.mode())) {
    mode = 2;
    if (options.scale_grad_by_freq())
      throw Error("max mode does not support scaling the gradient by the frequency");
    if (options.sparse()) throw Error("max mode does not support sparse weights");
  }
  if (options.max_norm())
    detail::embedding_renorm_(weight, in, *options.max_norm(), options.norm_type());
  if (psw.defined() && mode != 0)
    throw Error(
        "embedding_bag: per_sample_weights was not null. per_sample_weights is only supported "
        "for mode='kSum' (got mode='" +
        enumtype::get_enum_name(options.mode()) + "').Please open a feature request on GitHub.");
  return std::get<0>(tg::embedding_bag(weight, in, offsets, options.scale_grad_by_freq(), mode,
                                       options.sparse(), psw, options.include_last_offset(),
                                       options.padding_idx()));
}

}  // namespace functional

EmbeddingBagImpl::EmbeddingBagImpl(EmbeddingBagOptions options_) : options(std::move(options_)) {
  reset();
}

void EmbeddingBagImpl::reset() {
  if (options.padding_idx()) {
    const int64_t p = *options.padding_idx(), rows = options.num_embeddings();
    if (p > 0 && p >= rows) throw Error("Padding_idx must be within num_embeddings");
    if (p < 0) {
      if (p < -rows) throw Error("Padding_idx must be within num_embedding");
      options.padding_idx(rows + p);
    }
  }
  if (!options._weight().defined()) {
    weight = register_parameter("weight",
                                tg::empty({options.num_embeddings(), options.embedding_dim()}));
    reset_parameters();
  } else {
    if (options._weight().sizes() !=
        IntArrayRef({options.num_embeddings(), options.embedding_dim()}))
      throw Error("Shape of weight does not match num_embeddings and embedding_dim");
    weight = register_parameter("weight", options._weight());
  }
}

void EmbeddingBagImpl::reset_parameters() {
  if (options.padding_idx()) {
    NoGradGuard no_grad;
    weight.select(0, *options.padding_idx()).fill_(0);
  }
  init::normal_(weight);
}

void EmbeddingBagImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::EmbeddingBag(num_embeddings=" << options.num_embeddings()
         << ", embedding_dim=" << options.embedding_dim();
  if (options.max_norm()) stream << ", max_norm=" << *options.max_norm();
  if (options.norm_type() != 2) stream << ", norm_type=" << options.norm_type();
  if (options.scale_grad_by_freq()) stream << ", scale_grad_by_freq=" << std::boolalpha << true;
  if (options.sparse()) stream << ", sparse=" << std::boolalpha << true;
  if (!holds_alternative<enumtype::kMean>(options.mode()))
    stream << ", mode=" << enumtype::get_enum_name(options.mode());
  if (options.include_last_offset()) stream << ", include_last_offset=" << std::boolalpha << true;
  if (options.padding_idx()) stream << ", padding_idx=" << *options.padding_idx();
  stream << ")";
}

Tensor EmbeddingBagImpl::forward(const Tensor& input, const Tensor& offsets,
                                 const Tensor& per_sample_weights) {
  return functional::embedding_bag(input, weight,
                                   functional::EmbeddingBagFuncOptions()
                                       .offsets(offsets)
                                       .max_norm(options.max_norm())
                                       .norm_type(options.norm_type())
                                       .scale_grad_by_freq(options.scale_grad_by_freq())
                                       .mode(options.mode())
                                       .sparse(options.sparse())
                                       .per_sample_weights(per_sample_weights)
                                       .include_last_offset(options.include_last_offset())
                                       .padding_idx(options.padding_idx()));
}

EmbeddingBag EmbeddingBag::from_pretrained(const Tensor& embeddings,
                                           const EmbeddingBagFromPretrainedOptions& options) {
  if (!embeddings.defined() || embeddings.dim() != 2)
    throw Error("Embeddings parameter is expected to be 2-dimensional");
  EmbeddingBag bag(EmbeddingBagOptions(embeddings.size(0), embeddings.size(1))
                       ._weight(embeddings.detach().clone())
                       .max_norm(options.max_norm())
                       .norm_type(options.norm_type())
                       .scale_grad_by_freq(options.scale_grad_by_freq())
                       .mode(options.mode())
                       .sparse(options.sparse())
                       .include_last_offset(options.include_last_offset())
                       .padding_idx(options.padding_idx()));
  bag->weight.requires_grad_(!options.freeze());
  return bag;
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
EmbeddingBagImpl::EmbeddingBagImpl(int64_t num_embeddings, int64_t embedding_dim)
    : EmbeddingBagImpl(EmbeddingBagOptions(num_embeddings, embedding_dim)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<EmbeddingBagImpl, Module>;
// forward()'s default arguments, for AnyModule and Sequential (any_value.hpp).
TG_FORWARD_DEFAULT_ARGS_DEFINED(EmbeddingBagImpl, {1, AnyValue(Tensor())}, {2, AnyValue(Tensor())})

}  // namespace tg::nn
