// torch::data: datasets, transforms, samplers and loaders, the same source on both libraries.
// The shuffled orders after torch::manual_seed(s) must be libtorch's (RandomSampler draws
// randperm from the default generator when constructed and at every reset), and MNIST is read
// from IDX files this program writes itself (a full-size t10k set, 7.8 MB, in the temp dir).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "shim.hpp"

namespace data = torch::data;
namespace tr = torch::data::transforms;
using torch::Tensor;

namespace {

// Seven examples: a [1, 2, 2] float image and an int64 label 10 i.
struct Pairs : data::datasets::Dataset<Pairs> {
  data::Example<> get(size_t i) override {
    return {det({1, 2, 2}, 1.0, 0.1 * double(i)).to(torch::kFloat32),
            torch::tensor(int64_t(i) * 10)};
  }
  torch::optional<size_t> size() const override { return 7; }
};

std::vector<int64_t> as_vector(const std::vector<size_t>& v) {
  return std::vector<int64_t>(v.begin(), v.end());
}

void emit_indices(const std::string& name, const std::vector<size_t>& v) {
  emit(name, torch::tensor(as_vector(v), torch::kLong).reshape({-1}));
}

// Every batch of one epoch, concatenated (the order the loader hands out the rows in).
template <typename Loader>
Tensor epoch_rows(Loader& loader, int64_t* batches) {
  std::vector<Tensor> parts;
  *batches = 0;
  for (auto& batch : loader) {
    parts.push_back(batch.data.reshape({-1}));
    ++*batches;
  }
  return torch::cat(parts);
}

void write_be32(std::ofstream& f, uint32_t v) {
  const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  f.write(b, 4);
}

// An IDX pair as the MNIST files: `count` images of 28 x 28 and their labels.
void write_mnist(const std::string& dir, const std::string& images, const std::string& labels,
                 uint32_t count, uint32_t image_magic = 2051) {
  std::ofstream im(dir + "/" + images, std::ios::binary);
  write_be32(im, image_magic);
  write_be32(im, count);
  write_be32(im, 28);
  write_be32(im, 28);
  std::vector<char> pixels(size_t(count) * 784);
  for (size_t k = 0; k < count; ++k)
    for (size_t p = 0; p < 784; ++p) pixels[k * 784 + p] = char((k * 31 + p * 7 + p / 28) % 256);
  im.write(pixels.data(), std::streamsize(pixels.size()));
  std::ofstream lb(dir + "/" + labels, std::ios::binary);
  write_be32(lb, 2049);
  write_be32(lb, count);
  for (size_t k = 0; k < count; ++k) lb.put(char((k * 3 + k / 7) % 10));
}

// 1 when constructing MNIST(root, mode) throws a message containing `want`.
double throws_with(const std::string& root, data::datasets::MNIST::Mode mode,
                   const std::string& want) {
  try {
    data::datasets::MNIST m(root, mode);
  } catch (const std::exception& e) {
    return std::string(e.what()).find(want) != std::string::npos ? 1 : 0;
  }
  return 0;
}

void mnist() {
  using Mode = data::datasets::MNIST::Mode;
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("compat_data_mnist_" + std::to_string(getpid())))
          .string();
  std::filesystem::create_directories(dir);
  write_mnist(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10000);

  data::datasets::MNIST test(dir, Mode::kTest);
  emit("mnist/size", torch::tensor(int64_t(test.size().value())));
  emit("mnist/is_train", torch::tensor(int64_t(test.is_train())));
  emit("mnist/images_shape", torch::tensor(test.images().sizes().vec()));
  emit("mnist/image0", test.images()[0]);
  emit("mnist/image9999_row5", test.images()[9999][0][5]);
  emit("mnist/images_sum", test.images().to(torch::kDouble).sum());
  emit("mnist/targets_head", test.targets().narrow(0, 0, 30));
  emit("mnist/targets_sum", test.targets().sum());
  auto ex = test.get(4321);
  emit("mnist/get4321_data_row9", ex.data[0][9]);
  emit("mnist/get4321_target", ex.target);

  // The libtorch MNIST example's pipeline, sequentially in batches of 64.
  auto normalized = data::datasets::MNIST(dir, Mode::kTest)
                        .map(tr::Normalize<>(0.1307, 0.3081))
                        .map(tr::Stack<>());
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      std::move(normalized), data::DataLoaderOptions().batch_size(64));
  int64_t batches = 0, last = 0;
  for (auto& batch : *loader) {
    if (batches == 0) {
      emit("mnist/batch0_shape", torch::tensor(batch.data.sizes().vec()));
      emit("float32/mnist/batch0_image1_row14", batch.data[1][0][14]);
      emit("float32/mnist/batch0_mean", batch.data.mean());
      emit("mnist/batch0_targets", batch.target);
    }
    last = batch.data.size(0);
    ++batches;
  }
  emit("mnist/batches", torch::tensor({batches, last}));

  // libtorch's errors: a missing file, a wrong magic number, a wrong count.
  emit("mnist/error_missing_train",
       torch::tensor(throws_with(
           dir, Mode::kTrain, "Error opening images file at " + dir + "/train-images-idx3-ubyte")));
  emit("mnist/error_missing_root",
       torch::tensor(
           throws_with(dir + "/nowhere/", Mode::kTest,
                       "Error opening images file at " + dir + "/nowhere/t10k-images-idx3-ubyte")));
  std::filesystem::remove(dir + "/t10k-labels-idx1-ubyte");
  emit("mnist/error_missing_labels",
       torch::tensor(throws_with(
           dir, Mode::kTest, "Error opening targets file at " + dir + "/t10k-labels-idx1-ubyte")));
  write_mnist(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10000, 2049);
  emit("mnist/error_magic",
       torch::tensor(
           throws_with(dir, Mode::kTest, "Expected to read number 2051 but found 2049 instead")));
  write_mnist(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 3);
  emit("mnist/error_count",
       torch::tensor(
           throws_with(dir, Mode::kTest, "Expected to read number 10000 but found 3 instead")));
  std::filesystem::remove_all(dir);
}

}  // namespace

int main() {
  // ---- TensorDataset (one stacked tensor, no target) + Stack ----
  {
    auto ds = data::datasets::TensorDataset(det({6, 2}));
    emit("tensords/size", torch::tensor(int64_t(ds.size().value())));
    emit("tensords/get4", ds.get(4).data);
    auto stacked = data::datasets::TensorDataset(std::vector<Tensor>{det({2}), det({2}, 2.0)});
    emit("tensords/stacked", stacked.tensor);
    auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
        data::datasets::TensorDataset(det({6, 2})).map(tr::Stack<data::TensorExample>()),
        data::DataLoaderOptions(4));
    int i = 0;
    for (auto& batch : *loader) emit("tensords/batch" + std::to_string(i++), batch.data);
    emit("tensords/options",
         torch::tensor({int64_t(loader->options().batch_size), int64_t(loader->options().workers),
                        int64_t(loader->options().max_jobs)}));
  }

  // ---- a user Dataset<Self>: get_batch, map with Normalize, Lambda, TensorLambda ----
  {
    Pairs pairs;
    auto batch = pairs.get_batch(std::vector<size_t>{5, 2});
    emit("pairs/get_batch_n", torch::tensor(int64_t(batch.size())));
    emit("pairs/get_batch_0_data", batch[0].data);
    emit("pairs/get_batch_0_target", batch[0].target);
    auto unstacked = data::make_data_loader<data::samplers::SequentialSampler>(
        Pairs(), data::DataLoaderOptions(3));
    int i = 0;
    for (auto& examples : *unstacked) {  // std::vector<Example<>>
      emit("pairs/vector_batch" + std::to_string(i) + "_n",
           torch::tensor(int64_t(examples.size())));
      emit("pairs/vector_batch" + std::to_string(i++) + "_target_last", examples.back().target);
    }
    auto mapped = Pairs()
                      .map(tr::Normalize<>(0.5, 2.0))
                      .map(tr::Lambda<data::Example<>>([](data::Example<> e) {
                        e.target = e.target + 1;
                        return e;
                      }))
                      .map(tr::TensorLambda<>([](Tensor t) { return t * 3 + 1; }))
                      .map(tr::Stack<>());
    emit("pairs/mapped_size", torch::tensor(int64_t(mapped.size().value())));
    auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
        std::move(mapped), data::DataLoaderOptions(3));
    i = 0;
    for (auto& b : *loader) {
      emit("float32/pairs/mapped_batch" + std::to_string(i) + "_data", b.data);
      emit("pairs/mapped_batch" + std::to_string(i++) + "_target", b.target);
    }
    // Three channels: mean and stddev per channel broadcast over [3, H, W].
    tr::Normalize<> rgb({0.5, 0.25, 0.125}, {2.0, 4.0, 0.5});
    emit("float32/normalize_rgb", rgb(det({3, 2, 2}).to(torch::kFloat32)));
  }

  // ---- samplers ----
  {
    data::samplers::SequentialSampler seq(7);
    int i = 0;
    while (auto b = seq.next(3)) emit_indices("sequential/next" + std::to_string(i++), *b);
    seq.reset(4);
    emit_indices("sequential/after_reset4", *seq.next(10));
    for (uint64_t seed : {0, 1, 42, 2023}) {
      const std::string s = "seed" + std::to_string(seed);
      torch::manual_seed(seed);
      data::samplers::RandomSampler rs(10);
      emit_indices("random/" + s + "/constructed", *rs.next(10));
      emit("random/" + s + "/exhausted", torch::tensor(int64_t(!rs.next(1).has_value())));
      rs.reset();
      int k = 0;
      while (auto b = rs.next(4))
        emit_indices("random/" + s + "/reset_next" + std::to_string(k++), *b);
      rs.reset(25);
      emit_indices("random/" + s + "/reset25", *rs.next(25));
    }
  }

  // ---- shuffled loaders after manual_seed: libtorch's order, for any worker count ----
  for (uint64_t seed : {0, 3, 42, 777}) {
    for (size_t workers : {0, 2}) {
      const std::string s = "loader/seed" + std::to_string(seed) + "/w" + std::to_string(workers);
      torch::manual_seed(seed);
      auto loader =
          data::make_data_loader(data::datasets::TensorDataset(torch::arange(11, torch::kLong))
                                     .map(tr::Stack<data::TensorExample>()),
                                 data::DataLoaderOptions().batch_size(3).workers(workers));
      int64_t batches = 0;
      emit(s + "/epoch0", epoch_rows(*loader, &batches));
      emit(s + "/epoch0_batches", torch::tensor(batches));
      emit(s + "/epoch1", epoch_rows(*loader, &batches));
      emit(s + "/after", torch::rand({3}, torch::kDouble));  // the stream after two epochs
    }
  }

  // ---- drop_last ----
  {
    torch::manual_seed(9);
    auto loader =
        data::make_data_loader(data::datasets::TensorDataset(torch::arange(37, torch::kLong))
                                   .map(tr::Stack<data::TensorExample>()),
                               data::DataLoaderOptions(8).drop_last(true));
    int64_t batches = 0;
    emit("drop_last/random_epoch", epoch_rows(*loader, &batches));
    emit("drop_last/random_batches", torch::tensor(batches));
    auto seq = data::make_data_loader<data::samplers::SequentialSampler>(
        data::datasets::TensorDataset(torch::arange(10, torch::kLong))
            .map(tr::Stack<data::TensorExample>()),
        data::DataLoaderOptions(4).drop_last(true));
    emit("drop_last/sequential_epoch", epoch_rows(*seq, &batches));
    emit("drop_last/sequential_batches", torch::tensor(batches));
    // An explicit sampler object.
    torch::manual_seed(4);
    auto with_sampler =
        data::make_data_loader(data::datasets::TensorDataset(torch::arange(6, torch::kLong))
                                   .map(tr::Stack<data::TensorExample>()),
                               data::samplers::RandomSampler(6), data::DataLoaderOptions(6));
    emit("explicit_sampler/epoch", epoch_rows(*with_sampler, &batches));
  }

  mnist();
}
