// gradcheck: the tape's Jacobian, row by row (one backward per output element), against
// central differences (f(x + eps) - f(x - eps)) / 2eps, column by column, in float64.
#include "gradcheck.hpp"

#include <cmath>
#include <ostream>
#include <sstream>

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg::autograd {

std::ostream& operator<<(std::ostream& os, const GradcheckReport& r) { return os << r.str(); }

std::string GradcheckReport::str(size_t max_rows) const {
  std::ostringstream s;
  s.precision(10);
  s << message;
  auto rows = [&](const std::vector<GradcheckElement>& list, const char* what) {
    if (list.empty()) return;
    s << "\n  " << list.size() << " " << what << ":";
    for (size_t r = 0; r < list.size() && r < max_rows; ++r) {
      const GradcheckElement& e = list[r];
      s << "\n    input " << e.input << " element " << e.index << " -> output element " << e.output
        << ": analytic " << e.analytic << ", numeric " << e.numeric << ", abs err " << e.abs_err
        << ", rel err " << e.rel_err;
      if (e.kink) s << " (kink: one-sided " << e.backward << " | " << e.forward << ")";
    }
    if (list.size() > max_rows) s << "\n    ... " << list.size() - max_rows << " more";
  };
  rows(failures, "failing elements");
  rows(kinks, "elements at kinks (excused: analytic between the one-sided slopes)");
  return s.str();
}

static Tensor flat_output(const GradcheckFn& fn, const TensorList& inputs) {
  Tensor out = fn(inputs);
  if (!out.defined()) fail("gradcheck: the function returned an undefined tensor");
  if (!is_floating_point(out.scalar_type()))
    fail(std::string("gradcheck: the function's output must be floating point, got ") +
         dtype_name(out.scalar_type()));
  return out;
}

GradcheckReport gradcheck(const GradcheckFn& fn, const TensorList& inputs, double eps, double atol,
                          double rtol, bool allow_kinks) {
  std::vector<size_t> diff;  // inputs that require grad
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined() || !inputs[i].requires_grad()) continue;
    if (inputs[i].scalar_type() != kDouble)
      fail("gradcheck: input " + std::to_string(i) + " requires grad but is " +
           dtype_name(inputs[i].scalar_type()) + "; gradcheck needs float64 inputs");
    diff.push_back(i);
  }
  if (diff.empty()) fail("gradcheck: no input requires grad");
  TensorList wrt;
  for (size_t i : diff) wrt.push_back(inputs[i]);

  // Analytic Jacobian: J[j][input][k] = d out_j / d input_k.
  Tensor out = flat_output(fn, inputs);
  const int64_t m = out.numel();
  std::vector<std::vector<std::vector<double>>> J(static_cast<size_t>(m));
  for (int64_t j = 0; j < m; ++j) {
    J[size_t(j)].resize(diff.size());
    std::vector<Tensor> rows;
    if (out.requires_grad()) {
      Tensor seed = zeros(out.sizes(), out.scalar_type());
      if (out.scalar_type() == kDouble)
        seed.data_ptr<double>()[j] = 1;
      else
        seed.data_ptr<float>()[j] = 1;
      rows = grad({out}, wrt, {seed}, true, false, true);
    }
    for (size_t a = 0; a < diff.size(); ++a) {
      int64_t n = wrt[a].numel();
      auto& row = J[size_t(j)][a];
      row.assign(size_t(n), 0.0);
      if (a < rows.size() && rows[a].defined()) {
        Tensor r = rows[a].detach().to(kDouble);
        for (int64_t k = 0; k < n; ++k) row[size_t(k)] = r.data_ptr<double>()[k];
      }
    }
  }

  // Numeric Jacobian by central differences, one input element at a time; the one-sided
  // differences beside it tell kinks apart. (Grad mode stays on: fn may itself differentiate,
  // as gradgradcheck's does.)
  GradcheckReport rep;
  const Tensor center = flat_output(fn, inputs).detach().to(kDouble).reshape({-1}).clone();
  double worst = -1;
  for (size_t a = 0; a < diff.size(); ++a) {
    double* x = static_cast<double*>(wrt[a].raw_data());
    for (int64_t k = 0; k < wrt[a].numel(); ++k) {
      const double orig = x[k];
      x[k] = orig + eps;
      Tensor plus = flat_output(fn, inputs).detach().to(kDouble).reshape({-1}).clone();
      x[k] = orig - eps;
      Tensor minus = flat_output(fn, inputs).detach().to(kDouble).reshape({-1}).clone();
      x[k] = orig;
      const double *fp = plus.data_ptr<double>(), *fm = minus.data_ptr<double>(),
                   *f0 = center.data_ptr<double>();
      for (int64_t j = 0; j < m; ++j) {
        GradcheckElement el;
        el.input = int64_t(diff[a]), el.index = k, el.output = j;
        el.numeric = (fp[j] - fm[j]) / (2 * eps);
        el.analytic = J[size_t(j)][a][size_t(k)];
        el.abs_err = std::abs(el.analytic - el.numeric);
        el.rel_err = el.abs_err / std::max(std::abs(el.numeric), 1e-300);
        const double bound = atol + rtol * std::abs(el.numeric);
        const double badness = std::isnan(el.abs_err) ? 1e300 : el.abs_err / bound;
        ++rep.checked;
        if (badness > worst) {
          worst = badness;
          rep.input = el.input, rep.output = j, rep.index = k;
          rep.analytic = el.analytic, rep.numeric = el.numeric;
          rep.abs_err = el.abs_err, rep.rel_err = el.rel_err;
        }
        if (el.abs_err <= bound) continue;
        el.forward = (fp[j] - f0[j]) / eps;
        el.backward = (f0[j] - fm[j]) / eps;
        const double lo = std::min(el.forward, el.backward), hi = std::max(el.forward, el.backward);
        el.kink = hi - lo > 100 * (atol + rtol * std::max(std::abs(lo), std::abs(hi)));
        const double tol = atol + rtol * std::max(std::abs(lo), std::abs(hi));
        if (allow_kinks && el.kink && el.analytic >= lo - tol && el.analytic <= hi + tol) {
          rep.kinks.push_back(el);
        } else {
          rep.failures.push_back(el);
          rep.ok = false;
        }
      }
    }
  }
  std::ostringstream s;
  s.precision(10);
  s << "gradcheck " << (rep.ok ? "passed" : "FAILED") << " (" << rep.checked
    << " Jacobian elements, eps=" << eps << ", atol=" << atol << ", rtol=" << rtol << "; "
    << rep.failures.size() << " failing, " << rep.kinks.size() << " at kinks); worst: input "
    << rep.input << " element " << rep.index << " -> output element " << rep.output << ": analytic "
    << rep.analytic << ", numeric " << rep.numeric << ", abs err " << rep.abs_err << ", rel err "
    << rep.rel_err;
  rep.message = s.str();
  return rep;
}

GradcheckReport gradgradcheck(const GradcheckFn& fn, const TensorList& inputs,
                              const Tensor& grad_output, double eps, double atol, double rtol,
                              bool allow_kinks) {
  // Second derivatives are first derivatives of the gradient: gradcheck the function
  // (x, v) -> v^T J(x), which autograd::grad computes with create_graph=true.
  std::vector<size_t> diff;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined() && inputs[i].requires_grad()) diff.push_back(i);
  if (diff.empty()) fail("gradgradcheck: no input requires grad");
  Tensor v = grad_output;
  if (!v.defined()) {
    Tensor y = flat_output(fn, inputs);
    v = randn(y.sizes(), kDouble);
  }
  v = v.detach().to(kDouble).clone().requires_grad_(true);
  const size_t n = inputs.size();
  auto first_derivative = [&](const TensorList& in) {
    TensorList x(in.begin(), in.begin() + long(n)), wrt;
    for (size_t i : diff) wrt.push_back(x[i]);
    Tensor y = fn(x);
    if (!y.requires_grad()) return zeros({0}, kDouble);
    TensorList g = grad({y}, wrt, {in[n]}, true, true, true);
    TensorList flat;
    for (size_t k = 0; k < g.size(); ++k)
      flat.push_back(g[k].defined() ? g[k].reshape({-1}) : zeros({wrt[k].numel()}, kDouble));
    return cat(flat);
  };
  TensorList all = inputs;
  all.push_back(v);
  GradcheckReport r = gradcheck(first_derivative, all, eps, atol, rtol, allow_kinks);
  r.message = "grad" + r.message;
  return r;
}

GradcheckReport gradcheck_fast(const GradcheckFn& fn, const TensorList& inputs, double eps,
                               double atol, double rtol, uint64_t seed) {
  // PyTorch's fast mode: compare one number, v^T J u, for random unit-free directions u (in
  // input space) and v (in output space): one backward and two evaluations instead of one
  // per element. A wrong Jacobian entry shows up unless u or v happen to hide it.
  manual_seed(seed);
  Tensor y = flat_output(fn, inputs);
  Tensor v = randn(y.sizes(), kDouble);
  TensorList wrt, u;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) wrt.push_back(t), u.push_back(randn(t.sizes(), kDouble));
  if (wrt.empty()) fail("gradcheck_fast: no input requires grad");
  double analytic = 0;
  if (y.requires_grad()) {
    TensorList g = grad({y}, wrt, {v.to(y.scalar_type())}, true, false, true);
    for (size_t k = 0; k < g.size(); ++k)
      if (g[k].defined()) analytic += (g[k].to(kDouble) * u[k]).sum().item<double>();
  }
  auto shifted = [&](double h) {
    for (size_t k = 0; k < wrt.size(); ++k) {
      NoGradGuard no_grad;
      wrt[k].detach().add_(u[k], h);
    }
    Tensor out = flat_output(fn, inputs).detach().to(kDouble);
    for (size_t k = 0; k < wrt.size(); ++k) {
      NoGradGuard no_grad;
      wrt[k].detach().sub_(u[k], h);
    }
    return (out * v).sum().item<double>();
  };
  double numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
  GradcheckReport rep;
  rep.checked = 1;
  rep.analytic = analytic, rep.numeric = numeric;
  rep.abs_err = std::abs(analytic - numeric);
  rep.rel_err = rep.abs_err / std::max(std::abs(numeric), 1e-300);
  rep.ok = rep.abs_err <= atol + rtol * std::abs(numeric);
  std::ostringstream s;
  s.precision(10);
  s << "gradcheck (fast mode) " << (rep.ok ? "passed" : "FAILED") << ": v^T J u analytic "
    << analytic << ", numeric " << numeric << ", abs err " << rep.abs_err << ", rel err "
    << rep.rel_err;
  rep.message = s.str();
  return rep;
}

}  // namespace tg::autograd
