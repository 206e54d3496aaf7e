// operator<< for tensors, in libtorch's layout: values, then `[ CPUFloatType{2,3} ]`.
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "[ Tensor (undefined) ]";
  Tensor d = t.detach().to(kDouble);
  const double* p = d.data_ptr<double>();
  const int64_t n = d.numel();
  bool integral = true;
  double big = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isfinite(p[i])) big = std::max(big, std::abs(p[i]));
    integral = integral && (!std::isfinite(p[i]) || p[i] == std::floor(p[i]));
  }
  bool sci = !integral && (big >= 1e5 || (big > 0 && big < 1e-4));
  auto fmt = [&](double v) {
    std::ostringstream s;
    if (t.scalar_type() == kBool)
      s << (v != 0 ? "true" : "false");
    else if (integral && std::isfinite(v))
      s << std::fixed << std::setprecision(0) << v;
    else if (sci)
      s << std::scientific << std::setprecision(4) << v;
    else
      s << std::fixed << std::setprecision(4) << v;
    return s.str();
  };
  size_t width = 0;
  for (int64_t i = 0; i < n; ++i) width = std::max(width, fmt(p[i]).size());
  const int64_t nd = t.dim();
  if (nd == 0) {
    os << fmt(p[0]) << "\n";
  } else {
    const int64_t cols = t.size(-1), rows = nd >= 2 ? t.size(-2) : n / std::max<int64_t>(cols, 1);
    const int64_t plane = nd >= 2 ? rows * cols : n;
    for (int64_t start = 0; start < n; start += std::max<int64_t>(plane, 1)) {
      if (nd > 2) {
        os << "(";
        int64_t rem = start / plane;
        std::vector<int64_t> idx(size_t(nd - 2));
        for (int64_t k = nd - 3; k >= 0; --k) idx[size_t(k)] = rem % t.size(k), rem /= t.size(k);
        for (int64_t v : idx) os << v << ",";
        os << ".,.) = \n";
      }
      if (nd == 1) {
        for (int64_t i = 0; i < n; ++i) os << " " << std::setw(int(width)) << fmt(p[i]) << "\n";
      } else {
        for (int64_t r = 0; r < rows; ++r) {
          for (int64_t c = 0; c < cols; ++c)
            os << " " << std::setw(int(width)) << fmt(p[start + r * cols + c]);
          os << "\n";
        }
      }
      if (nd > 2 && start + plane < n) os << "\n";
    }
  }
  os << "[ " << t.toString() << "{";
  for (int64_t k = 0; k < nd; ++k) os << (k ? "," : "") << t.size(k);
  return os << "} ]";
}

}  // namespace tg
