#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

// tg::data in libtorch's shape: Example, Dataset / MapDataset, datasets::TensorDataset, the
// transforms, the samplers (RandomSampler's order = libtorch's randperm stream), the loaders,
// and the MNIST IDX reader on files written here.

using test::contains;
using test::error_of;
using tg::Tensor;
namespace data = tg::data;
namespace tr = tg::data::transforms;

namespace {

std::vector<double> values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  const double* p = d.data_ptr<double>();
  return std::vector<double>(p, p + d.numel());
}

std::vector<double> as_doubles(const std::vector<size_t>& v) {
  return std::vector<double>(v.begin(), v.end());
}

// Example i: data = [i, i + 0.5] (float32), target = 100 + i (int64).
struct Rows : data::datasets::Dataset<Rows> {
  explicit Rows(size_t n) : n(n) {}
  data::Example<> get(size_t i) override {
    return {tg::tensor({double(i), double(i) + 0.5}, tg::kFloat32), tg::tensor(int64_t(100 + i))};
  }
  tg::optional<size_t> size() const override { return n; }
  size_t n;
};

// An unsized dataset, which make_data_loader cannot build a sampler for.
struct Unsized : data::datasets::Dataset<Unsized> {
  data::Example<> get(size_t) override { return {}; }
  tg::optional<size_t> size() const override { return tg::nullopt; }
};

void put_be32(std::ofstream& f, uint32_t v) {
  const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  f.write(b, 4);
}

// A t10k-* IDX pair in `dir`: 10000 images whose pixel p of image k is (k + p) % 256 (a file
// short by `short_by` bytes when asked), labels k % 10.
void write_t10k(const std::string& dir, size_t short_by = 0, uint32_t count = 10000) {
  std::ofstream im(dir + "/t10k-images-idx3-ubyte", std::ios::binary);
  for (uint32_t v : {2051u, count, 28u, 28u}) put_be32(im, v);
  std::vector<char> px(size_t(count) * 784 - short_by);
  for (size_t i = 0; i < px.size(); ++i) px[i] = char((i / 784 + i % 784) % 256);
  im.write(px.data(), std::streamsize(px.size()));
  std::ofstream lb(dir + "/t10k-labels-idx1-ubyte", std::ios::binary);
  for (uint32_t v : {2049u, count}) put_be32(lb, v);
  for (uint32_t k = 0; k < count; ++k) lb.put(char(k % 10));
}

struct TempDir {
  std::string path;
  TempDir() : path((std::filesystem::temp_directory_path() / "tapegrad_mnist_test").string()) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("torch::data Example, Dataset::get_batch and datasets::TensorDataset") {
  data::Example<> e(tg::ones({2}), tg::zeros({}, tg::kLong));
  CHECK(values(e.data) == std::vector<double>{1, 1});
  data::TensorExample te(tg::full({2}, 3.0));
  const Tensor& as_data = te;  // converts to its data, as libtorch's
  CHECK(values(as_data) == std::vector<double>{3, 3});

  Rows rows(5);
  auto batch = rows.get_batch(std::vector<size_t>{3, 0});
  REQUIRE(batch.size() == 2);
  CHECK(values(batch[0].data) == std::vector<double>{3, 3.5});
  CHECK(batch[1].target.item<int64_t>() == 100);

  data::datasets::TensorDataset ds(tg::arange(6, tg::kDouble).reshape({3, 2}));
  CHECK(ds.size().value() == 3u);
  CHECK(values(ds.get(2).data) == std::vector<double>{4, 5});
  // From a vector, the tensors are stacked: they are the examples.
  data::datasets::TensorDataset stacked(std::vector<Tensor>{tg::ones({2}), tg::zeros({2})});
  CHECK(stacked.tensor.sizes() == tg::IntArrayRef{2, 2});
}

TEST_CASE("torch::data transforms: Stack, Normalize, Lambda, TensorLambda, BatchLambda") {
  auto stacked = Rows(4).map(tr::Stack<>()).get_batch(std::vector<size_t>{1, 2});
  CHECK(values(stacked.data) == std::vector<double>{1, 1.5, 2, 2.5});
  CHECK(values(stacked.target) == std::vector<double>{101, 102});
  CHECK(stacked.data.scalar_type() == tg::kFloat32);

  // Normalize: (x - mean) / std in float32, one value per channel.
  tr::Normalize<> norm(0.5, 0.25);
  CHECK(values(norm(tg::tensor({1.5, 0.0}, tg::kFloat32))) == std::vector<double>{4, -2});
  tr::Normalize<> rgb({1.0, 2.0}, {0.5, 4.0});
  CHECK(rgb.mean.sizes() == tg::IntArrayRef{2, 1, 1});
  CHECK(values(rgb(tg::full({2, 1, 2}, 3.0, tg::kFloat32))) ==
        std::vector<double>{4, 4, 0.25, 0.25});

  auto mapped = Rows(3)
                    .map(tr::Lambda<data::Example<>>([](data::Example<> x) {
                      x.target = x.target * 2;
                      return x;
                    }))
                    .map(tr::TensorLambda<>([](Tensor t) { return t + 10; }))
                    .map(tr::Normalize<>(1.0, 2.0))
                    .map(tr::Stack<>());
  CHECK(mapped.size().value() == 3u);
  auto b = mapped.get_batch(std::vector<size_t>{0, 2});
  // (i + 10 - 1) / 2 and (i + 10.5 - 1) / 2
  CHECK(values(b.data) == std::vector<double>{4.5, 4.75, 5.5, 5.75});
  CHECK(values(b.target) == std::vector<double>{200, 204});

  // A whole-batch transform: the number of examples in a batch.
  auto counted = Rows(5).map(tr::BatchLambda<std::vector<data::Example<>>, size_t>(
      [](std::vector<data::Example<>> v) { return v.size(); }));
  CHECK(counted.get_batch(std::vector<size_t>{0, 1, 4}) == 3u);
}

TEST_CASE("torch::data samplers: SequentialSampler, RandomSampler draws libtorch's randperm") {
  data::samplers::SequentialSampler seq(5);
  CHECK(as_doubles(*seq.next(2)) == std::vector<double>{0, 1});
  CHECK(as_doubles(*seq.next(2)) == std::vector<double>{2, 3});
  CHECK(as_doubles(*seq.next(2)) == std::vector<double>{4});
  CHECK(!seq.next(2));
  seq.reset(3);
  CHECK(as_doubles(*seq.next(9)) == std::vector<double>{0, 1, 2});

  // Constructed: randperm(10) from the default generator; reset(): the next randperm.
  tg::manual_seed(0);
  Tensor first = tg::randperm(10), second = tg::randperm(10);
  tg::manual_seed(0);
  data::samplers::RandomSampler rs(10);
  CHECK(as_doubles(*rs.next(10)) == values(first));
  CHECK(!rs.next(1));
  rs.reset();
  auto a = *rs.next(6), b = *rs.next(6);
  CHECK(a.size() == 6);
  CHECK(b.size() == 4);
  a.insert(a.end(), b.begin(), b.end());
  CHECK(as_doubles(a) == values(second));
  CHECK(rs.index() == 10);

  // libtorch's permutation for seed 42 (torch.manual_seed(42); torch.randperm(10)).
  tg::manual_seed(42);
  data::samplers::RandomSampler r42(10);
  CHECK(as_doubles(*r42.next(10)) == std::vector<double>{2, 6, 1, 8, 4, 5, 0, 9, 3, 7});
}

TEST_CASE("torch::data make_data_loader: batches, drop_last, workers, lazy iterators") {
  auto seq = data::make_data_loader<data::samplers::SequentialSampler>(
      Rows(5), data::DataLoaderOptions(2).workers(3));
  CHECK(seq->options().max_jobs == 6);
  std::vector<size_t> sizes;
  std::vector<double> targets;
  for (auto& batch : *seq) {  // std::vector<Example<>>
    sizes.push_back(batch.size());
    for (auto& ex : batch) targets.push_back(double(ex.target.item<int64_t>()));
  }
  CHECK(sizes == std::vector<size_t>{2, 2, 1});
  CHECK(targets == std::vector<double>{100, 101, 102, 103, 104});

  auto dropping = data::make_data_loader<data::samplers::SequentialSampler>(
      Rows(5).map(tr::Stack<>()), data::DataLoaderOptions(2).drop_last(true));
  int n = 0;
  for (auto& batch : *dropping) {
    CHECK(batch.data.size(0) == 2);
    ++n;
  }
  CHECK(n == 2);

  // The default sampler is a RandomSampler: constructed (one randperm) and reset at begin()
  // (another), so the first epoch is the second permutation after the seed.
  tg::manual_seed(7);
  tg::randperm(6);
  Tensor epoch1 = tg::randperm(6), epoch2 = tg::randperm(6);
  for (size_t workers : {0, 2}) {
    tg::manual_seed(7);
    auto loader = data::make_data_loader(data::datasets::TensorDataset(tg::arange(6, tg::kLong))
                                             .map(tr::Stack<data::TensorExample>()),
                                         data::DataLoaderOptions(4).workers(workers));
    for (const Tensor& want : {epoch1, epoch2}) {
      std::vector<double> got;
      for (auto& batch : *loader)
        for (double v : values(batch.data)) got.push_back(v);
      CHECK(got == values(want));
    }
  }

  // Iterators: lazy first fetch, past-the-end errors with libtorch's wording.
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      Rows(1).map(tr::Stack<>()), data::DataLoaderOptions(4));
  auto it = loader->begin();
  CHECK(it != loader->end());
  CHECK(values(it->target) == std::vector<double>{100});
  ++it;
  CHECK(it == loader->end());
  CHECK(
      contains(error_of([&] { *it; }), "Attempted to dereference iterator that was past the end"));
  CHECK(contains(error_of([&] { ++it; }), "Attempted to increment iterator past the end"));
  auto end = loader->end();
  CHECK(contains(error_of([&] { ++end; }), "Incrementing the DataLoader's past-the-end iterator"));
  CHECK(contains(error_of([] { data::make_data_loader(Unsized()); }),
                 "Expected the dataset to be sized in order to construct the Sampler"));
}

TEST_CASE("torch::data MNIST reads the IDX files as libtorch does") {
  TempDir dir;
  using Mode = data::datasets::MNIST::Mode;
  CHECK(contains(error_of([&] { data::datasets::MNIST(dir.path); }),
                 "Error opening images file at " + dir.path + "/train-images-idx3-ubyte"));
  write_t10k(dir.path);
  data::datasets::MNIST mnist(dir.path, Mode::kTest);
  CHECK(!mnist.is_train());
  CHECK(mnist.size().value() == 10000u);
  CHECK(mnist.images().sizes() == tg::IntArrayRef{10000, 1, 28, 28});
  CHECK(mnist.images().scalar_type() == tg::kFloat32);
  CHECK(mnist.targets().scalar_type() == tg::kInt64);
  auto ex = mnist.get(3);
  // Pixel p of image 3 is (3 + p) % 256, divided by 255 in float32.
  CHECK(ex.data[0][0][0].item<float>() == 3.0f / 255.0f);
  CHECK(ex.data[0][9][4].item<float>() == float((3 + 9 * 28 + 4) % 256) / 255.0f);
  CHECK(ex.target.item<int64_t>() == 3);
  CHECK(mnist.get(9999).target.item<int64_t>() == 9);

  // Normalize + Stack in a sequential loader: the MNIST example's pipeline.
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      data::datasets::MNIST(dir.path, Mode::kTest)
          .map(tr::Normalize<>(0.1307, 0.3081))
          .map(tr::Stack<>()),
      data::DataLoaderOptions().batch_size(4096));
  std::vector<int64_t> batch_sizes;
  for (auto& batch : *loader) batch_sizes.push_back(batch.data.size(0));
  CHECK(batch_sizes == std::vector<int64_t>{4096, 4096, 1808});

  // Errors: a wrong header number, a short file, missing labels.
  write_t10k(dir.path, 0, 60000 - 50000 + 7);
  CHECK(contains(error_of([&] { data::datasets::MNIST(dir.path, Mode::kTest); }),
                 "Expected to read number 10000 but found 10007 instead"));
  write_t10k(dir.path, 100);
  CHECK(contains(error_of([&] { data::datasets::MNIST(dir.path, Mode::kTest); }),
                 "holds 7839900 of the 7840000 bytes its header announces"));
  std::filesystem::remove(dir.path + "/t10k-labels-idx1-ubyte");
  write_t10k(dir.path);
  std::filesystem::remove(dir.path + "/t10k-labels-idx1-ubyte");
  CHECK(contains(error_of([&] { data::datasets::MNIST(dir.path, Mode::kTest); }),
                 "Error opening targets file at " + dir.path + "/t10k-labels-idx1-ubyte"));
}

namespace {
// A stream of consecutive integers: each batch continues where the last one stopped.
struct Counter : data::datasets::StreamDataset<Counter, std::vector<int>> {
  std::vector<int> get_batch(size_t batch_size) override {
    std::vector<int> out;
    for (size_t i = 0; i < batch_size; ++i) out.push_back(next++);
    return out;
  }
  tg::optional<size_t> size() const override { return 100; }
  int next = 0;
};
}  // namespace

TEST_CASE("torch::data StreamSampler with a StreamDataset, SharedBatchDataset") {
  data::samplers::StreamSampler stream(7);
  CHECK(*stream.next(3) == 3u);
  CHECK(stream.next(3)->size() == 3u);
  CHECK(*stream.next(3) == 1u);  // cut to what is left of the epoch
  CHECK(!stream.next(3));

  // Shared: the loader's copy and ours are one dataset, so its state shows here.
  auto shared = data::datasets::make_shared_dataset<Counter>();
  auto loader =
      data::make_data_loader(shared, data::samplers::StreamSampler(5), data::DataLoaderOptions(2));
  std::vector<std::vector<int>> got;
  for (auto& batch : *loader) got.push_back(batch);
  CHECK(got == std::vector<std::vector<int>>{{0, 1}, {2, 3}, {4}});
  CHECK(shared->next == 5);
  for (auto& batch : *loader) CHECK(batch.front() >= 5);  // a new epoch continues the stream
  CHECK((*shared).next == 10);
}
