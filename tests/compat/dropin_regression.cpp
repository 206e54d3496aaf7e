// An unchanged libtorch program (drop-in test, scripts/check_dropin.sh): fits a cubic polynomial
// with one Linear layer, as the classic libtorch regression example does -- random true
// coefficients, random batches of points, polynomial features by torch::cat of powers,
// smooth L1 loss, plain SGD, stop when the loss is small. Everything random comes from
// torch::manual_seed, so the printed fit is libtorch's own (dropin_regression.expected).
#include <torch/torch.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

constexpr int64_t kDegree = 3;

// Builds the features [x, x^2, x^3] of a column of points.
torch::Tensor make_features(torch::Tensor x) {
  x = x.unsqueeze(1);
  std::vector<torch::Tensor> cols;
  for (int64_t i = 0; i < kDegree; ++i) cols.push_back(x.pow(i + 1));
  return torch::cat(cols, 1);
}

// The polynomial, as text: "y = +0.12 x^3 -1.05 x^2 ...".
std::string poly_desc(torch::Tensor w, torch::Tensor b) {
  auto size = w.size(0);
  std::ostringstream stream;
  stream << "y = ";
  for (int64_t i = 0; i < size; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f x^%d ", w[i].item<float>(), int(size - i));
    stream << buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", b[0].item<float>());
  stream << buf;
  return stream.str();
}

int main() {
  torch::manual_seed(7);
  auto w_target = torch::randn({kDegree, 1}) * 5;
  auto b_target = torch::randn({1}) * 5;
  auto f = [&](torch::Tensor x) { return x.mm(w_target) + b_target.item<float>(); };

  auto fc = torch::nn::Linear(w_target.size(0), 1);
  torch::optim::SGD optim(fc->parameters(), 0.1);

  float loss = 0;
  int64_t batch_idx = 0;
  while (++batch_idx <= 2000) {
    auto x = make_features(torch::randn({32}));
    auto y = f(x);
    optim.zero_grad();
    auto output = torch::smooth_l1_loss(fc(x), y);
    loss = output.item<float>();
    output.backward();
    optim.step();
    if (batch_idx % 100 == 0) std::printf("batch %ld loss %.4f\n", long(batch_idx), loss);
    if (loss < 1e-3f) break;
  }
  // Four decimals: float32 sums may differ from libtorch's in the last bits (within 1e-5).
  std::printf("Loss: %.4f after %ld batches\n", loss, long(batch_idx));
  std::cout << "==> Learned function:\t" << poly_desc(fc->weight.view({-1}), fc->bias) << "\n";
  std::cout << "==> Actual function:\t" << poly_desc(w_target.view({-1}), b_target) << "\n";
}
