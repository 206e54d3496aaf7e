// tg::data::samplers: the samplers' bodies and their save() / load() (libtorch's
// src/data/samplers/*.cpp). A position is stored as a one-element int64 tensor.
#include "data_samplers.hpp"

#include <algorithm>
#include <numeric>
#include <random>

#include "../autograd/functions.hpp"
#include "archive.hpp"

namespace tg::data::samplers {

namespace {
void write_count(serialize::OutputArchive& archive, const std::string& key, size_t value) {
  archive.write(key, tensor({int64_t(value)}, kInt64), /*is_buffer=*/true);
}
size_t read_count(serialize::InputArchive& archive, const std::string& key) {
  Tensor t = empty({1}, kInt64);
  archive.read(key, t, /*is_buffer=*/true);
  return size_t(t.item<int64_t>());
}
}  // namespace

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

void SequentialSampler::save(serialize::OutputArchive& archive) const {
  write_count(archive, "index", index_);
}

void SequentialSampler::load(serialize::InputArchive& archive) {
  index_ = read_count(archive, "index");
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

void RandomSampler::save(serialize::OutputArchive& archive) const {
  write_count(archive, "index", size_t(index_));
  archive.write("indices", indices_, /*is_buffer=*/true);
}

void RandomSampler::load(serialize::InputArchive& archive) {
  Tensor indices;  // undefined: takes the saved tensor whatever its size and dtype
  archive.read("indices", indices, /*is_buffer=*/true);
  indices_ = indices;
  index_ = int64_t(read_count(archive, "index"));
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

void StreamSampler::save(serialize::OutputArchive& archive) const {
  write_count(archive, "examples_retrieved_so_far", examples_retrieved_so_far_);
}

void StreamSampler::load(serialize::InputArchive& archive) {
  examples_retrieved_so_far_ = read_count(archive, "examples_retrieved_so_far");
}

// ---- distributed -------------------------------------------------------------------------

DistributedRandomSampler::DistributedRandomSampler(size_t size, size_t num_replicas, size_t rank,
                                                   bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset();
}

void DistributedRandomSampler::populate_indices() {
  const size_t local = local_sample_count();
  all_indices_.resize(local * num_replicas_);
  // With duplicates the list wraps around to the first indices; without, it stops short.
  for (size_t i = 0; i < all_indices_.size(); ++i) all_indices_[i] = i % size_;
  begin_index_ = rank_ * local;
  end_index_ = begin_index_ + local;
  sample_index_ = begin_index_;
}

void DistributedRandomSampler::reset(std::optional<size_t> new_size) {
  if (new_size) size_ = *new_size;
  populate_indices();  // each epoch's permutation is of the plain list, not of the last one
  std::mt19937 generator(epoch_);  // the same seed on every replica: one shared permutation
  std::shuffle(all_indices_.begin(), all_indices_.end(), generator);
  sample_index_ = begin_index_;
}

std::optional<std::vector<size_t>> DistributedRandomSampler::next(size_t batch_size) {
  if (sample_index_ == end_index_) return std::nullopt;
  const size_t n = std::min(batch_size, end_index_ - sample_index_);
  std::vector<size_t> batch(all_indices_.begin() + ptrdiff_t(sample_index_),
                            all_indices_.begin() + ptrdiff_t(sample_index_ + n));
  sample_index_ += n;
  return batch;
}

void DistributedRandomSampler::save(serialize::OutputArchive& archive) const {
  write_count(archive, "sample_index_", sample_index_);
  write_count(archive, "epoch_", epoch_);
}

void DistributedRandomSampler::load(serialize::InputArchive& archive) {
  // The saved epoch's permutation first, then the position in it.
  epoch_ = read_count(archive, "epoch_");
  reset();
  sample_index_ = read_count(archive, "sample_index_");
}

DistributedSequentialSampler::DistributedSequentialSampler(size_t size, size_t num_replicas,
                                                           size_t rank, bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  populate_indices();
}

void DistributedSequentialSampler::populate_indices() {
  const size_t local = local_sample_count();
  begin_index_ = rank_ * local;
  end_index_ = begin_index_ + local;
  sample_index_ = begin_index_;
  all_indices_.resize(local);
  for (size_t i = 0; i < local; ++i) all_indices_[i] = (begin_index_ + i) % size_;
}

void DistributedSequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size && *new_size != size_) {
    size_ = *new_size;
    populate_indices();
  }
  sample_index_ = begin_index_;
}

std::optional<std::vector<size_t>> DistributedSequentialSampler::next(size_t batch_size) {
  if (sample_index_ == end_index_) return std::nullopt;
  const size_t n = std::min(batch_size, end_index_ - sample_index_);
  const size_t offset = sample_index_ - begin_index_;
  std::vector<size_t> batch(all_indices_.begin() + ptrdiff_t(offset),
                            all_indices_.begin() + ptrdiff_t(offset + n));
  sample_index_ += n;
  return batch;
}

void DistributedSequentialSampler::save(serialize::OutputArchive& archive) const {
  write_count(archive, "sample_index_", sample_index_);
}

void DistributedSequentialSampler::load(serialize::InputArchive& archive) {
  sample_index_ = read_count(archive, "sample_index_");
}

}  // namespace tg::data::samplers
