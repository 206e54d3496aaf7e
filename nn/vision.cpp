#include "vision.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../autograd/functions.hpp"

namespace tg::nn::functional {

namespace {
// c10's TypeMeta names, as libtorch prints theta.dtype().
std::string meta_name(ScalarType t) {
  switch (t) {
    case kFloat:
      return "float";
    case kDouble:
      return "double";
    case kInt:
      return "int";
    case kLong:
      return "long int";
    case kBool:
      return "bool";
    default:
      return dtype_name(t);
  }
}

// Positions -1..1 over `n` steps (ATen's linspace_from_neg_one), scaled by (n-1)/n unless
// align_corners.
Tensor base_coords(int64_t n, bool align_corners, ScalarType dt) {
  if (n <= 1) return tg::zeros({n}, dt);
  Tensor r = tg::linspace(-1, 1, n, dt);
  return align_corners ? r : r * (double(n - 1) / double(n));
}

// ATen's reflect_coordinates.
double reflect(double in, double twice_low, double twice_high) {
  if (twice_low == twice_high) return 0;
  const double mn = twice_low / 2, span = (twice_high - twice_low) / 2;
  in = std::fabs(in - mn);
  const double extra = std::fmod(in, span);
  const int64_t flips = int64_t(std::floor(in / span));
  return flips % 2 == 0 ? extra + mn : span - extra + mn;
}

// The source coordinate along one axis of size `n`, from grid values g (N, Ho, Wo): the
// unnormalised position after the padding rule, written as g * a + b with a, b taken from the
// values (the rules are piecewise linear), so the grid's gradient is a (0 where clipped).
Tensor source_coord(const Tensor& g, int64_t n, bool align_corners, int pad) {
  const double scale = align_corners ? (n - 1) / 2.0 : n / 2.0;
  const double shift = align_corners ? (n - 1) / 2.0 : (n - 1) / 2.0;
  // unnormalize: align ? (g + 1) / 2 (n - 1) : ((g + 1) n - 1) / 2 -- both g * scale + shift.
  Tensor gd = g.detach().to(kDouble).contiguous();
  const double* v = gd.data_ptr<double>();
  std::vector<double> a(size_t(gd.numel())), b(size_t(gd.numel()));
  for (size_t i = 0; i < a.size(); ++i) {
    const double x = v[i] * scale + shift;
    double slope = 1, y = x;
    if (pad == 2) {  // reflection, then clip
      y = align_corners ? reflect(x, 0, 2.0 * double(n - 1)) : reflect(x, -1, 2.0 * double(n) - 1);
      // The reflected value moves with x or against it: compare at a nearby point.
      const double y2 = align_corners ? reflect(x + 1e-6, 0, 2.0 * double(n - 1))
                                      : reflect(x + 1e-6, -1, 2.0 * double(n) - 1);
      slope = y2 >= y ? 1 : -1;
    }
    if (pad >= 1) {  // border (and reflection's final clip)
      const double c = std::min(double(n - 1), std::max(y, 0.0));
      if (c != y) slope = 0;
      y = c;
    }
    a[i] = slope * scale;
    b[i] = y - slope * x + slope * shift;
  }
  Tensor at = tg::tensor(a, kDouble).reshape(g.sizes()).to(g.scalar_type());
  Tensor bt = tg::tensor(b, kDouble).reshape(g.sizes()).to(g.scalar_type());
  return g * at + bt;
}
}  // namespace

Tensor affine_grid(const Tensor& theta, const IntArrayRef& size, bool align_corners) {
  if (!theta.is_floating_point())
    throw Error("Expected theta to have floating point type, but got " +
                meta_name(theta.scalar_type()));
  if (size.size() == 4) {
    if (!(theta.dim() == 3 && theta.size(-2) == 2 && theta.size(-1) == 3))
      throw Error("Expected a batch of 2D affine matrices of shape Nx2x3 for size " +
                  to_string(size) + ". Got " + to_string(theta.sizes()) + ".");
  } else if (size.size() == 5) {
    if (!(theta.dim() == 3 && theta.size(-2) == 3 && theta.size(-1) == 4))
      throw Error("Expected a batch of 3D affine matrices of shape Nx3x4 for size " +
                  to_string(size) + ". Got " + to_string(theta.sizes()) + ".");
  } else {
    throw Error(
        "affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
        "respectively. Got size " +
        to_string(size));
  }
  if (*std::min_element(size.begin(), size.end()) <= 0)
    throw Error("Expected non-zero, positive output size. Got " + to_string(size));
  const ScalarType dt = theta.scalar_type();
  const int64_t n = size[0];
  // Base grid rows (x, y[, z], 1), x varying fastest.
  std::vector<Tensor> axes;  // innermost (W) first
  for (size_t d = size.size() - 1; d >= 2; --d)
    axes.push_back(base_coords(size[d], align_corners, dt));
  Tensor base;
  if (size.size() == 4) {
    const int64_t h = size[2], w = size[3];
    Tensor xs = axes[0].reshape({1, w}).expand({h, w});
    Tensor ys = axes[1].reshape({h, 1}).expand({h, w});
    base = tg::stack({xs, ys, tg::ones({h, w}, dt)}, -1).reshape({1, h * w, 3});
  } else {
    const int64_t d = size[2], h = size[3], w = size[4];
    Tensor xs = axes[0].reshape({1, 1, w}).expand({d, h, w});
    Tensor ys = axes[1].reshape({1, h, 1}).expand({d, h, w});
    Tensor zs = axes[2].reshape({d, 1, 1}).expand({d, h, w});
    base = tg::stack({xs, ys, zs, tg::ones({d, h, w}, dt)}, -1).reshape({1, d * h * w, 4});
  }
  Tensor grid = tg::bmm(base.expand({n, base.size(1), base.size(2)}), theta.transpose(1, 2));
  std::vector<int64_t> out(size.begin(), size.end());
  out.erase(out.begin() + 1);
  out.push_back(int64_t(size.size()) - 2);
  return grid.reshape(out);
}

Tensor grid_sample(const Tensor& input, const Tensor& grid, const GridSampleFuncOptions& o) {
  if (input.dim() != 4)
    throw Error("grid_sample: tapegrad supports 4-D input (N, C, H, W) only, got shape " +
                to_string(input.sizes()));
  if (grid.dim() != 4 || grid.size(0) != input.size(0) || grid.size(3) != 2)
    throw Error("grid_sampler(): expected grid of shape (N, H_out, W_out, 2) with N = " +
                std::to_string(input.size(0)) + ", but got grid with sizes " +
                to_string(grid.sizes()));
  const bool align = o.align_corners().value_or(false);
  const int pad = holds_alternative<enumtype::kZeros>(o.padding_mode())    ? 0
                  : holds_alternative<enumtype::kBorder>(o.padding_mode()) ? 1
                                                                           : 2;
  const bool nearest = holds_alternative<enumtype::kNearest>(o.mode());
  const int64_t n = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
  const int64_t ho = grid.size(1), wo = grid.size(2), L = ho * wo;
  Tensor ix = source_coord(grid.select(3, 0), w, align, pad).reshape({n, L});
  Tensor iy = source_coord(grid.select(3, 1), h, align, pad).reshape({n, L});
  Tensor xd = ix.detach().to(kDouble).contiguous(), yd = iy.detach().to(kDouble).contiguous();
  const double* xv = xd.data_ptr<double>();
  const double* yv = yd.data_ptr<double>();
  Tensor flat = input.reshape({n, c, h * w});
  // Samples input at integer corners (x0 + dx, y0 + dy) per output position, zero outside.
  auto corner = [&](const std::vector<int64_t>& xs, const std::vector<int64_t>& ys) {
    std::vector<int64_t> idx(size_t(n * L));
    std::vector<double> mask(size_t(n * L));
    for (size_t i = 0; i < idx.size(); ++i) {
      const bool in = xs[i] >= 0 && xs[i] < w && ys[i] >= 0 && ys[i] < h;
      idx[i] = in ? ys[i] * w + xs[i] : 0;
      mask[i] = in ? 1.0 : 0.0;
    }
    Tensor it = tg::tensor(idx, kLong).reshape({n, 1, L}).expand({n, c, L});
    Tensor mt = tg::tensor(mask, kDouble).to(input.scalar_type()).reshape({n, 1, L});
    return flat.gather(2, it) * mt;
  };
  const size_t total = size_t(n * L);
  Tensor out;
  if (nearest) {
    std::vector<int64_t> xs(total), ys(total);
    for (size_t i = 0; i < total; ++i)
      xs[i] = int64_t(std::nearbyint(xv[i])), ys[i] = int64_t(std::nearbyint(yv[i]));
    out = corner(xs, ys);
  } else {
    std::vector<int64_t> x0(total), y0(total), x1(total), y1(total);
    std::vector<double> fx(total), fy(total);
    for (size_t i = 0; i < total; ++i) {
      x0[i] = int64_t(std::floor(xv[i])), y0[i] = int64_t(std::floor(yv[i]));
      x1[i] = x0[i] + 1, y1[i] = y0[i] + 1;
      fx[i] = double(x0[i]), fy[i] = double(y0[i]);
    }
    const ScalarType dt = input.scalar_type();
    Tensor wx1 = (ix - tg::tensor(fx, kDouble).to(dt).reshape({n, L})).reshape({n, 1, L});
    Tensor wy1 = (iy - tg::tensor(fy, kDouble).to(dt).reshape({n, L})).reshape({n, 1, L});
    Tensor wx0 = 1 - wx1, wy0 = 1 - wy1;
    out = corner(x0, y0) * (wx0 * wy0) + corner(x1, y0) * (wx1 * wy0) +
          corner(x0, y1) * (wx0 * wy1) + corner(x1, y1) * (wx1 * wy1);
  }
  return out.reshape({n, c, ho, wo});
}

}  // namespace tg::nn::functional
