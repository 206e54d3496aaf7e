// Finite-difference error against the step size: the V-shaped curve behind gradcheck's eps.
//
// For f(x) = sin(exp(x)) at x = 0.7, the derivative from the tape (float64, checked against
// the closed form cos(e^x) e^x) is compared with forward differences (f(x+h) - f(x)) / h and
// central differences (f(x+h) - f(x-h)) / 2h, in float32 and float64, for h from 1e-1 to 1e-12.
// Truncation error falls with h (as h for forward, h^2 for central) while rounding error grows
// as u/h (u = unit roundoff), so each curve is a V with its bottom near h = u^(1/2) (forward)
// or u^(1/3) (central). The program prints the table, writes fd_error.svg (or argv[1]) and
// exits non-zero unless each optimum lies within a factor 30 of that prediction and the V is
// real (both ends at least 100x worse than the bottom).
#include <cmath>
#include <cstdio>
#include <string>
#include <tapegrad.hpp>
#include <vector>

namespace torch = tg;

static double f_at(double x, torch::Dtype dtype) {
  auto t = torch::full({1}, x, dtype);  // x rounded to the working precision
  return (t.exp().sin()).to(torch::kDouble).item<double>();
}

int main(int argc, char** argv) {
  const std::string out = argc > 1 ? argv[1] : "fd_error.svg";
  const double x0 = 0.7;
  auto x = torch::full({1}, x0, torch::dtype(torch::kDouble).requires_grad(true));
  x.exp().sin().sum().backward();
  const double exact = x.grad().item<double>();
  const double closed = std::cos(std::exp(x0)) * std::exp(x0);
  std::printf("f(x) = sin(exp(x)) at x = %.1f: tape derivative %.17g, closed form %.17g\n", x0,
              exact, closed);
  bool ok = std::abs(exact - closed) <= 1e-15 * std::abs(closed);

  std::vector<double> hs;
  for (int k = 0; k <= 44; ++k) hs.push_back(std::pow(10.0, -1.0 - 0.25 * k));
  struct Curve {
    std::string name;
    torch::Dtype dtype;
    bool central;
    double u;  // unit roundoff of the dtype
    std::vector<double> err;
  };
  std::vector<Curve> curves = {{"float64 forward", torch::kDouble, false, 1.1e-16, {}},
                               {"float64 central", torch::kDouble, true, 1.1e-16, {}},
                               {"float32 forward", torch::kFloat, false, 6.0e-8, {}},
                               {"float32 central", torch::kFloat, true, 6.0e-8, {}}};
  std::printf("%10s %16s %16s %16s %16s\n", "h", "f64 forward", "f64 central", "f32 forward",
              "f32 central");
  for (auto& c : curves)
    for (double h : hs) {
      double d = c.central ? (f_at(x0 + h, c.dtype) - f_at(x0 - h, c.dtype)) / (2 * h)
                           : (f_at(x0 + h, c.dtype) - f_at(x0, c.dtype)) / h;
      // a step below the precision moves nothing: the difference is 0 and the error |f'|
      c.err.push_back(std::max(std::abs(d - exact), 1e-17));
    }
  for (size_t i = 0; i < hs.size(); ++i)
    std::printf("%10.2e %16.3e %16.3e %16.3e %16.3e\n", hs[i], curves[0].err[i], curves[1].err[i],
                curves[2].err[i], curves[3].err[i]);

  torch::plot::Figure fig("Finite-difference error of d/dx sin(exp(x)) at x = 0.7");
  fig.xlabel("step h").ylabel("|numeric - exact|").log_x().log_y();
  for (auto& c : curves) {
    size_t best = 0;
    for (size_t i = 0; i < hs.size(); ++i)
      if (c.err[i] < c.err[best]) best = i;
    const double predicted = c.central ? std::cbrt(c.u) : std::sqrt(c.u);
    const double ratio = hs[best] / predicted;
    const bool v_shape = c.err.front() > 100 * c.err[best] && c.err.back() > 100 * c.err[best];
    const bool near = ratio > 1.0 / 30 && ratio < 30;
    std::printf("%s: optimum h = %.2e (predicted u^(1/%d) = %.2e), error %.2e there; %s\n",
                c.name.c_str(), hs[best], c.central ? 3 : 2, predicted, c.err[best],
                near && v_shape ? "ok" : "CLAIM FAILED");
    ok = ok && near && v_shape;
    fig.add_line(c.name, hs, c.err,
                 torch::plot::LineStyle().markers(true).dashed(c.dtype == torch::kFloat));
    fig.add_vline(hs[best], std::string(c.dtype == torch::kDouble ? "f64" : "f32") +
                                (c.central ? " central" : " fwd"));
  }
  fig.save(out);
  std::printf("wrote %s\n", out.c_str());
  return ok ? 0 : 1;
}
