// tg::data: TableDataset, splits, standardisation and the seeded DataLoader.
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

// ---- TableDataset ------------------------------------------------------------------------

namespace datasets {

TableDataset::TableDataset(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const Tensor& t = tensors_[i];
    if (!t.defined()) throw Error("TableDataset: tensor " + std::to_string(i) + " is undefined");
    if (t.dim() == 0)
      throw Error("TableDataset: tensor " + std::to_string(i) +
                  " is a scalar; every tensor needs a first (row) dimension");
    if (t.size(0) != tensors_[0].size(0))
      throw Error("TableDataset: tensors must share their first dimension, got shapes " +
                  to_string(tensors_[0].sizes()) + " and " + to_string(t.sizes()) + " (tensor " +
                  std::to_string(i) + ")");
  }
  rows_ = tensors_.empty() ? 0 : tensors_[0].size(0);
}

TableDataset::TableDataset(Tensor data, Tensor target)
    : TableDataset(std::vector<Tensor>{std::move(data), std::move(target)}) {}

const Tensor& TableDataset::tensor(size_t i) const {
  if (i >= tensors_.size())
    throw Error("TableDataset::tensor: index " + std::to_string(i) + " out of range (" +
                std::to_string(tensors_.size()) + " tensors)");
  return tensors_[i];
}

std::vector<Tensor> TableDataset::select_rows(const Tensor& indices) const {
  std::vector<Tensor> out;
  for (const Tensor& t : tensors_) out.push_back(t.index_select(0, indices));
  return out;
}

Example<> TableDataset::get(size_t index) {
  if (index >= size_t(rows_))
    throw Error("TableDataset::get: index " + std::to_string(index) + " out of range (size " +
                std::to_string(rows_) + ")");
  const auto i = int64_t(index);
  return {tensors_.at(0)[i], tensors_.size() > 1 ? tensors_[1][i] : Tensor()};
}

TableDataset TableDataset::subset(const Tensor& indices) const {
  return TableDataset(select_rows(indices));
}

TableDataset TableDataset::map(size_t i, const Standardizer& scaler) const {
  std::vector<Tensor> out = tensors_;
  out.at(i) = scaler.transform(tensor(i));
  return TableDataset(std::move(out));
}

}  // namespace datasets

Tensor permutation(int64_t n, uint64_t seed) {
  return randperm(n, make_generator<CPUGeneratorImpl>(seed));
}

std::pair<TableDataset, TableDataset> train_test_split(const TableDataset& dataset,
                                                       double test_fraction, uint64_t seed) {
  const int64_t n = dataset.rows();
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

DataLoader::DataLoader(TableDataset dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)),
      options_(options),
      generator_(make_generator<CPUGeneratorImpl>(options.seed())) {
  if (options_.batch_size() == 0)
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
  const int64_t n = dataset_.rows(), bs = int64_t(options_.batch_size());
  return options_.drop_last() ? n / bs * bs : n;
}

int64_t DataLoader::size() const {
  const auto bs = int64_t(options_.batch_size());
  return (end_position() + bs - 1) / bs;
}

DataLoader::Iterator DataLoader::begin() {
  if (options_.shuffle()) {
    // A fresh sampler per epoch draws the generator's next permutation: the same stream as
    // one sampler constructed and then reset every epoch.
    samplers::RandomSampler sampler(dataset_.rows(), generator_);
    const auto all = sampler.next(size_t(dataset_.rows()));
    order_.clear();
    if (all) order_.assign(all->begin(), all->end());
  }
  return Iterator(this, 0);
}

DataLoader::Iterator DataLoader::end() const { return Iterator(nullptr, end_position()); }

DataLoader::Iterator::Iterator(const DataLoader* loader, int64_t pos) : loader_(loader), pos_(pos) {
  if (loader_) load();
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  pos_ = std::min(pos_ + int64_t(loader_->options_.batch_size()), loader_->end_position());
  load();
  return *this;
}

void DataLoader::Iterator::load() {
  batch_ = Batch();
  const int64_t stop =
      std::min(pos_ + int64_t(loader_->options_.batch_size()), loader_->end_position());
  if (pos_ >= stop) return;
  if (loader_->options_.shuffle()) {
    const auto& order = loader_->order_;
    batch_.tensors = loader_->dataset_.select_rows(
        long_tensor(std::vector<int64_t>(order.begin() + pos_, order.begin() + stop)));
  } else {  // in order: leading-block slices, which share the dataset's storage
    for (const Tensor& t : loader_->dataset_.tensors())
      batch_.tensors.push_back(t.narrow(0, pos_, stop - pos_));
  }
  batch_.data = batch_.tensors[0];
  if (batch_.tensors.size() > 1) batch_.target = batch_.tensors[1];
}

}  // namespace tg::data
