// Losses (modules and functional forms) with their options: values and input gradients.
#include "common.hpp"

namespace nn = torch::nn;
namespace F = torch::nn::functional;

// Emits loss and d loss / d leaf (the loss may be non-scalar under reduction none: then it is
// weighted like every other check).
static void loss_rows(const std::string& name, const Tensor& loss,
                      const std::vector<Tensor>& leaves) {
  check(name, loss, leaves);
}

int main() {
  auto X = [] { return leaf({4, 3}, 2.0, 0.3); };           // logits in [-2, 2]
  auto T = [] { return det({4, 3}, 1.0, 1.1); };            // regression target
  auto P = [] { return det({4, 3}, 0.45, 1.1).add(0.5); };  // probabilities in (0, 1)
  auto cls = torch::tensor({2, 0, 1, 2}, torch::kLong);
  auto w3 = torch::tensor({0.2, 1.0, 2.5}, torch::kDouble);

  // MSELoss
  section("mse", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::MSELoss()(x, T()), {x});
  });
  section("mse_sum", [&](auto n) {
    auto x = X(), t = leaf({4, 3}, 1.0, 1.1);  // the target gets a gradient too
    loss_rows(n, nn::MSELoss(nn::MSELossOptions().reduction(torch::kSum))(x, t), {x, t});
  });
  section("mse_none", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::MSELoss(nn::MSELossOptions(torch::kNone))(x, T()), {x});
  });
  section("mse_fn", [&](auto n) {
    auto x = X();
    loss_rows(n, F::mse_loss(x, T(), F::MSELossFuncOptions(torch::kSum)), {x});
  });

  // BCELoss on sigmoid outputs (the gradient flows through the sigmoid to the logits).
  section("bce", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::BCELoss()(x.sigmoid(), P()), {x});
  });
  section("bce_weight", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::BCELoss(nn::BCELossOptions().weight(w3))(x.sigmoid(), P()), {x});
  });
  section("bce_sum", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::BCELoss(nn::BCELossOptions().reduction(torch::kSum))(x.sigmoid(), P()), {x});
  });
  section("bce_none_fn", [&](auto n) {
    auto x = X();
    loss_rows(n,
              F::binary_cross_entropy(x.sigmoid(), P(),
                                      F::BinaryCrossEntropyFuncOptions().reduction(torch::kNone)),
              {x});
  });

  // BCEWithLogitsLoss
  section("bcel", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::BCEWithLogitsLoss()(x, P()), {x});
  });
  section("bcel_weight", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::BCEWithLogitsLoss(nn::BCEWithLogitsLossOptions().weight(w3))(x, P()), {x});
  });
  section("bcel_pos_weight", [&](auto n) {
    auto x = X();
    auto o =
        nn::BCEWithLogitsLossOptions().pos_weight(torch::tensor({3.0, 0.5, 1.5}, torch::kDouble));
    loss_rows(n, nn::BCEWithLogitsLoss(o)(x, P()), {x});
  });
  section("bcel_both_sum", [&](auto n) {
    auto x = X();
    auto o = nn::BCEWithLogitsLossOptions()
                 .weight(w3)
                 .pos_weight(torch::tensor({3.0, 0.5, 1.5}, torch::kDouble))
                 .reduction(torch::kSum);
    loss_rows(n, nn::BCEWithLogitsLoss(o)(x, P()), {x});
  });
  section("bcel_none_fn", [&](auto n) {
    auto x = X();
    loss_rows(n,
              F::binary_cross_entropy_with_logits(
                  x, P(), F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone)),
              {x});
  });
  // Logits of magnitude 1e4: a naive log(sigmoid) gives inf; the stable form does not.
  section("bcel_large", [&](auto n) {
    auto x = leaf({4, 3}, 1e4, 0.3);
    loss_rows(n,
              nn::BCEWithLogitsLoss(nn::BCEWithLogitsLossOptions().reduction(torch::kNone))(x, P()),
              {x});
  });

  // CrossEntropyLoss with class-index targets.
  section("ce", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::CrossEntropyLoss()(x, cls), {x});
  });
  section("ce_weight", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().weight(w3))(x, cls), {x});
  });
  section("ce_ignore_default", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::CrossEntropyLoss()(x, torch::tensor({2, -100, 1, 2}, torch::kLong)), {x});
  });
  section("ce_ignore_index", [&](auto n) {
    auto x = X();
    loss_rows(
        n, nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().ignore_index(2).weight(w3))(x, cls),
        {x});
  });
  section("ce_smoothing", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().label_smoothing(0.1))(x, cls),
              {x});
  });
  section("ce_smoothing_weight_sum", [&](auto n) {
    auto x = X();
    auto o = nn::CrossEntropyLossOptions().label_smoothing(0.2).weight(w3).reduction(torch::kSum);
    loss_rows(n, nn::CrossEntropyLoss(o)(x, cls), {x});
  });
  section("ce_none_fn", [&](auto n) {
    auto x = X();
    loss_rows(n, F::cross_entropy(x, cls, F::CrossEntropyFuncOptions().reduction(torch::kNone)),
              {x});
  });
  section("ce_large", [&](auto n) {
    auto x = leaf({4, 3}, 1e4, 0.3);
    loss_rows(n, nn::CrossEntropyLoss()(x, cls), {x});
  });
  // Class-probability targets (same shape as the input, float).
  section("ce_probs", [&](auto n) {
    auto x = X();
    auto t = det({4, 3}, 1.0, 1.1).softmax(1);
    loss_rows(n, nn::CrossEntropyLoss()(x, t), {x});
  });
  section("ce_probs_weight_smoothing", [&](auto n) {
    auto x = X();
    auto t = det({4, 3}, 1.0, 1.1).softmax(1);
    loss_rows(
        n,
        nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().weight(w3).label_smoothing(0.1))(x, t),
        {x});
  });

  // NLLLoss on log-probabilities.
  section("nll", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::NLLLoss()(x.log_softmax(1), cls), {x});
  });
  section("nll_weight", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::NLLLoss(nn::NLLLossOptions().weight(w3))(x.log_softmax(1), cls), {x});
  });
  section("nll_ignore_sum", [&](auto n) {
    auto x = X();
    loss_rows(n,
              nn::NLLLoss(nn::NLLLossOptions().ignore_index(0).reduction(torch::kSum))(
                  x.log_softmax(1), cls),
              {x});
  });
  section("nll_none_fn", [&](auto n) {
    auto x = X();
    loss_rows(n, F::nll_loss(x, cls, F::NLLLossFuncOptions().weight(w3).reduction(torch::kNone)),
              {x});
  });

  // float32 (the dtype a model would use).
  auto F32 = [](double scale) {
    return det({4, 3}, scale, 0.3).to(torch::kFloat32).requires_grad_(true);
  };
  section("float32/ce", [&](auto n) {
    auto x = F32(2.0);
    loss_rows(n, nn::CrossEntropyLoss()(x, cls), {x});
  });
  section("float32/bcel", [&](auto n) {
    auto x = F32(2.0);
    loss_rows(n, nn::BCEWithLogitsLoss()(x, P().to(torch::kFloat32)), {x});
  });
  section("float32/mse", [&](auto n) {
    auto x = F32(2.0);
    loss_rows(n, nn::MSELoss()(x, T().to(torch::kFloat32)), {x});
  });
  return 0;
}
