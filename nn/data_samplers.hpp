// tg::data::samplers: which indices make up each batch (libtorch 1.13's
// torch/data/samplers/{base,random,sequential,stream,distributed}.h). A sampler hands out up to
// batch_size indices per next() call and nullopt at the end of an epoch; reset() starts a new
// epoch. save() / load() write and read its position (tg::save(sampler, path) /
// tg::load(sampler, path), data_serialize.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "../autograd/generator.hpp"
#include "../autograd/tensor.hpp"

namespace tg::serialize {
class OutputArchive;
class InputArchive;
}  // namespace tg::serialize

namespace tg::data::samplers {

template <typename BatchRequest = std::vector<size_t>>
class Sampler {
 public:
  using BatchRequestType = BatchRequest;
  virtual ~Sampler() = default;
  virtual void reset(std::optional<size_t> new_size) = 0;
  virtual std::optional<BatchRequest> next(size_t batch_size) = 0;
  virtual void save(serialize::OutputArchive& archive) const = 0;
  virtual void load(serialize::InputArchive& archive) = 0;
};

// 0, 1, ..., size - 1 in order.
class SequentialSampler : public Sampler<> {
 public:
  explicit SequentialSampler(size_t size);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  size_t index() const noexcept { return index_; }

 private:
  size_t size_;
  size_t index_ = 0;
};

// A random permutation of 0 .. size - 1 per epoch, drawn as libtorch draws it:
// randperm(size, index_dtype) from the default generator (tg::manual_seed's) once when
// constructed and again at every reset(). make_data_loader resets its sampler at each begin(),
// so after manual_seed(s) the first epoch uses the *second* permutation, as in libtorch.
// (tapegrad extension: a Generator of its own instead of the default one.)
class RandomSampler : public Sampler<> {
 public:
  explicit RandomSampler(int64_t size, Dtype index_dtype = kInt64);
  RandomSampler(int64_t size, Generator generator, Dtype index_dtype = kInt64);
  ~RandomSampler() override;
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  // The permutation and the position in it (not the generator).
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  size_t index() const noexcept { return size_t(index_); }

 private:
  Generator generator_;  // undefined: the default generator
  Tensor indices_;
  int64_t index_ = 0;
};

// ---- streams -----------------------------------------------------------------------------
// A batch request that is not a list of indices (libtorch's CustomBatchRequest).
struct CustomBatchRequest {
  virtual ~CustomBatchRequest() = default;
  virtual size_t size() const = 0;
};

// "The next `size` examples", the request of a StreamDataset.
struct BatchSize : public CustomBatchRequest {
  explicit BatchSize(size_t size) : size_(size) {}
  size_t size() const noexcept override { return size_; }
  operator size_t() const noexcept { return size_; }  // NOLINT: implicit, as libtorch
  size_t size_;
};

// Asks a stream for batch_size examples at a time until epoch_size have been asked for (the
// last request is cut to what is left).
class StreamSampler : public Sampler<BatchSize> {
 public:
  explicit StreamSampler(size_t epoch_size) : epoch_size_(epoch_size) {}
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<BatchSize> next(size_t batch_size) override;
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;

 private:
  size_t examples_retrieved_so_far_ = 0;
  size_t epoch_size_;
};

// ---- distributed -------------------------------------------------------------------------
// One replica's share (rank of num_replicas) of size examples, as PyTorch's DistributedSampler:
// every replica gets local_sample_count() of them, ceil(size / num_replicas) when duplicates
// are allowed (the first indices are used twice to fill up) and floor(...) when not (the
// last ones are left out).
template <typename BatchRequest = std::vector<size_t>>
class DistributedSampler : public Sampler<BatchRequest> {
 public:
  DistributedSampler(size_t size, size_t num_replicas = 1, size_t rank = 0,
                     bool allow_duplicates = true)
      : size_(size),
        num_replicas_(num_replicas),
        rank_(rank),
        epoch_(0),
        allow_duplicates_(allow_duplicates) {}
  // The epoch seeds DistributedRandomSampler's shuffle: all replicas must agree on it.
  void set_epoch(size_t epoch) { epoch_ = epoch; }
  size_t epoch() const { return epoch_; }

 protected:
  size_t local_sample_count() {
    return allow_duplicates_ ? (size_ + num_replicas_ - 1) / num_replicas_ : size_ / num_replicas_;
  }
  size_t size_;
  size_t num_replicas_;
  size_t rank_;
  size_t epoch_;
  bool allow_duplicates_;
};

// The replica's slice of a permutation that every replica draws alike: std::mt19937 seeded
// with the epoch (construction and every reset() shuffle anew, set_epoch() first to change it).
class DistributedRandomSampler : public DistributedSampler<> {
 public:
  DistributedRandomSampler(size_t size, size_t num_replicas = 1, size_t rank = 0,
                           bool allow_duplicates = true);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  // The position in the whole list, not in this replica's slice (libtorch's): rank r's epoch
  // ends at (r + 1) * local_sample_count().
  size_t index() const noexcept { return sample_index_; }

 private:
  void populate_indices();
  size_t begin_index_ = 0;
  size_t end_index_ = 0;
  size_t sample_index_ = 0;
  std::vector<size_t> all_indices_;
};

// The replica's contiguous slice, in order: rank r gets [r * n, (r + 1) * n) (mod size).
class DistributedSequentialSampler : public DistributedSampler<> {
 public:
  DistributedSequentialSampler(size_t size, size_t num_replicas = 1, size_t rank = 0,
                               bool allow_duplicates = true);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  void save(serialize::OutputArchive& archive) const override;
  void load(serialize::InputArchive& archive) override;
  // The position in the whole list, not in this replica's slice (libtorch's): rank r's epoch
  // ends at (r + 1) * local_sample_count().
  size_t index() const noexcept { return sample_index_; }

 private:
  void populate_indices();
  size_t begin_index_ = 0;
  size_t end_index_ = 0;
  size_t sample_index_ = 0;
  std::vector<size_t> all_indices_;
};

}  // namespace tg::data::samplers
