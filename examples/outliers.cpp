// Robust regression: fit y = a x + b to 40 points on the line y = 2x + 1 (small noise) plus 4
// gross outliers, with MSELoss, L1Loss and HuberLoss side by side -- same data, same initial
// weights, same optimizer (SGD, lr 0.05, full batch). MSE is the mean of the noise: the outliers
// drag the line towards them. L1 fits the median and Huber is quadratic only near the line, so
// both all but ignore the outliers. Exits non-zero unless Huber and L1 end closer to the true
// line than MSE. Written as libtorch code; only the include and the namespace alias differ.
#include <cmath>
#include <cstdio>
#include <tapegrad.hpp>
#include <vector>

namespace torch = tg;
namespace nn = torch::nn;

int main() {
  const double a_true = 2.0, b_true = 1.0;
  const int n = 40;
  std::vector<double> xs, ys;
  for (int i = 0; i < n; ++i) {
    double x = -1.0 + 2.0 * i / (n - 1);
    double y = a_true * x + b_true + 0.1 * std::sin(7.3 * i);  // small, deterministic noise
    if (i % 10 == 9) y += 15.0;                                // 4 gross outliers, all above
    xs.push_back(x);
    ys.push_back(y);
  }
  auto X = torch::tensor(xs).reshape({n, 1});
  auto Y = torch::tensor(ys).reshape({n, 1});

  // Three identical models (weights and bias start at 0), one optimizer each.
  nn::MSELoss mse;
  nn::L1Loss l1;
  nn::HuberLoss huber(nn::HuberLossOptions().delta(1.0));
  const char* names[3] = {"MSELoss", "L1Loss", "HuberLoss"};
  std::vector<nn::Linear> models;
  std::vector<torch::optim::SGD> optimizers;
  for (int k = 0; k < 3; ++k) {
    models.emplace_back(1, 1);
    torch::NoGradGuard no_grad;
    models[k]->weight.zero_();
    models[k]->bias.zero_();
  }
  for (int k = 0; k < 3; ++k)
    optimizers.emplace_back(models[k]->parameters(), torch::optim::SGDOptions(0.05));

  for (int epoch = 0; epoch < 3000; ++epoch)
    for (int k = 0; k < 3; ++k) {
      auto pred = models[k](X.to(torch::kFloat));
      auto y = Y.to(torch::kFloat);
      auto loss = k == 0 ? mse(pred, y) : k == 1 ? l1(pred, y) : huber(pred, y);
      optimizers[k].zero_grad();
      loss.backward();
      optimizers[k].step();
    }

  std::printf("true line:      slope %.4f  intercept %.4f\n", a_true, b_true);
  double dist[3];
  for (int k = 0; k < 3; ++k) {
    double a = models[k]->weight.item<double>(), b = models[k]->bias.item<double>();
    // Distance to the true line: the RMS gap between the two lines over x in [-1, 1].
    dist[k] = std::sqrt((a - a_true) * (a - a_true) / 3 + (b - b_true) * (b - b_true));
    std::printf("%-10s      slope %.4f  intercept %.4f  (RMS gap to the true line %.4f)\n",
                names[k], a, b, dist[k]);
  }
  std::printf(
      "\nThe 4 outliers sit 15 above the line. MSE pays their squared error, so it\n"
      "lifts the line by about 4 * 15 / 40 = 1.5 on average, and tilts it (the outliers\n"
      "lean right). L1 and Huber pull on them with a bounded force (1, resp. delta),\n"
      "which the 36 good points outvote.\n");
  if (!(dist[1] < dist[0] && dist[2] < dist[0])) {
    std::fprintf(stderr, "outliers: L1 and Huber should be closer to the true line than MSE\n");
    return 1;
  }
  return 0;
}
