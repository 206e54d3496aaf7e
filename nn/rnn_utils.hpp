// Packed variable-length sequences, libtorch's torch::nn::utils::rnn: PackedSequence,
// pack_padded_sequence, pad_packed_sequence, pack_sequence, pad_sequence.
//
//   auto padded = tg::nn::utils::rnn::pad_sequence({a, b, c});        // (T_max, 3, *)
//   auto packed = tg::nn::utils::rnn::pack_sequence({a, b, c}, /*enforce_sorted=*/false);
//   auto [out, h] = lstm->forward_with_packed_input(packed);         // out is packed too
//   auto [y, lengths] = tg::nn::utils::rnn::pad_packed_sequence(out);
//
// A packed sequence holds the steps of sequences sorted by decreasing length, time-major:
// data (sum of lengths, *) lists step 0 of every sequence, then step 1 of those still running,
// and so on; batch_sizes (int64, one per step) says how many sequences each step has.
// sorted_indices/unsorted_indices map between the caller's batch order and the sorted one
// (undefined when the input was already sorted). Packing and padding are built from
// differentiable ops (slice, view, cat, index_select), so gradients flow through both.
#pragma once

#include <optional>
#include <tuple>
#include <vector>

#include "../autograd/array_ref.hpp"
#include "../autograd/autograd.hpp"

namespace tg::nn::utils::rnn {

// The inverse permutation: output[permutation[i]] = i (undefined in, undefined out).
Tensor invert_permutation(const Tensor& permutation);

class PackedSequence {
 public:
  // unsorted_indices defaults to the inverse of sorted_indices. Throws tg::Error when
  // batch_sizes is not on the CPU (libtorch's message).
  explicit PackedSequence(Tensor data, Tensor batch_sizes, Tensor sorted_indices = {},
                          Tensor unsorted_indices = {});

  const Tensor& data() const { return data_; }
  const Tensor& batch_sizes() const { return batch_sizes_; }
  const Tensor& sorted_indices() const { return sorted_indices_; }
  const Tensor& unsorted_indices() const { return unsorted_indices_; }

  // There is no pinned memory here: pin_memory() returns the same sequence.
  PackedSequence pin_memory() const { return *this; }
  // Converts data (and moves the indices with it); the same sequence when data is unchanged.
  PackedSequence to(TensorOptions options) const;
  PackedSequence cuda() const { return to(kCUDA); }
  PackedSequence cpu() const { return to(kCPU); }
  bool is_cuda() const { return data_.is_cuda(); }
  bool is_pinned() const { return false; }

 private:
  Tensor data_, batch_sizes_, sorted_indices_, unsorted_indices_;
};

// Packs `input` (T, B, *) ((B, T, *) with batch_first) whose sequence b has lengths[b] steps.
// With enforce_sorted the lengths must be decreasing; otherwise the batch is sorted first.
PackedSequence pack_padded_sequence(Tensor input, Tensor lengths, bool batch_first = false,
                                    bool enforce_sorted = true);

// The inverse: (padded (T, B, *) or (B, T, *), lengths int64 (B)) in the caller's batch order;
// T is the longest length, or total_length when given (which must not be shorter).
std::tuple<Tensor, Tensor> pad_packed_sequence(PackedSequence sequence, bool batch_first = false,
                                               double padding_value = 0.0,
                                               std::optional<int64_t> total_length = std::nullopt);

// Stacks sequences of shape (L_i, *) into (L_max, B, *) ((B, L_max, *) with batch_first),
// filling the missing steps with padding_value.
Tensor pad_sequence(ArrayRef<Tensor> sequences, bool batch_first = false, double padding_value = 0);

// pack_padded_sequence(pad_sequence(sequences), their lengths, false, enforce_sorted).
PackedSequence pack_sequence(ArrayRef<Tensor> sequences, bool enforce_sorted = true);

}  // namespace tg::nn::utils::rnn
