// tg::optim's adaptive optimizers vs torch.optim (float64, 1e-10 relative): 120-step
// trajectories on a non-quadratic problem for Adam (± amsgrad, ± weight_decay), AdamW,
// RMSprop (centered, momentum), Adagrad (lr_decay, weight_decay, initial accumulator),
// Adamax, NAdam, RAdam and Adadelta, each also with per-group options; libtorch's option
// checks; state. Reference numbers: tests/ref/optim_ref.py -> optim_adaptive_ref.inc.
#include <doctest/doctest.h>

#include "optim_common.hpp"

using test::check_trajectory;
using test::contains;
using test::error_of;
using test::groups_w_b;
using test::Logistic;
using test::TrajRef;

namespace {
namespace optim = tg::optim;
using tg::Tensor;
#include "ref/optim_adaptive_ref.inc"
}  // namespace

TEST_CASE("Adam: trajectories (plain, amsgrad, weight decay, both, groups)") {
  using O = optim::AdamOptions;
  SUBCASE("plain") {
    Logistic pb;
    optim::Adam opt({pb.w, pb.b}, O(0.05));
    check_trajectory(pb, opt, kAdam);
  }
  SUBCASE("amsgrad") {
    Logistic pb;
    optim::Adam opt({pb.w, pb.b}, O(0.05).betas({0.8, 0.99}).amsgrad(true));
    check_trajectory(pb, opt, kAdamAmsgrad);
  }
  SUBCASE("weight decay") {
    Logistic pb;
    optim::Adam opt({pb.w, pb.b}, O(0.03).weight_decay(0.1).eps(1e-6));
    check_trajectory(pb, opt, kAdamWeightDecay);
  }
  SUBCASE("amsgrad and weight decay") {
    Logistic pb;
    optim::Adam opt({pb.w, pb.b}, O(0.03).weight_decay(0.1).amsgrad(true));
    check_trajectory(pb, opt, kAdamAmsgradWd);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::Adam opt(groups_w_b(pb, O(0.1).amsgrad(true)), O(0.02));
    check_trajectory(pb, opt, kAdamGroups);
  }
}

TEST_CASE("AdamW: trajectories (defaults' weight decay 1e-2, amsgrad, groups)") {
  using O = optim::AdamWOptions;
  CHECK(O().weight_decay() == 1e-2);
  SUBCASE("plain") {
    Logistic pb;
    optim::AdamW opt({pb.w, pb.b}, O(0.05));
    check_trajectory(pb, opt, kAdamW);
  }
  SUBCASE("amsgrad") {
    Logistic pb;
    optim::AdamW opt({pb.w, pb.b}, O(0.04).weight_decay(0.3).amsgrad(true));
    check_trajectory(pb, opt, kAdamWAmsgrad);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::AdamW opt(groups_w_b(pb, O(0.03).weight_decay(0.5)), O(0.03));
    check_trajectory(pb, opt, kAdamWGroups);
  }
}

TEST_CASE("RMSprop: trajectories (plain, centered, momentum, both, groups)") {
  using O = optim::RMSpropOptions;
  SUBCASE("plain") {
    Logistic pb;
    optim::RMSprop opt({pb.w, pb.b}, O(0.01));
    check_trajectory(pb, opt, kRmsprop);
  }
  SUBCASE("centered") {
    Logistic pb;
    optim::RMSprop opt({pb.w, pb.b}, O(0.004).alpha(0.95).centered(true));
    check_trajectory(pb, opt, kRmspropCentered);
  }
  SUBCASE("momentum and weight decay") {
    Logistic pb;
    optim::RMSprop opt({pb.w, pb.b}, O(0.005).momentum(0.8).weight_decay(0.05));
    check_trajectory(pb, opt, kRmspropMomentum);
  }
  SUBCASE("centered with momentum") {
    Logistic pb;
    optim::RMSprop opt({pb.w, pb.b}, O(0.005).momentum(0.5).centered(true).eps(1e-4));
    check_trajectory(pb, opt, kRmspropCenteredMomentum);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::RMSprop opt(groups_w_b(pb, O(0.01).centered(true).momentum(0.3)), O(0.01));
    check_trajectory(pb, opt, kRmspropGroups);
  }
}

TEST_CASE("Adagrad: trajectories (plain, lr_decay + weight_decay + accumulator, groups)") {
  using O = optim::AdagradOptions;
  SUBCASE("plain") {
    Logistic pb;
    optim::Adagrad opt({pb.w, pb.b}, O(0.2));
    check_trajectory(pb, opt, kAdagrad);
  }
  SUBCASE("lr_decay, weight_decay, initial_accumulator_value") {
    Logistic pb;
    optim::Adagrad opt({pb.w, pb.b},
                       O(0.3).lr_decay(0.05).weight_decay(0.1).initial_accumulator_value(0.1));
    check_trajectory(pb, opt, kAdagradDecay);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::Adagrad opt(groups_w_b(pb, O(0.2).lr_decay(0.1)), O(0.2));
    check_trajectory(pb, opt, kAdagradGroups);
  }
}

TEST_CASE("Adamax: trajectories") {
  using O = optim::AdamaxOptions;
  SUBCASE("plain") {
    Logistic pb;
    optim::Adamax opt({pb.w, pb.b}, O(0.05));
    check_trajectory(pb, opt, kAdamax);
  }
  SUBCASE("betas and weight decay") {
    Logistic pb;
    optim::Adamax opt({pb.w, pb.b}, O(0.03).betas({0.85, 0.99}).weight_decay(0.1));
    check_trajectory(pb, opt, kAdamaxWd);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::Adamax opt(groups_w_b(pb, O(0.01)), O(0.05));
    check_trajectory(pb, opt, kAdamaxGroups);
  }
}

TEST_CASE("NAdam: trajectories") {
  using O = optim::NAdamOptions;
  SUBCASE("plain") {
    Logistic pb;
    optim::NAdam opt({pb.w, pb.b}, O(0.05));
    check_trajectory(pb, opt, kNadam);
  }
  SUBCASE("weight decay and momentum_decay") {
    Logistic pb;
    optim::NAdam opt({pb.w, pb.b}, O(0.03).weight_decay(0.1).momentum_decay(0.01));
    check_trajectory(pb, opt, kNadamWd);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::NAdam opt(groups_w_b(pb, O(0.05).betas({0.8, 0.99})), O(0.05));
    check_trajectory(pb, opt, kNadamGroups);
  }
}

TEST_CASE("RAdam: trajectories (through the rho_t <= 5 warm-up and after)") {
  using O = optim::RAdamOptions;
  SUBCASE("plain") {
    Logistic pb;
    optim::RAdam opt({pb.w, pb.b}, O(0.05));
    check_trajectory(pb, opt, kRadam);
  }
  SUBCASE("betas and weight decay") {
    Logistic pb;
    optim::RAdam opt({pb.w, pb.b}, O(0.05).betas({0.8, 0.9}).weight_decay(0.1));
    check_trajectory(pb, opt, kRadamWd);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::RAdam opt(groups_w_b(pb, O(0.05).weight_decay(0.2)), O(0.05));
    check_trajectory(pb, opt, kRadamGroups);
  }
}

TEST_CASE("Adadelta: trajectories") {
  using O = optim::AdadeltaOptions;
  SUBCASE("defaults") {
    Logistic pb;
    optim::Adadelta opt({pb.w, pb.b});
    check_trajectory(pb, opt, kAdadelta);
  }
  SUBCASE("rho, eps, weight decay") {
    Logistic pb;
    optim::Adadelta opt({pb.w, pb.b}, O(0.5).rho(0.8).eps(1e-4).weight_decay(0.1));
    check_trajectory(pb, opt, kAdadeltaWd);
  }
  SUBCASE("groups") {
    Logistic pb;
    optim::Adadelta opt(groups_w_b(pb, O(0.8).rho(0.5)), O(0.8));
    check_trajectory(pb, opt, kAdadeltaGroups);
  }
}

TEST_CASE("Adaptive optimizers: defaults are libtorch's / PyTorch's") {
  CHECK(optim::AdamOptions().lr() == 1e-3);
  CHECK(optim::AdamOptions().betas() == std::make_tuple(0.9, 0.999));
  CHECK(optim::AdamOptions().eps() == 1e-8);
  CHECK(optim::AdamOptions().weight_decay() == 0);
  CHECK_FALSE(optim::AdamOptions().amsgrad());
  CHECK(optim::RMSpropOptions().lr() == 1e-2);
  CHECK(optim::RMSpropOptions().alpha() == 0.99);
  CHECK(optim::AdagradOptions().eps() == 1e-10);
  CHECK(optim::AdamaxOptions().lr() == 2e-3);
  CHECK(optim::NAdamOptions().momentum_decay() == 4e-3);
  CHECK(optim::RAdamOptions().lr() == 1e-3);
  CHECK(optim::AdadeltaOptions().lr() == 1.0);
  CHECK(optim::AdadeltaOptions().rho() == 0.9);
  CHECK(optim::AdadeltaOptions().eps() == 1e-6);
}

TEST_CASE("Adaptive optimizers: invalid options throw tg::Error with libtorch's wording") {
  Logistic pb;
  auto err = [&](auto make) { return error_of([&] { make(std::vector<Tensor>{pb.w}); }); };
  using AO = optim::AdamOptions;
  CHECK(err([](auto p) { optim::Adam(p, AO(-1)); }) == "Adam: Invalid learning rate: -1");
  CHECK(err([](auto p) { optim::Adam(p, AO().eps(-1e-8)); }) ==
        "Adam: Invalid epsilon value: -1e-08");
  CHECK(err([](auto p) {
          optim::Adam(p, AO().betas({1.0, 0.9}));
        }) == "Adam: Invalid beta parameter at index 0: 1");
  CHECK(err([](auto p) {
          optim::Adam(p, AO().betas({0.9, -0.1}));
        }) == "Adam: Invalid beta parameter at index 1: -0.1");
  CHECK(err([](auto p) { optim::Adam(p, AO().weight_decay(-0.5)); }) ==
        "Adam: Invalid weight_decay value: -0.5");
  using WO = optim::AdamWOptions;
  CHECK(err([](auto p) { optim::AdamW(p, WO(-0.1)); }) == "AdamW: Invalid learning rate: -0.1");
  CHECK(err([](auto p) {
          optim::AdamW(p, WO().betas({0.9, 1.0}));
        }) == "AdamW: Invalid beta parameter at index 1: 1");
  CHECK(err([](auto p) { optim::AdamW(p, WO().weight_decay(-1)); }) ==
        "AdamW: Invalid weight_decay value: -1");
  using RO = optim::RMSpropOptions;
  CHECK(err([](auto p) { optim::RMSprop(p, RO(-1)); }) == "RMSprop: Invalid learning rate: -1");
  CHECK(err([](auto p) { optim::RMSprop(p, RO().eps(-1)); }) ==
        "RMSprop: Invalid epsilon value: -1");
  CHECK(err([](auto p) { optim::RMSprop(p, RO().momentum(-0.5)); }) ==
        "RMSprop: Invalid momentum value: -0.5");
  CHECK(err([](auto p) { optim::RMSprop(p, RO().weight_decay(-0.5)); }) ==
        "RMSprop: Invalid weight_decay value: -0.5");
  CHECK(err([](auto p) { optim::RMSprop(p, RO().alpha(-0.5)); }) ==
        "RMSprop: Invalid alpha value: -0.5");
  using GO = optim::AdagradOptions;
  CHECK(err([](auto p) { optim::Adagrad(p, GO(-1)); }) == "Adagrad: Invalid learning rate: -1");
  CHECK(err([](auto p) { optim::Adagrad(p, GO().lr_decay(-1)); }) ==
        "Adagrad: Invalid lr_decay value: -1");
  CHECK(err([](auto p) { optim::Adagrad(p, GO().weight_decay(-1)); }) ==
        "Adagrad: Invalid weight_decay value: -1");
  CHECK(err([](auto p) { optim::Adagrad(p, GO().initial_accumulator_value(-1)); }) ==
        "Adagrad: Invalid initial_accumulator_value value: -1");
  CHECK(err([](auto p) { optim::Adagrad(p, GO().eps(-1)); }) ==
        "Adagrad: Invalid epsilon value: -1");
  CHECK(err([](auto p) { optim::Adamax(p, optim::AdamaxOptions(-2)); }) ==
        "Adamax: Invalid learning rate: -2");
  CHECK(err([](auto p) {
          optim::Adamax(p, optim::AdamaxOptions().betas({-0.1, 0.9}));
        }) == "Adamax: Invalid beta parameter at index 0: -0.1");
  CHECK(err([](auto p) { optim::NAdam(p, optim::NAdamOptions().momentum_decay(-1)); }) ==
        "NAdam: Invalid momentum_decay value: -1");
  CHECK(err([](auto p) { optim::NAdam(p, optim::NAdamOptions().eps(-1)); }) ==
        "NAdam: Invalid epsilon value: -1");
  CHECK(err([](auto p) { optim::RAdam(p, optim::RAdamOptions().weight_decay(-1)); }) ==
        "RAdam: Invalid weight_decay value: -1");
  CHECK(err([](auto p) {
          optim::RAdam(p, optim::RAdamOptions().betas({0.9, 1.5}));
        }) == "RAdam: Invalid beta parameter at index 1: 1.5");
  CHECK(err([](auto p) { optim::Adadelta(p, optim::AdadeltaOptions().rho(1.5)); }) ==
        "Adadelta: Invalid rho value: 1.5");
  CHECK(err([](auto p) { optim::Adadelta(p, optim::AdadeltaOptions(-1)); }) ==
        "Adadelta: Invalid learning rate: -1");
  CHECK(err([](auto p) { optim::Adadelta(p, optim::AdadeltaOptions().eps(-1)); }) ==
        "Adadelta: Invalid epsilon value: -1");
  // A group's own options are checked too, and must be of the optimizer's type.
  CHECK(error_of([&] { optim::Adam(groups_w_b(pb, AO(-3)), AO()); }) ==
        "Adam: Invalid learning rate: -3 (parameter group 1)");
  CHECK(contains(error_of([&] { optim::Adam(groups_w_b(pb, optim::SGDOptions(0.1)), AO()); }),
                 "Adam: the options of parameter group 1 are of another optimizer's type"));
}

TEST_CASE("Adam: state holds step and moments; max_exp_avg_sq only with amsgrad") {
  Logistic pb;
  optim::Adam opt({pb.w, pb.b}, optim::AdamOptions(0.1));
  for (int i = 0; i < 3; ++i) {
    opt.zero_grad();
    pb.loss().backward();
    opt.step();
  }
  auto& st =
      static_cast<optim::AdamParamState&>(*opt.state().at(optim::Optimizer::state_key(pb.w)));
  CHECK(st.step() == 3);
  CHECK(st.exp_avg().sizes() == pb.w.sizes());
  CHECK(st.exp_avg_sq().min().item<double>() > 0);
  CHECK_FALSE(st.max_exp_avg_sq().defined());
  auto copy = static_cast<const optim::OptimizerParamState&>(st).clone();
  CHECK(static_cast<optim::AdamParamState&>(*copy) == st);
}

TEST_CASE("Adagrad: state exists from construction, as libtorch") {
  Logistic pb;
  optim::Adagrad opt({pb.w, pb.b}, optim::AdagradOptions(0.1).initial_accumulator_value(0.5));
  REQUIRE(opt.state().size() == 2);
  auto& st =
      static_cast<optim::AdagradParamState&>(*opt.state().at(optim::Optimizer::state_key(pb.b)));
  CHECK(st.step() == 0);
  CHECK(st.sum().item<double>() == 0.5);
}

TEST_CASE("Adaptive optimizers: set_lr through the base options changes the step") {
  Logistic a, b;
  optim::RMSprop oa({a.w, a.b}, optim::RMSpropOptions(0.02));
  optim::RMSprop ob({b.w, b.b}, optim::RMSpropOptions(0.01));
  ob.param_groups()[0].options().set_lr(0.02);
  for (int i = 0; i < 3; ++i) {
    for (auto* pr : {&a, &b}) pr->loss().backward();
    oa.step(), ob.step();
    oa.zero_grad(), ob.zero_grad();
  }
  CHECK(a.w.equal(b.w));
}
