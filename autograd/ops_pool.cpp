// Pooling:
// - max_pool2d is a primitive: a plain loop finds each window's argmax and reads the values; its
//   backward adds the gradient at the saved indices (recorded as scatter_add under create_graph);
// - avg_pool2d is im2col (ops_conv.cpp) summed over each window, divided by PyTorch's divisor;
// - adaptive_avg_pool2d is P_h x P_w^T with averaging matrices P, exact for any sizes.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "functions.hpp"
#include "im2col.hpp"
#include "kernels.hpp"

namespace tg {

static void check_pool_input(const Tensor& x, const char* op) {
  check_defined(x, op);
  check_floating(x, op);
  if (x.dim() != 3 && x.dim() != 4)
    fail(std::string(op) + ": expected 3D or 4D (batch mode) tensor for input, got shape " +
         to_string(x.sizes()));
  if (x.size(-1) == 0 || x.size(-2) == 0 || (x.dim() == 4 && x.size(1) == 0))
    fail(std::string(op) + ": expected input with non-zero sizes, got shape " +
         to_string(x.sizes()));
}

// Kernel, stride (empty = kernel), padding and dilation of a pooling call, with PyTorch's checks.
static WindowGeom pool_geom(const Tensor& x, IntArrayRef kernel_size, IntArrayRef stride,
                            IntArrayRef padding, IntArrayRef dilation, bool ceil_mode,
                            const char* op) {
  WindowGeom g;
  two_ints(kernel_size, op, "kernel_size", g.kh, g.kw);
  if (stride.empty())
    g.sh = g.kh, g.sw = g.kw;
  else
    two_ints(stride, op, "stride", g.sh, g.sw);
  two_ints(padding, op, "padding", g.ph, g.pw);
  two_ints(dilation, op, "dilation", g.dh, g.dw);
  if (g.kh <= 0 || g.kw <= 0 || g.sh <= 0 || g.sw <= 0 || g.dh <= 0 || g.dw <= 0)
    fail(std::string(op) +
         ": kernel_size, stride and dilation must be greater than zero, got "
         "kernel_size=" +
         to_string(kernel_size) + ", stride=" + to_string(stride) +
         ", dilation=" + to_string(dilation));
  if (g.ph < 0 || g.pw < 0 || 2 * g.ph > g.dh * (g.kh - 1) + 1 || 2 * g.pw > g.dw * (g.kw - 1) + 1)
    fail(std::string(op) + ": pad should be at most half of effective kernel size, but got pad=" +
         to_string(padding) + ", kernel_size=" + to_string(kernel_size) +
         " and dilation=" + to_string(dilation));
  g.h = x.size(-2), g.w = x.size(-1);
  g.oh = window_out_size(g.h, g.kh, g.ph, g.sh, g.dh, ceil_mode);
  g.ow = window_out_size(g.w, g.kw, g.pw, g.sw, g.dw, ceil_mode);
  if (g.oh < 1 || g.ow < 1)
    fail(std::string(op) + ": given input size: (" + std::to_string(g.h) + "x" +
         std::to_string(g.w) + "). Calculated output size: (" + std::to_string(g.oh) + "x" +
         std::to_string(g.ow) + "). Output size is too small (input shape " + to_string(x.sizes()) +
         ", kernel_size=" + to_string(kernel_size) + ")");
  return g;
}

static Shape pooled_shape(const Tensor& x, const WindowGeom& g) {
  Shape s = x.sizes();
  s[s.size() - 2] = g.oh, s[s.size() - 1] = g.ow;
  return s;
}

// The kernel cells [lo, hi) of window o along one dim whose input position base + k d, with
// base = o s - p, lies inside [0, n): found arithmetically, so the scan has no bounds checks.
struct CellRange {
  int64_t lo, hi, base;
};
static std::vector<CellRange> cells_inside(int64_t outs, int64_t s, int64_t p, int64_t d, int64_t k,
                                           int64_t n) {
  std::vector<CellRange> r(static_cast<size_t>(outs));
  for (int64_t o = 0; o < outs; ++o) {
    const int64_t base = o * s - p, lo = base >= 0 ? 0 : (-base + d - 1) / d;
    const int64_t hi = base >= n ? 0 : std::min(k, (n - base + d - 1) / d);
    r[size_t(o)] = {lo, std::max(lo, hi), base};
  }
  return r;
}

// Each window's maximum and its index into H*W: the first one in scan order, NaN wins (PyTorch).
template <class T>
static void max_windows(const T* x, int64_t planes, const WindowGeom& g, int64_t* idx, T* out) {
  const auto ys = cells_inside(g.oh, g.sh, g.ph, g.dh, g.kh, g.h);
  const auto xs = cells_inside(g.ow, g.sw, g.pw, g.dw, g.kw, g.w);
  // Locals, not g's fields: the int64_t stores into idx could alias them otherwise.
  const int64_t w = g.w, dh = g.dh, dw = g.dw, hw = g.h * g.w;
  for (int64_t p = 0; p < planes; ++p, x += hw)
    for (const CellRange y : ys)
      for (const CellRange c : xs) {
        int64_t best = 0;  // every window holds a cell (pad <= kernel/2); 0 guards the rest
        if (y.lo < y.hi && c.lo < c.hi) best = (y.base + y.lo * dh) * w + c.base + c.lo * dw;
        T m = x[best];
        for (int64_t ki = y.lo; ki < y.hi; ++ki) {
          const int64_t row = (y.base + ki * dh) * w + c.base;
          for (int64_t kj = c.lo; kj < c.hi; ++kj) {
            // Selects, not a branch: on real data the comparison is a coin flip, and a
            // mispredicted branch per cell cost more than all the rest of the scan.
            const T v = x[row + kj * dw];
            const int take = (v > m) | std::isnan(v);
            const T vs[2] = {m, v};
            const int64_t is[2] = {best, row + kj * dw};
            m = vs[take], best = is[take];
          }
        }
        *idx++ = best, *out++ = m;
      }
}

// max_pool2d: y = x[argmax], so the gradient goes to each window's argmax: gx[idx] += g (a plain
// loop, the indices saved from the forward). Under create_graph it is recorded as scatter_add,
// whose gradient is gather -- max pooling's own forward with the same indices.
static void max_pool2d_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor idx = e.saved_value(0);  // (planes, windows)
  const IntArrayRef xs = e.in_shape(0);
  const int64_t planes = idx.size(0), L = idx.size(1), hw = xs[xs.size() - 2] * xs[xs.size() - 1];
  if (grad_enabled()) {
    gin[0] = zeros({planes, hw}, g.scalar_type())
                 .scatter_add(1, idx, g.reshape({planes, L}))
                 .reshape(e.in_shape(0));
    return;
  }
  gin[0] = zeros(e.in_shape(0), g.scalar_type());
  kern::dispatch_float(g.scalar_type(), "max_pool2d", [&](auto tag) {
    using T = decltype(tag);
    const T* gp = ptr<T>(g);
    const int64_t* ip = ptr<int64_t>(idx);
    T* gx = ptr<T>(gin[0]);
    for (int64_t p = 0; p < planes; ++p, gx += hw)
      for (int64_t l = 0; l < L; ++l) gx[ip[p * L + l]] += gp[p * L + l];
  });
}
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride, IntArrayRef padding,
                                                   IntArrayRef dilation, bool ceil_mode) {
  check_pool_input(self, "max_pool2d");
  WindowGeom g = pool_geom(self, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d");
  const int64_t planes = self.numel() / (g.h * g.w), L = g.windows();
  const Shape shape = pooled_shape(self, g);
  Tensor idx = make_tensor({planes, L}, kLong), out = make_tensor(shape, self.scalar_type());
  kern::dispatch_float(self.scalar_type(), "max_pool2d", [&](auto tag) {
    using T = decltype(tag);
    max_windows<T>(ptr<T>(self), planes, g, ptr<int64_t>(idx), ptr<T>(out));
  });
  if (Entry* e = record("max_pool2d", max_pool2d_backward, {&self}, out)) e->save(0, idx);
  return {out, idx.reshape(shape)};
}

Tensor max_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(
      max_pool2d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor avg_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override) {
  check_pool_input(self, "avg_pool2d");
  WindowGeom g = pool_geom(self, kernel_size, stride, padding, int64_t(1), ceil_mode, "avg_pool2d");
  if (divisor_override && *divisor_override == 0)
    fail("avg_pool2d: divisor must be not zero (input shape " + to_string(self.sizes()) + ")");
  // PyTorch's divisor: the window clipped to the padded input (count_include_pad), or to the
  // input itself; ceil_mode windows that overhang the padding count only what they cover.
  std::vector<double> div(size_t(g.windows()));
  for (int64_t oy = 0; oy < g.oh; ++oy)
    for (int64_t ox = 0; ox < g.ow; ++ox) {
      int64_t y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw;
      int64_t y1 = std::min(y0 + g.kh, g.h + g.ph), x1 = std::min(x0 + g.kw, g.w + g.pw);
      const int64_t padded = (y1 - y0) * (x1 - x0);
      y0 = std::max<int64_t>(y0, 0), x0 = std::max<int64_t>(x0, 0);
      y1 = std::min(y1, g.h), x1 = std::min(x1, g.w);
      div[size_t(oy * g.ow + ox)] = double(divisor_override    ? *divisor_override
                                           : count_include_pad ? padded
                                                               : (y1 - y0) * (x1 - x0));
    }
  const int64_t planes = self.numel() / (g.h * g.w);
  Tensor cols = im2col_geom(self.reshape({planes, 1, g.h, g.w}), g, false);  // (P, k*k, L)
  Tensor out = cols.sum({1}) / tensor(div, self.scalar_type());
  return out.reshape(pooled_shape(self, g));
}

// P (out, in): row i averages input cells [floor(i in / out), ceil((i + 1) in / out)).
static Tensor adaptive_matrix(int64_t in, int64_t out, ScalarType t) {
  std::vector<double> p(size_t(in * out), 0.0);
  for (int64_t i = 0; i < out; ++i) {
    const int64_t a = (i * in) / out, b = ((i + 1) * in + out - 1) / out;
    for (int64_t j = a; j < b; ++j) p[size_t(i * in + j)] = 1.0 / double(b - a);
  }
  return tensor(p, t).reshape({out, in});
}

Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size) {
  check_pool_input(self, "adaptive_avg_pool2d");
  if (output_size.size() != 2 || output_size[0] < 0 || output_size[1] < 0)
    fail("adaptive_avg_pool2d: output_size must be 2 non-negative ints, got " +
         to_string(output_size) + " (input shape " + to_string(self.sizes()) + ")");
  Tensor ph = adaptive_matrix(self.size(-2), output_size[0], self.scalar_type());
  Tensor pw = adaptive_matrix(self.size(-1), output_size[1], self.scalar_type());
  return ph.matmul(self).matmul(pw.t());
}

}  // namespace tg
