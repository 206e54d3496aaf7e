#include "adaptive.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <set>
#include <string>

#include "../autograd/functions.hpp"
#include "../autograd/indexing.hpp"
#include "functional.hpp"

namespace tg::nn {

AdaptiveLogSoftmaxWithLossOptions::AdaptiveLogSoftmaxWithLossOptions(int64_t in_features,
                                                                     int64_t n_classes,
                                                                     std::vector<int64_t> cutoffs)
    : in_features_(in_features), n_classes_(n_classes), cutoffs_(std::move(cutoffs)) {}

ASMoutput::ASMoutput(Tensor output_, double loss_) : output(std::move(output_)), loss(loss_) {}

AdaptiveLogSoftmaxWithLossImpl::AdaptiveLogSoftmaxWithLossImpl(
    AdaptiveLogSoftmaxWithLossOptions options_)
    : options(std::move(options_)) {
  reset();
}
AdaptiveLogSoftmaxWithLossImpl::AdaptiveLogSoftmaxWithLossImpl(int64_t in_features,
                                                               int64_t n_classes,
                                                               std::vector<int64_t> cutoffs)
    : AdaptiveLogSoftmaxWithLossImpl(
          AdaptiveLogSoftmaxWithLossOptions(in_features, n_classes, std::move(cutoffs))) {}

void AdaptiveLogSoftmaxWithLossImpl::reset() {
  const auto& c = options.cutoffs();
  if (c.empty() || !std::is_sorted(c.begin(), c.end()) || c.front() <= 0 ||
      c.back() > options.n_classes() - 1 ||
      std::set<int64_t>(c.begin(), c.end()).size() != c.size())
    throw Error(
        "cutoffs should be a sequence of unique, positive integers sorted in an increasing "
        "order, where each value is between 1 and n_classes-1");
  cutoffs = c;
  cutoffs.push_back(options.n_classes());
  shortlist_size = cutoffs[0];
  n_clusters = int64_t(cutoffs.size()) - 1;
  head_size = shortlist_size + n_clusters;
  head = register_module(
      "head", Linear(LinearOptions(options.in_features(), head_size).bias(options.head_bias())));
  tail = register_module("tail", ModuleList());
  for (int64_t i = 0; i < n_clusters; ++i) {
    const int64_t hsz =
        options.in_features() / static_cast<int64_t>(std::pow(options.div_value(), i + 1));
    const int64_t osz = cutoffs[i + 1] - cutoffs[i];
    tail->push_back(Sequential(Linear(LinearOptions(options.in_features(), hsz).bias(false)),
                               Linear(LinearOptions(hsz, osz).bias(false))));
  }
}

void AdaptiveLogSoftmaxWithLossImpl::reset_parameters() {
  head->reset_parameters();
  for (size_t i = 0; i < tail->size(); ++i)
    for (const auto& layer : tail[i]->children()) layer->as<LinearImpl>()->reset_parameters();
}

void AdaptiveLogSoftmaxWithLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::AdaptiveLogSoftmaxWithLoss";
}

ASMoutput AdaptiveLogSoftmaxWithLossImpl::forward(const Tensor& input_, const Tensor& target_) {
  const int64_t targ_dim = target_.dim();
  if (targ_dim != 0 && targ_dim != 1)
    throw Error("0D or 1D target tensor expected, multi-target not supported");
  if (targ_dim == 1 && input_.dim() != 2)
    throw Error("1D target tensor expects 2D input tensors, but found inputs with sizes " +
                to_string(input_.sizes()) + ".");
  if (targ_dim == 0 && input_.dim() != 1)
    throw Error("0D target tensor expects 1D input tensors, but found inputs with sizes " +
                to_string(input_.sizes()) + ".");
  const bool is_batched = targ_dim > 0;
  const Tensor input = is_batched ? input_ : input_.unsqueeze(0);
  const Tensor target = is_batched ? target_ : target_.unsqueeze(0);
  const int64_t batch_size = target.size(0);

  // output[n] collects the cluster's log-probability of the target (0 for shortlist targets);
  // gather_inds[n] is the head's class for row n (the target, or its cluster's class).
  Tensor output = tg::zeros({batch_size}, TensorOptions(input.scalar_type()));
  Tensor gather_inds = target.clone();
  const Tensor positions = tg::arange(batch_size, TensorOptions(kLong));
  int64_t used_rows = 0;
  for (int64_t i = 0; i <= n_clusters; ++i) {
    const int64_t low = i == 0 ? 0 : cutoffs[i - 1], high = cutoffs[i];
    const Tensor target_mask = tg::logical_and(target >= low, target < high);
    const Tensor row_indices = tg::nonzero(target_mask).reshape({-1});
    if (row_indices.numel() == 0) continue;
    if (i > 0) {
      const Tensor relative_target = target.index({target_mask}) - low;
      const Tensor cluster_output =
          tail->ptr<SequentialImpl>(size_t(i - 1))->forward(input.index_select(0, row_indices));
      gather_inds =
          tg::where(target_mask, tg::full_like(gather_inds, shortlist_size + i - 1), gather_inds);
      const Tensor local_logprob = functional::log_softmax(cluster_output, 1)
                                       .gather(1, relative_target.unsqueeze(1))
                                       .squeeze(1);
      // Scattered back to the rows it belongs to (a one-hot product keeps it differentiable).
      const Tensor scatter =
          (positions.unsqueeze(1) == row_indices.unsqueeze(0)).to(input.scalar_type());
      output = output + scatter.matmul(local_logprob);
    }
    used_rows += row_indices.numel();
  }
  if (used_rows != batch_size)
    throw Error("Target values should be in [0, " + std::to_string(options.n_classes() - 1) +
                "], but values in range [" + std::to_string(target.min().item<double>()) + ", " +
                std::to_string(target.max().item<double>()) + "] were found. ");
  const Tensor head_logprob = functional::log_softmax(head(input), 1);
  output = output + head_logprob.gather(1, gather_inds.unsqueeze(1)).squeeze();
  const double loss = (-output).mean().item<double>();
  if (!is_batched) output = output.squeeze(0);
  return ASMoutput(output, loss);
}

Tensor AdaptiveLogSoftmaxWithLossImpl::_get_full_log_prob(const Tensor& input,
                                                          const Tensor& head_output) {
  using indexing::Slice;
  const Tensor head_logprob = functional::log_softmax(head_output, 1);
  std::vector<Tensor> parts{head_logprob.index({Slice(), Slice(0, shortlist_size)})};
  for (int64_t i = 0; i < n_clusters; ++i) {
    const Tensor cluster_logprob =
        functional::log_softmax(tail->ptr<SequentialImpl>(size_t(i))->forward(input), 1);
    parts.push_back(cluster_logprob +
                    head_logprob.index({Slice(), shortlist_size + i}).unsqueeze(1));
  }
  return tg::cat(parts, 1);
}

Tensor AdaptiveLogSoftmaxWithLossImpl::log_prob(const Tensor& input) {
  return _get_full_log_prob(input, head(input));
}

Tensor AdaptiveLogSoftmaxWithLossImpl::predict(const Tensor& input) {
  const Tensor head_output = head(input);
  Tensor output = tg::argmax(head_output, 1);
  const Tensor not_in_shortlist = output >= shortlist_size;
  if (!not_in_shortlist.any().item<bool>()) return output;
  if (not_in_shortlist.all().item<bool>())
    return tg::argmax(_get_full_log_prob(input, head_output), 1);
  const Tensor log_prob =
      _get_full_log_prob(input.index({not_in_shortlist}), head_output.index({not_in_shortlist}));
  output.index_put_({not_in_shortlist}, tg::argmax(log_prob, 1));
  return output;
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<AdaptiveLogSoftmaxWithLossImpl, Module>;
}  // namespace tg::nn
