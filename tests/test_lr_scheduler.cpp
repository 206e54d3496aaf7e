// Learning-rate schedulers vs torch.optim.lr_scheduler (float64, 1e-10 relative): SGD with
// momentum and two parameter groups on optim_ref.py's logistic problem, 120 epochs of one
// optimizer step and one scheduler step; both groups' learning rates after every epoch and the
// final parameters. Reference numbers: tests/ref/optim_ref.py -> lr_scheduler_ref.inc.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>

#include "optim_common.hpp"

using test::contains;
using test::error_of;
using test::expect_close;
using test::Logistic;
using test::values;

namespace {
namespace optim = tg::optim;
using tg::Tensor;

struct SchedRef {
  std::vector<double> lrs;  // both groups' lrs after construction, then after each epoch
  std::vector<double> w, b;
};
#include "ref/lr_scheduler_ref.inc"

constexpr int kEpochs = 120;

std::vector<optim::OptimizerParamGroup> two_groups(const Logistic& pb) {
  return test::groups_w_b(pb, optim::SGDOptions(0.02).momentum(0.9));
}

std::vector<double> lrs_of(const optim::Optimizer& opt) {
  std::vector<double> lrs;
  for (const auto& g : opt.param_groups()) lrs.push_back(g.options().get_lr());
  return lrs;
}

// make(opt) builds the scheduler and returns its per-epoch step; metric(epoch, loss) feeds
// ReduceLROnPlateau.
template <class Make>
void check_schedule(const SchedRef& ref, Make make) {
  Logistic pb;
  optim::SGD opt(two_groups(pb), optim::SGDOptions(0.05).momentum(0.9));
  std::function<void(int, double)> step = make(opt);
  std::vector<double> lrs = lrs_of(opt);
  for (int epoch = 0; epoch < kEpochs; ++epoch) {
    opt.zero_grad();
    Tensor loss = pb.loss();
    loss.backward();
    opt.step();
    step(epoch, loss.item<double>());
    for (double lr : lrs_of(opt)) lrs.push_back(lr);
  }
  expect_close(lrs, ref.lrs, "lr");
  expect_close(values(pb.w), ref.w, "w");
  expect_close(values(pb.b), ref.b, "b");
}

// Builds a scheduler of type S that is stepped without a metric.
template <class S, class... Args>
auto plain(std::unique_ptr<S>& keep, Args... args) {
  return [&keep, args...](optim::Optimizer& opt) {
    keep = std::make_unique<S>(opt, args...);
    S* s = keep.get();
    return std::function<void(int, double)>([s](int, double) { s->step(); });
  };
}

double plateau_metric(int epoch, double) {
  return epoch < 20 ? 1.0 / (1 + epoch) : 0.05 + 0.01 * std::sin(0.9 * epoch);
}

auto plateau(std::unique_ptr<optim::ReduceLROnPlateau>& keep, optim::ReduceLROnPlateauOptions o,
             std::function<double(int, double)> metric) {
  return [&keep, o, metric](optim::Optimizer& opt) {
    keep = std::make_unique<optim::ReduceLROnPlateau>(opt, o);
    auto* s = keep.get();
    return std::function<void(int, double)>(
        [s, metric](int epoch, double loss) { s->step(metric(epoch, loss)); });
  };
}
}  // namespace

TEST_CASE("StepLR: libtorch's schedule is PyTorch's delayed by one step() call") {
  // PyTorch's constructor makes a step() call of its own; with one extra call up front,
  // libtorch's StepLR (and tapegrad's) gives PyTorch's whole trajectory.
  std::unique_ptr<optim::StepLR> s;
  check_schedule(kStepLR, [&](optim::Optimizer& opt) {
    s = std::make_unique<optim::StepLR>(opt, 7, 0.5);
    s->step();
    return std::function<void(int, double)>([&](int, double) { s->step(); });
  });
  // Without it: the first decay on call step_size + 1, as libtorch 1.13 (checked against
  // libtorch: 1 1 1 0.5 0.5 0.5 0.25 for step_size 3, gamma 0.5).
  Tensor p = tg::zeros({1}, tg::kDouble).requires_grad_(true);
  optim::SGD opt({p}, optim::SGDOptions(1.0));
  optim::StepLR sched(opt, 3, 0.5);
  std::vector<double> lrs;
  for (int i = 0; i < 7; ++i) {
    sched.step();
    lrs.push_back(opt.param_groups()[0].options().get_lr());
  }
  CHECK(lrs == std::vector<double>{1, 1, 1, 0.5, 0.5, 0.5, 0.25});
  CHECK(contains(error_of([&] { optim::StepLR(opt, 0); }), "step_size must be positive"));
}

TEST_CASE("MultiStepLR, ExponentialLR: PyTorch's trajectories") {
  std::unique_ptr<optim::MultiStepLR> m;
  check_schedule(kMultiStepLR, plain(m, std::vector<int64_t>{10, 25, 25, 60}, 0.3));
  std::unique_ptr<optim::ExponentialLR> e;
  check_schedule(kExponentialLR, plain(e, 0.97));
  CHECK(e->last_epoch() == kEpochs);
}

TEST_CASE("CosineAnnealingLR: PyTorch's trajectory over several periods") {
  std::unique_ptr<optim::CosineAnnealingLR> c;
  check_schedule(kCosineAnnealingLR, plain(c, int64_t(30), 0.001));
  CHECK(c->base_lrs() == std::vector<double>{0.05, 0.02});
  check_schedule(kCosineAnnealingLRZero, plain(c, int64_t(17), 0.0));
  Tensor p = tg::zeros({1}, tg::kDouble).requires_grad_(true);
  optim::SGD opt({p}, optim::SGDOptions(1.0));
  CHECK(contains(error_of([&] { optim::CosineAnnealingLR(opt, 0); }), "T_max must be positive"));
}

TEST_CASE("LinearLR: warm-up and decay, PyTorch's trajectories") {
  std::unique_ptr<optim::LinearLR> l;
  check_schedule(kLinearLR, plain(l, 0.1, 1.0, int64_t(20)));
  check_schedule(kLinearLRDown, plain(l, 1.0, 0.25, int64_t(40)));
  Logistic pb;
  optim::SGD opt({pb.w}, optim::SGDOptions(0.05));
  {
    optim::LinearLR defaults(opt);  // start_factor 1/3 over 5 epochs
    CHECK(opt.param_groups()[0].options().get_lr() == doctest::Approx(0.05 / 3));
  }
  check_schedule(kLinearLRDefaults, [&](optim::Optimizer& o) {
    l = std::make_unique<optim::LinearLR>(o);
    return std::function<void(int, double)>([&](int, double) { l->step(); });
  });
  CHECK(contains(error_of([&] { optim::LinearLR(opt, 0.0); }),
                 "Starting multiplicative factor expected to be greater than 0"));
  CHECK(contains(error_of([&] { optim::LinearLR(opt, 0.5, 1.5); }),
                 "Ending multiplicative factor expected to be between 0 and 1"));
}

TEST_CASE("LambdaLR: one function, or one per group") {
  std::unique_ptr<optim::LambdaLR> l;
  check_schedule(
      kLambdaLR,
      plain(l, optim::LambdaLR::LrLambda([](int64_t e) { return 1.0 / (1.0 + 0.1 * double(e)); })));
  check_schedule(kLambdaLRPerGroup, [&](optim::Optimizer& o) {
    l = std::make_unique<optim::LambdaLR>(
        o,
        std::vector<optim::LambdaLR::LrLambda>{[](int64_t e) { return std::pow(0.98, double(e)); },
                                               [](int64_t e) { return 1.0 + 0.01 * double(e); }});
    return std::function<void(int, double)>([&](int, double) { l->step(); });
  });
  Logistic pb;
  optim::SGD opt({pb.w}, optim::SGDOptions(0.05));
  CHECK(contains(error_of([&] {
                   optim::LambdaLR(
                       opt, std::vector<optim::LambdaLR::LrLambda>(2, [](int64_t) { return 1.0; }));
                 }),
                 "expected 1 lr_lambdas"));
}

TEST_CASE("ReduceLROnPlateau: modes, thresholds, cooldown, min_lr, eps") {
  using O = optim::ReduceLROnPlateauOptions;
  std::unique_ptr<optim::ReduceLROnPlateau> s;
  auto neg = [](int e, double l) { return -plateau_metric(e, l); };
  check_schedule(kPlateauMinRel, plateau(s, O().patience(3), plateau_metric));
  check_schedule(kPlateauMaxAbs, plateau(s,
                                         O().mode("max")
                                             .factor(0.5)
                                             .patience(2)
                                             .threshold(0.002)
                                             .threshold_mode("abs")
                                             .cooldown(3)
                                             .min_lr(std::vector<double>{0.004, 0.001}),
                                         neg));
  check_schedule(kPlateauMinAbsCooldown, plateau(s,
                                                 O().factor(0.7)
                                                     .patience(1)
                                                     .threshold(0.001)
                                                     .threshold_mode("abs")
                                                     .cooldown(2)
                                                     .min_lr(0.003)
                                                     .eps(1e-3),
                                                 plateau_metric));
  check_schedule(kPlateauMaxRel,
                 plateau(s, O().mode("max").factor(0.2).patience(5).threshold(0.05), neg));
  check_schedule(kPlateauLoss, plateau(s, O().factor(0.5).patience(2).threshold(1e-3),
                                       [](int, double loss) { return loss; }));
  CHECK(s->last_epoch() == kEpochs);
}

TEST_CASE("ReduceLROnPlateau: invalid options") {
  using O = optim::ReduceLROnPlateauOptions;
  Logistic pb;
  optim::SGD opt({pb.w}, optim::SGDOptions(0.05));
  CHECK(contains(error_of([&] { optim::ReduceLROnPlateau(opt, O().mode("lowest")); }),
                 "mode lowest is unknown"));
  CHECK(contains(error_of([&] { optim::ReduceLROnPlateau(opt, O().threshold_mode("pct")); }),
                 "threshold mode pct is unknown"));
  CHECK(contains(error_of([&] { optim::ReduceLROnPlateau(opt, O().factor(1.0)); }),
                 "Factor should be < 1.0"));
  CHECK(contains(error_of([&] {
                   optim::ReduceLROnPlateau(opt, O().min_lr(std::vector<double>{0.1, 0.2}));
                 }),
                 "expected 1 min_lrs, got 2"));
}
