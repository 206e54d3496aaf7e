// tg::data::datasets: libtorch 1.13's dataset classes (torch/data/example.h, datasets/base.h,
// map.h, tensor.h, mnist.h). A dataset is a CRTP class: `get(index)` returns one Example,
// `size()` the number of examples (nullopt when unknown), and `get_batch(indices)` a batch (by
// default a std::vector of get()'s). `.map(transform)` wraps it in a MapDataset whose batches
// are transform.apply_batch(batch), e.g. `MNIST(root).map(Normalize<>(0.13, 0.31)).map(Stack<>())`.
//
//   struct Squares : tg::data::datasets::Dataset<Squares> {     // a user dataset, as in libtorch
//     tg::data::Example<> get(size_t i) override {
//       return {tg::full({1}, double(i)), tg::full({1}, double(i * i))};
//     }
//     tg::optional<size_t> size() const override { return 100; }
//   };
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../autograd/array_ref.hpp"
#include "../autograd/c10_util.hpp"
#include "../autograd/functions.hpp"
#include "../autograd/tensor.hpp"

// torch::optional / torch::nullopt, spelled in user datasets' size(), come from c10_util.hpp.

namespace tg::serialize {
class OutputArchive;
class InputArchive;
}  // namespace tg::serialize

namespace tg::data {

// ---- Example -----------------------------------------------------------------------------
// One example of a dataset: data and its target (label).
template <typename Data = Tensor, typename Target = Tensor>
struct Example {
  using DataType = Data;
  using TargetType = Target;
  Example() = default;
  Example(Data data, Target target) : data(std::move(data)), target(std::move(target)) {}
  Data data;
  Target target;
};

namespace example {
using NoTarget = void;
}  // namespace example

// An example without a target, implicitly convertible to its data (as libtorch's).
template <typename Data>
struct Example<Data, example::NoTarget> {
  using DataType = Data;
  using TargetType = example::NoTarget;
  Example() = default;
  Example(Data data) : data(std::move(data)) {}  // NOLINT: implicit, as libtorch
  operator Data&() { return data; }              // NOLINT
  operator const Data&() const { return data; }  // NOLINT
  Data data;
};

using TensorExample = Example<Tensor, example::NoTarget>;

namespace datasets {

template <typename S, typename T>
class MapDataset;
template <typename D, typename T>
MapDataset<D, T> map(D dataset, T transform);

namespace detail {
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

// A dataset that hands out whole batches. A stateful dataset (Batch = optional<...>) decides
// itself what comes next and says nullopt at the end of an epoch.
template <typename Self, typename Batch = std::vector<Example<>>,
          typename BatchRequest = ArrayRef<size_t>>
class BatchDataset {
 public:
  using SelfType = Self;
  using BatchType = Batch;
  using BatchRequestType = BatchRequest;
  constexpr static bool is_stateful = detail::is_optional<BatchType>::value;

  virtual ~BatchDataset() = default;
  virtual Batch get_batch(BatchRequest request) = 0;
  virtual optional<size_t> size() const = 0;

  template <typename TransformType>
  MapDataset<Self, TransformType> map(TransformType transform) & {
    return datasets::map(static_cast<Self&>(*this), std::move(transform));
  }
  template <typename TransformType>
  MapDataset<Self, TransformType> map(TransformType transform) && {
    return datasets::map(std::move(static_cast<Self&>(*this)), std::move(transform));
  }
};

// A dataset of single examples: a batch is the examples at the requested indices.
template <typename Self, typename SingleExample = Example<>>
class Dataset : public BatchDataset<Self, std::vector<SingleExample>> {
 public:
  using ExampleType = SingleExample;
  virtual ExampleType get(size_t index) = 0;
  std::vector<ExampleType> get_batch(ArrayRef<size_t> indices) override {
    std::vector<ExampleType> batch;
    batch.reserve(indices.size());
    for (const size_t i : indices) batch.push_back(get(i));
    return batch;
  }
};

template <typename Self, typename Batch = std::vector<Example<>>>
using StreamDataset = BatchDataset<Self, Batch, /*BatchRequest=*/size_t>;

// A dataset that decides itself what comes next: get_batch(n) gives up to n examples, or
// nullopt at the end of an epoch; reset() starts a new epoch. save() / load() keep its position
// (tg::save(dataset, path), data_serialize.hpp).
template <typename Self, typename Batch = std::vector<Example<>>, typename BatchRequest = size_t>
class StatefulDataset : public BatchDataset<Self, optional<Batch>, BatchRequest> {
 public:
  virtual void reset() = 0;
  virtual void save(serialize::OutputArchive& archive) const = 0;
  virtual void load(serialize::InputArchive& archive) = 0;
};

// ---- MapDataset --------------------------------------------------------------------------
namespace detail {
template <bool C, typename T>
using optional_if_t = std::conditional_t<C, std::optional<T>, T>;
}  // namespace detail

// `dataset` with every batch passed through transform.apply_batch.
template <typename SourceDataset, typename AppliedTransform>
class MapDataset
    : public BatchDataset<MapDataset<SourceDataset, AppliedTransform>,
                          detail::optional_if_t<SourceDataset::is_stateful,
                                                typename AppliedTransform::OutputBatchType>,
                          typename SourceDataset::BatchRequestType> {
 public:
  using DatasetType = SourceDataset;
  using TransformType = AppliedTransform;
  using BatchRequestType = typename SourceDataset::BatchRequestType;
  using OutputBatchType =
      detail::optional_if_t<SourceDataset::is_stateful, typename AppliedTransform::OutputBatchType>;

  MapDataset(DatasetType dataset, TransformType transform)
      : dataset_(std::move(dataset)), transform_(std::move(transform)) {}

  OutputBatchType get_batch(BatchRequestType indices) override {
    if constexpr (SourceDataset::is_stateful) {
      if (auto batch = dataset_.get_batch(std::move(indices)))
        return transform_.apply_batch(std::move(*batch));
      return nullopt;
    } else {
      return transform_.apply_batch(dataset_.get_batch(std::move(indices)));
    }
  }
  optional<size_t> size() const noexcept override { return dataset_.size(); }
  void reset() { dataset_.reset(); }  // stateful sources only (instantiated when called)
  const SourceDataset& dataset() noexcept { return dataset_; }
  const AppliedTransform& transform() noexcept { return transform_; }

 private:
  SourceDataset dataset_;
  AppliedTransform transform_;
};

template <typename DatasetType, typename TransformType>
MapDataset<DatasetType, TransformType> map(DatasetType dataset, TransformType transform) {
  static_assert(
      std::is_same_v<
          std::conditional_t<DatasetType::is_stateful, typename DatasetType::BatchType::value_type,
                             typename DatasetType::BatchType>,
          typename TransformType::InputBatchType>,
      "BatchType type of dataset does not match input type of transform");
  return {std::move(dataset), std::move(transform)};
}

// ---- SharedBatchDataset -----------------------------------------------------------------
// A dataset held through a shared_ptr: copies (a loader keeps its own copy) share one dataset,
// so its state is visible from outside the loader.
template <typename UnderlyingDataset>
class SharedBatchDataset : public BatchDataset<SharedBatchDataset<UnderlyingDataset>,
                                               typename UnderlyingDataset::BatchType,
                                               typename UnderlyingDataset::BatchRequestType> {
 public:
  using BatchType = typename UnderlyingDataset::BatchType;
  using BatchRequestType = typename UnderlyingDataset::BatchRequestType;
  SharedBatchDataset(std::shared_ptr<UnderlyingDataset> shared_dataset)  // NOLINT: implicit
      : dataset_(std::move(shared_dataset)) {}
  BatchType get_batch(BatchRequestType request) override {
    return dataset_->get_batch(std::move(request));
  }
  optional<size_t> size() const override { return dataset_->size(); }
  UnderlyingDataset& operator*() { return *dataset_; }
  const UnderlyingDataset& operator*() const { return *dataset_; }
  UnderlyingDataset* operator->() { return dataset_.get(); }
  const UnderlyingDataset* operator->() const { return dataset_.get(); }
  void reset() { dataset_->reset(); }

 private:
  std::shared_ptr<UnderlyingDataset> dataset_;
};

template <typename UnderlyingDataset, typename... Args>
SharedBatchDataset<UnderlyingDataset> make_shared_dataset(Args&&... args) {
  return std::make_shared<UnderlyingDataset>(std::forward<Args>(args)...);
}

// ---- TensorDataset (libtorch's) ----------------------------------------------------------
// One tensor whose rows are the examples (no target). From a vector of tensors it stacks them,
// so that vector's tensors are the examples -- unlike tg::data::TableDataset, whose tensors are
// columns (data, target, ...) sharing their first dimension.
struct TensorDataset : public Dataset<TensorDataset, TensorExample> {
  explicit TensorDataset(const std::vector<Tensor>& tensors) : TensorDataset(stack(tensors)) {}
  explicit TensorDataset(Tensor tensor) : tensor(std::move(tensor)) {}
  TensorExample get(size_t index) override { return tensor[int64_t(index)]; }
  optional<size_t> size() const override { return size_t(tensor.size(0)); }
  Tensor tensor;
};

// ---- MNIST -------------------------------------------------------------------------------
// The MNIST digits from the four IDX files in `root` (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte), read as libtorch
// does: big-endian headers that must say 60000 (train) or 10000 (test) images of 28 x 28;
// images float32 [N, 1, 28, 28] = byte / 255, targets int64 [N]. Errors keep libtorch's
// wording ("Error opening images file at <path>", "Expected to read number 2051 but found ...
// instead"); a file too short for its header's count throws too (libtorch would leave the rest
// of its uninitialised buffer in the tensor).
class MNIST : public Dataset<MNIST> {
 public:
  enum class Mode { kTrain, kTest };
  explicit MNIST(const std::string& root, Mode mode = Mode::kTrain);
  Example<> get(size_t index) override;
  optional<size_t> size() const override;
  bool is_train() const noexcept;
  const Tensor& images() const;
  const Tensor& targets() const;

 private:
  Tensor images_, targets_;
};

}  // namespace datasets

// libtorch exports these two into torch::data.
using datasets::BatchDataset;
using datasets::Dataset;

}  // namespace tg::data
