// tg::data: datasets, splits, standardisation and the DataLoader.
#include "data.hpp"

#include <algorithm>
#include <cmath>

#include "../autograd/functions.hpp"

namespace tg::data {

namespace {

Tensor long_tensor(std::vector<int64_t> v) {
  return from_blob(v.data(), {int64_t(v.size())}, kLong).clone();  // v dies here
}

}  // namespace

// ---- TensorDataset -----------------------------------------------------------------------

TensorDataset::TensorDataset(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const Tensor& t = tensors_[i];
    if (!t.defined()) throw Error("TensorDataset: tensor " + std::to_string(i) + " is undefined");
    if (t.dim() == 0)
      throw Error("TensorDataset: tensor " + std::to_string(i) +
                  " is a scalar; every tensor needs a first (row) dimension");
    if (t.size(0) != tensors_[0].size(0))
      throw Error("TensorDataset: tensors must share their first dimension, got shapes " +
                  to_string(tensors_[0].sizes()) + " and " + to_string(t.sizes()) + " (tensor " +
                  std::to_string(i) + ")");
  }
  size_ = tensors_.empty() ? 0 : tensors_[0].size(0);
}

TensorDataset::TensorDataset(Tensor data, Tensor target)
    : TensorDataset(std::vector<Tensor>{std::move(data), std::move(target)}) {}

const Tensor& TensorDataset::tensor(size_t i) const {
  if (i >= tensors_.size())
    throw Error("TensorDataset::tensor: index " + std::to_string(i) + " out of range (" +
                std::to_string(tensors_.size()) + " tensors)");
  return tensors_[i];
}

std::vector<Tensor> TensorDataset::get_batch(const Tensor& indices) const {
  std::vector<Tensor> out;
  for (const Tensor& t : tensors_) out.push_back(t.index_select(0, indices));
  return out;
}

std::vector<Tensor> TensorDataset::get(int64_t index) const {
  if (index < 0 || index >= size_)
    throw Error("TensorDataset::get: index " + std::to_string(index) + " out of range (size " +
                std::to_string(size_) + ")");
  std::vector<Tensor> out;
  for (const Tensor& t : tensors_) out.push_back(t[index]);
  return out;
}

TensorDataset TensorDataset::subset(const Tensor& indices) const {
  return TensorDataset(get_batch(indices));
}

TensorDataset TensorDataset::map(size_t i, const Standardizer& scaler) const {
  std::vector<Tensor> out = tensors_;
  out.at(i) = scaler.transform(tensor(i));
  return TensorDataset(std::move(out));
}

Tensor permutation(int64_t n, uint64_t seed) {
  return randperm(n, make_generator<CPUGeneratorImpl>(seed));
}

std::pair<TensorDataset, TensorDataset> train_test_split(const TensorDataset& dataset,
                                                         double test_fraction, uint64_t seed) {
  const int64_t n = dataset.size();
  const int64_t n_test = int64_t(std::llround(double(n) * test_fraction));
  if (!(test_fraction > 0 && test_fraction < 1) || n_test < 1 || n_test >= n)
    throw Error("train_test_split: test_fraction " + std::to_string(test_fraction) + " of " +
                std::to_string(n) + " rows must leave both parts non-empty");
  Tensor order = permutation(n, seed);
  return {dataset.subset(order.narrow(0, n_test, n - n_test)),
          dataset.subset(order.narrow(0, 0, n_test))};
}

// ---- Standardizer ------------------------------------------------------------------------

Standardizer& Standardizer::fit(const Tensor& x) {
  if (!x.defined() || !x.is_floating_point() || x.dim() < 1 || x.dim() > 2 || x.size(0) < 1)
    throw Error("Standardizer::fit: need a non-empty 1-D or 2-D floating tensor, got " +
                (x.defined() ? std::string(dtype_name(x.scalar_type())) + " of shape " +
                                   to_string(x.sizes())
                             : std::string("an undefined tensor")));
  NoGradGuard no_grad;
  const Tensor d = x.detach();
  mean_ = d.mean({0});
  const Tensor sd = d.std({0}, /*unbiased=*/false);
  scale_ = where(sd.eq(0), ones_like(sd), sd);
  return *this;
}

void Standardizer::check(const Tensor& x, const char* op) const {
  if (!fitted()) throw Error(std::string("Standardizer::") + op + ": call fit() first");
  const bool ok = x.defined() && x.is_floating_point() && x.dim() >= 1 &&
                  (mean_.dim() == 0 ? x.dim() == 1 : x.dim() == 2 && x.size(1) == mean_.size(0));
  if (!ok)
    throw Error(std::string("Standardizer::") + op + ": fitted on " +
                (mean_.dim() == 0 ? std::string("a 1-D tensor")
                                  : std::to_string(mean_.size(0)) + " columns") +
                ", got " +
                (x.defined() ? std::string(dtype_name(x.scalar_type())) + " of shape " +
                                   to_string(x.sizes())
                             : std::string("an undefined tensor")));
}

Tensor Standardizer::transform(const Tensor& x) const {
  check(x, "transform");
  return (x - mean_.to(x.scalar_type())) / scale_.to(x.scalar_type());
}

Tensor Standardizer::inverse_transform(const Tensor& x) const {
  check(x, "inverse_transform");
  return x * scale_.to(x.scalar_type()) + mean_.to(x.scalar_type());
}

// ---- DataLoader --------------------------------------------------------------------------

DataLoader::DataLoader(TensorDataset dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)),
      options_(options),
      generator_(make_generator<CPUGeneratorImpl>(options.seed())) {
  if (options_.batch_size() < 1)
    throw Error("DataLoader: batch_size must be positive, got " +
                std::to_string(options_.batch_size()));
  if (dataset_.num_tensors() == 0) throw Error("DataLoader: the dataset holds no tensors");
}

// A copy draws its own stream, continuing from where the original is.
DataLoader::DataLoader(const DataLoader& other)
    : dataset_(other.dataset_),
      options_(other.options_),
      generator_(other.generator_.clone()),
      order_(other.order_) {}

DataLoader& DataLoader::operator=(const DataLoader& other) {
  dataset_ = other.dataset_;
  options_ = other.options_;
  generator_ = other.generator_.clone();
  order_ = other.order_;
  return *this;
}

DataLoader::~DataLoader() = default;

int64_t DataLoader::end_position() const {
  const int64_t n = dataset_.size(), bs = options_.batch_size();
  return options_.drop_last() ? n / bs * bs : n;
}

int64_t DataLoader::size() const {
  const int64_t bs = options_.batch_size();
  return (end_position() + bs - 1) / bs;
}

DataLoader::Iterator DataLoader::begin() {
  if (options_.shuffle()) {
    Tensor perm = randperm(dataset_.size(), generator_);
    order_.assign(perm.data_ptr<int64_t>(), perm.data_ptr<int64_t>() + perm.numel());
  }
  return Iterator(this, 0);
}

DataLoader::Iterator DataLoader::end() const { return Iterator(nullptr, end_position()); }

DataLoader::Iterator::Iterator(const DataLoader* loader, int64_t pos) : loader_(loader), pos_(pos) {
  if (loader_) load();
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  pos_ = std::min(pos_ + loader_->options_.batch_size(), loader_->end_position());
  load();
  return *this;
}

void DataLoader::Iterator::load() {
  batch_ = Batch();
  const int64_t stop = std::min(pos_ + loader_->options_.batch_size(), loader_->end_position());
  if (pos_ >= stop) return;
  if (loader_->options_.shuffle()) {
    const auto& order = loader_->order_;
    batch_.tensors = loader_->dataset_.get_batch(
        long_tensor(std::vector<int64_t>(order.begin() + pos_, order.begin() + stop)));
  } else {  // in order: leading-block slices, which share the dataset's storage
    for (const Tensor& t : loader_->dataset_.tensors())
      batch_.tensors.push_back(t.narrow(0, pos_, stop - pos_));
  }
  batch_.data = batch_.tensors[0];
  if (batch_.tensors.size() > 1) batch_.target = batch_.tensors[1];
}

}  // namespace tg::data
