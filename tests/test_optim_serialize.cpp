// tg::save / tg::load of optimizer state (optim/serialize.hpp, safetensors): for every
// optimizer, 5 steps, save, load into a fresh optimizer over a copy of the parameters, 5 more
// steps -- bit-identical to 10 uninterrupted steps. Plus per-group options and bad files.
#include <doctest/doctest.h>

#include <cstdio>
#include <functional>
#include <string>

#include "optim_common.hpp"

using test::contains;
using test::error_of;
using test::groups_w_b;
using test::Logistic;

namespace {
namespace optim = tg::optim;
using tg::Tensor;
using Make = std::function<std::unique_ptr<optim::Optimizer>(Logistic&)>;

std::string temp_path(const std::string& name) {
  return "/tmp/tapegrad_optim_" + name + "_" + std::to_string(::getpid()) + ".safetensors";
}

void train(Logistic& pb, optim::Optimizer& opt, int steps, bool closure) {
  for (int i = 0; i < steps; ++i) {
    auto f = [&] {
      opt.zero_grad();
      Tensor loss = pb.loss();
      loss.backward();
      return loss;
    };
    if (closure) {
      opt.step(f);
    } else {
      f();
      opt.step();
    }
  }
}

void check_round_trip(const std::string& name, const Make& make, bool closure = false) {
  CAPTURE(name);
  Logistic straight;
  auto opt = make(straight);
  train(straight, *opt, 10, closure);

  Logistic first;
  auto opt1 = make(first);
  train(first, *opt1, 5, closure);
  const std::string path = temp_path(name);
  tg::save(*opt1, path);

  Logistic resumed;
  {
    tg::NoGradGuard no_grad;
    resumed.w.copy_(first.w);
    resumed.b.copy_(first.b);
  }
  auto opt2 = make(resumed);
  tg::load(*opt2, path);
  std::remove(path.c_str());
  CHECK(opt2->state().size() == opt1->state().size());
  train(resumed, *opt2, 5, closure);
  CHECK(resumed.w.equal(straight.w));
  CHECK(resumed.b.equal(straight.b));
}

template <class Opt, class Options>
Make simple(Options o) {
  return [o](Logistic& pb) { return std::make_unique<Opt>(std::vector<Tensor>{pb.w, pb.b}, o); };
}
}  // namespace

TEST_CASE("tg::save/load(optimizer): resuming reproduces uninterrupted training") {
  check_round_trip("sgd", simple<optim::SGD>(optim::SGDOptions(0.1).momentum(0.9).nesterov(true)));
  check_round_trip("adam", simple<optim::Adam>(optim::AdamOptions(0.05).amsgrad(true)));
  check_round_trip("adamw", simple<optim::AdamW>(optim::AdamWOptions(0.05).weight_decay(0.1)));
  check_round_trip(
      "rmsprop", simple<optim::RMSprop>(optim::RMSpropOptions(0.01).centered(true).momentum(0.5)));
  check_round_trip("adagrad", simple<optim::Adagrad>(optim::AdagradOptions(0.1).lr_decay(0.1)));
  check_round_trip("adamax", simple<optim::Adamax>(optim::AdamaxOptions(0.05)));
  check_round_trip("nadam", simple<optim::NAdam>(optim::NAdamOptions(0.05)));
  check_round_trip("radam", simple<optim::RAdam>(optim::RAdamOptions(0.05)));
  check_round_trip("adadelta", simple<optim::Adadelta>(optim::AdadeltaOptions(0.5)));
  check_round_trip(
      "lbfgs",
      simple<optim::LBFGS>(
          optim::LBFGSOptions(1).max_iter(3).history_size(4).line_search_fn("strong_wolfe")),
      true);
  check_round_trip("lbfgs_fixed", simple<optim::LBFGS>(optim::LBFGSOptions(0.3).max_iter(4)), true);
}

TEST_CASE("tg::save/load(optimizer): per-group options are restored") {
  Logistic pb;
  optim::Adam saved(groups_w_b(pb, optim::AdamOptions(0.2).betas({0.5, 0.6}).amsgrad(true)),
                    optim::AdamOptions(0.01));
  train(pb, saved, 2, false);
  const std::string path = temp_path("groups");
  tg::save(saved, path);
  Logistic other;
  optim::Adam loaded(groups_w_b(other, optim::AdamOptions(0.9)), optim::AdamOptions(0.9));
  tg::load(loaded, path);
  const auto& o = static_cast<const optim::AdamOptions&>(loaded.param_groups()[1].options());
  CHECK(o.lr() == 0.2);
  CHECK(o.betas() == std::make_tuple(0.5, 0.6));
  CHECK(o.amsgrad());
  CHECK(loaded.param_groups()[0].options().get_lr() == 0.01);
  auto& st =
      static_cast<optim::AdamParamState&>(*loaded.state().at(optim::Optimizer::state_key(other.b)));
  CHECK(st.step() == 2);
  CHECK(st.max_exp_avg_sq().defined());

  // Another optimizer type, or another number of parameters: tg::Error, nothing changed.
  Logistic third;
  optim::SGD sgd({third.w, third.b}, optim::SGDOptions(0.1));
  CHECK(contains(error_of([&] { tg::load(sgd, path); }), "options_type"));
  optim::Adam one_group({third.w, third.b}, optim::AdamOptions(0.3));
  CHECK(contains(error_of([&] { tg::load(one_group, path); }), "param_groups is 2, expected 1"));
  CHECK(one_group.param_groups()[0].options().get_lr() == 0.3);
  CHECK(one_group.state().empty());
  std::remove(path.c_str());
  CHECK(contains(error_of([&] { tg::load(one_group, path); }), path));
}
