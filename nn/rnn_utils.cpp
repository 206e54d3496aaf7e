// Packing and padding of variable-length sequences: the algorithms of ATen's
// PackedSequence.cpp, written with differentiable tg:: ops (slice, reshape, cat,
// index_select), so the backward of each is the one of the ops it is made of.
#include "rnn_utils.hpp"

#include <algorithm>
#include <string>

namespace tg::nn::utils::rnn {

namespace {

// ATen's checkLongTensor, with its words.
void check_long_tensor(const Tensor& t) {
  if (!(t.dim() == 1 && t.scalar_type() == kLong))
    throw Error("'lengths' argument should be a 1D CPU int64 tensor, but got " +
                std::to_string(t.dim()) + "D cpu " + dtype_name(t.scalar_type()) + " tensor");
}

std::vector<int64_t> int64_values(const Tensor& t) {
  const int64_t* p = t.data_ptr<int64_t>();
  return std::vector<int64_t>(p, p + t.numel());
}

// The shape `sizes` with its first dimension replaced by `first` (and `second` inserted
// after it when >= 0): [first, (second,) *sizes[1:]].
std::vector<int64_t> with_leading(IntArrayRef sizes, int64_t first, int64_t second = -1) {
  std::vector<int64_t> out{first};
  if (second >= 0) out.push_back(second);
  for (size_t d = 1; d < sizes.size(); ++d) out.push_back(sizes[d]);
  return out;
}

}  // namespace

Tensor invert_permutation(const Tensor& permutation) {
  if (!permutation.defined()) return Tensor();
  std::vector<int64_t> perm = int64_values(permutation.to(kLong)), out(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) out[size_t(perm[i])] = int64_t(i);
  return tensor(out).to(permutation.scalar_type());
}

PackedSequence::PackedSequence(Tensor data, Tensor batch_sizes, Tensor sorted_indices,
                               Tensor unsorted_indices) {
  if (!unsorted_indices.defined()) unsorted_indices = invert_permutation(sorted_indices);
  if (batch_sizes.defined() && batch_sizes.device().type() != kCPU)
    throw Error(
        "batch_sizes should always be on CPU. Instances of PackedSequence should never be "
        "created manually. They should be instantiated by functions like pack_sequence and "
        "pack_padded_sequences in nn::utils::rnn. "
        "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence");
  data_ = std::move(data);
  batch_sizes_ = std::move(batch_sizes);
  sorted_indices_ = std::move(sorted_indices);
  unsorted_indices_ = std::move(unsorted_indices);
}

PackedSequence PackedSequence::to(TensorOptions options) const {
  Tensor data = data_.to(options);
  if (data.is_same(data_)) return *this;
  // The indices keep their dtype; only the device would follow data's.
  return PackedSequence(data, batch_sizes_, sorted_indices_, unsorted_indices_);
}

// ATen's _pack_padded_sequence: for each distinct length l (shortest first), the steps
// [prev_l, l) of the sequences at least l long, flattened to (steps * batch, *).
PackedSequence pack_padded_sequence(Tensor input, Tensor lengths, bool batch_first,
                                    bool enforce_sorted) {
  lengths = lengths.to(kLong);
  Tensor sorted_indices;
  if (!enforce_sorted) {
    std::tie(lengths, sorted_indices) = sort(lengths, /*dim=*/-1, /*descending=*/true);
    input = input.index_select(batch_first ? 0 : 1, sorted_indices);
  }
  if (batch_first) input = input.transpose(0, 1);
  check_long_tensor(lengths);
  const int64_t batch = input.size(1);
  if (input.numel() <= 0) throw Error("Cannot pack empty tensors.");
  if (lengths.size(0) != batch)
    throw Error("Expected `len(lengths)` to be equal to batch_size, but got " +
                std::to_string(lengths.size(0)) + " (batch_size=" + std::to_string(batch) + ")");
  const std::vector<int64_t> len = int64_values(lengths);
  if (len[size_t(batch - 1)] <= 0)
    throw Error(
        "Length of all samples has to be greater than 0, but found an element in 'lengths' "
        "that is <= 0");
  for (int64_t i = 0; i + 1 < batch; ++i)
    if (len[size_t(i + 1)] > len[size_t(i)])
      throw Error(
          "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
          "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
          "sidestep this requirement if you do not need ONNX exportability.");
  std::vector<Tensor> steps;
  std::vector<int64_t> batch_sizes;
  int64_t prev_l = 0;
  for (int64_t i = 0; i < batch; ++i) {
    const int64_t l = len[size_t(batch - 1 - i)], current = batch - i;
    if (l > prev_l) {
      Tensor block = input.slice(0, prev_l, l).slice(1, 0, current);
      std::vector<int64_t> step_shape{-1};  // [-1, *input.shape[2:]]
      for (int64_t d = 2; d < input.dim(); ++d) step_shape.push_back(input.size(d));
      steps.push_back(block.reshape(step_shape));
      batch_sizes.insert(batch_sizes.end(), size_t(l - prev_l), current);
      prev_l = l;
    }
  }
  return PackedSequence(cat(steps, 0), tensor(batch_sizes), sorted_indices, Tensor());
}

// ATen's _pad_packed_sequence: each run of steps with the same batch size is one block of
// data, reshaped to (steps, batch, *) and padded to the largest batch; then padding steps
// up to the total length.
std::tuple<Tensor, Tensor> pad_packed_sequence(PackedSequence sequence, bool batch_first,
                                               double padding_value,
                                               std::optional<int64_t> total_length) {
  const Tensor& data = sequence.data();
  int64_t max_seq_length = sequence.batch_sizes().size(0);
  if (total_length) {
    if (*total_length < max_seq_length)
      throw Error(
          "Expected total_length to be at least the length of the longest sequence in input, "
          "but got total_length=" +
          std::to_string(*total_length) + " and max sequence length being " +
          std::to_string(max_seq_length));
    max_seq_length = *total_length;
  }
  check_long_tensor(sequence.batch_sizes());
  const std::vector<int64_t> bs = int64_values(sequence.batch_sizes());
  const int64_t max_batch = bs.at(0), real_steps = int64_t(bs.size());
  const TensorOptions opts = TensorOptions().dtype(data.scalar_type());
  std::vector<Tensor> blocks;
  std::vector<int64_t> lengths(static_cast<size_t>(max_batch), 0);
  int64_t offset = 0, prev_batch = max_batch, prev_i = 0;
  for (int64_t i = 0; i <= real_steps; ++i) {
    const int64_t b = i != real_steps ? bs[size_t(i)] : 0;
    if (b != prev_batch) {
      const int64_t n = i - prev_i;
      Tensor block = data.slice(0, offset, offset + prev_batch * n)
                         .reshape(with_leading(data.sizes(), n, prev_batch));
      if (prev_batch < max_batch)
        block = cat({block, full(with_leading(data.sizes(), n, max_batch - prev_batch),
                                 padding_value, opts)},
                    1);
      blocks.push_back(block);
      offset += prev_batch * n;
      prev_i = i;
    }
    for (int64_t j = b; j < prev_batch; ++j) lengths[size_t(j)] = i;
    prev_batch = b;
  }
  if (max_seq_length > real_steps)
    blocks.push_back(full(with_leading(data.sizes(), max_seq_length - real_steps, max_batch),
                          padding_value, opts));
  Tensor output = blocks.size() == 1 ? blocks[0] : cat(blocks, 0);
  if (batch_first) output = output.transpose(0, 1);
  Tensor lengths_t = tensor(lengths);
  const Tensor& unsorted = sequence.unsorted_indices();
  if (unsorted.defined())
    return {output.index_select(batch_first ? 0 : 1, unsorted),
            lengths_t.index_select(0, unsorted)};
  return {output, lengths_t};
}

Tensor pad_sequence(ArrayRef<Tensor> sequences, bool batch_first, double padding_value) {
  if (sequences.empty()) throw Error("received an empty list of sequences");
  int64_t max_len = 0;
  for (const Tensor& s : sequences) max_len = std::max(max_len, s.size(0));
  const IntArrayRef first = sequences[0].sizes();
  std::vector<Tensor> padded;
  for (const Tensor& s : sequences) {
    if (s.size(0) == max_len) {
      padded.push_back(s);
    } else {
      Tensor pad = full(with_leading(first, max_len - s.size(0)), padding_value,
                        TensorOptions().dtype(sequences[0].scalar_type()));
      padded.push_back(cat({s, pad.to(s.scalar_type())}, 0));
    }
  }
  return stack(padded, batch_first ? 0 : 1).to(sequences[0].scalar_type());
}

PackedSequence pack_sequence(ArrayRef<Tensor> sequences, bool enforce_sorted) {
  std::vector<int64_t> lengths;
  for (const Tensor& s : sequences) lengths.push_back(s.size(0));
  return pack_padded_sequence(pad_sequence(sequences), tensor(lengths), /*batch_first=*/false,
                              enforce_sorted);
}

}  // namespace tg::nn::utils::rnn
