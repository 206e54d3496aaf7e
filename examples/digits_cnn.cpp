// A small convolutional network on scikit-learn's 8x8 handwritten digits (data/README.md):
// 1797 images of the digits 0-9, 16 grey levels. Conv2d -> ReLU -> MaxPool2d -> Conv2d -> ReLU
// -> Flatten -> Linear, trained with SGD + momentum on a fixed random 80% of the images and
// scored on the other 20%. The weights are then saved (safetensors) and loaded into a fresh
// model, which must predict exactly the same classes.
//
//   build/examples/digits_cnn [path/to/digits.csv]
//
// Written as libtorch code; only the include, the namespace alias and tapegrad's CSV reader
// (tg::data::read_csv) differ. Exits non-zero if
// the held-out accuracy is below 97% or the reloaded model disagrees.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <tapegrad.hpp>

namespace torch = tg;

#ifndef TG_EXAMPLE_DATA
#define TG_EXAMPLE_DATA "examples/data"
#endif

struct NetImpl : torch::nn::Module {
  NetImpl() {
    conv1 =
        register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 3).padding(1)));
    conv2 =
        register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 32, 3).padding(1)));
    fc = register_module("fc", torch::nn::Linear(32 * 4 * 4, 10));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = pool(torch::relu(conv1(x)));  // (N, 16, 4, 4)
    x = torch::relu(conv2(x));        // (N, 32, 4, 4)
    return fc(flatten(x));            // (N, 10) logits
  }
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::MaxPool2d pool{torch::nn::MaxPool2dOptions(2)};
  torch::nn::Flatten flatten;
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(Net);

// Predicted classes for a batch of images, in eval mode and without recording.
torch::Tensor predict(Net& model, const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  model->eval();
  auto classes = model->forward(images).argmax(1);
  model->train();
  return classes;
}

int main(int argc, char** argv) {
  const auto start = std::chrono::steady_clock::now();
  torch::manual_seed(0);
  const std::string path = argc > 1 ? argv[1] : TG_EXAMPLE_DATA "/digits.csv";
  auto data = tg::data::read_csv(path);  // header skipped, float32
  const int64_t n = data.size(0), n_train = n - n / 5;
  auto images = (data.narrow(1, 0, 64) / 16.0).reshape({n, 1, 8, 8});  // grey levels 0..16
  auto labels = data.select(1, 64).to(torch::kLong);

  // A fixed random split: the CSV is ordered by writer, so the held-out rows are shuffled in.
  auto perm = torch::randperm(n);
  auto train_idx = perm.narrow(0, 0, n_train), test_idx = perm.narrow(0, n_train, n - n_train);
  auto x_train = images.index_select(0, train_idx), y_train = labels.index_select(0, train_idx);
  auto x_test = images.index_select(0, test_idx), y_test = labels.index_select(0, test_idx);

  Net model;
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-4));
  torch::nn::CrossEntropyLoss criterion;
  auto accuracy = [&](const torch::Tensor& x, const torch::Tensor& y) {
    return predict(model, x).eq(y).to(torch::kDouble).mean().item<double>();
  };

  const int64_t batch = 32, epochs = 12;
  std::printf("digits: %lld training images, %lld held out, 8x8 pixels, 10 classes\n",
              static_cast<long long>(n_train), static_cast<long long>(n - n_train));
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    // Step decay: a large rate to learn fast, then smaller ones so the last epochs settle.
    const double lr = epoch <= 6 ? 0.05 : epoch <= 10 ? 0.01 : 0.002;
    static_cast<torch::optim::SGDOptions&>(optimizer.param_groups()[0].options()).lr(lr);
    auto order = torch::randperm(n_train);
    double total = 0;
    for (int64_t b = 0; b < n_train; b += batch) {
      auto idx = order.narrow(0, b, std::min(batch, n_train - b));
      auto loss =
          criterion(model->forward(x_train.index_select(0, idx)), y_train.index_select(0, idx));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      total += loss.item<double>() * double(idx.size(0));
    }
    std::printf("epoch %2lld: training loss %.4f, held-out accuracy %.2f%%\n",
                static_cast<long long>(epoch), total / double(n_train),
                100 * accuracy(x_test, y_test));
  }
  const double test_acc = accuracy(x_test, y_test);

  // Save the weights, load them into a fresh model, and compare its predictions.
  const std::string weights = "digits_cnn.safetensors";
  torch::save(model, weights);
  Net restored;
  torch::load(restored, weights);
  std::remove(weights.c_str());
  const bool same = torch::equal(predict(model, x_test), predict(restored, x_test));

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("held-out accuracy %.2f%% (%lld images); reloaded model predicts %s; %.1f s\n",
              100 * test_acc, static_cast<long long>(n - n_train),
              same ? "identically" : "DIFFERENTLY", seconds);
  return test_acc >= 0.97 && same ? 0 : 1;  // a test too: accuracy and save/load round trip
}
