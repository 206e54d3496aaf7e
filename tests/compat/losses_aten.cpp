// ATen's loss functions (torch::mse_loss, torch::nll_loss, ..., at::Reduction): values and
// gradients with each reduction, as libtorch's free functions compute them. Also the distances
// (cosine_similarity, pairwise_distance, pdist, their modules) and integer inputs where libtorch
// takes them (cosine_embedding_loss, bilinear).
#include <sstream>

#include "common.hpp"

int main() {
  using R = torch::Reduction::Reduction;
  auto X = [] { return leaf({4, 3}, 2.0, 0.3); };           // logits in [-2, 2]
  auto T = [] { return det({4, 3}, 1.0, 1.1); };            // regression target
  auto P = [] { return det({4, 3}, 0.45, 1.1).add(0.5); };  // probabilities in (0, 1)
  auto S = [] { return det({4, 3}, 1.0, 0.8).sign(); };     // labels +-1
  auto cls = torch::tensor({2, 0, 1, 2}, torch::kLong);
  auto w3 = torch::tensor({0.2, 1.0, 2.5}, torch::kDouble);
  const std::vector<std::pair<std::string, int64_t>> reductions = {{"none", torch::Reduction::None},
                                                                   {"mean", torch::Reduction::Mean},
                                                                   {"sum", torch::Reduction::Sum}};

  for (const auto& [rn, r] : reductions) {
    section("mse_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::mse_loss(x, T(), r), {x});
    });
    section("l1_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::l1_loss(x, T(), r), {x});
    });
    section("smooth_l1_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::smooth_l1_loss(x, T(), r, 0.6), {x});
    });
    section("huber_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::huber_loss(x, T(), r, 0.6), {x});
    });
    section("kl_div_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::kl_div(x, P(), r), {x});
    });
    section("kl_div_log_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::kl_div(x, T(), r, /*log_target=*/true), {x});
    });
    section("poisson_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::poisson_nll_loss(x, P().mul(4), true, true, 1e-8, r), {x});
    });
    section("bce_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::binary_cross_entropy(x.sigmoid(), P(), w3, r), {x});
    });
    section("bce_logits_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::binary_cross_entropy_with_logits(x, P(), {}, w3, r), {x});
    });
    section("nll_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::nll_loss(x.log_softmax(1), cls, w3, r, 1), {x});
    });
    section("cross_entropy_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::cross_entropy_loss(x, cls, w3, r, -100, 0.1), {x});
    });
    section("soft_margin_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::soft_margin_loss(x, S(), r), {x});
    });
    section("multilabel_margin_" + rn, [&](auto n) {
      auto x = X();
      auto y = torch::tensor({{2, -1, 0}, {0, 1, -1}, {1, 2, 0}, {-1, 0, 0}}, torch::kLong);
      check(n, torch::multilabel_margin_loss(x, y, r), {x});
    });
    section("multi_margin_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::multi_margin_loss(x, cls, 2, 0.7, w3, r), {x});
    });
    section("hinge_embedding_" + rn, [&](auto n) {
      auto x = X();
      check(n, torch::hinge_embedding_loss(x, S(), 0.8, r), {x});
    });
    section("margin_ranking_" + rn, [&](auto n) {
      auto a = X(), b = leaf({4, 3}, 1.0, 2.1);
      check(n, torch::margin_ranking_loss(a, b, S(), 0.3, r), {a, b});
    });
    section("cosine_embedding_" + rn, [&](auto n) {
      auto a = X(), b = leaf({4, 3}, 1.0, 2.1);
      auto y = torch::tensor({1, -1, -1, 1}, torch::kDouble);
      check(n, torch::cosine_embedding_loss(a, b, y, 0.1, r), {a, b});
    });
    section("triplet_" + rn, [&](auto n) {
      auto a = X(), p = leaf({4, 3}, 1.0, 2.1), q = leaf({4, 3}, 1.5, 0.7);
      check(n, torch::triplet_margin_loss(a, p, q, 1.5, 2, 1e-6, true, r), {a, p, q});
    });
    section("ctc_" + rn, [&](auto n) {
      auto x = leaf({6, 2, 4}, 1.0, 0.3);
      auto lp = x.log_softmax(2);
      auto targets = torch::tensor({{1, 2, 2}, {3, 1, 0}}, torch::kLong);
      check(n, torch::ctc_loss(lp, targets, {6, 5}, {3, 2}, 0, r), {x});
    });
  }
  section("reduction_values", [&](auto n) {
    emit(n, torch::tensor({int64_t(torch::Reduction::None), int64_t(torch::Reduction::Mean),
                           int64_t(torch::Reduction::Sum)}));
    R mean = torch::Reduction::Mean;
    emit(n + "/default", torch::mse_loss(T(), P()) - torch::mse_loss(T(), P(), mean));
  });
  section("broadcast", [&](auto n) {
    auto x = X();
    check(n, torch::mse_loss(x, det({3}, 1.0, 0.2)), {x});
  });
  section("cosine_similarity", [&](auto n) {
    auto a = X(), b = leaf({4, 3}, 1.0, 2.1);
    check(n, torch::cosine_similarity(a, b, 1, 1e-8), {a, b});
  });
  section("cosine_similarity_dim0_bcast", [&](auto n) {
    auto a = X(), b = leaf({1, 3}, 1.0, 2.1);
    check(n,
          torch::nn::functional::cosine_similarity(
              a, b, torch::nn::functional::CosineSimilarityFuncOptions().dim(0)),
          {a, b});
  });
  section("cosine_similarity_tiny", [&](auto n) {  // the norms clamped at eps
    auto a = leaf({2, 3}, 1e-6, 0.3), b = leaf({2, 3}, 1.0, 2.1);
    check(n, torch::nn::CosineSimilarity(torch::nn::CosineSimilarityOptions().eps(1e-3))(a, b),
          {a, b});
  });
  section("pairwise_distance", [&](auto n) {
    auto a = X(), b = leaf({4, 3}, 1.0, 2.1);
    check(n, torch::pairwise_distance(a, b, 1.5, 1e-6, true), {a, b});
  });
  section("pairwise_distance_module", [&](auto n) {
    auto a = X(), b = leaf({3}, 1.0, 2.1);
    check(n, torch::nn::PairwiseDistance(torch::nn::PairwiseDistanceOptions().p(3).eps(0.1))(a, b),
          {a, b});
  });
  section("pdist", [&](auto n) {
    auto a = X();
    check(n, torch::pdist(a), {a});
  });
  section("pdist_p", [&](auto n) {
    auto a = X();
    check(n, torch::nn::functional::pdist(a, 1.5), {a});
  });
  section("int_inputs", [&](auto n) {
    auto i1 = torch::tensor({{2, 3, 4}, {6, 2, 4}}), i2 = torch::tensor({{2, 3, 5}, {9, 12, 0}});
    auto y = torch::tensor({1, -1});
    emit(n + "/cosine_embedding",
         torch::nn::functional::cosine_embedding_loss(
             i1, i2, y, torch::nn::functional::CosineEmbeddingLossFuncOptions().margin(0.5)));
    auto w = torch::tensor({{{2, 3}, {9, 7}, {8, 6}}});
    emit(n + "/bilinear",
         torch::nn::functional::bilinear(i1.slice(1, 0, 3), torch::tensor({{7, 4}, {8, 9}}), w,
                                         torch::tensor({1})));
  });
  section("print", [&](auto n) {
    std::ostringstream s;
    s << torch::nn::CosineSimilarity() << torch::nn::PairwiseDistance()
      << torch::nn::PairwiseDistance(
             torch::nn::PairwiseDistanceOptions().p(3).eps(0.5).keepdim(true));
    emit_text(n, s.str());
  });
  return 0;
}
