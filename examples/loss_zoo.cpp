// Every loss of the libtorch API (plus GaussianNLLLoss and the sigmoid focal loss) on the same
// small batch, as a table; then why BCEWithLogitsLoss beats Sigmoid + BCELoss as |x| grows.
// nn/LOSSES.md explains each loss. Written as libtorch code; only the include and the namespace
// alias differ (GaussianNLLLoss and sigmoid_focal_loss are tapegrad's additions).
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <tapegrad.hpp>
#include <vector>

namespace torch = tg;
namespace nn = torch::nn;
namespace F = torch::nn::functional;
using torch::Tensor;

// The options `o` with reduction kSum when `sum`, else as they are (kMean by default).
template <class O>
O red(O o, bool sum) {
  if (sum) o.reduction(torch::kSum);
  return o;
}

int main() {
  auto opt = torch::kDouble;
  // One batch of 4 samples x 3 outputs, read as predictions, logits, scores or embeddings.
  auto x0 =
      torch::tensor({{0.8, -1.2, 2.0}, {-0.5, 0.3, 1.5}, {1.1, -0.7, -2.2}, {0.0, 2.5, -0.4}}, opt);
  auto t = torch::tensor({{1.0, -1.0, 0.5}, {0.0, 0.0, 1.0}, {2.0, -1.0, -2.0}, {0.5, 0.5, 0.0}},
                         opt);  // regression targets
  auto y01 = torch::tensor({{1.0, 0.0, 1.0}, {0.0, 1.0, 1.0}, {1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}},
                           opt);                            // multi-label 0/1
  auto pm = y01 * 2 - 1;                                    // the same as +-1
  auto labels = torch::tensor({2, 2, 0, 1}, torch::kLong);  // one class per sample
  auto pair = torch::tensor({1.0, -1.0, 1.0, -1.0}, opt);   // similar / dissimilar
  auto counts =
      torch::tensor({{2.0, 0.0, 7.0}, {0.0, 1.0, 4.0}, {3.0, 0.0, 0.0}, {1.0, 12.0, 0.0}}, opt);
  auto mlm = torch::tensor({{0, 2, -1}, {1, 2, -1}, {0, -1, 0}, {1, -1, 0}}, torch::kLong);
  auto var = torch::full({4, 3}, 0.5, opt);

  using Loss = std::function<Tensor(const Tensor& x, bool sum)>;
  const std::vector<std::pair<std::string, Loss>> zoo = {
      {"L1Loss", [&](auto& x, bool s) { return F::l1_loss(x, t, red(F::L1LossFuncOptions(), s)); }},
      {"MSELoss",
       [&](auto& x, bool s) { return F::mse_loss(x, t, red(F::MSELossFuncOptions(), s)); }},
      {"HuberLoss",
       [&](auto& x, bool s) { return F::huber_loss(x, t, red(F::HuberLossFuncOptions(), s)); }},
      {"SmoothL1Loss(beta=0.5)",
       [&](auto& x, bool s) {
         return F::smooth_l1_loss(x, t, red(F::SmoothL1LossFuncOptions(), s), 0.5);
       }},
      {"KLDivLoss(batchmean)",
       [&](auto& x, bool s) {
         auto o = s ? F::KLDivFuncOptions(torch::kSum) : F::KLDivFuncOptions(torch::kBatchMean);
         return F::kl_div(F::log_softmax(x, 1), F::softmax(t, 1), o);
       }},
      {"PoissonNLLLoss",
       [&](auto& x, bool s) {
         return F::poisson_nll_loss(x, counts, red(F::PoissonNLLLossFuncOptions(), s));
       }},
      {"GaussianNLLLoss",
       [&](auto& x, bool s) {
         return F::gaussian_nll_loss(x, t, var, red(F::GaussianNLLLossFuncOptions(), s));
       }},
      {"BCELoss",
       [&](auto& x, bool s) {
         return F::binary_cross_entropy(torch::sigmoid(x), y01,
                                        red(F::BinaryCrossEntropyFuncOptions(), s));
       }},
      {"BCEWithLogitsLoss",
       [&](auto& x, bool s) {
         return F::binary_cross_entropy_with_logits(
             x, y01, red(F::BinaryCrossEntropyWithLogitsFuncOptions(), s));
       }},
      {"sigmoid_focal_loss",
       [&](auto& x, bool s) {
         return s ? F::sigmoid_focal_loss(x, y01, 0.25, 2, torch::kSum)
                  : F::sigmoid_focal_loss(x, y01, 0.25, 2, torch::kMean);
       }},
      {"NLLLoss",
       [&](auto& x, bool s) {
         return F::nll_loss(F::log_softmax(x, 1), labels, red(F::NLLLossFuncOptions(), s));
       }},
      {"CrossEntropyLoss",
       [&](auto& x, bool s) {
         return F::cross_entropy(x, labels, red(F::CrossEntropyFuncOptions(), s));
       }},
      {"CrossEntropyLoss(ls=0.1)",
       [&](auto& x, bool s) {
         return F::cross_entropy(x, labels,
                                 red(F::CrossEntropyFuncOptions().label_smoothing(0.1), s));
       }},
      {"SoftMarginLoss",
       [&](auto& x, bool s) {
         return F::soft_margin_loss(x, pm, red(F::SoftMarginLossFuncOptions(), s));
       }},
      {"MultiLabelSoftMarginLoss",
       [&](auto& x, bool s) {
         return F::multilabel_soft_margin_loss(x, y01,
                                               red(F::MultilabelSoftMarginLossFuncOptions(), s));
       }},
      {"MultiLabelMarginLoss",
       [&](auto& x, bool s) {
         return F::multilabel_margin_loss(x, mlm, red(F::MultilabelMarginLossFuncOptions(), s));
       }},
      {"MultiMarginLoss(margin=2)",
       [&](auto& x, bool s) {
         return F::multi_margin_loss(x, labels, red(F::MultiMarginLossFuncOptions().margin(2), s));
       }},
      {"HingeEmbeddingLoss",
       [&](auto& x, bool s) {
         return F::hinge_embedding_loss(x, pm, red(F::HingeEmbeddingLossFuncOptions(), s));
       }},
      {"CosineEmbeddingLoss",
       [&](auto& x, bool s) {
         return F::cosine_embedding_loss(x, t, pair, red(F::CosineEmbeddingLossFuncOptions(), s));
       }},
      {"MarginRankingLoss(margin=1)",
       [&](auto& x, bool s) {
         return F::margin_ranking_loss(x.select(1, 0), x.select(1, 1), pair,
                                       red(F::MarginRankingLossFuncOptions().margin(1), s));
       }},
      {"TripletMarginLoss",
       [&](auto& x, bool s) {
         return F::triplet_margin_loss(x, t, y01, red(F::TripletMarginLossFuncOptions(), s));
       }},
      {"TripletMarginWithDistance",
       [&](auto& x, bool s) {
         return F::triplet_margin_with_distance_loss(
             x, t, y01, red(F::TripletMarginWithDistanceLossFuncOptions(), s));
       }},
      {"CTCLoss",
       [&](auto& x, bool s) {  // x read as 4 frames x 1 sequence x 3 classes
         return F::ctc_loss(F::log_softmax(x.reshape({4, 1, 3}), 2), torch::tensor({{1, 2}}),
                            torch::tensor({4}), torch::tensor({2}),
                            red(F::CTCLossFuncOptions(), s));
       }},
  };

  std::printf("Every loss on the same 4 x 3 batch (float64):\n\n");
  std::printf("%-27s %12s %12s %14s\n", "loss", "kMean", "kSum", "|dMean/dx|_1");
  int bad = 0;
  for (const auto& [name, loss] : zoo) {
    auto x = x0.clone().requires_grad_(true);
    auto mean = loss(x, false);
    mean.backward();
    double sum = loss(x0, true).template item<double>();
    double g = x.grad().abs().sum().template item<double>();
    std::printf("%-27s %12.6f %12.6f %14.6f\n", name.c_str(), mean.template item<double>(), sum, g);
    if (!std::isfinite(sum) || !std::isfinite(g)) ++bad;
  }

  // A confidently wrong prediction: logit x for a sample whose label is 0. The true loss is
  // softplus(x) ~ x and its gradient sigmoid(x) ~ 1: the model should be told to move x down.
  std::printf(
      "\nLabel 0, logit x (float32, the default dtype): sigmoid + BCELoss vs "
      "BCEWithLogitsLoss\n\n");
  std::printf("%8s %14s %14s %14s %14s\n", "x", "BCE(sig(x))", "d/dx", "BCEWithLogits", "d/dx");
  for (double v : {1.0, 10.0, 20.0, 40.0, 100.0, 1e4}) {
    auto xa = torch::tensor({v}).requires_grad_(true);
    auto xb = torch::tensor({v}).requires_grad_(true);
    auto y = torch::zeros({1});
    auto naive = F::binary_cross_entropy(torch::sigmoid(xa), y);
    auto stable = F::binary_cross_entropy_with_logits(xb, y);
    naive.backward();
    stable.backward();
    float nv = naive.item<float>(), ng = xa.grad().item<float>();
    float sv = stable.item<float>(), sg = xb.grad().item<float>();
    std::printf("%8g %14g %14g %14g %14g\n", v, nv, ng, sv, sg);
    // What this program claims: the with-logits loss is softplus(x) with gradient sigmoid(x)...
    double softplus = v + std::log1p(std::exp(-v)), sigm = 1 / (1 + std::exp(-v));
    if (std::abs(sv - softplus) > 1e-5 * softplus || std::abs(sg - sigm) > 1e-6) ++bad;
    // ...while sigmoid + BCE saturates in float32 once sigmoid(x) rounds to 1 (x >= 17):
    // the loss sticks at the clamp, 100, and the gradient vanishes.
    if (v >= 20 && (nv != 100.0f || ng != 0.0f)) ++bad;
  }
  std::printf(
      "\nBeyond x ~ 17, sigmoid(x) is 1.0f: log(1 - 1) is clamped to -100, and the\n"
      "gradient through sigmoid is 0, so the worst mistakes stop teaching the model.\n");
  if (bad) std::fprintf(stderr, "loss_zoo: %d claim(s) not met\n", bad);
  return bad ? 1 : 0;
}
