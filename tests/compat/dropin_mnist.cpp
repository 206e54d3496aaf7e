// An unchanged libtorch program (drop-in test, scripts/check_dropin.sh): the MNIST convnet of
// libtorch's examples -- Conv2d, Dropout2d, max_pool2d, dropout, log_softmax, nll_loss, SGD with
// momentum, torch::data's MNIST dataset with Normalize and Stack, random and sequential data
// loaders, a test pass under NoGradGuard. So that it needs no download, it first writes an
// MNIST of its own (the four IDX files with MNIST's 60000 + 10000 images, which libtorch's
// reader insists on; digits drawn as bars) into a temporary folder, and trains on a few
// batches of it.
// Everything random comes from torch::manual_seed: the output is libtorch's own
// (dropin_mnist.expected, from tests/compat/regen.sh dropin_mnist).
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

struct Net : torch::nn::Module {
  Net()
      : conv1(torch::nn::Conv2dOptions(1, 10, /*kernel_size=*/5)),
        conv2(torch::nn::Conv2dOptions(10, 20, /*kernel_size=*/5)),
        fc1(320, 50),
        fc2(50, 10) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv2_drop", conv2_drop);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(torch::max_pool2d(conv1->forward(x), 2));
    x = torch::relu(torch::max_pool2d(conv2_drop->forward(conv2->forward(x)), 2));
    x = x.view({-1, 320});
    x = torch::relu(fc1->forward(x));
    x = torch::dropout(x, /*p=*/0.5, /*training=*/is_training());
    x = fc2->forward(x);
    return torch::log_softmax(x, /*dim=*/1);
  }
  torch::nn::Conv2d conv1;
  torch::nn::Conv2d conv2;
  torch::nn::Dropout2d conv2_drop;
  torch::nn::Linear fc1;
  torch::nn::Linear fc2;
};

// --- a tiny MNIST: digit d is a vertical bar at column 4 + 2d, with a little texture ---------
void put_u32(std::ofstream& f, uint32_t v) {
  unsigned char b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
  f.write(reinterpret_cast<char*>(b), 4);
}
void write_split(const std::string& dir, const std::string& prefix, int count, int offset) {
  std::ofstream images(dir + "/" + prefix + "-images-idx3-ubyte", std::ios::binary);
  std::ofstream labels(dir + "/" + prefix + "-labels-idx1-ubyte", std::ios::binary);
  put_u32(images, 2051), put_u32(images, count), put_u32(images, 28), put_u32(images, 28);
  put_u32(labels, 2049), put_u32(labels, count);
  for (int n = 0; n < count; ++n) {
    int digit = (n * 7 + offset) % 10;
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c) {
        int v = (c == 4 + 2 * digit || c == 5 + 2 * digit) && r > 3 && r < 24 ? 230 : 0;
        v += (r * 3 + c * 5 + n) % 17;  // texture, different in every image
        images.put(char(v));
      }
    labels.put(char(digit));
  }
}

template <typename DataLoader>
void train(size_t epoch, Net& model, DataLoader& data_loader, torch::optim::Optimizer& optimizer,
           size_t dataset_size) {
  model.train();
  size_t batch_idx = 0;
  for (auto& batch : data_loader) {
    if (batch_idx == 8) break;  // a few batches per epoch keep the test short
    optimizer.zero_grad();
    auto output = model.forward(batch.data);
    auto loss = torch::nll_loss(output, batch.target);
    AT_ASSERT(!std::isnan(loss.template item<float>()));
    loss.backward();
    optimizer.step();
    if (batch_idx++ % 2 == 0)
      std::printf("Train Epoch: %ld [%5ld/%5ld] Loss: %.4f\n", long(epoch),
                  long(batch_idx * batch.data.size(0)), long(dataset_size),
                  loss.template item<float>());
  }
}

template <typename DataLoader>
void test(Net& model, DataLoader& data_loader, size_t dataset_size) {
  torch::NoGradGuard no_grad;
  model.eval();
  double test_loss = 0;
  int32_t correct = 0;
  size_t seen = 0;
  for (const auto& batch : data_loader) {
    if (seen == dataset_size) break;
    seen += batch.data.size(0);
    auto output = model.forward(batch.data);
    test_loss += torch::nll_loss(output, batch.target, /*weight=*/{}, torch::Reduction::Sum)
                     .template item<float>();
    auto pred = output.argmax(1);
    correct += pred.eq(batch.target).sum().template item<int64_t>();
  }
  test_loss /= dataset_size;
  std::printf("Test set: Average loss: %.4f | Accuracy: %.3f\n", test_loss,
              static_cast<double>(correct) / dataset_size);
}

int main() {
  char dir_template[] = "/tmp/tiny_mnist_XXXXXX";
  std::string dir = mkdtemp(dir_template);
  write_split(dir, "train", 60000, 0);
  write_split(dir, "t10k", 10000, 3);

  torch::manual_seed(1);
  Net model;
  auto train_dataset = torch::data::datasets::MNIST(dir)
                           .map(torch::data::transforms::Normalize<>(0.1307, 0.3081))
                           .map(torch::data::transforms::Stack<>());
  const size_t train_dataset_size = train_dataset.size().value();
  auto train_loader = torch::data::make_data_loader(std::move(train_dataset), 32);
  auto test_dataset = torch::data::datasets::MNIST(dir, torch::data::datasets::MNIST::Mode::kTest)
                          .map(torch::data::transforms::Normalize<>(0.1307, 0.3081))
                          .map(torch::data::transforms::Stack<>());
  std::cout << "train " << train_dataset_size << " test " << test_dataset.size().value() << "\n";
  const size_t test_dataset_size = 400;  // the first 400 test images
  auto test_loader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      std::move(test_dataset), 100);

  torch::optim::SGD optimizer(model.parameters(), torch::optim::SGDOptions(0.01).momentum(0.5));
  for (size_t epoch = 1; epoch <= 3; ++epoch) {
    train(epoch, model, *train_loader, optimizer, train_dataset_size);
    test(model, *test_loader, test_dataset_size);
  }
  for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    std::remove((dir + "/" + f).c_str());
  std::remove(dir.c_str());
}
