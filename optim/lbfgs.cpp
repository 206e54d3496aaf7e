// LBFGS::step, _strong_wolfe and _cubic_interpolate follow PyTorch 1.13's torch/optim/lbfgs.py
// line by line (libtorch's lbfgs.cpp is the same port). Scalars the Python code keeps as
// 0-dim tensors (gtd, the line-search values) are doubles here; the L-BFGS memory (ro,
// H_diag, al) stays in tensors of the parameters' dtype, as libtorch's state has it.
#include "lbfgs.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace tg::optim {

template class OptimizerCloneableOptions<LBFGSOptions>;
template class OptimizerCloneableParamState<LBFGSParamState>;

double LBFGSOptions::get_lr() const { return lr(); }

void LBFGSOptions::set_lr(double v) { lr(v); }

void LBFGSOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("max_iter", max_iter_);
  visit("max_eval", max_eval_);
  visit("tolerance_grad", tolerance_grad_);
  visit("tolerance_change", tolerance_change_);
  visit("history_size", history_size_);
  visit("line_search_fn", line_search_fn_);
}

void LBFGSParamState::visit_fields(FieldVisitor& visit) {
  visit("func_evals", func_evals_);
  visit("n_iter", n_iter_);
  visit("t", t_);
  visit("prev_loss", prev_loss_);
  visit("d", d_);
  visit("H_diag", H_diag_);
  visit("prev_flat_grad", prev_flat_grad_);
  visit("old_dirs", old_dirs_);
  visit("old_stps", old_stps_);
  visit("ro", ro_);
  visit("al", al_);
}

LBFGSOptions::LBFGSOptions(double lr) : lr_(lr) {}

bool operator==(const LBFGSOptions& a, const LBFGSOptions& b) {
  return a.lr() == b.lr() && a.max_iter() == b.max_iter() && a.max_eval() == b.max_eval() &&
         a.tolerance_grad() == b.tolerance_grad() && a.tolerance_change() == b.tolerance_change() &&
         a.history_size() == b.history_size() && a.line_search_fn() == b.line_search_fn();
}

namespace {
bool same_list(const std::deque<Tensor>& a, const std::deque<Tensor>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), detail::same_tensor);
}

// Minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to the
// bounds (by default [min(x1, x2), max(x1, x2)]); the midpoint when the cubic has none.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         std::optional<std::pair<double, double>> bounds = std::nullopt) {
  auto [xmin_bound, xmax_bound] =
      bounds ? *bounds : (x1 <= x2 ? std::make_pair(x1, x2) : std::make_pair(x2, x1));
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square >= 0) {
    const double d2 = std::sqrt(d2_square);
    const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return std::min(std::max(min_pos, xmin_bound), xmax_bound);
  }
  return (xmin_bound + xmax_bound) / 2.;
}

struct LineSearchResult {
  double f;
  Tensor g;
  double t;
  int64_t func_evals;
};

// A step length t along d from x (loss f, gradient g, slope gtd) that satisfies the strong
// Wolfe conditions: first bracket an interval, then zoom into it.
using ObjFunc = std::function<std::pair<double, Tensor>(double t, const Tensor& d)>;

LineSearchResult strong_wolfe(const ObjFunc& obj_func, double t, const Tensor& d, double f,
                              Tensor g, double gtd, double c1 = 1e-4, double c2 = 0.9,
                              double tolerance_change = 1e-9, int64_t max_ls = 25) {
  const double d_norm = d.abs().max().item<double>();
  g = g.clone();
  auto [f_new, g_new] = obj_func(t, d);
  int64_t ls_func_evals = 1;
  double gtd_new = g_new.dot(d).item<double>();

  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  Tensor g_prev = g;
  bool done = false;
  int64_t ls_iter = 0;
  // bracket[0..n): step lengths with their losses, gradients and slopes.
  std::array<double, 2> bracket{}, bracket_f{}, bracket_gtd{};
  std::array<Tensor, 2> bracket_g;
  auto set_bracket2 = [&] {
    bracket = {t_prev, t};
    bracket_f = {f_prev, f_new};
    bracket_g = {g_prev, g_new.clone()};
    bracket_gtd = {gtd_prev, gtd_new};
  };
  while (ls_iter < max_ls) {
    if (f_new > (f + c1 * t * gtd) || (ls_iter > 1 && f_new >= f_prev)) {
      set_bracket2();
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket = {t, t};
      bracket_f = {f_new, f_new};
      bracket_g = {g_new, g_new};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      set_bracket2();
      break;
    }
    // Extrapolate: a cubic step between 1.01 t and 10 t.
    const double min_step = t + 0.01 * (t - t_prev);
    const double max_step = t * 10;
    const double tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                          std::make_pair(min_step, max_step));
    t_prev = tmp;
    f_prev = f_new;
    g_prev = g_new.clone();
    gtd_prev = gtd_new;
    std::tie(f_new, g_new) = obj_func(t, d);
    ls_func_evals += 1;
    gtd_new = g_new.dot(d).item<double>();
    ls_iter += 1;
  }
  if (ls_iter == max_ls) {
    bracket = {0, t};
    bracket_f = {f, f_new};
    bracket_g = {g, g_new};
  }

  // Zoom: shrink the bracket until a point satisfies the conditions.
  bool insuf_progress = false;
  int low_pos = bracket_f[0] <= bracket_f[1] ? 0 : 1, high_pos = 1 - low_pos;
  while (!done && ls_iter < max_ls) {
    if (std::abs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1],
                          bracket_gtd[1]);
    // A trial point too close to an end of the bracket (twice in a row, or outside it) is
    // moved to 10% of the bracket's length away from the nearest end.
    const double hi = std::max(bracket[0], bracket[1]), lo = std::min(bracket[0], bracket[1]);
    const double eps = 0.1 * (hi - lo);
    if (std::min(hi - t, t - lo) < eps) {
      if (insuf_progress || t >= hi || t <= lo) {
        t = std::abs(t - hi) < std::abs(t - lo) ? hi - eps : lo + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    std::tie(f_new, g_new) = obj_func(t, d);
    ls_func_evals += 1;
    gtd_new = g_new.dot(d).item<double>();
    ls_iter += 1;
    if (f_new > (f + c1 * t * gtd) || f_new >= bracket_f[low_pos]) {
      // Armijo condition not satisfied or not lower than the lowest point.
      bracket[high_pos] = t;
      bracket_f[high_pos] = f_new;
      bracket_g[high_pos] = g_new.clone();
      bracket_gtd[high_pos] = gtd_new;
      low_pos = bracket_f[0] <= bracket_f[1] ? 0 : 1;
      high_pos = 1 - low_pos;
    } else {
      if (std::abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0) {
        // The old high becomes the new low.
        bracket[high_pos] = bracket[low_pos];
        bracket_f[high_pos] = bracket_f[low_pos];
        bracket_g[high_pos] = bracket_g[low_pos];
        bracket_gtd[high_pos] = bracket_gtd[low_pos];
      }
      bracket[low_pos] = t;
      bracket_f[low_pos] = f_new;
      bracket_g[low_pos] = g_new.clone();
      bracket_gtd[low_pos] = gtd_new;
    }
  }
  return {bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals};
}

void check_lbfgs_options(const LBFGSOptions& o, const std::string& where) {
  using detail::check_option;
  check_option(o.lr() >= 0, "LBFGS", "learning rate", o.lr(), where);
  check_option(o.max_iter() >= 1, "LBFGS", "max_iter value", double(o.max_iter()), where);
  if (o.max_eval())
    check_option(*o.max_eval() >= 1, "LBFGS", "max_eval value", double(*o.max_eval()), where);
  check_option(o.history_size() >= 1, "LBFGS", "history_size value", double(o.history_size()),
               where);
  check_option(o.tolerance_grad() >= 0, "LBFGS", "tolerance_grad value", o.tolerance_grad(), where);
  check_option(o.tolerance_change() >= 0, "LBFGS", "tolerance_change value", o.tolerance_change(),
               where);
  if (o.line_search_fn() && *o.line_search_fn() != "strong_wolfe")
    throw Error("LBFGS: only 'strong_wolfe' is supported as line_search_fn (got '" +
                *o.line_search_fn() + "')" + where);
}
}  // namespace

bool operator==(const LBFGSParamState& a, const LBFGSParamState& b) {
  using detail::same_tensor;
  bool al_same = a.al().has_value() == b.al().has_value();
  if (al_same && a.al()) {
    al_same =
        std::equal(a.al()->begin(), a.al()->end(), b.al()->begin(), b.al()->end(), same_tensor);
  }
  return a.func_evals() == b.func_evals() && a.n_iter() == b.n_iter() && a.t() == b.t() &&
         a.prev_loss() == b.prev_loss() && same_tensor(a.d(), b.d()) &&
         same_tensor(a.H_diag(), b.H_diag()) &&
         same_tensor(a.prev_flat_grad(), b.prev_flat_grad()) &&
         same_list(a.old_dirs(), b.old_dirs()) && same_list(a.old_stps(), b.old_stps()) &&
         same_list(a.ro(), b.ro()) && al_same;
}

LBFGS::LBFGS(std::vector<OptimizerParamGroup> param_groups, LBFGSOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<LBFGSOptions>(defaults)) {
  if (param_groups_.size() != 1)
    throw Error("LBFGS doesn't support per-parameter options (parameter groups); got " +
                std::to_string(param_groups_.size()) + " groups");
  check_group_options("LBFGS", defaults, check_lbfgs_options);
  auto& options = static_cast<LBFGSOptions&>(param_groups_[0].options());
  if (!options.max_eval()) options.max_eval(options.max_iter() * 5 / 4);
  auto& defaults_options = static_cast<LBFGSOptions&>(*defaults_);
  if (!defaults_options.max_eval()) defaults_options.max_eval(defaults_options.max_iter() * 5 / 4);
}

LBFGS::LBFGS(std::vector<Tensor> params, LBFGSOptions defaults)
    : LBFGS(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor LBFGS::gather_flat_grad() const {
  std::vector<Tensor> views;
  for (const auto& p : param_groups_.front().params())
    views.push_back(p.grad().defined() ? p.grad().reshape({-1}) : zeros({p.numel()}, p.options()));
  return cat(views, 0);
}

void LBFGS::add_grad(double step_size, const Tensor& update) {
  int64_t offset = 0;
  for (auto& p : param_groups_.front().params()) {
    const int64_t n = p.numel();
    p.add_(update.narrow(0, offset, n).view_as(p), step_size);
    offset += n;
  }
}

std::pair<double, Tensor> LBFGS::directional_evaluate(const LossClosure& closure,
                                                      const std::vector<Tensor>& x, double t,
                                                      const Tensor& d) {
  add_grad(t, d);
  const double loss = evaluate_closure(closure).item<double>();
  Tensor flat_grad = gather_flat_grad();
  auto& params = param_groups_.front().params();
  for (size_t i = 0; i < params.size(); ++i) params[i].copy_(x[i]);
  return {loss, flat_grad};
}

Tensor LBFGS::step(LossClosure closure) {
  NoGradGuard no_grad;
  if (!closure) throw Error("LBFGS::step: LBFGS requires a closure function");
  auto& group = param_groups_.front();
  const auto& o = static_cast<const LBFGSOptions&>(group.options());
  check_lbfgs_options(o, "");  // the options may have been edited since construction
  const double lr = o.lr();
  const int64_t max_iter = o.max_iter();
  const int64_t max_eval = o.max_eval().value_or(max_iter * 5 / 4);
  const double tolerance_grad = o.tolerance_grad(), tolerance_change = o.tolerance_change();
  const auto history_size = size_t(o.history_size());
  auto& state = param_state<LBFGSParamState>(group.params().front());

  Tensor orig_loss = evaluate_closure(closure);
  double loss = orig_loss.item<double>();
  int64_t current_evals = 1;
  state.func_evals(state.func_evals() + 1);
  Tensor flat_grad = gather_flat_grad();
  bool opt_cond = flat_grad.abs().max().item<double>() <= tolerance_grad;
  if (opt_cond) return orig_loss;  // already optimal

  Tensor& d = state.d();
  double& t = state.t();
  auto& old_dirs = state.old_dirs();
  auto& old_stps = state.old_stps();
  auto& ro = state.ro();
  Tensor& H_diag = state.H_diag();
  Tensor& prev_flat_grad = state.prev_flat_grad();
  double& prev_loss = state.prev_loss();

  int64_t n_iter = 0;
  while (n_iter < max_iter) {
    ++n_iter;
    state.n_iter(state.n_iter() + 1);

    // The descent direction.
    if (state.n_iter() == 1) {
      d = flat_grad.neg();
      old_dirs.clear();
      old_stps.clear();
      ro.clear();
      H_diag = ones({}, flat_grad.options());
    } else {
      // Update the memory with the last step s and gradient change y (if curvature is
      // positive).
      const Tensor y = flat_grad.sub(prev_flat_grad);
      const Tensor s = d.mul(t);
      const Tensor ys = y.dot(s);
      if (ys.item<double>() > 1e-10) {
        if (old_dirs.size() == history_size) {
          old_dirs.pop_front();
          old_stps.pop_front();
          ro.pop_front();
        }
        old_dirs.push_back(y);
        old_stps.push_back(s);
        ro.push_back(ys.reciprocal());
        H_diag = ys.div(y.dot(y));
      }
      // Two-loop recursion: d = -H g with H the L-BFGS inverse-Hessian approximation.
      const size_t num_old = old_dirs.size();
      if (!state.al()) state.al(std::vector<Tensor>(history_size));
      auto& al = *state.al();
      if (al.size() < num_old) al.resize(num_old);  // history_size grew between steps
      Tensor q = flat_grad.neg();
      for (size_t i = num_old; i-- > 0;) {
        al[i] = old_stps[i].dot(q).mul(ro[i]);
        q.add_(old_dirs[i], -al[i].item<double>());
      }
      Tensor r = q.mul(H_diag);
      d = r;
      for (size_t i = 0; i < num_old; ++i) {
        const Tensor be_i = old_dirs[i].dot(r).mul(ro[i]);
        r.add_(old_stps[i], al[i].sub(be_i).item<double>());
      }
    }
    if (!prev_flat_grad.defined())
      prev_flat_grad = flat_grad.clone();
    else
      prev_flat_grad.copy_(flat_grad);
    prev_loss = loss;

    // The step length: the first iteration scales by 1/|g|_1 (at most 1).
    if (state.n_iter() == 1)
      t = std::min(1., 1. / flat_grad.abs().sum().item<double>()) * lr;
    else
      t = lr;

    const double gtd = flat_grad.dot(d).item<double>();  // directional derivative
    if (gtd > -tolerance_change) break;

    int64_t ls_func_evals = 0;
    if (o.line_search_fn()) {
      std::vector<Tensor> x_init;
      for (const auto& p : group.params()) x_init.push_back(p.clone());
      auto obj_func = [&](double step, const Tensor& dir) {
        return directional_evaluate(closure, x_init, step, dir);
      };
      auto ls = strong_wolfe(obj_func, t, d, loss, flat_grad, gtd);
      loss = ls.f;
      flat_grad = ls.g;
      t = ls.t;
      ls_func_evals = ls.func_evals;
      add_grad(t, d);
      opt_cond = flat_grad.abs().max().item<double>() <= tolerance_grad;
    } else {
      add_grad(t, d);
      if (n_iter != max_iter) {
        // Re-evaluate only if another iteration follows (in a stochastic setting an
        // evaluation after the last move would be wasted).
        loss = evaluate_closure(closure).item<double>();
        flat_grad = gather_flat_grad();
        opt_cond = flat_grad.abs().max().item<double>() <= tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    state.func_evals(state.func_evals() + ls_func_evals);

    if (n_iter == max_iter) break;
    if (current_evals >= max_eval) break;
    if (opt_cond) break;
    if (d.mul(t).abs().max().item<double>() <= tolerance_change) break;  // no progress
    if (std::abs(loss - prev_loss) < tolerance_change) break;
  }
  return orig_loss;
}

std::unique_ptr<OptimizerParamState> LBFGS::make_param_state() const {
  return std::make_unique<LBFGSParamState>();
}

}  // namespace tg::optim
