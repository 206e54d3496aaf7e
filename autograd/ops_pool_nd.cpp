// Max-type pooling over 1, 2 or 3 spatial dims, and the other pools that are not 2-D only:
// - one primitive, max_boxes: each output cell is the maximum of a box of input cells, given per
//   spatial dim as (base, first cell, end cell, dilation); max_pool1d/3d, adaptive_max_pool1d/
//   2d/3d and fractional_max_pool2d/3d differ only in how they lay out the boxes. Its backward
//   adds the gradient at the saved argmax indices (as scatter_add under create_graph);
// - max_unpool2d/3d is scatter_add into zeros (its gradient, gather, comes with it);
// - avg_pool1d is avg_pool2d on a height-1 view; avg_pool3d gathers each window's cells (padding
//   reads an extra zero cell) and sums them, so both differentiate through existing ops;
// - adaptive_avg_pool1d/3d are products with PyTorch's averaging matrices, one per dim.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "functions.hpp"
#include "im2col.hpp"
#include "kernels.hpp"

namespace tg {

namespace {

// The windows along one spatial dim: window o covers base + k d for k in [lo, hi), inside [0, n).
struct Span {
  int64_t lo, hi, base;
};
struct Axis {
  std::vector<Span> spans{{0, 1, 0}};  // a unit dim: one window of one cell
  int64_t dilation = 1, n = 1;         // input size
  int64_t outs() const { return int64_t(spans.size()); }
};
using Axes = std::array<Axis, 3>;  // (D, H, W); leading unit axes for 1-D and 2-D pools

// Regular windows (kernel k, stride s, padding p, dilation d) clipped to the input, as
// ops_pool.cpp's cells_inside.
Axis regular_axis(int64_t n, int64_t outs, int64_t k, int64_t s, int64_t p, int64_t d) {
  Axis a;
  a.spans.resize(size_t(outs));
  a.dilation = d, a.n = n;
  for (int64_t o = 0; o < outs; ++o) {
    const int64_t base = o * s - p, lo = base >= 0 ? 0 : (-base + d - 1) / d;
    const int64_t hi = base >= n ? 0 : std::min(k, (n - base + d - 1) / d);
    a.spans[size_t(o)] = {lo, std::max(lo, hi), base};
  }
  return a;
}

// PyTorch's adaptive windows: [floor(o n / outs), ceil((o + 1) n / outs)).
Axis adaptive_axis(int64_t n, int64_t outs) {
  Axis a;
  a.spans.resize(size_t(outs));
  a.n = n;
  for (int64_t o = 0; o < outs; ++o) {
    const int64_t start = (o * n) / outs, end = ((o + 1) * n + outs - 1) / outs;
    a.spans[size_t(o)] = {0, end - start, start};
  }
  return a;
}

// Each box's maximum and its flat index in the D*H*W plane: the first in scan order, NaN wins.
template <class T>
void max_boxes(const T* x, int64_t planes, const Axes& ax, int64_t* idx, T* out) {
  const int64_t n1 = ax[1].n, n2 = ax[2].n, plane = ax[0].n * n1 * n2;
  const int64_t d0 = ax[0].dilation, d1 = ax[1].dilation, d2 = ax[2].dilation;
  for (int64_t p = 0; p < planes; ++p, x += plane)
    for (const Span z : ax[0].spans)
      for (const Span y : ax[1].spans)
        for (const Span c : ax[2].spans) {
          int64_t best = 0;
          if (z.lo < z.hi && y.lo < y.hi && c.lo < c.hi)
            best = ((z.base + z.lo * d0) * n1 + y.base + y.lo * d1) * n2 + c.base + c.lo * d2;
          T m = x[best];
          for (int64_t kz = z.lo; kz < z.hi; ++kz)
            for (int64_t ky = y.lo; ky < y.hi; ++ky) {
              const int64_t row = ((z.base + kz * d0) * n1 + y.base + ky * d1) * n2 + c.base;
              for (int64_t kx = c.lo; kx < c.hi; ++kx) {
                const T v = x[row + kx * d2];
                if (v > m || std::isnan(v)) m = v, best = row + kx * d2;
              }
            }
          *idx++ = best, *out++ = m;
        }
}

// y = x[argmax]: gx[idx] += g, per plane (idx saved from the forward, shape (planes, windows)).
// Under create_graph it is scatter_add, whose own gradient is gather with the same indices.
void max_boxes_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor idx = e.saved_value(0);
  const int64_t planes = idx.size(0), L = idx.size(1);
  const int64_t plane = Shape(e.in_shape(0)).numel() / std::max<int64_t>(planes, 1);
  if (grad_enabled()) {
    gin[0] = zeros({planes, plane}, g.scalar_type())
                 .scatter_add(1, idx, g.reshape({planes, L}))
                 .reshape(e.in_shape(0));
    return;
  }
  gin[0] = zeros(e.in_shape(0), g.scalar_type());
  Tensor gc = g.contiguous();
  kern::dispatch_float(g.scalar_type(), "max_pool", [&](auto tag) {
    using T = decltype(tag);
    const T* gp = ptr<T>(gc);
    const int64_t* ip = ptr<int64_t>(idx);
    T* gx = ptr<T>(gin[0]);
    for (int64_t p = 0; p < planes; ++p, gx += plane)
      for (int64_t l = 0; l < L; ++l) gx[ip[p * L + l]] += gp[p * L + l];
  });
}

// Runs max_boxes over x, whose last `dims` dims are spatial; one Axes for every plane, or (when
// per_plane is non-empty) one per plane. Returns (values, indices) shaped as x with the spatial
// dims replaced by the windows.
std::tuple<Tensor, Tensor> max_pool_boxes(const Tensor& self, int dims, const Axes& shared,
                                          const std::vector<Axes>& per_plane, const char* op) {
  Shape shape = self.sizes();
  int64_t spatial = 1;
  for (int i = 0; i < dims; ++i) {
    const Axis& a = shared[size_t(3 - dims + i)];
    spatial *= self.size(self.dim() - dims + i);
    shape[shape.size() - size_t(dims) + size_t(i)] = a.outs();
  }
  const int64_t planes = spatial ? self.numel() / spatial : 0;
  const int64_t L = shared[0].outs() * shared[1].outs() * shared[2].outs();
  Tensor x = self.contiguous();
  Tensor idx = make_tensor({planes, L}, kLong), out = make_tensor(shape, self.scalar_type());
  kern::dispatch_float(self.scalar_type(), op, [&](auto tag) {
    using T = decltype(tag);
    if (per_plane.empty()) {
      max_boxes<T>(ptr<T>(x), planes, shared, ptr<int64_t>(idx), ptr<T>(out));
      return;
    }
    for (int64_t p = 0; p < planes; ++p)
      max_boxes<T>(ptr<T>(x) + p * spatial, 1, per_plane[size_t(p)], ptr<int64_t>(idx) + p * L,
                   ptr<T>(out) + p * L);
  });
  if (Entry* e = record(op, max_boxes_backward, {&self}, out)) e->save(0, idx);
  return {out, idx.reshape(shape)};
}

// A size list of 1 value (for every dim) or `dims` values.
std::vector<int64_t> expand(IntArrayRef v, int dims, const char* op, const char* what) {
  if (v.size() == 1) return std::vector<int64_t>(size_t(dims), v[0]);
  if (int(v.size()) != dims)
    fail(std::string(op) + ": " + what + " must either be a single int, or a tuple of " +
         std::to_string(dims) + " ints");
  return v.vec();
}

void check_spatial_input(const Tensor& x, int dims, const char* op) {
  check_defined(x, op);
  check_floating(x, op);
  if (x.dim() != dims + 1 && x.dim() != dims + 2)
    fail(std::string(op) + ": Expected " + std::to_string(dims + 1) + "D or " +
         std::to_string(dims + 2) +
         "D (batch mode) tensor for input, but got: " + to_string(x.sizes()));
  for (int64_t i = x.dim() - dims - 1; i < x.dim(); ++i)
    if (x.size(i) == 0)
      fail(std::string(op) +
           ": Expected input to have non-zero size for non-batch dimensions, "
           "but got " +
           to_string(x.sizes()) + " with dimension " + std::to_string(i) + " being empty.");
}

// The axes of a regular pool over the last `dims` dims, with PyTorch's checks.
Axes regular_axes(const Tensor& x, int dims, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode, const char* op) {
  const auto k = expand(kernel_size, dims, op, "kernel_size");
  const auto s = stride.empty() ? k : expand(stride, dims, op, "stride");
  const auto p = expand(padding, dims, op, "padding");
  const auto d = expand(dilation, dims, op, "dilation");
  Axes ax;
  std::vector<int64_t> outs;
  for (int i = 0; i < dims; ++i) {
    if (k[size_t(i)] <= 0)
      fail(std::string(op) + ": kernel_size must be greater than zero, but got " +
           to_string(kernel_size));
    if (s[size_t(i)] <= 0)
      fail(std::string(op) + ": stride must be greater than zero, but got " + to_string(stride));
    if (d[size_t(i)] <= 0)
      fail(std::string(op) + ": dilation must be greater than zero, but got " +
           to_string(dilation));
    if (p[size_t(i)] < 0 || p[size_t(i)] > k[size_t(i)] / 2)
      fail(std::string(op) + ": pad should be at most half of kernel size, but got pad=" +
           std::to_string(p[size_t(i)]) + " and kernel_size=" + std::to_string(k[size_t(i)]));
    const int64_t n = x.size(x.dim() - dims + i);
    const int64_t o =
        window_out_size(n, k[size_t(i)], p[size_t(i)], s[size_t(i)], d[size_t(i)], ceil_mode);
    if (o < 1)
      fail(std::string(op) + ": Given input size: " + to_string(x.sizes()) +
           ". Calculated output size is too small (" + std::to_string(o) + ") in dimension " +
           std::to_string(x.dim() - dims + i));
    ax[size_t(3 - dims + i)] =
        regular_axis(n, o, k[size_t(i)], s[size_t(i)], p[size_t(i)], d[size_t(i)]);
  }
  return ax;
}

std::tuple<Tensor, Tensor> max_pool_nd(const Tensor& self, int dims, IntArrayRef kernel_size,
                                       IntArrayRef stride, IntArrayRef padding,
                                       IntArrayRef dilation, bool ceil_mode, const char* op) {
  check_spatial_input(self, dims, op);
  const Axes ax = regular_axes(self, dims, kernel_size, stride, padding, dilation, ceil_mode, op);
  return max_pool_boxes(self, dims, ax, {}, op);
}

std::tuple<Tensor, Tensor> adaptive_max_pool_nd(const Tensor& self, int dims,
                                                IntArrayRef output_size, const char* op) {
  check_spatial_input(self, dims, op);
  const auto o = expand(output_size, dims, op, "output_size");
  Axes ax;
  for (int i = 0; i < dims; ++i) {
    if (o[size_t(i)] < 0)
      fail(std::string(op) +
           ": elements of output_size must be greater than or equal to 0 but "
           "received " +
           to_string(output_size));
    ax[size_t(3 - dims + i)] = adaptive_axis(self.size(self.dim() - dims + i), o[size_t(i)]);
  }
  return max_pool_boxes(self, dims, ax, {}, op);
}

// PyTorch's fractional windows: starts int((i + u) a) - int(u a), a = (n - k) / (outs - 1), in
// the input's precision; the last window ends at the input's end.
template <class T>
Axis fractional_axis(T u, int64_t n, int64_t outs, int64_t k) {
  Axis a;
  a.spans.resize(size_t(outs));
  a.n = n;
  for (int64_t i = 0; i < outs; ++i) {
    int64_t start = n - k;
    if (i < outs - 1) {
      const T alpha = static_cast<T>(n - k) / static_cast<T>(outs - 1);
      start = int64_t(static_cast<int>((T(i) + u) * alpha) - static_cast<int>(u * alpha));
    }
    a.spans[size_t(i)] = {0, k, start};
  }
  return a;
}

std::tuple<Tensor, Tensor> fractional_max_pool_nd(const Tensor& self, int dims,
                                                  IntArrayRef kernel_size, IntArrayRef output_size,
                                                  const Tensor& random_samples, const char* op) {
  check_spatial_input(self, dims, op);
  if (kernel_size.size() != size_t(dims))
    fail(std::string(op) + ": kernel_size must either be a single Int or tuple of Ints");
  if (output_size.size() != size_t(dims))
    fail(std::string(op) + ": output_size must either be a single Int or tuple of Ints");
  const char* names[3] = {dims == 3 ? "time" : "height", dims == 3 ? "height" : "width", "width"};
  for (int i = 0; i < dims; ++i) {
    const int64_t n = self.size(self.dim() - dims + i);
    if (output_size[size_t(i)] + kernel_size[size_t(i)] - 1 > n)
      fail(std::string(op) + "(): pool " + names[i] + " " + std::to_string(kernel_size[size_t(i)]) +
           " too large relative to input " + names[i] + " " + std::to_string(n));
  }
  const int64_t batch = self.dim() == dims + 2 ? self.size(0) : 1;
  const int64_t channels = self.size(self.dim() - dims - 1);
  check_defined(random_samples, op);
  if (random_samples.dim() != 3 || random_samples.size(0) < batch ||
      random_samples.size(1) < channels || random_samples.size(2) != dims)
    fail(std::string(op) + ": expected _random_samples of shape (" + std::to_string(batch) + ", " +
         std::to_string(channels) + ", " + std::to_string(dims) + "), got " +
         to_string(random_samples.sizes()));
  Axes shared;
  for (int i = 0; i < dims; ++i) {
    shared[size_t(3 - dims + i)].spans.resize(size_t(output_size[size_t(i)]));
    shared[size_t(3 - dims + i)].n = self.size(self.dim() - dims + i);
  }
  std::vector<Axes> per_plane(size_t(batch * channels), shared);
  Tensor u = random_samples.to(self.scalar_type()).contiguous();
  kern::dispatch_float(self.scalar_type(), op, [&](auto tag) {
    using T = decltype(tag);
    const T* up = ptr<T>(u);
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t c = 0; c < channels; ++c) {
        const T* s = up + (b * random_samples.size(1) + c) * dims;
        Axes& ax = per_plane[size_t(b * channels + c)];
        // The samples are (W, H) in 2-D and (T, H, W) in 3-D (PyTorch's kernels).
        for (int i = 0; i < dims; ++i) {
          const int64_t n = self.size(self.dim() - dims + i);
          const T sample = dims == 2 ? s[1 - i] : s[i];
          ax[size_t(3 - dims + i)] =
              fractional_axis<T>(sample, n, output_size[size_t(i)], kernel_size[size_t(i)]);
        }
      }
  });
  return max_pool_boxes(self, dims, shared, per_plane, op);
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride, IntArrayRef padding,
                                                   IntArrayRef dilation, bool ceil_mode) {
  return max_pool_nd(self, 1, kernel_size, stride, padding, dilation, ceil_mode, "max_pool1d");
}
Tensor max_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(
      max_pool1d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}
std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride, IntArrayRef padding,
                                                   IntArrayRef dilation, bool ceil_mode) {
  return max_pool_nd(self, 3, kernel_size, stride, padding, dilation, ceil_mode, "max_pool3d");
}
Tensor max_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(
      max_pool3d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}

std::tuple<Tensor, Tensor> adaptive_max_pool1d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_max_pool_nd(self, 1, output_size, "adaptive_max_pool1d");
}
std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_max_pool_nd(self, 2, output_size, "adaptive_max_pool2d");
}
std::tuple<Tensor, Tensor> adaptive_max_pool3d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_max_pool_nd(self, 3, output_size, "adaptive_max_pool3d");
}

std::tuple<Tensor, Tensor> fractional_max_pool2d(const Tensor& self, IntArrayRef kernel_size,
                                                 IntArrayRef output_size,
                                                 const Tensor& random_samples) {
  return fractional_max_pool_nd(self, 2, kernel_size, output_size, random_samples,
                                "fractional_max_pool2d");
}
std::tuple<Tensor, Tensor> fractional_max_pool3d(const Tensor& self, IntArrayRef kernel_size,
                                                 IntArrayRef output_size,
                                                 const Tensor& random_samples) {
  return fractional_max_pool_nd(self, 3, kernel_size, output_size, random_samples,
                                "fractional_max_pool3d");
}

// max_unpool: out[p, idx[p, l]] = x[p, l] in a zero plane of prod(output_size) cells, i.e.
// scatter_add into zeros (max pooling's indices are distinct within a plane).
static Tensor max_unpool_nd(const Tensor& self, const Tensor& indices, IntArrayRef output_size,
                            int dims, const char* op) {
  check_defined(self, op);
  check_defined(indices, op);
  if (indices.scalar_type() != kLong)
    fail(std::string(op) + ": elements in indices should be type int64 but got: " +
         std::string(dtype_name(indices.scalar_type())));
  if (self.sizes() != indices.sizes())
    fail(std::string(op) + ": Expected shape of indices to be same as that of the input tensor (" +
         to_string(self.sizes()) +
         ") but got indices tensor with shape: " + to_string(indices.sizes()));
  if (output_size.size() != size_t(dims))
    fail(std::string(op) + ": There should be exactly " + std::to_string(dims) +
         " elements (depth, height, width) in output_size, but got " +
         std::to_string(output_size.size()) + " elements.");
  if (self.dim() != dims + 1 && self.dim() != dims + 2)
    fail(std::string(op) + ": Input to max_unpooling" + std::to_string(dims) + "d should be a " +
         std::to_string(dims + 1) + "d or " + std::to_string(dims + 2) +
         "d Tensor, but got a tensor with " + std::to_string(self.dim()) + " dimensions.");
  Shape shape = self.sizes();
  int64_t in_plane = 1, out_plane = 1;
  for (int i = 0; i < dims; ++i) {
    in_plane *= self.size(self.dim() - dims + i);
    out_plane *= output_size[size_t(i)];
    shape[shape.size() - size_t(dims) + size_t(i)] = output_size[size_t(i)];
  }
  const int64_t planes = in_plane ? self.numel() / in_plane : 0;
  Tensor idx = indices.reshape({planes, in_plane}).contiguous();
  const int64_t* ip = ptr<int64_t>(idx);
  for (int64_t i = 0; i < idx.numel(); ++i)
    if (ip[i] < 0 || ip[i] >= out_plane)
      fail(std::string("Found an invalid max index: ") + std::to_string(ip[i]) +
           " (output volumes are of size " + std::to_string(out_plane) + ")");
  return zeros({planes, out_plane}, self.scalar_type())
      .scatter_add(1, idx, self.reshape({planes, in_plane}))
      .reshape(shape);
}
Tensor max_unpool2d(const Tensor& self, const Tensor& indices, IntArrayRef output_size) {
  return max_unpool_nd(self, indices, output_size, 2, "max_unpool2d");
}
Tensor max_unpool3d(const Tensor& self, const Tensor& indices, IntArrayRef output_size,
                    IntArrayRef stride, IntArrayRef padding) {
  if (stride.size() != 3 || padding.size() != 3)
    fail(
        "max_unpool3d: There should be exactly three elements (depth, height, width) in stride "
        "and padding");
  for (int64_t s : stride)
    if (s <= 0)
      fail("max_unpool3d: strides should be greater than zero, but got stride: " +
           to_string(stride));
  return max_unpool_nd(self, indices, output_size, 3, "max_unpool3d");
}

Tensor avg_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, bool ceil_mode, bool count_include_pad) {
  check_spatial_input(self, 1, "avg_pool1d");
  const auto k = expand(kernel_size, 1, "avg_pool1d", "kernel_size");
  const auto s = stride.empty() ? k : expand(stride, 1, "avg_pool1d", "stride");
  const auto p = expand(padding, 1, "avg_pool1d", "padding");
  const int64_t k2[2] = {1, k[0]}, s2[2] = {1, s[0]}, p2[2] = {0, p[0]};
  return avg_pool2d(self.unsqueeze(-2), IntArrayRef(k2, 2), IntArrayRef(s2, 2), IntArrayRef(p2, 2),
                    ceil_mode, count_include_pad)
      .squeeze(-2);
}

// avg_pool3d: each window's cells gathered from the plane plus one zero cell (for padding),
// summed, divided by PyTorch's divisor (as avg_pool2d's in ops_pool.cpp).
Tensor avg_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                  IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override) {
  const char* op = "avg_pool3d";
  check_spatial_input(self, 3, op);
  const auto k = expand(kernel_size, 3, op, "kernel_size");
  const auto s = stride.empty() ? k : expand(stride, 3, op, "stride");
  const auto p = expand(padding, 3, op, "padding");
  if (divisor_override && *divisor_override == 0) fail("avg_pool3d: divisor must be not zero");
  const Axes ax = regular_axes(self, 3, kernel_size, stride, padding, 1, ceil_mode, op);
  const int64_t n0 = ax[0].n, n1 = ax[1].n, n2 = ax[2].n, plane = n0 * n1 * n2;
  const int64_t K = k[0] * k[1] * k[2], L = ax[0].outs() * ax[1].outs() * ax[2].outs();
  std::vector<int64_t> cells(size_t(L * K), plane);  // `plane` = the zero cell
  std::vector<double> divisor(static_cast<size_t>(L));
  int64_t l = 0;
  for (int64_t o0 = 0; o0 < ax[0].outs(); ++o0)
    for (int64_t o1 = 0; o1 < ax[1].outs(); ++o1)
      for (int64_t o2 = 0; o2 < ax[2].outs(); ++o2, ++l) {
        const int64_t o[3] = {o0, o1, o2};
        int64_t padded = 1, inside = 1;
        for (int i = 0; i < 3; ++i) {
          const int64_t a = o[i] * s[size_t(i)] - p[size_t(i)];
          const int64_t b = std::min(a + k[size_t(i)], ax[size_t(i)].n + p[size_t(i)]);
          padded *= b - a;
          inside *= std::min(b, ax[size_t(i)].n) - std::max<int64_t>(a, 0);
        }
        divisor[size_t(l)] = double(divisor_override    ? *divisor_override
                                    : count_include_pad ? padded
                                                        : inside);
        int64_t c = 0;
        for (int64_t kz = 0; kz < k[0]; ++kz)
          for (int64_t ky = 0; ky < k[1]; ++ky)
            for (int64_t kx = 0; kx < k[2]; ++kx, ++c) {
              const int64_t z = o0 * s[0] - p[0] + kz, y = o1 * s[1] - p[1] + ky,
                            x = o2 * s[2] - p[2] + kx;
              if (z >= 0 && z < n0 && y >= 0 && y < n1 && x >= 0 && x < n2)
                cells[size_t(l * K + c)] = (z * n1 + y) * n2 + x;
            }
      }
  const int64_t planes = self.numel() / plane;
  Tensor flat = cat({self.reshape({planes, plane}), zeros({planes, 1}, self.scalar_type())}, 1);
  Tensor sums = flat.index_select(1, tensor(cells, kLong)).reshape({planes, L, K}).sum({2});
  Shape shape = self.sizes();
  for (int i = 0; i < 3; ++i) shape[shape.size() - 3 + size_t(i)] = ax[size_t(i)].outs();
  return (sums / tensor(divisor, self.scalar_type())).reshape(shape);
}

// P (outs, n): row i averages cells [floor(i n / outs), ceil((i + 1) n / outs)).
static Tensor averaging_matrix(int64_t n, int64_t outs, ScalarType t) {
  std::vector<double> m(size_t(n * outs), 0.0);
  for (int64_t i = 0; i < outs; ++i) {
    const int64_t a = (i * n) / outs, b = ((i + 1) * n + outs - 1) / outs;
    for (int64_t j = a; j < b; ++j) m[size_t(i * n + j)] = 1.0 / double(b - a);
  }
  return tensor(m, t).reshape({outs, n});
}

Tensor adaptive_avg_pool1d(const Tensor& self, IntArrayRef output_size) {
  check_spatial_input(self, 1, "adaptive_avg_pool1d");
  if (output_size.size() != 1)
    fail("adaptive_avg_pool1d: output_size should contain one int, got " + to_string(output_size));
  if (output_size[0] < 0)
    fail("adaptive_avg_pool1d: elements of output_size must be greater than or equal to 0");
  return self.matmul(averaging_matrix(self.size(-1), output_size[0], self.scalar_type()).t());
}

Tensor adaptive_avg_pool3d(const Tensor& self, IntArrayRef output_size) {
  const char* op = "adaptive_avg_pool3d";
  check_spatial_input(self, 3, op);
  const auto o = expand(output_size, 3, op, "output_size");
  for (int64_t v : o)
    if (v < 0)
      fail("adaptive_avg_pool3d: elements of output_size must be greater than or equal to 0");
  const ScalarType t = self.scalar_type();
  const int64_t d = self.size(-3);
  // W, then H (both batched matrix products), then D on the flattened (H', W') plane.
  Tensor y = averaging_matrix(self.size(-2), o[1], t)
                 .matmul(self.matmul(averaging_matrix(self.size(-1), o[2], t).t()));
  Shape flat = y.sizes();
  flat[flat.size() - 2] = o[1] * o[2];
  flat.erase(flat.size() - 1);
  y = averaging_matrix(d, o[0], t).matmul(y.reshape(flat));
  Shape shape = self.sizes();
  for (int i = 0; i < 3; ++i) shape[shape.size() - 3 + size_t(i)] = o[size_t(i)];
  return y.reshape(shape);
}

}  // namespace tg
