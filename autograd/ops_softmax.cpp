// softmax and log_softmax along one dim. log_softmax is a primitive with its own kernel and
// backward; softmax is written from primitives.
#include <cmath>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// Both subtract the row maximum m first (held constant: the results don't depend on it), as
// PyTorch's kernels do, so exp never overflows and x - m is exact:
//   log_softmax = (x - m) - log(sum(exp(x - m)))        softmax = exp(x - m) / sum(exp(x - m))
// softmax is a composite: the tape's gradient is softmax's Jacobian, exactly.
static Tensor shifted(const Tensor& x, int64_t d) {
  Tensor m = amax(x.detach(), {d}, true);
  return x - where(isinf(m), 0.0, m);
}

// log_softmax is fused (one op, forward and backward loops here) because it is most of a small
// classifier's loss: as a composite it recorded five entries (sub, exp, sum, log, sub) and made
// as many temporaries per step. The rows are x viewed as [outer, n, inner] with n along `dim`.
// d log_softmax(x)_i = dx_i - softmax_i sum_j dx_j,   softmax = exp(log_softmax)
struct Rows {
  int64_t outer = 1, n = 1, inner = 1;
};
static Rows rows_along(IntArrayRef s, int64_t d) {
  Rows r;
  for (int64_t k = 0; k < int64_t(s.size()); ++k)
    (k < d ? r.outer : k == d ? r.n : r.inner) *= s[size_t(k)];
  return r;
}
static void log_softmax_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor y = e.saved_value(1);
  const int64_t d = e.i[0];
  if (!kern::fused_backward()) return void(gin[0] = g - exp(y) * sum(g, {d}, true));
  Tensor out = make_tensor(g.sizes(), g.scalar_type());
  const Rows r = rows_along(g.sizes(), d);
  kern::dispatch_float(g.scalar_type(), "log_softmax_backward", [&](auto tag) {
    using T = decltype(tag);
    const T *pg = ptr<T>(g), *py = ptr<T>(y);
    T* po = ptr<T>(out);
    const auto exp = kern::simd([](auto v) { return xsimd::exp(v); });
    for (int64_t o = 0; o < r.outer; ++o)
      for (int64_t i = 0; i < r.inner; ++i) {
        const int64_t base = o * r.n * r.inner + i;
        T total = 0;
        for (int64_t k = 0; k < r.n; ++k) total += pg[base + k * r.inner];
        if (r.inner == 1) {  // a contiguous row: softmax in batches into out, then the rest
          kern::row1<T>(py + base, po + base, r.n, exp);
          for (int64_t k = 0; k < r.n; ++k) po[base + k] = pg[base + k] - po[base + k] * total;
          continue;
        }
        for (int64_t k = 0; k < r.n; ++k) {
          const int64_t at = base + k * r.inner;
          po[at] = pg[at] - std::exp(py[at]) * total;
        }
      }
  });
  gin[0] = out;
}
Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor in = dtype ? x.to(*dtype) : x;
  check_floating(in, "log_softmax");
  int64_t d = wrap_dim(dim, in.dim(), "log_softmax");
  if (in.dim() == 0) return in - in;
  Tensor out = make_tensor(in.sizes(), in.scalar_type());
  const Rows r = rows_along(in.sizes(), d);
  kern::dispatch_float(in.scalar_type(), "log_softmax", [&](auto tag) {
    using T = decltype(tag);
    const T* px = ptr<T>(in);
    T* po = ptr<T>(out);
    const auto shifted_exp = kern::simd([](auto v, auto m) { return xsimd::exp(v - m); });
    for (int64_t o = 0; o < r.outer; ++o)
      for (int64_t i = 0; i < r.inner; ++i) {
        const int64_t base = o * r.n * r.inner + i;
        T m = -std::numeric_limits<T>::infinity();
        for (int64_t k = 0; k < r.n; ++k) m = std::max(m, px[base + k * r.inner]);
        if (std::isinf(m)) m = 0;  // no inf - inf here; an all -inf row gives NaN, as PyTorch
        T total = 0;
        if (r.inner == 1) {  // a contiguous row: exp(x - m) in batches, staged in out
          kern::row2<true, false, T>(px + base, &m, po + base, r.n, shifted_exp);
          for (int64_t k = 0; k < r.n; ++k) total += po[base + k];
        } else {
          for (int64_t k = 0; k < r.n; ++k) total += std::exp(px[base + k * r.inner] - m);
        }
        const T lse = std::log(total);
        for (int64_t k = 0; k < r.n; ++k) {
          const int64_t at = base + k * r.inner;
          po[at] = (px[at] - m) - lse;
        }
      }
  });
  if (Entry* e = record("log_softmax", log_softmax_backward, {&in}, out)) {
    e->save(1, out);
    e->i[0] = d;
  }
  return out;
}
Tensor softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  Tensor in = dtype ? x.to(*dtype) : x;
  check_floating(in, "softmax");
  int64_t d = wrap_dim(dim, in.dim(), "softmax");
  if (in.dim() == 0) return exp(in - in);
  Tensor e = exp(shifted(in, d));
  return e / sum(e, {d}, true);
}

}  // namespace tg
