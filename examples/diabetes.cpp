// Linear regression on a small real data set: scikit-learn's diabetes data (data/README.md).
// 442 patients, 10 features (age, sex, BMI, blood pressure, six blood serum measurements),
// target: disease progression one year later. The seed's Linear(10, 1), now with MSELoss and
// full-batch gradient descent, trained on the first 80% of the rows and scored on the rest.
//
//   build/examples/diabetes [path/to/diabetes.csv]
//
// Written as libtorch code; only the include, the namespace alias and tapegrad's CSV reader
// (tg::data::read_csv) differ.
#include <cstdio>
#include <string>
#include <tapegrad.hpp>

namespace torch = tg;

#ifndef TG_EXAMPLE_DATA
#define TG_EXAMPLE_DATA "examples/data"
#endif

int main(int argc, char** argv) {
  torch::manual_seed(0);
  const std::string path = argc > 1 ? argv[1] : TG_EXAMPLE_DATA "/diabetes.csv";
  auto data = tg::data::read_csv(path);  // header skipped, float32
  const int64_t n = data.size(0), n_train = n - n / 5;
  auto x = data.narrow(1, 0, 10), y = data.narrow(1, 10, 1);
  auto x_train = x.narrow(0, 0, n_train), y_train = y.narrow(0, 0, n_train);
  auto x_test = x.narrow(0, n_train, n - n_train), y_test = y.narrow(0, n_train, n - n_train);

  // Standardise features and target with the training rows' statistics only.
  auto x_mean = x_train.mean({0}, true), x_std = x_train.std({0}, true, true);
  auto y_mean = y_train.mean(), y_std = y_train.std();
  auto xs_train = (x_train - x_mean) / x_std, xs_test = (x_test - x_mean) / x_std;
  auto ys_train = (y_train - y_mean) / y_std;

  torch::nn::Linear model(10, 1);
  torch::nn::MSELoss criterion;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));

  // Mean squared error in the target's own units (progression score squared).
  auto mse = [&](const torch::Tensor& xs, const torch::Tensor& target) {
    torch::NoGradGuard no_grad;
    return criterion(model(xs) * y_std + y_mean, target).item<float>();
  };
  const float baseline_train = criterion(y_train.mean().expand_as(y_train), y_train).item<float>();
  const float baseline_test = criterion(y_train.mean().expand_as(y_test), y_test).item<float>();
  std::printf("diabetes: %lld training rows, %lld held out, 10 features\n",
              static_cast<long long>(n_train), static_cast<long long>(n - n_train));
  std::printf("baseline (predict the training mean): train MSE %.1f, held-out MSE %.1f\n",
              baseline_train, baseline_test);

  const int epochs = 500;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    auto loss = criterion(model(xs_train), ys_train);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (epoch == 1 || epoch % 50 == 0)
      std::printf("epoch %3d: train MSE %.1f, held-out MSE %.1f\n", epoch, mse(xs_train, y_train),
                  mse(xs_test, y_test));
  }
  const float test_mse = mse(xs_test, y_test);
  std::printf("Linear(10, 1): held-out MSE %.1f vs baseline %.1f (R^2 = %.3f)\n", test_mse,
              baseline_test, 1.0 - test_mse / baseline_test);
  return test_mse < 0.75f * baseline_test ? 0 : 1;  // a test too: it must beat the baseline
}
