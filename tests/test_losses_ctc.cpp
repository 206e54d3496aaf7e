// ctc_loss vs PyTorch 1.13 (float64, 1e-10 relative): values for every reduction, padded and
// concatenated targets, another blank, zero_infinity, unbatched input; gradients with respect to
// the logits x of log_probs = log_softmax(x) (where PyTorch's gradient and the true one agree, see
// nn/loss_functional_ctc.cpp); gradcheck on raw log_probs; gradgradcheck (create_graph records a
// composite); bad lengths and labels.
// Reference numbers: tests/ref/losses_ref.py -> losses_more_ref.inc.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "loss_check.hpp"
#include "tapegrad.hpp"

using namespace test;

namespace {

namespace F = tg::nn::functional;
using tg::Tensor;
using L = tg::TensorList;
using O = F::CTCLossFuncOptions;

#include "ref/losses_more_ref.inc"

Tensor X() { return seq({6, 3, 4}, 0.3, 1.5); }
Tensor TGT() { return idx({1, 2, 2, 3, 1, 0, 2, 0, 0}).reshape({3, 3}); }
Tensor IL() { return idx({6, 5, 4}); }
Tensor TL() { return idx({3, 2, 1}); }

}  // namespace

TEST_CASE("ctc_loss: every reduction matches PyTorch (value and gradient through log_softmax)") {
  for (const Red& c :
       {Red{tg::kMean, kCtc_mean}, Red{tg::kSum, kCtc_sum}, Red{tg::kNone, kCtc_none}})
    check_case(c.ref, X(), [&](const Tensor& x) {
      return F::ctc_loss(x.log_softmax(2), TGT(), IL(), TL(), O().reduction(c.r));
    });
  tg::nn::CTCLoss m;
  check_case(kCtc_mean, X(),
             [&](const Tensor& x) { return m(x.log_softmax(2), TGT(), IL(), TL()); });
}

TEST_CASE("ctc_loss: concatenated targets, blank = 3, unbatched (T, C)") {
  check_case(kCtc_concat_mean, X(), [](const Tensor& x) {
    return F::ctc_loss(x.log_softmax(2), idx({1, 2, 2, 3, 1, 2}), IL(), TL());
  });
  tg::nn::CTCLoss m(tg::nn::CTCLossOptions().blank(3).reduction(tg::kSum));
  check_case(kCtc_blank3_sum, X(), [&](const Tensor& x) {
    return m(x.log_softmax(2), idx({1, 2, 2, 0, 1, 0, 2, 0, 0}).reshape({3, 3}), IL(), TL());
  });
  check_case(kCtc_unbatched, X().select(1, 0), [](const Tensor& x) {
    return F::ctc_loss(x.log_softmax(1), idx({1, 3}), tg::tensor(int64_t(5)),
                       tg::tensor(int64_t(2)));
  });
}

TEST_CASE("ctc_loss: impossible alignments give inf, or 0 and no gradient with zero_infinity") {
  // Sequence 1 asks for "1 1" (3 frames at least: 1, blank, 1) in 2 frames; sequence 2 is empty.
  Tensor t = idx({1, 1, 1, 1, 1, 0, 2, 0, 0}).reshape({3, 3});
  Tensor il = idx({6, 2, 4}), tl = idx({3, 2, 0});
  check_case(kCtc_zero_inf_none, X(), [&](const Tensor& x) {
    return F::ctc_loss(x.log_softmax(2), t, il, tl, O().zero_infinity(true).reduction(tg::kNone));
  });
  Tensor inf = F::ctc_loss(X().log_softmax(2), t, il, tl, O().reduction(tg::kNone));
  CHECK(std::isinf(values(inf)[1]));
  CHECK(std::isfinite(values(inf)[0]));
}

TEST_CASE("ctc_loss: gradcheck on raw log_probs (first order: the op is fused), float32 runs") {
  check_grads([](const L& in) { return F::ctc_loss(in[0], TGT(), IL(), TL()); },
              {X().log_softmax(2)}, /*twice=*/false);
  // Unnormalised log_probs too: the backward is the true derivative, not PyTorch's shortcut.
  check_grads(
      [](const L& in) { return F::ctc_loss(in[0], TGT(), IL(), TL(), O().reduction(tg::kSum)); },
      {X() * 0.5}, false);
  Tensor x32 = X().to(tg::kFloat).requires_grad_(true);
  Tensor l = F::ctc_loss(x32.log_softmax(2), TGT(), IL(), TL());
  l.backward();
  CHECK(l.scalar_type() == tg::kFloat);
  CHECK(l.item<float>() == doctest::Approx(kCtc_mean.value[0]).epsilon(1e-5));
  expect_close(x32.grad(), kCtc_mean.grad, 1e-4, "float32 grad");
}

TEST_CASE("ctc_loss: gradgradcheck through log_softmax, every reduction, zero_infinity both") {
  // T = 5, C = 4, N = 2; labels repeated (1 2 2: a forced blank), a length-0 target, a shorter
  // input, and (zero_infinity only) "3 1" in 1 frame, impossible: its loss and gradients are 0.
  struct Lens {
    std::vector<int64_t> in, tgt;
    bool zero_inf;
  };
  Tensor tgt = idx({1, 2, 2, 3, 1, 0}).reshape({2, 3});
  Tensor x0 = seq({5, 2, 4}, 0.2, 1.3);
  for (const Lens& c : {Lens{{5, 4}, {3, 2}, false}, Lens{{4, 5}, {1, 0}, false},
                        Lens{{5, 4}, {3, 2}, true}, Lens{{5, 1}, {2, 2}, true}})
    for (const tg::nn::loss_reduction_t& r :
         std::vector<tg::nn::loss_reduction_t>{tg::kMean, tg::kSum, tg::kNone}) {
      CAPTURE(c.in[1]);
      CAPTURE(c.tgt[0]);
      O o = O().reduction(r).zero_infinity(c.zero_inf);
      auto fn = [&](const L& in) {
        return F::ctc_loss(in[0].log_softmax(2), tgt, idx(c.in), idx(c.tgt), o);
      };
      check_grads(fn, {x0});
      // The recorded (create_graph) gradient is the fused one.
      Tensor x = x0.detach().clone().requires_grad_(true);
      Tensor l = fn({x}).sum();
      Tensor g2 = tg::autograd::grad({l}, {x}, {}, true, true)[0];
      Tensor g1 = tg::autograd::grad({l}, {x})[0];
      CHECK(g2.requires_grad());
      expect_close(g2, values(g1), 1e-12, "create_graph grad");
    }
}

TEST_CASE("errors: ctc_loss names the bad length, label or shape") {
  Tensor lp = X().log_softmax(2);
  CHECK(error_of([&] {
          F::ctc_loss(lp, TGT(), idx({6, 7, 4}), TL());
        }) == "ctc_loss: input_lengths[1] = 7 must be in [1, 6] (log_probs shape [6, 3, 4])");
  CHECK(contains(error_of([&] {
                   F::ctc_loss(lp, TGT(), idx({6, 0, 4}), TL());
                 }),
                 "input_lengths[1] = 0 must be in [1, 6]"));
  CHECK(error_of([&] {
          F::ctc_loss(lp, TGT(), IL(), idx({3, -1, 1}));
        }) == "ctc_loss: target_lengths[1] = -1 is negative");
  CHECK(error_of([&] {
          F::ctc_loss(lp, TGT(), IL(), idx({4, 2, 1}));
        }) ==
        "Expected tensor to have size at least 4 at dimension 1, but got size 3 for argument #2 "
        "'targets' (while checking arguments for ctc_loss_cpu)");  // ATen's checkSize wording
  CHECK(error_of([&] {
          F::ctc_loss(lp, idx({1, 2, 3, 1}), IL(), TL());
        }) == "ctc_loss: target_lengths ask for 6 labels in all but targets of shape [4] hold 4");
  CHECK(error_of([&] {
          F::ctc_loss(lp, TGT(), idx({6, 5}), TL());
        }) ==
        "ctc_loss: input_lengths must be an int64 tensor of 3 lengths (one per sequence), got Long "
        "of shape [2]");
  CHECK(contains(error_of([&] { F::ctc_loss(lp, TGT(), IL(), TL().to(tg::kDouble)); }),
                 "target_lengths must be integral"));  // ATen's wording
  CHECK(error_of([&] {
          F::ctc_loss(lp, idx({1, 4, 2, 3, 1, 0, 2, 0, 0}).reshape({3, 3}), IL(), TL());
        }) ==
        "ctc_loss: target 4 (sequence 0) must be a class in [0, 4) other than blank 0 (targets "
        "shape [3, 3])");
  CHECK(contains(error_of([&] {
                   F::ctc_loss(lp, idx({1, 0, 2, 3, 1, 0, 2, 0, 0}).reshape({3, 3}), IL(), TL());
                 }),
                 "ctc_loss: target 0 (sequence 0) must be a class in [0, 4) other than blank 0"));
  CHECK(contains(error_of([&] { F::ctc_loss(lp, TGT(), IL(), TL(), O().blank(4)); }),
                 "ctc_loss: blank 4 is out of range for 4 classes (log_probs shape [6, 3, 4])"));
  CHECK(contains(error_of([&] { F::ctc_loss(lp.select(1, 0), TGT(), idx({5}), idx({2})); }),
                 "ctc_loss: targets must be (N, S) or 1-D concatenated (or (S) unbatched)"));
  CHECK(contains(
      error_of([&] {
        F::ctc_loss(lp.reshape({6, 3, 2, 2}), TGT(), IL(), TL());
      }),
      "ctc_loss: log_probs must be (T, N, C) or unbatched (T, C), got shape [6, 3, 2, 2]"));
  CHECK(contains(error_of([&] { F::ctc_loss(lp, TGT().to(tg::kDouble), IL(), TL()); }),
                 "ctc_loss: targets must be int64 class indices, got Double of shape [3, 3]"));
}
