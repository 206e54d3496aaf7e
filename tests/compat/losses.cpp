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

  // Regression: L1, Huber, SmoothL1 (beta as libtorch's 4th argument), KLDiv, PoissonNLL.
  section("l1", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::L1Loss()(x, T()), {x});
  });
  section("l1_none_fn", [&](auto n) {
    auto x = X(), t = leaf({4, 3}, 1.0, 1.1);
    loss_rows(n, F::l1_loss(x, t, F::L1LossFuncOptions(torch::kNone)), {x, t});
  });
  section("huber", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::HuberLoss()(x, T()), {x});
  });
  section("huber_delta_sum_fn", [&](auto n) {
    auto x = X();
    loss_rows(n, F::huber_loss(x, T(), F::HuberLossFuncOptions().delta(0.5).reduction(torch::kSum)),
              {x});
  });
  section("smooth_l1", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::SmoothL1Loss(nn::SmoothL1LossOptions().beta(0.5))(x, T()), {x});
  });
  section("smooth_l1_fn_beta_arg", [&](auto n) {
    auto x = X();
    loss_rows(n, F::smooth_l1_loss(x, T(), F::SmoothL1LossFuncOptions(torch::kNone), 0.25), {x});
  });
  section("kl_div_batchmean", [&](auto n) {
    auto x = X();
    auto q = det({4, 3}, 1.0, 1.1).softmax(1);
    loss_rows(n, nn::KLDivLoss(nn::KLDivLossOptions(torch::kBatchMean))(x.log_softmax(1), q), {x});
  });
  section("kl_div_log_target_none_fn", [&](auto n) {
    auto x = X();
    auto q = det({4, 3}, 1.0, 1.1).log_softmax(1);
    loss_rows(n,
              F::kl_div(x.log_softmax(1), q,
                        F::KLDivFuncOptions().reduction(torch::kNone).log_target(true)),
              {x});
  });
  auto counts = torch::tensor({{2.0, 0.0, 7.0}, {0.0, 1.0, 4.0}, {3.0, 0.0, 0.0}, {1.0, 12.0, 0.0}},
                              torch::kDouble);
  section("poisson_nll", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::PoissonNLLLoss()(x, counts), {x});
  });
  section("poisson_nll_rate_full_sum_fn", [&](auto n) {
    auto x = leaf({4, 3}, 0.5, 0.3, 1.0);  // positive rates
    auto o = F::PoissonNLLLossFuncOptions().log_input(false).full(true).reduction(torch::kSum);
    loss_rows(n, F::poisson_nll_loss(x, counts, o), {x});
  });

  // Margins on scores.
  auto pm = det({4, 3}, 1.0, 0.9).sign();  // labels +-1
  auto y01 = pm.add(1).div(2);             // the same as 0/1
  section("soft_margin", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::SoftMarginLoss()(x, pm), {x});
  });
  section("multilabel_soft_margin_weight", [&](auto n) {
    auto x = X();
    loss_rows(
        n, nn::MultiLabelSoftMarginLoss(nn::MultiLabelSoftMarginLossOptions().weight(w3))(x, y01),
        {x});
  });
  section("multilabel_margin", [&](auto n) {
    auto x = X();
    auto t = torch::tensor({{0, 2, -1}, {1, -1, 0}, {2, 1, 0}, {1, 0, -1}}, torch::kLong);
    loss_rows(n, nn::MultiLabelMarginLoss()(x, t), {x});
  });
  section("multi_margin", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::MultiMarginLoss()(x, cls), {x});
  });
  section("multi_margin_p2_weight_none_fn", [&](auto n) {
    auto x = X();
    auto o = F::MultiMarginLossFuncOptions().p(2).margin(1.5).weight(w3).reduction(torch::kNone);
    loss_rows(n, F::multi_margin_loss(x, cls, o), {x});
  });
  section("hinge_embedding", [&](auto n) {
    auto x = X();
    loss_rows(n, nn::HingeEmbeddingLoss(nn::HingeEmbeddingLossOptions().margin(1.5))(x, pm), {x});
  });

  // Pairs and triplets of embeddings.
  auto pair = torch::tensor({1.0, -1.0, 1.0, -1.0}, torch::kDouble);
  section("cosine_embedding", [&](auto n) {
    auto a = X(), b = leaf({4, 3}, 1.0, 1.7);
    loss_rows(n, nn::CosineEmbeddingLoss(nn::CosineEmbeddingLossOptions().margin(-0.2))(a, b, pair),
              {a, b});
  });
  section("margin_ranking_sum", [&](auto n) {
    auto a = leaf({4}, 1.0, 0.3), b = leaf({4}, 1.0, 1.7);
    auto o = nn::MarginRankingLossOptions().margin(0.5).reduction(torch::kSum);
    loss_rows(n, nn::MarginRankingLoss(o)(a, b, pair), {a, b});
  });
  section("triplet", [&](auto n) {
    auto a = X(), p = leaf({4, 3}, 1.0, 1.7), q = leaf({4, 3}, 1.2, 2.9);
    loss_rows(n, nn::TripletMarginLoss(nn::TripletMarginLossOptions().margin(2.0))(a, p, q),
              {a, p, q});
  });
  section("triplet_p1_swap_none_fn", [&](auto n) {
    auto a = X(), p = leaf({4, 3}, 1.0, 1.7), q = leaf({4, 3}, 1.2, 2.9);
    auto o = F::TripletMarginLossFuncOptions().p(1).swap(true).margin(2.5).reduction(torch::kNone);
    loss_rows(n, F::triplet_margin_loss(a, p, q, o), {a, p, q});
  });
  section("triplet_distance", [&](auto n) {
    auto a = X(), p = leaf({4, 3}, 1.0, 1.7), q = leaf({4, 3}, 1.2, 2.9);
    auto l1 = [](const Tensor& u, const Tensor& v) { return (u - v).abs().sum(-1); };
    auto o = nn::TripletMarginWithDistanceLossOptions().distance_function(l1).margin(3.0);
    loss_rows(n, nn::TripletMarginWithDistanceLoss(o)(a, p, q), {a, p, q});
  });

  // CTC on log_softmax outputs (T = 5 frames, N = 2, C = 4 classes, blank 0).
  auto ctc_x = [] { return leaf({5, 2, 4}, 1.5, 0.3); };
  auto ctc_t = torch::tensor({{1, 2, 2}, {3, 1, 0}}, torch::kLong);
  auto ctc_il = torch::tensor({5, 4}, torch::kLong), ctc_tl = torch::tensor({3, 2}, torch::kLong);
  section("ctc", [&](auto n) {
    auto x = ctc_x();
    loss_rows(n, nn::CTCLoss()(x.log_softmax(2), ctc_t, ctc_il, ctc_tl), {x});
  });
  section("ctc_concat_blank3_none_fn", [&](auto n) {
    auto x = ctc_x();
    auto o = F::CTCLossFuncOptions().blank(3).reduction(torch::kNone);
    loss_rows(n,
              F::ctc_loss(x.log_softmax(2), torch::tensor({1, 2, 2, 0, 1}, torch::kLong), ctc_il,
                          ctc_tl, o),
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
  section("float32/huber", [&](auto n) {
    auto x = F32(2.0);
    loss_rows(n, nn::HuberLoss()(x, T().to(torch::kFloat32)), {x});
  });
  section("float32/ctc", [&](auto n) {
    auto x = det({5, 2, 4}, 1.5, 0.3).to(torch::kFloat32).requires_grad_(true);
    loss_rows(n, nn::CTCLoss()(x.log_softmax(2), ctc_t, ctc_il, ctc_tl), {x});
  });
  section("float32/mse", [&](auto n) {
    auto x = F32(2.0);
    loss_rows(n, nn::MSELoss()(x, T().to(torch::kFloat32)), {x});
  });
  return 0;
}
