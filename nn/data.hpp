// tg::data: the small data pipeline of a training script -- CSV files to tensors, train /
// validation / test splits, standardisation, and mini-batches.
//
//   auto table = tg::data::read_csv("breast_cancer.csv");         // header skipped, float32
//   auto x = table.narrow(1, 0, 30), y = table.narrow(1, 30, 1);
//   auto [train, test] = tg::data::train_test_split({x, y}, 0.2, /*seed=*/0);
//   tg::data::Standardizer scaler;
//   scaler.fit(train.tensor(0));                                   // training rows only
//   train = train.map(0, scaler), test = test.map(0, scaler);
//   tg::data::DataLoader loader(train, tg::data::DataLoaderOptions(32).shuffle(true).seed(1));
//   for (int epoch = 0; epoch < 20; ++epoch)
//     for (auto& batch : loader) step(batch.data, batch.target);  // a new order every epoch
//
// This is not libtorch's torch::data (which the API contract leaves out): there are no
// samplers or workers, just tensors that share their first dimension.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../autograd/tensor.hpp"

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
// Tensors that share their first dimension: row i of the dataset is row i of each of them.
class TensorDataset {
 public:
  TensorDataset() = default;
  explicit TensorDataset(std::vector<Tensor> tensors);  // tg::Error if first dims differ
  TensorDataset(Tensor data, Tensor target);

  int64_t size() const { return size_; }
  size_t num_tensors() const { return tensors_.size(); }
  const Tensor& tensor(size_t i) const;
  const std::vector<Tensor>& tensors() const { return tensors_; }
  // The rows `indices` (int64, 1-D) of every tensor, copied.
  std::vector<Tensor> get_batch(const Tensor& indices) const;
  std::vector<Tensor> get(int64_t index) const;
  TensorDataset subset(const Tensor& indices) const;
  // The same rows with tensor i replaced by scaler.transform(tensor i).
  TensorDataset map(size_t i, const Standardizer& scaler) const;

 private:
  std::vector<Tensor> tensors_;
  int64_t size_ = 0;
};

// A random permutation of 0..n-1 (int64) from its own generator: reproducible from `seed`
// alone, whatever else draws from tg::manual_seed's global generator.
Tensor permutation(int64_t n, uint64_t seed);

// Shuffles the rows with `seed`, then puts round(n * test_fraction) of them in the second
// dataset. test_fraction must be in (0, 1) and leave both parts non-empty.
// `train_test_split({x, y}, 0.2, seed)` builds the dataset from the pair.
std::pair<TensorDataset, TensorDataset> train_test_split(const TensorDataset& dataset,
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
struct DataLoaderOptions {
  DataLoaderOptions(int64_t batch_size = 1) : batch_size_(batch_size) {}  // NOLINT: as libtorch
  TG_ARG(int64_t, batch_size);
  TG_ARG(bool, shuffle) = false;
  TG_ARG(uint64_t, seed) = 0;       // the loader's own generator; each epoch draws a new order
  TG_ARG(bool, drop_last) = false;  // drop a last batch smaller than batch_size
};

// One mini-batch: `tensors` holds the rows of every dataset tensor; `data` and `target` are
// tensors[0] and tensors[1] (undefined when the dataset has fewer tensors).
struct Batch {
  std::vector<Tensor> tensors;
  Tensor data, target;
  int64_t size() const { return data.defined() ? data.size(0) : 0; }
};

class DataLoader {
 public:
  DataLoader(TensorDataset dataset, DataLoaderOptions options);
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
  const TensorDataset& dataset() const { return dataset_; }
  const DataLoaderOptions& options() const { return options_; }

 private:
  int64_t end_position() const;
  TensorDataset dataset_;
  DataLoaderOptions options_;
  // The loader's own generator (seeded with options.seed()): each epoch's order is
  // randperm(n, generator_), libtorch's RandomSampler algorithm.
  Generator generator_;
  std::vector<int64_t> order_;
};

}  // namespace tg::data
