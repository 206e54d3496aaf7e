// tg::data::datasets::MNIST: the IDX reader of libtorch's src/data/datasets/mnist.cpp.
#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "../autograd/functions.hpp"
#include "data_datasets.hpp"
#include "data_loader.hpp"

namespace tg::data {

void detail::data_loader_fail(const std::string& message) { throw Error(message); }

namespace datasets {

namespace {

constexpr uint32_t kTrainSize = 60000;
constexpr uint32_t kTestSize = 10000;
constexpr uint32_t kImageMagicNumber = 2051;
constexpr uint32_t kTargetMagicNumber = 2049;
constexpr uint32_t kImageRows = 28;
constexpr uint32_t kImageColumns = 28;
constexpr const char* kTrainImagesFilename = "train-images-idx3-ubyte";
constexpr const char* kTrainTargetsFilename = "train-labels-idx1-ubyte";
constexpr const char* kTestImagesFilename = "t10k-images-idx3-ubyte";
constexpr const char* kTestTargetsFilename = "t10k-labels-idx1-ubyte";

// IDX header fields are big-endian 32-bit words, whatever the host.
uint32_t read_int32(std::ifstream& stream, const std::string& path) {
  std::array<unsigned char, 4> b{};
  if (!stream.read(reinterpret_cast<char*>(b.data()), 4))
    throw Error("MNIST: " + path + " ends inside its header");
  return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]);
}

void expect_int32(std::ifstream& stream, const std::string& path, uint32_t expected) {
  const uint32_t value = read_int32(stream, path);
  if (value != expected)
    throw Error("Expected to read number " + std::to_string(expected) + " but found " +
                std::to_string(value) + " instead");
}

std::string join_paths(std::string head, const std::string& tail) {
  if (head.empty() || head.back() != '/') head.push_back('/');
  return head + tail;
}

std::vector<unsigned char> read_bytes(std::ifstream& stream, const std::string& path,
                                      size_t count) {
  std::vector<unsigned char> bytes(count);
  stream.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(count));
  if (size_t(stream.gcount()) != count)
    throw Error("MNIST: " + path + " holds " + std::to_string(stream.gcount()) + " of the " +
                std::to_string(count) + " bytes its header announces");
  return bytes;
}

Tensor read_images(const std::string& root, bool train) {
  const std::string path = join_paths(root, train ? kTrainImagesFilename : kTestImagesFilename);
  std::ifstream images(path, std::ios::binary);
  if (!images) throw Error("Error opening images file at " + path);
  const uint32_t count = train ? kTrainSize : kTestSize;
  // From http://yann.lecun.com/exdb/mnist/
  expect_int32(images, path, kImageMagicNumber);
  expect_int32(images, path, count);
  expect_int32(images, path, kImageRows);
  expect_int32(images, path, kImageColumns);
  const size_t n = size_t(count) * kImageRows * kImageColumns;
  const std::vector<unsigned char> bytes = read_bytes(images, path, n);
  // libtorch: uint8 -> float32, then div_(255) in float32.
  Tensor out = empty({int64_t(count), 1, kImageRows, kImageColumns}, kFloat32);
  float* p = out.data_ptr<float>();
  for (size_t i = 0; i < n; ++i) p[i] = float(bytes[i]) / 255.0f;
  return out;
}

Tensor read_targets(const std::string& root, bool train) {
  const std::string path = join_paths(root, train ? kTrainTargetsFilename : kTestTargetsFilename);
  std::ifstream targets(path, std::ios::binary);
  if (!targets) throw Error("Error opening targets file at " + path);
  const uint32_t count = train ? kTrainSize : kTestSize;
  expect_int32(targets, path, kTargetMagicNumber);
  expect_int32(targets, path, count);
  const std::vector<unsigned char> bytes = read_bytes(targets, path, count);
  Tensor out = empty({int64_t(count)}, kInt64);
  int64_t* p = out.data_ptr<int64_t>();
  for (size_t i = 0; i < count; ++i) p[i] = bytes[i];
  return out;
}

}  // namespace

MNIST::MNIST(const std::string& root, Mode mode)
    : images_(read_images(root, mode == Mode::kTrain)),
      targets_(read_targets(root, mode == Mode::kTrain)) {}

Example<> MNIST::get(size_t index) { return {images_[int64_t(index)], targets_[int64_t(index)]}; }

optional<size_t> MNIST::size() const { return size_t(images_.size(0)); }

bool MNIST::is_train() const noexcept { return images_.size(0) == kTrainSize; }

const Tensor& MNIST::images() const { return images_; }

const Tensor& MNIST::targets() const { return targets_; }

}  // namespace datasets
}  // namespace tg::data
