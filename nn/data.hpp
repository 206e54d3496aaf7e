// tg::data: the data pipeline, one system in libtorch's shape. libtorch's classes live in
// data_datasets.hpp (Example, Dataset, MapDataset, datasets::TensorDataset, datasets::MNIST),
// data_transforms.hpp (Stack, Normalize, Lambda, ...), data_samplers.hpp (RandomSampler,
// SequentialSampler, StreamSampler, the distributed ones), data_chunk.hpp (ChunkDataset),
// data_loader.hpp (DataLoaderOptions, make_data_loader; its worker threads are built from
// data_detail.hpp) and data_serialize.hpp (tg::save / tg::load of samplers and datasets). This file
// adds tapegrad's conveniences for tabular data on top of them -- CSV files to tensors, a dataset
// of column tensors, train / test splits, standardisation, and a seeded loader:
//
//   auto table = tg::data::read_csv("breast_cancer.csv");         // header skipped, float32
//   auto x = table.narrow(1, 0, 30), y = table.narrow(1, 30, 1);
//   auto [train, test] = tg::data::train_test_split({x, y}, 0.2, /*seed=*/0);  // TableDatasets
//   tg::data::Standardizer scaler;
//   scaler.fit(train.tensor(0));                                   // training rows only
//   train = train.map(0, scaler), test = test.map(0, scaler);
//   tg::data::DataLoader loader(train, tg::data::DataLoaderOptions(32).shuffle(true).seed(1));
//   for (int epoch = 0; epoch < 20; ++epoch)
//     for (auto& batch : loader) step(batch.data, batch.target);  // a new order every epoch
//
// A TableDataset is also a libtorch Dataset<TableDataset> (get(i) is Example{x[i], y[i]}), so
// make_data_loader(train.map(Stack<>()), options) works on it too, drawing its order from the
// default generator as libtorch's loaders do.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../autograd/tensor.hpp"
#include "data_chunk.hpp"
#include "data_datasets.hpp"
#include "data_detail.hpp"
#include "data_loader.hpp"
#include "data_samplers.hpp"
#include "data_serialize.hpp"
#include "data_transforms.hpp"

namespace tg::data {

// ---- CSV ---------------------------------------------------------------------------------
struct CsvOptions {
  TG_ARG(bool, header) = true;  // skip the first line
  TG_ARG(char, delimiter) = ',';
  TG_ARG(ScalarType, dtype) = kFloat;  // kLong requires whole numbers
};
// A numeric table: one row per non-blank line, every row as wide as the first. A missing file,
// a ragged row or a field that is not a number throws tg::Error naming "path:line".
Tensor read_csv(const std::string& path, const CsvOptions& options = {});
// The fields of the first line (column names when the file has a header).
std::vector<std::string> read_csv_header(const std::string& path, const CsvOptions& options = {});

class Standardizer;

// ---- datasets ----------------------------------------------------------------------------
namespace datasets {
// Column tensors that share their first dimension: row i of the dataset is row i of each of
// them (as PyTorch's torch.utils.data.TensorDataset(*tensors); libtorch's C++ TensorDataset is
// one stacked tensor without targets). As a libtorch Dataset its examples are
// Example{tensor(0)[i], tensor(1)[i]} (target undefined with a single tensor).
class TableDataset : public Dataset<TableDataset> {
 public:
  TableDataset() = default;
  explicit TableDataset(std::vector<Tensor> tensors);  // tg::Error if first dims differ
  TableDataset(Tensor data, Tensor target);

  Example<> get(size_t index) override;
  optional<size_t> size() const override { return size_t(rows_); }
  int64_t rows() const { return rows_; }
  size_t num_tensors() const { return tensors_.size(); }
  const Tensor& tensor(size_t i) const;
  const std::vector<Tensor>& tensors() const { return tensors_; }
  // The rows `indices` (int64, 1-D) of every tensor, copied.
  std::vector<Tensor> select_rows(const Tensor& indices) const;
  TableDataset subset(const Tensor& indices) const;
  // The same rows with tensor i replaced by scaler.transform(tensor i).
  TableDataset map(size_t i, const Standardizer& scaler) const;
  using Dataset<TableDataset>::map;  // and libtorch's map(transform)

 private:
  std::vector<Tensor> tensors_;
  int64_t rows_ = 0;
};
}  // namespace datasets
using datasets::TableDataset;

// A random permutation of 0..n-1 (int64) from its own generator: reproducible from `seed`
// alone, whatever else draws from tg::manual_seed's global generator.
Tensor permutation(int64_t n, uint64_t seed);

// Shuffles the rows with `seed`, then puts round(n * test_fraction) of them in the second
// dataset. test_fraction must be in (0, 1) and leave both parts non-empty.
// `train_test_split({x, y}, 0.2, seed)` builds the dataset from the pair.
std::pair<TableDataset, TableDataset> train_test_split(const TableDataset& dataset,
                                                       double test_fraction, uint64_t seed);

// ---- standardisation ---------------------------------------------------------------------
// Per-column (dim 1 of a 2-D tensor, or the single column of a 1-D one) mean and population
// standard deviation, as scikit-learn's StandardScaler. A constant column gets scale 1, so it
// maps to 0 instead of NaN. Fit it on the training rows only; apply it to every split.
class Standardizer {
 public:
  Standardizer& fit(const Tensor& x);
  Tensor transform(const Tensor& x) const;
  Tensor inverse_transform(const Tensor& x) const;
  Tensor fit_transform(const Tensor& x) { return fit(x).transform(x); }
  bool fitted() const { return mean_.defined(); }
  const Tensor& mean() const { return mean_; }    // shape (columns)
  const Tensor& scale() const { return scale_; }  // shape (columns)

 private:
  void check(const Tensor& x, const char* op) const;
  Tensor mean_, scale_;
};

// ---- mini-batches ------------------------------------------------------------------------
// One mini-batch of a TableDataset: an Example whose data and target are the batch's rows of
// tensors[0] and tensors[1] (target undefined with one tensor); `tensors` holds every column.
struct Batch : Example<> {
  std::vector<Tensor> tensors;
  int64_t size() const { return data.defined() ? data.size(0) : 0; }
};

// tapegrad's loader for a TableDataset: batches of batch_size rows gathered with one
// index_select per tensor (narrow views, in order, without shuffle). With shuffle(true) each
// epoch's order is a RandomSampler drawing from a generator of the loader's own, seeded with
// options.seed(): reproducible from the seed alone, the first epoch using the first
// permutation. A plain value (copyable; a copy continues from the same generator state);
// options.workers() is ignored.
class DataLoader {
 public:
  DataLoader(TableDataset dataset, DataLoaderOptions options);
  // A copy continues from the same generator state (moving copies too: the state is small).
  DataLoader(const DataLoader& other);
  DataLoader& operator=(const DataLoader& other);
  ~DataLoader();

  class Iterator {
   public:
    const Batch& operator*() const { return batch_; }
    const Batch* operator->() const { return &batch_; }
    Iterator& operator++();
    bool operator==(const Iterator& o) const { return pos_ == o.pos_; }
    bool operator!=(const Iterator& o) const { return pos_ != o.pos_; }

   private:
    friend class DataLoader;
    Iterator(const DataLoader* loader, int64_t pos);
    void load();
    const DataLoader* loader_;
    int64_t pos_;
    Batch batch_;
  };

  // Starts an epoch: with shuffle on, draws the next permutation from the loader's generator.
  Iterator begin();
  Iterator end() const;
  // Batches per epoch.
  int64_t size() const;
  const TableDataset& dataset() const { return dataset_; }
  const DataLoaderOptions& options() const { return options_; }

 private:
  int64_t end_position() const;
  TableDataset dataset_;
  DataLoaderOptions options_;
  Generator generator_;  // the loader's own, seeded with options.seed()
  std::vector<int64_t> order_;
};

}  // namespace tg::data
