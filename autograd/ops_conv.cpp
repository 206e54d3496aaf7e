// Convolution. im2col (unfold every sliding window into a column) and its adjoint col2im are
// primitives, and so is conv2d's core (conv1d lifts to it): im2col, one gemm per group (the
// plain loop / OpenBLAS path of ops_linalg.cpp, gemm.hpp) and the bias, forward and backward
// written directly over the column buffer, with no transposed or permuted copies (d input =
// col2im(W^T g), d W = g cols^T). Its create_graph backward is recorded with im2col, col2im and
// mm, which are each other's adjoints, so gradients of gradients work too.
#include <algorithm>
#include <string>

#include "functions.hpp"
#include "gemm.hpp"
#include "im2col.hpp"
#include "kernels.hpp"

namespace tg {

void two_ints(IntArrayRef v, const char* op, const char* what, int64_t& a, int64_t& b) {
  if (v.size() == 1)
    a = b = v[0];
  else if (v.size() == 2)
    a = v[0], b = v[1];
  else
    fail(std::string(op) + ": expected " + what + " to be a single int or a list of 2, got " +
         to_string(v));
}

int64_t window_out_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dilation,
                        bool ceil_mode) {
  const int64_t span = in + 2 * pad - dilation * (k - 1) - 1;
  if (span < 0) return 0;  // callers report "kernel larger than input" themselves
  int64_t out = (span + (ceil_mode ? stride - 1 : 0)) / stride + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// Walks every (image n, channel c, kernel cell ki kj, output row oy) once. The windows ox of
// that row whose cell lies inside the input form one run [lo, hi), found arithmetically, so
// the inner loops have no bounds checks: inside(input offset, input stride, column offset,
// count) for the run, outside(column offset, count) for the cells that fall in the padding.
// Shared by im2col (copy / zero-fill) and col2im (accumulate / skip).
template <class In, class Out>
static void for_each_run(const WindowGeom& g, int64_t n_img, int64_t ch, bool batch_inner,
                         In&& inside, Out&& outside) {
  const int64_t K = g.kh * g.kw, L = g.windows();
  for (int64_t n = 0; n < n_img; ++n)
    for (int64_t c = 0; c < ch; ++c)
      for (int64_t ki = 0; ki < g.kh; ++ki)
        for (int64_t kj = 0; kj < g.kw; ++kj) {
          const int64_t row = c * K + ki * g.kw + kj;
          // Column layout: (N, CK, L) or (CK, N, L).
          const int64_t col0 = batch_inner ? (row * n_img + n) * L : (n * ch * K + row) * L;
          const int64_t img = (n * ch + c) * g.h * g.w;
          // ix = ox * sw + off is inside for lo <= ox < hi.
          const int64_t off = kj * g.dw - g.pw;
          const int64_t lo = std::min(g.ow, off >= 0 ? 0 : (-off + g.sw - 1) / g.sw);
          const int64_t hi =
              std::max(lo, std::min(g.ow, g.w - off > 0 ? (g.w - off + g.sw - 1) / g.sw : 0));
          for (int64_t oy = 0; oy < g.oh; ++oy) {
            const int64_t iy = oy * g.sh - g.ph + ki * g.dh, col = col0 + oy * g.ow;
            if (iy < 0 || iy >= g.h) {
              outside(col, g.ow);
              continue;
            }
            outside(col, lo);
            inside(img + iy * g.w + lo * g.sw + off, g.sw, col + lo, hi - lo);
            outside(col + hi, g.ow - hi);
          }
        }
}

static void pack_geom(Entry& e, const WindowGeom& g, bool batch_inner, int64_t n) {
  e.make_extra().ints = {g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.h, g.w, g.oh, g.ow};
  e.i[0] = batch_inner, e.i[1] = n;
}
static WindowGeom unpack_geom(const Entry& e) {
  const auto& v = e.extra->ints;
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
}

// The kernels, unrecorded: conv2d's own backward uses them directly.
static Tensor im2col_raw(const Tensor& x, const WindowGeom& g, bool batch_inner) {
  const int64_t n = x.size(0), ch = x.size(1), rows = ch * g.kh * g.kw;
  Shape shape = batch_inner ? Shape{rows, n * g.windows()} : Shape{n, rows, g.windows()};
  Tensor out = make_tensor(shape, x.scalar_type());
  kern::dispatch_float(x.scalar_type(), "im2col", [&](auto tag) {
    using T = decltype(tag);
    const T* src = ptr<T>(x);
    T* dst = ptr<T>(out);
    for_each_run(
        g, n, ch, batch_inner,
        [&](int64_t i, int64_t step, int64_t o, int64_t count) {
          for (int64_t k = 0; k < count; ++k) dst[o + k] = src[i + k * step];
        },
        [&](int64_t o, int64_t count) { std::fill(dst + o, dst + o + count, T(0)); });
  });
  return out;
}
static Tensor col2im_raw(const Tensor& cols, const WindowGeom& g, bool batch_inner, int64_t n,
                         int64_t ch) {
  Tensor out = zeros({n, ch, g.h, g.w}, cols.scalar_type());
  kern::dispatch_float(cols.scalar_type(), "col2im", [&](auto tag) {
    using T = decltype(tag);
    const T* src = ptr<T>(cols);
    T* dst = ptr<T>(out);
    for_each_run(
        g, n, ch, batch_inner,
        [&](int64_t i, int64_t step, int64_t o, int64_t count) {
          for (int64_t k = 0; k < count; ++k) dst[i + k * step] += src[o + k];
        },
        [](int64_t, int64_t) {});
  });
  return out;
}

// im2col: linear, so its backward is its adjoint, col2im (and col2im's is im2col).
static void im2col_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = col2im_geom(g, unpack_geom(e), e.i[0] != 0, e.i[1]);
}
Tensor im2col_geom(const Tensor& x, const WindowGeom& g, bool batch_inner) {
  check_defined(x, "im2col");
  if (x.dim() != 4 || x.size(2) != g.h || x.size(3) != g.w)
    fail("im2col: expected a 4-D input (N, C, " + std::to_string(g.h) + ", " + std::to_string(g.w) +
         "), got shape " + to_string(x.sizes()));
  Tensor out = im2col_raw(x, g, batch_inner);
  if (Entry* e = record("im2col", im2col_backward, {&x}, out))
    pack_geom(*e, g, batch_inner, x.size(0));
  return out;
}

static void col2im_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = im2col_geom(g, unpack_geom(e), e.i[0] != 0);
}
Tensor col2im_geom(const Tensor& cols, const WindowGeom& g, bool batch_inner, int64_t n) {
  check_defined(cols, "col2im");
  const int64_t K = g.kh * g.kw, L = g.windows();
  const bool ok = batch_inner ? cols.dim() == 2 && cols.size(0) % K == 0 && cols.size(1) == n * L
                              : cols.dim() == 3 && cols.size(1) % K == 0 && cols.size(2) == L;
  if (!ok || K == 0)
    fail("col2im: columns of shape " + to_string(cols.sizes()) + " do not fit a " +
         std::to_string(g.kh) + "x" + std::to_string(g.kw) + " kernel over " + std::to_string(L) +
         " windows");
  if (!batch_inner) n = cols.size(0);
  const int64_t ch = (batch_inner ? cols.size(0) : cols.size(1)) / K;
  Tensor out = col2im_raw(cols, g, batch_inner, n, ch);
  if (Entry* e = record("col2im", col2im_backward, {&cols}, out)) pack_geom(*e, g, batch_inner, n);
  return out;
}

// Geometry of libtorch's im2col(kernel_size, dilation, padding, stride) over x's last two dims.
static WindowGeom geom_of(const Tensor& x, IntArrayRef kernel_size, IntArrayRef dilation,
                          IntArrayRef padding, IntArrayRef stride, const char* op) {
  WindowGeom g;
  two_ints(kernel_size, op, "kernel_size", g.kh, g.kw);
  two_ints(dilation, op, "dilation", g.dh, g.dw);
  two_ints(padding, op, "padding", g.ph, g.pw);
  two_ints(stride, op, "stride", g.sh, g.sw);
  if (g.kh <= 0 || g.kw <= 0 || g.sh <= 0 || g.sw <= 0 || g.dh <= 0 || g.dw <= 0 || g.ph < 0 ||
      g.pw < 0)
    fail(std::string(op) +
         ": kernel_size, stride and dilation must be positive and padding "
         "non-negative, got kernel_size=" +
         to_string(kernel_size) + ", stride=" + to_string(stride) +
         ", padding=" + to_string(padding) + ", dilation=" + to_string(dilation));
  g.h = x.size(-2), g.w = x.size(-1);
  g.oh = window_out_size(g.h, g.kh, g.ph, g.sh, g.dh, false);
  g.ow = window_out_size(g.w, g.kw, g.pw, g.sw, g.dw, false);
  if (g.oh <= 0 || g.ow <= 0)
    fail(std::string(op) + ": calculated padded input size per channel: (" +
         std::to_string(g.h + 2 * g.ph) + " x " + std::to_string(g.w + 2 * g.pw) +
         "). Kernel size: (" + std::to_string(g.dh * (g.kh - 1) + 1) + " x " +
         std::to_string(g.dw * (g.kw - 1) + 1) +
         "). Kernel size can't be greater than actual input size (input shape " +
         to_string(x.sizes()) + ")");
  return g;
}

Tensor im2col(const Tensor& input, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride) {
  check_defined(input, "im2col");
  if (input.dim() != 4)
    fail("im2col: expected a 4-D input (N, C, H, W), got shape " + to_string(input.sizes()));
  return im2col_geom(input, geom_of(input, kernel_size, dilation, padding, stride, "im2col"),
                     false);
}

Tensor col2im(const Tensor& input, IntArrayRef output_size, IntArrayRef kernel_size,
              IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride) {
  check_defined(input, "col2im");
  int64_t h = 0, w = 0;
  two_ints(output_size, "col2im", "output_size", h, w);
  if (input.dim() != 3 || h <= 0 || w <= 0)
    fail("col2im: expected a 3-D input (N, C*kh*kw, L) and a positive output_size, got shape " +
         to_string(input.sizes()) + " and output_size " + to_string(output_size));
  Tensor shape_probe = make_tensor({1, 1, h, w}, input.scalar_type());
  return col2im_geom(input, geom_of(shape_probe, kernel_size, dilation, padding, stride, "col2im"),
                     false, input.size(0));
}

// dst (b, a, L) = src (a, b, L) with its first two dims swapped, L-element rows copied whole,
// plus bias[i] on every row of block i when bias is given: between the (O, N*L) layout of one
// gemm over the whole batch and the (N, O, L) layout of NCHW.
template <class T>
static void swap_blocks(const T* src, T* dst, int64_t a, int64_t b, int64_t L, const T* bias) {
  for (int64_t i = 0; i < a; ++i)
    for (int64_t j = 0; j < b; ++j) {
      const T* s = src + (i * b + j) * L;
      T* d = dst + (j * a + i) * L;
      if (bias)
        for (int64_t k = 0; k < L; ++k) d[k] = s[k] + bias[i];
      else
        std::copy(s, s + L, d);
    }
}

// conv2d's core, one primitive: x (N, C, H, W), weight (O, C/groups, kh, kw), geometry g.
// Forward: columns (C*kh*kw, N*L) from im2col, one gemm per group into (O, N*L), then one pass
// that writes NCHW and adds the bias. y = W cols + b, so with gT the gradient in (O, N*L)
// layout: gW = gT cols^T, gcols = W^T gT (gemms with a transposed operand, no transposed
// copies), gx = col2im(gcols), gb = gT summed over its rows. Under create_graph the same
// formulas are recorded with im2col/col2im/mm, which are differentiable again.
static void pack_conv(Entry& e, const WindowGeom& g, int64_t n, int64_t groups) {
  pack_geom(e, g, true, n);
  e.i[2] = groups;
}
static void conv_backward_recorded(const Entry& e, const Tensor& g, Tensor* gin) {
  const WindowGeom geo = unpack_geom(e);
  const int64_t n = e.i[1], groups = e.i[2], out_ch = e.in_shape(1)[0];
  Tensor gT = g.reshape({n, out_ch, geo.windows()}).permute({1, 0, 2}).reshape({out_ch, -1});
  if (e.needs(2)) gin[2] = gT.sum(1);
  if (!e.needs(0) && !e.needs(1)) return;
  Tensor w2 = e.saved_value(1).reshape({out_ch, -1});
  Tensor cols = e.needs(1) ? im2col_geom(e.saved_value(0), geo, true) : Tensor();
  const int64_t rows = w2.size(1), og = out_ch / groups;
  TensorList gw, gcols;
  for (int64_t k = 0; k < groups; ++k) {
    Tensor gk = gT.narrow(0, k * og, og);
    if (e.needs(1)) gw.push_back(gk.mm(cols.narrow(0, k * rows, rows).t()));
    if (e.needs(0)) gcols.push_back(w2.narrow(0, k * og, og).t().mm(gk));
  }
  if (e.needs(1)) gin[1] = cat(gw, 0).reshape(e.in_shape(1));
  if (e.needs(0)) gin[0] = col2im_geom(cat(gcols, 0), geo, true, n);
}
static void conv_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (grad_enabled()) return conv_backward_recorded(e, g, gin);
  const WindowGeom geo = unpack_geom(e);
  const int64_t n = e.i[1], groups = e.i[2], out_ch = e.in_shape(1)[0], L = geo.windows();
  const int64_t rows = e.in_shape(1)[1] * geo.kh * geo.kw, og = out_ch / groups;
  const int64_t nl = n * L;
  const ScalarType dt = g.scalar_type();
  Tensor gT = make_tensor({out_ch, nl}, dt);
  kern::dispatch_float(dt, "conv2d", [&](auto tag) {
    using T = decltype(tag);
    swap_blocks<T>(ptr<T>(g), ptr<T>(gT), n, out_ch, L, nullptr);
    const T* gt = ptr<T>(gT);
    if (e.needs(2)) {
      gin[2] = make_tensor({out_ch}, dt);
      T* gb = ptr<T>(gin[2]);
      for (int64_t o = 0; o < out_ch; ++o) {
        T acc = T(0);
        for (int64_t j = 0; j < nl; ++j) acc += gt[o * nl + j];
        gb[o] = acc;
      }
    }
    if (e.needs(1)) {
      Tensor cols = kern::cast(e.saved_value(2), dt);
      gin[1] = make_tensor(e.in_shape(1), dt);
      for (int64_t k = 0; k < groups; ++k)
        gemm(gt + k * og * nl, ptr<T>(cols) + k * rows * nl, ptr<T>(gin[1]) + k * og * rows, og, nl,
             rows, false, true);
    }
    if (e.needs(0)) {
      Tensor w = kern::cast(e.saved_value(1), dt);
      Tensor gcols = make_tensor({groups * rows, nl}, dt);
      for (int64_t k = 0; k < groups; ++k)
        gemm(ptr<T>(w) + k * og * rows, gt + k * og * nl, ptr<T>(gcols) + k * rows * nl, rows, og,
             nl, true, false);
      gin[0] = col2im_raw(gcols, geo, true, n, e.in_shape(0)[1]);
    }
  });
}
static Tensor conv_core(const Tensor& x, const Tensor& weight, const Tensor& bias,
                        const WindowGeom& g, int64_t groups) {
  const int64_t n = x.size(0), out_ch = weight.size(0), L = g.windows(), nl = n * L;
  const int64_t rows = weight.size(1) * g.kh * g.kw, og = out_ch / groups;
  const ScalarType dt = x.scalar_type();
  Tensor cols = im2col_raw(x, g, true);
  // A bias of another dtype is converted, as `y + bias` promoted before (its gradient is cast
  // back).
  const Tensor bias_dt = bias.defined() ? kern::cast(bias, dt) : Tensor();
  Tensor out = make_tensor({n, out_ch, g.oh, g.ow}, dt);
  kern::dispatch_float(dt, "conv2d", [&](auto tag) {
    using T = decltype(tag);
    const T* b = bias_dt.defined() ? ptr<T>(bias_dt) : nullptr;
    // One image: the (O, L) product is already NCHW; the bias goes in first.
    Tensor tmp = n == 1 ? out : make_tensor({out_ch, nl}, dt);
    if (n == 1 && b)
      for (int64_t o = 0; o < out_ch; ++o)
        std::fill(ptr<T>(out) + o * L, ptr<T>(out) + (o + 1) * L, b[o]);
    for (int64_t k = 0; k < groups; ++k)
      gemm(ptr<T>(weight) + k * og * rows, ptr<T>(cols) + k * rows * nl, ptr<T>(tmp) + k * og * nl,
           og, rows, nl, false, false, n == 1 && b);
    if (n != 1) swap_blocks<T>(ptr<T>(tmp), ptr<T>(out), out_ch, n, L, b);
  });
  if (Entry* e = record("conv2d", conv_backward, {&x, &weight, &bias}, out)) {
    pack_conv(*e, g, n, groups);
    e->save(0, x);
    e->save(1, weight);
    if (e->needs(1)) e->save(2, cols);
  }
  return out;
}

// Checks shapes and builds the geometry of a convolution whose input is viewed as 4-D; `dims`
// is 1 or 2 (what the user called), so that messages show the user's own shapes.
static void check_conv(const char* op, const Tensor& input, const Tensor& weight,
                       const Tensor& bias, int64_t groups, int64_t dims) {
  check_defined(input, op), check_defined(weight, op);
  if (input.dim() != dims + 1 && input.dim() != dims + 2)
    fail(std::string(op) + ": expected " + std::to_string(dims + 1) + "-D (unbatched) or " +
         std::to_string(dims + 2) +
         "-D (batched) input, but got input of size: " + to_string(input.sizes()));
  if (weight.dim() != dims + 2)
    fail(std::string(op) + ": expected a " + std::to_string(dims + 2) +
         "-D weight (out_channels, in_channels/groups, kernel...), got shape " +
         to_string(weight.sizes()));
  if (groups <= 0) fail(std::string(op) + ": non-positive groups is not supported");
  const int64_t ch = input.size(input.dim() - dims - 1);
  if (weight.size(0) % groups != 0)
    fail(std::string(op) + ": out_channels (weight of size " + to_string(weight.sizes()) +
         ") must be divisible by groups=" + std::to_string(groups));
  if (ch != weight.size(1) * groups)
    fail(std::string(op) + ": given groups=" + std::to_string(groups) + ", weight of size " +
         to_string(weight.sizes()) + ", expected input" + to_string(input.sizes()) + " to have " +
         std::to_string(weight.size(1) * groups) + " channels, but got " + std::to_string(ch) +
         " channels instead");
  if (input.scalar_type() != weight.scalar_type())
    fail(std::string(op) + ": input type (" + dtype_name(input.scalar_type()) +
         ") and weight type (" + dtype_name(weight.scalar_type()) + ") should be the same");
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != weight.size(0)))
    fail(std::string(op) + ": expected bias of shape [" + std::to_string(weight.size(0)) +
         "], got " + to_string(bias.sizes()) + " (weight of size " + to_string(weight.sizes()) +
         ")");
}

// `same` padding: total d*(k-1) per dim, the odd cell on the right (PyTorch's rule); the
// geometry's explicit output size makes the right-hand padding implicit.
static void same_padding(WindowGeom& g) {
  if (g.sh != 1 || g.sw != 1)
    fail("conv: padding='same' is not supported for strided convolutions");
  g.ph = g.dh * (g.kh - 1) / 2, g.pw = g.dw * (g.kw - 1) / 2;
  g.oh = g.h, g.ow = g.w;
}

// Runs conv_core on input/weight lifted to 4-D (conv1d inserts a height-1 dim; unbatched
// input gets a batch dim) and drops the added dims again.
static Tensor conv_nd(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias,
                      IntArrayRef stride, IntArrayRef padding, bool same, IntArrayRef dilation,
                      int64_t groups, int64_t dims) {
  check_conv(op, input, weight, bias, groups, dims);
  const bool unbatched = input.dim() == dims + 1;
  Tensor x = unbatched ? input.unsqueeze(0) : input, w = weight;
  if (dims == 1) x = x.unsqueeze(2), w = w.unsqueeze(2);
  auto lift = [&](IntArrayRef v, int64_t fill, std::vector<int64_t>& out) -> IntArrayRef {
    if (dims == 2) return v;
    if (v.size() != 1)
      fail(std::string(op) + ": expected a single int for stride/padding/dilation, got " +
           to_string(v));
    out = {fill, v[0]};
    return out;
  };
  std::vector<int64_t> s, p, d;
  const int64_t ks[2] = {w.size(2), w.size(3)};
  WindowGeom g =
      geom_of(x, IntArrayRef(ks, 2), lift(dilation, 1, d),
              same ? IntArrayRef(int64_t(0)) : lift(padding, 0, p), lift(stride, 1, s), op);
  if (same) same_padding(g);
  Tensor y = conv_core(x, w, bias, g, groups);
  if (dims == 1) y = y.squeeze(2);
  return unbatched ? y.squeeze(0) : y;
}

static bool padding_is_same(const std::string& padding, const char* op) {
  if (padding == "same") return true;
  if (padding == "valid") return false;
  fail(std::string(op) + ": invalid padding string '" + padding + "', expected 'same' or 'valid'");
}

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  return conv_nd("conv2d", input, weight, bias, stride, padding, false, dilation, groups, 2);
}
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              const std::string& padding, IntArrayRef dilation, int64_t groups) {
  const bool same = padding_is_same(padding, "conv2d");
  return conv_nd("conv2d", input, weight, bias, stride, int64_t(0), same, dilation, groups, 2);
}
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  return conv_nd("conv1d", input, weight, bias, stride, padding, false, dilation, groups, 1);
}
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              const std::string& padding, IntArrayRef dilation, int64_t groups) {
  const bool same = padding_is_same(padding, "conv1d");
  return conv_nd("conv1d", input, weight, bias, stride, int64_t(0), same, dilation, groups, 1);
}

}  // namespace tg
