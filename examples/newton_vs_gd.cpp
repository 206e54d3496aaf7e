// Newton's method with the exact Hessian against gradient descent, and Hessian-vector products.
//
// Part 1: L2-regularised logistic regression on the breast-cancer data (examples/data, the ten
// "mean_*" features standardised, plus a bias), in float64. Newton's step solves H d = g with
// H from tg::autograd::functional::hessian (every second derivative through create_graph);
// gradient descent steps by g / L with L the largest eigenvalue of the Hessian at the start
// (an upper bound on the curvature everywhere for this loss). Newton should reach the optimum
// to machine precision in a handful of steps; gradient descent crawls along the ill-conditioned
// directions (the radius, perimeter and area features are almost collinear).
// Part 2: Hessian-vector products of a small tanh MLP's loss with respect to all its parameters
// (functional::hvp, two sweeps) against central differences of gradients, (g(p + hv) -
// g(p - hv)) / 2h.
// Prints the losses, writes newton_vs_gd.svg (or argv[1]) and exits non-zero if Newton needs
// more than 10 steps to reach a gradient below 1e-10, if gradient descent is not still at least
// 1e-6 above the optimum after 200 steps, or if an HVP element is off by more than 1e-6 relative.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tapegrad.hpp>
#include <vector>

namespace torch = tg;
namespace Fn = torch::autograd::functional;

#ifndef TG_EXAMPLE_DATA
#define TG_EXAMPLE_DATA "examples/data"
#endif

// Solves A d = b for a symmetric positive definite A (Cholesky), in place on copies.
static std::vector<double> spd_solve(std::vector<double> A, std::vector<double> b, size_t n) {
  for (size_t j = 0; j < n; ++j) {
    for (size_t k = 0; k < j; ++k) A[j * n + j] -= A[j * n + k] * A[j * n + k];
    if (!(A[j * n + j] > 0)) throw std::runtime_error("Hessian is not positive definite");
    A[j * n + j] = std::sqrt(A[j * n + j]);
    for (size_t i = j + 1; i < n; ++i) {
      for (size_t k = 0; k < j; ++k) A[i * n + j] -= A[i * n + k] * A[j * n + k];
      A[i * n + j] /= A[j * n + j];
    }
  }
  for (size_t i = 0; i < n; ++i) {  // L y = b
    for (size_t k = 0; k < i; ++k) b[i] -= A[i * n + k] * b[k];
    b[i] /= A[i * n + i];
  }
  for (size_t i = n; i-- > 0;) {  // L^T d = y
    for (size_t k = i + 1; k < n; ++k) b[i] -= A[k * n + i] * b[k];
    b[i] /= A[i * n + i];
  }
  return b;
}

static std::vector<double> to_vec(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kDouble).reshape({-1});
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

int main(int argc, char** argv) {
  const std::string out = argc > 1 ? argv[1] : "newton_vs_gd.svg";
  bool ok = true;

  // ---- part 1: logistic regression ----
  // The first ten features (the "mean_*" columns) and the 0/1 label in the last column.
  auto table = torch::data::read_csv(TG_EXAMPLE_DATA "/breast_cancer.csv",
                                     torch::data::CsvOptions().dtype(torch::kDouble));
  const int64_t n = table.size(0), d = 10;
  auto X = table.narrow(1, 0, d);
  auto y = table.select(1, table.size(1) - 1);
  X = (X - X.mean({0}, true)) / X.std({0}, true, true);
  X = torch::cat({X, torch::ones({n, 1}, torch::kDouble)}, 1);  // bias column
  const double lambda = 1e-2;
  // mean log(1 + e^z) - y z. Not the max(z, 0) + log1p(e^-|z|) trick: its kinks sit exactly at
  // z = 0, where every row starts (w = 0), and there the tape's one-sided slopes of clamp and
  // abs would give a wrong gradient; |z| stays far below exp's overflow here.
  auto loss_fn = [&](const torch::TensorList& p) {
    auto z = X.matmul(p[0]);
    auto nll = (torch::log1p(z.exp()) - y * z).mean();
    return nll + 0.5 * lambda * (p[0] * p[0]).sum();
  };
  const int64_t m = d + 1;

  // Newton
  auto w = torch::zeros({m}, torch::kDouble);
  std::vector<double> newton_loss;
  int newton_steps = -1;
  std::printf("Newton (exact Hessian, %lld x %lld):\n", (long long)m, (long long)m);
  for (int it = 0; it <= 12; ++it) {
    auto wg = w.detach().requires_grad_(true);
    auto L = loss_fn({wg});
    auto g = torch::autograd::grad({L}, {wg})[0];
    double gmax = g.abs().max().item<double>();
    newton_loss.push_back(L.item<double>());
    std::printf("  step %2d  loss %.15f  max|grad| %.3e\n", it, L.item<double>(), gmax);
    if (gmax < 1e-10) {
      newton_steps = it;
      break;
    }
    auto H = Fn::hessian(loss_fn, {w})[0][0];
    auto step = spd_solve(to_vec(H), to_vec(g), size_t(m));
    w = w - torch::tensor(step, torch::kDouble);
  }
  const double best = newton_loss.back();

  // Gradient descent with step 1/L, L = largest Hessian eigenvalue at w = 0 (power iteration).
  auto H0 = Fn::hessian(loss_fn, {torch::zeros({m}, torch::kDouble)})[0][0];
  auto v = torch::ones({m}, torch::kDouble);
  double Lmax = 0;
  for (int k = 0; k < 200; ++k) {
    auto Hv = H0.matmul(v);
    Lmax = Hv.norm().item<double>() / v.norm().item<double>();
    v = Hv / Hv.norm();
  }
  std::printf("gradient descent, step 1/L with L = %.4f:\n", Lmax);
  auto wgd = torch::zeros({m}, torch::kDouble);
  std::vector<double> gd_loss;
  for (int it = 0; it <= 200; ++it) {
    auto wg = wgd.detach().requires_grad_(true);
    auto L = loss_fn({wg});
    gd_loss.push_back(L.item<double>());
    if (it % 20 == 0 || it < 5)
      std::printf("  step %3d  loss %.15f  above optimum %.3e\n", it, L.item<double>(),
                  L.item<double>() - best);
    auto g = torch::autograd::grad({L}, {wg})[0];
    wgd = wgd - g / Lmax;
  }
  const double gd_gap = gd_loss.back() - best;
  std::printf(
      "Newton: gradient below 1e-10 after %d steps; gradient descent after 200 steps is "
      "%.3e above the optimum\n",
      newton_steps, gd_gap);
  if (newton_steps < 0 || newton_steps > 10) ok = false, std::printf("CLAIM FAILED: Newton\n");
  if (!(gd_gap > 1e-6)) ok = false, std::printf("CLAIM FAILED: gradient descent converged\n");

  torch::plot::Figure fig("Logistic regression (breast cancer, 11 weights): loss above optimum");
  fig.xlabel("iteration").ylabel("loss - optimum").log_y();
  std::vector<double> it_n, gap_n, it_g, gap_g;
  for (size_t i = 0; i < newton_loss.size(); ++i)
    it_n.push_back(double(i)), gap_n.push_back(std::max(newton_loss[i] - best, 1e-16));
  for (size_t i = 0; i < gd_loss.size(); ++i)
    it_g.push_back(double(i)), gap_g.push_back(std::max(gd_loss[i] - best, 1e-16));
  fig.add_line("Newton (exact Hessian)", it_n, gap_n, torch::plot::LineStyle().markers(true));
  fig.add_line("gradient descent (step 1/L)", it_g, gap_g);
  fig.save(out);
  std::printf("wrote %s\n", out.c_str());

  // ---- part 2: Hessian-vector products of an MLP loss against differences of gradients ----
  torch::manual_seed(0);
  auto xin = torch::randn({32, 4}, torch::kDouble);
  auto target = torch::randn({32, 1}, torch::kDouble);
  torch::TensorList params = {
      torch::randn({8, 4}, torch::kDouble) * 0.5, torch::randn({8}, torch::kDouble) * 0.1,
      torch::randn({1, 8}, torch::kDouble) * 0.5, torch::randn({1}, torch::kDouble) * 0.1};
  auto mlp_loss = [&](const torch::TensorList& p) {
    auto h = (xin.matmul(p[0].t()) + p[1]).tanh();
    return (h.matmul(p[2].t()) + p[3] - target).pow(2).mean();
  };
  torch::TensorList dir;
  for (auto& p : params) dir.push_back(torch::randn(p.sizes(), torch::kDouble));
  auto hv = Fn::hvp(mlp_loss, params, dir).second;
  auto grad_at = [&](double h) {
    torch::TensorList q;
    for (size_t i = 0; i < params.size(); ++i)
      q.push_back((params[i] + dir[i] * h).requires_grad_(true));
    return torch::autograd::grad({mlp_loss(q)}, q);
  };
  const double h = 1e-5;
  auto gp = grad_at(h), gm = grad_at(-h);
  double worst = 0;
  int64_t count = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    auto fd = (gp[i] - gm[i]) / (2 * h);
    auto a = to_vec(hv[i]), b = to_vec(fd);
    for (size_t k = 0; k < a.size(); ++k, ++count)
      worst = std::max(worst, std::abs(a[k] - b[k]) / std::max(1e-3, std::abs(b[k])));
  }
  std::printf(
      "MLP (4-8-1, tanh): Hessian-vector product over %lld parameters vs central "
      "differences of gradients: worst relative error %.2e\n",
      (long long)count, worst);
  if (!(worst < 1e-6)) ok = false, std::printf("CLAIM FAILED: HVP\n");
  return ok ? 0 : 1;
}
