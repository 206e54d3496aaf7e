// Margin and embedding losses vs PyTorch 1.13 (float64, 1e-10 relative): soft_margin,
// multilabel_soft_margin, multilabel_margin, multi_margin, hinge_embedding, cosine_embedding,
// margin_ranking, triplet_margin (+ with_distance) -- values and gradients of every input for
// every reduction and the main options, gradcheck + gradgradcheck, module printing, bad input.
// Reference numbers: tests/ref/losses_ref.py -> losses_more_ref.inc.
#include <doctest/doctest.h>

#include <sstream>
#include <vector>

#include "loss_check.hpp"
#include "tapegrad.hpp"

using namespace test;
using namespace test::inputs;

namespace {

namespace F = tg::nn::functional;
using tg::Tensor;
using L = tg::TensorList;
using R = tg::nn::loss_reduction_t;

#include "ref/losses_more_ref.inc"

Tensor SIGN34() { return seq({3, 4}, 0.4).sign(); }
Tensor BIN34() { return (seq({3, 4}, 0.9) > 0.0).to(tg::kDouble); }
Tensor MLM_T() { return idx({3, 0, -1, 1, 1, 2, 3, 0, -1, 0, 1, 2}).reshape({3, 4}); }
Tensor E1() { return seq({4, 5}, 0.1); }
Tensor E2() { return seq({4, 5}, 1.7); }
Tensor E3() { return seq({4, 5}, 2.9, 1.2); }
Tensor PM4() { return tg::tensor({1.0, -1.0, 1.0, -1.0}, tg::kDouble); }
Tensor col0(const Tensor& t) { return t.select(1, 0); }

}  // namespace

TEST_CASE("soft_margin_loss: every reduction; finite where ATen's log1p(exp) overflows") {
  for (const Red& c :
       {Red{tg::kMean, kSoftM_mean}, Red{tg::kSum, kSoftM_sum}, Red{tg::kNone, kSoftM_none}})
    check_case(c.ref, X34(), [&](const Tensor& x) {
      return F::soft_margin_loss(x, SIGN34(), F::SoftMarginLossFuncOptions().reduction(c.r));
    });
  Tensor y = tg::tensor({{1.0, 1.0, -1.0}, {1.0, -1.0, 1.0}}, tg::kDouble);
  tg::nn::SoftMarginLoss m(tg::kSum);
  check_case(kSoftM_big, BIG() * 0.05, [&](const Tensor& x) { return m(x, y); });
  // |x| = 1e4 against the label: the loss is 1e4 (PyTorch 1.13 gives inf here).
  Tensor l = F::soft_margin_loss(tg::tensor({1e4}, tg::kDouble), tg::tensor({-1.0}, tg::kDouble));
  CHECK(l.item<double>() == 1e4);
}

TEST_CASE("multilabel_soft_margin_loss: every reduction, class weights") {
  for (const Red& c :
       {Red{tg::kMean, kMlsm_mean}, Red{tg::kSum, kMlsm_sum}, Red{tg::kNone, kMlsm_none}})
    check_case(c.ref, X34(), [&](const Tensor& x) {
      return F::multilabel_soft_margin_loss(
          x, BIN34(), F::MultilabelSoftMarginLossFuncOptions().reduction(c.r));
    });
  tg::nn::MultiLabelSoftMarginLoss m(tg::nn::MultiLabelSoftMarginLossOptions().weight(W4()));
  check_case(kMlsm_weight_mean, X34(), [&](const Tensor& x) { return m(x, BIN34()); });
  CHECK(m->named_buffers().contains("weight"));
}

TEST_CASE("multilabel_margin_loss: every reduction, -1 ends each target list, unbatched") {
  for (const Red& c :
       {Red{tg::kMean, kMlm_mean}, Red{tg::kSum, kMlm_sum}, Red{tg::kNone, kMlm_none}})
    check_case(c.ref, X34() * 0.4, [&](const Tensor& x) {
      return F::multilabel_margin_loss(x, MLM_T(),
                                       F::MultilabelMarginLossFuncOptions().reduction(c.r));
    });
  tg::nn::MultiLabelMarginLoss m;
  check_case(kMlm_unbatched, X34()[1] * 0.4, [&](const Tensor& x) {
    return m(x, idx({2, 0, -1, 3}));
  });
}

TEST_CASE("multi_margin_loss: every reduction, p = 2, margin, weight, unbatched") {
  using O = F::MultiMarginLossFuncOptions;
  for (const Red& c : {Red{tg::kMean, kMm_mean}, Red{tg::kSum, kMm_sum}, Red{tg::kNone, kMm_none}})
    check_case(c.ref, L45() * 0.3,
               [&](const Tensor& x) { return F::multi_margin_loss(x, T4(), O().reduction(c.r)); });
  tg::nn::MultiMarginLoss m(tg::nn::MultiMarginLossOptions().p(2).margin(0.7).weight(W5()));
  check_case(kMm_p2_margin_weight_mean, L45() * 0.3, [&](const Tensor& x) { return m(x, T4()); });
  check_case(kMm_weight_sum, L45() * 0.3, [](const Tensor& x) {
    return F::multi_margin_loss(x, T4(), O().weight(W5()).reduction(tg::kSum));
  });
  check_case(kMm_unbatched, L5() * 0.3,
             [](const Tensor& x) { return F::multi_margin_loss(x, tg::tensor(int64_t(2))); });
}

TEST_CASE("hinge_embedding_loss: every reduction, margin, labels other than +-1 (ATen's form)") {
  using O = F::HingeEmbeddingLossFuncOptions;
  for (const Red& c :
       {Red{tg::kMean, kHinge_mean}, Red{tg::kSum, kHinge_sum}, Red{tg::kNone, kHinge_none}})
    check_case(c.ref, X34(), [&](const Tensor& x) {
      return F::hinge_embedding_loss(x, SIGN34(), O().reduction(c.r));
    });
  tg::nn::HingeEmbeddingLoss m(tg::nn::HingeEmbeddingLossOptions().margin(1.5));
  check_case(kHinge_margin_mean, X34(), [&](const Tensor& x) { return m(x, SIGN34()); });
  Tensor mixed = tg::tensor({1.0, -1.0, 0.0, 2.0}, tg::kDouble).expand({3, 4});
  check_case(kHinge_mixed_none, X34(), [&](const Tensor& x) {
    return F::hinge_embedding_loss(x, mixed, O().reduction(tg::kNone));
  });
}

TEST_CASE("cosine_embedding_loss and margin_ranking_loss: both inputs' gradients") {
  using CO = F::CosineEmbeddingLossFuncOptions;
  using RO = F::MarginRankingLossFuncOptions;
  for (const Red& c :
       {Red{tg::kMean, kCos_mean}, Red{tg::kSum, kCos_sum}, Red{tg::kNone, kCos_none}})
    check_cases(c.ref, {E1(), E2()}, [&](const L& in) {
      return F::cosine_embedding_loss(in[0], in[1], PM4(), CO().reduction(c.r));
    });
  tg::nn::CosineEmbeddingLoss cm(tg::nn::CosineEmbeddingLossOptions().margin(-0.3));
  check_cases(kCos_margin_mean, {E1(), E2()}, [&](const L& in) { return cm(in[0], in[1], PM4()); });
  check_cases(kCos_unbatched, {E1()[0], E2()[0]}, [](const L& in) {
    return F::cosine_embedding_loss(in[0], in[1], tg::tensor(-1.0, tg::kDouble), CO().margin(-0.5));
  });
  for (const Red& c :
       {Red{tg::kMean, kRank_mean}, Red{tg::kSum, kRank_sum}, Red{tg::kNone, kRank_none}})
    check_cases(c.ref, {col0(E1()), col0(E2())}, [&](const L& in) {
      return F::margin_ranking_loss(in[0], in[1], PM4(), RO().reduction(c.r));
    });
  tg::nn::MarginRankingLoss rm(tg::nn::MarginRankingLossOptions().margin(0.3).reduction(tg::kSum));
  check_cases(kRank_margin_sum, {col0(E1()), col0(E2())},
              [&](const L& in) { return rm(in[0], in[1], PM4()); });
}

TEST_CASE("triplet_margin_loss: every reduction, p = 1 with swap, p = 3 with eps, unbatched") {
  using O = F::TripletMarginLossFuncOptions;
  for (const Red& c :
       {Red{tg::kMean, kTrip_mean}, Red{tg::kSum, kTrip_sum}, Red{tg::kNone, kTrip_none}})
    check_cases(c.ref, {E1(), E2(), E3()}, [&](const L& in) {
      return F::triplet_margin_loss(in[0], in[1], in[2], O().reduction(c.r));
    });
  tg::nn::TripletMarginLoss m(
      tg::nn::TripletMarginLossOptions().p(1).swap(true).margin(2.0).reduction(tg::kNone));
  check_cases(kTrip_p1_swap_margin_none, {E1(), E2(), E3()},
              [&](const L& in) { return m(in[0], in[1], in[2]); });
  check_cases(kTrip_p3_eps_mean, {E1(), E2(), E3()}, [](const L& in) {
    return F::triplet_margin_loss(in[0], in[1], in[2], O().p(3).eps(1e-3).margin(1.5));
  });
  check_cases(kTrip_unbatched, {E1()[0], E2()[0], E3()[0]}, [](const L& in) {
    return F::triplet_margin_loss(in[0], in[1], in[2], O().margin(2.0));
  });
}

TEST_CASE("triplet_margin_with_distance_loss: default distance, a custom one with swap") {
  using O = F::TripletMarginWithDistanceLossFuncOptions;
  for (const Red& c :
       {Red{tg::kMean, kTripD_mean}, Red{tg::kSum, kTripD_sum}, Red{tg::kNone, kTripD_none}})
    check_cases(c.ref, {E1(), E2(), E3()}, [&](const L& in) {
      return F::triplet_margin_with_distance_loss(in[0], in[1], in[2], O().reduction(c.r));
    });
  auto l1 = [](const Tensor& u, const Tensor& v) { return (u - v).abs().sum({-1}); };
  tg::nn::TripletMarginWithDistanceLoss m(tg::nn::TripletMarginWithDistanceLossOptions()
                                              .distance_function(l1)
                                              .swap(true)
                                              .margin(3.0)
                                              .reduction(tg::kNone));
  check_cases(kTripD_l1_swap_none, {E1(), E2(), E3()},
              [&](const L& in) { return m(in[0], in[1], in[2]); });
}

TEST_CASE("gradcheck and gradgradcheck: margin and embedding losses (away from the hinges)") {
  check_grads([](const L& in) { return F::soft_margin_loss(in[0], SIGN34()); }, {X34()});
  check_grads(
      [](const L& in) {
        return F::multilabel_soft_margin_loss(
            in[0], in[1], F::MultilabelSoftMarginLossFuncOptions().weight(W4()));
      },
      {X34(), Y34()});
  check_grads([](const L& in) { return F::multilabel_margin_loss(in[0], MLM_T()); }, {X34() * 0.4});
  check_grads(
      [](const L& in) {
        return F::multi_margin_loss(in[0], T4(), F::MultiMarginLossFuncOptions().p(2).weight(W5()));
      },
      {L45() * 0.3});
  check_grads(
      [](const L& in) {
        return F::hinge_embedding_loss(in[0], SIGN34(),
                                       F::HingeEmbeddingLossFuncOptions().reduction(tg::kSum));
      },
      {X34()});
  check_grads([](const L& in) { return F::cosine_embedding_loss(in[0], in[1], PM4()); },
              {E1(), E2()});
  check_grads([](const L& in) { return F::margin_ranking_loss(in[0], in[1], PM4()); },
              {col0(E1()), col0(E2())});
  check_grads(
      [](const L& in) {
        return F::triplet_margin_loss(in[0], in[1], in[2],
                                      F::TripletMarginLossFuncOptions().p(3).swap(true));
      },
      {E1(), E2(), E3()});
  check_grads([](const L& in) { return F::triplet_margin_with_distance_loss(in[0], in[1], in[2]); },
              {E1(), E2(), E3()});
}

TEST_CASE("errors: margin losses name the loss and the shapes") {
  CHECK(
      contains(error_of([] { F::multilabel_margin_loss(X34(), MLM_T().to(tg::kDouble)); }),
               "multilabel_margin_loss: expected a target of dtype Long (class indices) for input "
               "of shape [3, 4], got Double target of shape [3, 4]"));
  CHECK(error_of([] {
          F::multilabel_margin_loss(X34(), idx({0, 1, -1, 2}));
        }) == "multilabel_margin_loss: target size [4] must match input size [3, 4]");
  CHECK(contains(
      error_of([] { F::multilabel_margin_loss(X34(), MLM_T() + 1); }),
      "multilabel_margin_loss: target 4 is out of bounds for 4 classes (input shape [3, 4])"));
  CHECK(error_of([] {
          F::multi_margin_loss(L45(), idx({0, 1, 5, 2}));
        }) == "multi_margin_loss: target 5 is out of bounds for 5 classes (input shape [4, 5])");
  CHECK(error_of([] {
          F::multi_margin_loss(L45(), idx({0, 1, 2}));
        }) ==
        "multi_margin_loss: expected target of shape [4] for input of shape [4, 5], got target of "
        "shape [3]");
  CHECK(
      contains(error_of([] { F::multi_margin_loss(L45(), seq({4}, 0.0)); }), "got Double target"));
  CHECK(error_of([] {
          F::multi_margin_loss(L45(), T4(), F::MultiMarginLossFuncOptions().weight(W4()));
        }) ==
        "multi_margin_loss: weight should have one element per class (5), got weight of "
        "shape [4]");
  CHECK(contains(error_of([] { tg::nn::MultiMarginLoss(tg::nn::MultiMarginLossOptions().p(3)); }),
                 "MultiMarginLoss: only p == 1 and p == 2 are supported, got p = 3"));
  CHECK(error_of([] { F::multilabel_soft_margin_loss(X34(), BIN34().t()); }) ==
        "multilabel_soft_margin_loss: target size [4, 3] must match input size [3, 4]");
  CHECK(
      contains(error_of([] {
                 F::multilabel_soft_margin_loss(
                     X34(), BIN34(), F::MultilabelSoftMarginLossFuncOptions().weight(W5()));
               }),
               "multilabel_soft_margin_loss: weight of shape [5] can not be broadcast to the input "
               "size [3, 4]"));
  CHECK(contains(error_of([] { F::soft_margin_loss(X34(), seq({2}, 0.0)); }),
                 "soft_margin_loss: target size [2] is not broadcastable with input size [3, 4]"));
  CHECK(contains(error_of([] { F::hinge_embedding_loss(X34(), seq({3}, 0.0)); }),
                 "hinge_embedding_loss: target size [3]"));
  CHECK(error_of([] { F::cosine_embedding_loss(E1(), E2().narrow(1, 0, 4), PM4()); }) ==
        "cosine_embedding_loss: input2 size [4, 4] must match input1 size [4, 5]");
  CHECK(
      contains(error_of([] { F::cosine_embedding_loss(E1(), E2(), seq({3}, 0.0)); }),
               "cosine_embedding_loss: expected inputs (N, D) with target (N), or inputs (D) with "
               "a 0-D target, got inputs of shape [4, 5] and target of shape [3]"));
  CHECK(contains(error_of([] { F::margin_ranking_loss(col0(E1()), E2(), PM4()); }),
                 "margin_ranking_loss: input1, input2 and target must have the same dimension and "
                 "broadcast, got input1: [4], input2: [4, 5], target: [4]"));
  CHECK(contains(error_of([] { F::triplet_margin_loss(E1(), E2(), col0(E3())); }),
                 "triplet_margin_loss: anchor, positive and negative must have the same number"));
  CHECK(contains(error_of([] {
                   F::triplet_margin_loss(E1(), E2(), seq({3, 5}, 0.0));
                 }),
                 "triplet_margin_loss: shapes [4, 5], [4, 5] and [3, 5] do not broadcast"));
}

TEST_CASE("loss modules print like libtorch (with tg::)") {
  std::ostringstream s;
  s << tg::nn::L1Loss() << "|" << tg::nn::SmoothL1Loss() << "|" << tg::nn::HuberLoss() << "|"
    << tg::nn::HingeEmbeddingLoss(tg::nn::HingeEmbeddingLossOptions().margin(2.5)) << "|"
    << tg::nn::MultiMarginLoss() << "|" << tg::nn::CosineEmbeddingLoss() << "|"
    << tg::nn::TripletMarginLoss() << "|" << tg::nn::TripletMarginWithDistanceLoss() << "|"
    << tg::nn::CTCLoss() << "|" << tg::nn::GaussianNLLLoss() << "|" << tg::nn::KLDivLoss();
  CHECK(s.str() ==
        "torch::nn::L1Loss()|torch::nn::SmoothL1Loss|torch::nn::HuberLoss|"
        "torch::nn::HingeEmbeddingLoss(margin=2.5)|"
        "torch::nn::MultiMarginLoss(p=1, margin=1, weight=[ Tensor (undefined) ], reduction=kMean)|"
        "torch::nn::CosineEmbeddingLoss(margin=0)|"
        "torch::nn::TripletMarginLoss(margin=1, p=2, eps=1e-06, swap=false)|"
        "torch::nn::TripletMarginWithDistanceLoss(margin=1, swap=false)|torch::nn::CTCLoss()|"
        "torch::nn::GaussianNLLLoss()|torch::nn::KLDivLoss()");
}
