// tg::data::samplers: which indices make up each batch (libtorch 1.13's
// torch/data/samplers/{base,random,sequential}.h). A sampler hands out up to batch_size indices
// per next() call and nullopt at the end of an epoch; reset() starts a new epoch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "../autograd/generator.hpp"
#include "../autograd/tensor.hpp"

namespace tg::data::samplers {

template <typename BatchRequest = std::vector<size_t>>
class Sampler {
 public:
  using BatchRequestType = BatchRequest;
  virtual ~Sampler() = default;
  virtual void reset(std::optional<size_t> new_size) = 0;
  virtual std::optional<BatchRequest> next(size_t batch_size) = 0;
};

// 0, 1, ..., size - 1 in order.
class SequentialSampler : public Sampler<> {
 public:
  explicit SequentialSampler(size_t size);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
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

 private:
  size_t examples_retrieved_so_far_ = 0;
  size_t epoch_size_;
};

}  // namespace tg::data::samplers
