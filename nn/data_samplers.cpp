// tg::data::samplers: SequentialSampler and RandomSampler (libtorch's
// src/data/samplers/{sequential,random}.cpp).
#include "data_samplers.hpp"

#include <algorithm>

#include "../autograd/functions.hpp"

namespace tg::data::samplers {

SequentialSampler::SequentialSampler(size_t size) : size_(size) {}

void SequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size) size_ = *new_size;
  index_ = 0;
}

std::optional<std::vector<size_t>> SequentialSampler::next(size_t batch_size) {
  const size_t remaining = size_ - index_;
  if (remaining == 0) return std::nullopt;
  std::vector<size_t> batch(std::min(batch_size, remaining));
  for (size_t& i : batch) i = index_++;
  return batch;
}

namespace {
Tensor draw(int64_t size, const Generator& generator, TensorOptions options) {
  return generator.defined() ? randperm(size, generator, options) : randperm(size, options);
}
}  // namespace

RandomSampler::RandomSampler(int64_t size, Dtype index_dtype)
    : indices_(draw(size, generator_, index_dtype)) {}

RandomSampler::RandomSampler(int64_t size, Generator generator, Dtype index_dtype)
    : generator_(std::move(generator)), indices_(draw(size, generator_, index_dtype)) {}

RandomSampler::~RandomSampler() = default;

void RandomSampler::reset(std::optional<size_t> new_size) {
  const size_t size = new_size.value_or(size_t(indices_.numel()));
  indices_ = draw(int64_t(size), generator_, indices_.options());
  index_ = 0;
}

std::optional<std::vector<size_t>> RandomSampler::next(size_t batch_size) {
  const size_t remaining = size_t(indices_.numel() - index_);
  if (remaining == 0) return std::nullopt;
  const size_t n = std::min(batch_size, remaining);
  // The indices may be stored narrower than int64; a batch is read through an int64 copy.
  const Tensor slice = indices_.narrow(0, index_, int64_t(n)).to(kInt64).contiguous();
  const int64_t* p = slice.data_ptr<int64_t>();
  std::vector<size_t> batch(p, p + n);
  index_ += int64_t(n);
  return batch;
}

void StreamSampler::reset(std::optional<size_t> new_size) {
  if (new_size) epoch_size_ = *new_size;
  examples_retrieved_so_far_ = 0;
}

std::optional<BatchSize> StreamSampler::next(size_t batch_size) {
  if (examples_retrieved_so_far_ >= epoch_size_) return std::nullopt;
  batch_size = std::min(batch_size, epoch_size_ - examples_retrieved_so_far_);
  examples_retrieved_so_far_ += batch_size;
  return BatchSize(batch_size);
}

}  // namespace tg::data::samplers
