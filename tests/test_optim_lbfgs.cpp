// tg::optim::LBFGS vs torch.optim.LBFGS (float64, 1e-10 relative): every loss the closure
// returns, the losses step() returns, the final point and the func_evals / n_iter counters,
// with fixed steps and with the strong-Wolfe line search, on the extended Rosenbrock function
// and on optim_ref.py's logistic problem. Reference numbers: tests/ref/optim_ref.py ->
// optim_lbfgs_ref.inc.
#include <doctest/doctest.h>

#include "optim_common.hpp"

using test::contains;
using test::error_of;
using test::expect_close;
using test::Logistic;
using test::values;

namespace {
namespace optim = tg::optim;
using tg::Tensor;

struct LbfgsRef {
  std::vector<double> evals;     // every closure evaluation's loss, in order
  std::vector<double> returned;  // what each step() returned
  std::vector<double> x;         // the final parameters, concatenated
  int64_t func_evals, n_iter;
};
#include "ref/optim_lbfgs_ref.inc"

// sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 over x = cat(u, v).
Tensor rosenbrock(const Tensor& u, const Tensor& v) {
  Tensor x = tg::cat({u, v});
  Tensor head = x.narrow(0, 0, 3), tail = x.narrow(0, 1, 3);
  return ((tail - head * head).pow(2) * 100 + (1 - head).pow(2)).sum();
}

void check_lbfgs(const LbfgsRef& ref, optim::LBFGSOptions options, bool logistic = false) {
  Logistic pb;
  Tensor u = tg::tensor({-1.2, 1.0}, tg::kDouble).requires_grad_(true);
  Tensor v = tg::tensor({-0.5, 0.8}, tg::kDouble).requires_grad_(true);
  if (logistic) u = pb.w, v = pb.b;
  optim::LBFGS opt({u, v}, options);
  std::vector<double> evals, returned;
  auto closure = [&] {
    opt.zero_grad();
    Tensor loss = logistic ? pb.loss() : rosenbrock(u, v);
    evals.push_back(loss.item<double>());
    loss.backward();
    return loss;
  };
  for (size_t s = 0; s < ref.returned.size(); ++s)
    returned.push_back(opt.step(closure).item<double>());
  expect_close(evals, ref.evals, "closure loss");
  expect_close(returned, ref.returned, "step() result");
  expect_close(values(tg::cat({u, v})), ref.x, "x");
  auto& st = static_cast<optim::LBFGSParamState&>(*opt.state().at(optim::Optimizer::state_key(u)));
  CHECK(st.func_evals() == ref.func_evals);
  CHECK(st.n_iter() == ref.n_iter);
}
}  // namespace

TEST_CASE("LBFGS: fixed-step trajectory on Rosenbrock (125 evaluations)") {
  check_lbfgs(kLbfgsFixed, optim::LBFGSOptions(0.02).max_iter(5));
}

TEST_CASE("LBFGS: strong Wolfe line search on Rosenbrock") {
  check_lbfgs(kLbfgsWolfe, optim::LBFGSOptions(1).max_iter(8).line_search_fn("strong_wolfe"));
}

TEST_CASE("LBFGS: strong Wolfe with a short history (the memory is shifted)") {
  check_lbfgs(kLbfgsWolfeHistory,
              optim::LBFGSOptions(1).max_iter(6).history_size(3).line_search_fn("strong_wolfe"));
}

TEST_CASE("LBFGS: logistic problem, fixed steps and strong Wolfe (until convergence)") {
  check_lbfgs(kLbfgsLogistic, optim::LBFGSOptions(0.5).max_iter(5).history_size(4), true);
  check_lbfgs(kLbfgsLogisticWolfe,
              optim::LBFGSOptions(1).max_iter(10).line_search_fn("strong_wolfe"), true);
}

TEST_CASE("LBFGS: options, defaults and errors") {
  Tensor p = tg::zeros({2}, tg::kDouble).requires_grad_(true);
  optim::LBFGSOptions d;
  CHECK(d.lr() == 1);
  CHECK(d.max_iter() == 20);
  CHECK_FALSE(d.max_eval().has_value());
  CHECK(d.tolerance_grad() == 1e-7);
  CHECK(d.tolerance_change() == 1e-9);
  CHECK(d.history_size() == 100);
  CHECK_FALSE(d.line_search_fn().has_value());
  optim::LBFGS opt({p}, optim::LBFGSOptions().max_iter(8));
  // As libtorch: an unset max_eval becomes max_iter * 5 / 4.
  CHECK(static_cast<optim::LBFGSOptions&>(opt.param_groups()[0].options()).max_eval() == 10);
  CHECK(contains(error_of([&] { opt.step(nullptr); }), "LBFGS requires a closure function"));
  Tensor q = tg::zeros({2}, tg::kDouble).requires_grad_(true);
  std::vector<optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<Tensor>{p});
  groups.emplace_back(std::vector<Tensor>{q});
  CHECK(contains(error_of([&] { optim::LBFGS(groups, optim::LBFGSOptions()); }),
                 "LBFGS doesn't support per-parameter options (parameter groups)"));
  CHECK(error_of([&] { optim::LBFGS({p}, optim::LBFGSOptions(-1)); }) ==
        "LBFGS: Invalid learning rate: -1");
  CHECK(error_of([&] { optim::LBFGS({p}, optim::LBFGSOptions().history_size(0)); }) ==
        "LBFGS: Invalid history_size value: 0");
  CHECK(error_of([&] { optim::LBFGS({p}, optim::LBFGSOptions().max_iter(0)); }) ==
        "LBFGS: Invalid max_iter value: 0");
  CHECK(
      contains(error_of([&] { optim::LBFGS({p}, optim::LBFGSOptions().line_search_fn("armijo")); }),
               "only 'strong_wolfe' is supported"));
}

TEST_CASE("LBFGS: an optimal start returns after one evaluation") {
  Tensor p = tg::tensor({1.0, 1.0}, tg::kDouble).requires_grad_(true);
  optim::LBFGS opt({p}, optim::LBFGSOptions());
  int calls = 0;
  Tensor loss = opt.step([&] {
    ++calls;
    opt.zero_grad();
    Tensor l = (p - 1).pow(2).sum();
    l.backward();
    return l;
  });
  CHECK(calls == 1);
  CHECK(loss.item<double>() == 0);
  CHECK(p.equal(tg::tensor({1.0, 1.0}, tg::kDouble)));
}
