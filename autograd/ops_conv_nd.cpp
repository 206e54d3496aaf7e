// Convolution over 1 to 3 spatial dims, and transposed convolution: conv3d and
// conv_transpose1d/2d/3d (conv1d/conv2d keep their faster 2-D path in ops_conv.cpp).
// Two primitives, each the other's adjoint, do the geometry: vol2col unfolds every sliding
// window of an (N, C, spatial...) volume into a column of a (C*K, N*L) matrix (K kernel cells,
// L windows), col2vol sums such columns back. The rest is composed of recorded ops (mm, cat,
// reshape, permute), so gradients of any order come from theirs:
//   conv:            y = W cols(x) + b,        per group, W as (O/g, C/g*K)
//   conv_transpose:  y = col2vol(W^T x) + b,   the adjoint of conv in x (its input gradient)
#include <algorithm>
#include <string>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

namespace {

// The window geometry, always 3-D: a 1-D or 2-D op leaves its leading dims at size 1.
// in: the volume's sizes; out: the number of window positions per dim; pad: left padding (the
// right-hand padding is implicit in `out`).
struct VolGeom {
  int64_t k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, p[3] = {0, 0, 0}, d[3] = {1, 1, 1};
  int64_t in[3] = {1, 1, 1}, out[3] = {1, 1, 1};
  int64_t cells() const { return k[0] * k[1] * k[2]; }
  int64_t windows() const { return out[0] * out[1] * out[2]; }
  int64_t volume() const { return in[0] * in[1] * in[2]; }
};

void pack(Entry& e, const VolGeom& g, int64_t n) {
  auto& v = e.make_extra().ints;
  for (const int64_t* a : {g.k, g.s, g.p, g.d, g.in, g.out}) v.insert(v.end(), a, a + 3);
  e.i[0] = n;
}
VolGeom unpack(const Entry& e) {
  VolGeom g;
  const int64_t* v = e.extra->ints.data();
  for (int64_t* a : {g.k, g.s, g.p, g.d, g.in, g.out}) std::copy(v, v + 3, a), v += 3;
  return g;
}

// Visits every (image, channel, kernel cell, window): at(volume offset or -1 when the cell
// falls in the padding, column offset). Columns are (C*K, N*L), row c*K + cell, column n*L + l.
template <class F>
void walk(const VolGeom& g, int64_t n_img, int64_t ch, F&& at) {
  const int64_t K = g.cells(), L = g.windows(), V = g.volume(), NL = n_img * L;
  for (int64_t n = 0; n < n_img; ++n)
    for (int64_t c = 0; c < ch; ++c) {
      const int64_t img = (n * ch + c) * V;
      for (int64_t a = 0; a < g.k[0]; ++a)
        for (int64_t b = 0; b < g.k[1]; ++b)
          for (int64_t e = 0; e < g.k[2]; ++e) {
            int64_t col = (c * K + (a * g.k[1] + b) * g.k[2] + e) * NL + n * L;
            for (int64_t z = 0; z < g.out[0]; ++z) {
              const int64_t iz = z * g.s[0] - g.p[0] + a * g.d[0];
              const bool zin = iz >= 0 && iz < g.in[0];
              for (int64_t y = 0; y < g.out[1]; ++y) {
                const int64_t iy = y * g.s[1] - g.p[1] + b * g.d[1];
                const bool yin = zin && iy >= 0 && iy < g.in[1];
                for (int64_t x = 0; x < g.out[2]; ++x, ++col) {
                  const int64_t ix = x * g.s[2] - g.p[2] + e * g.d[2];
                  at(yin && ix >= 0 && ix < g.in[2] ? img + (iz * g.in[1] + iy) * g.in[2] + ix
                                                    : int64_t(-1),
                     col);
                }
              }
            }
          }
    }
}

Tensor col2vol(const Tensor& cols, const VolGeom& g, int64_t n, int64_t ch, int dims);

// vol2col: linear; its backward is its adjoint col2vol (and col2vol's is vol2col).
void vol2col_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const auto shape = e.in_shape(0);
  gin[0] = col2vol(g, unpack(e), shape[0], shape[1], int(shape.size()) - 2);
}
Tensor vol2col(const Tensor& x, const VolGeom& g) {
  const int64_t n = x.size(0), ch = x.size(1);
  Tensor xc = x.contiguous();
  Tensor out = make_tensor({ch * g.cells(), n * g.windows()}, x.scalar_type());
  kern::dispatch_float(x.scalar_type(), "vol2col", [&](auto tag) {
    using T = decltype(tag);
    const T* src = ptr<T>(xc);
    T* dst = ptr<T>(out);
    walk(g, n, ch, [&](int64_t i, int64_t o) { dst[o] = i < 0 ? T(0) : src[i]; });
  });
  if (Entry* e = record("vol2col", vol2col_backward, {&x}, out)) pack(*e, g, n);
  return out;
}

void col2vol_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = vol2col(g, unpack(e));
}
// (C*K, N*L) -> (N, C, in...) with `dims` spatial dims (the trailing ones of g.in).
Tensor col2vol(const Tensor& cols, const VolGeom& g, int64_t n, int64_t ch, int dims) {
  Tensor cc = cols.contiguous();
  Shape shape{n, ch};
  for (int k = 3 - dims; k < 3; ++k) shape.push_back(g.in[k]);
  Tensor out = zeros(shape, cols.scalar_type());
  kern::dispatch_float(cols.scalar_type(), "col2vol", [&](auto tag) {
    using T = decltype(tag);
    const T* src = ptr<T>(cc);
    T* dst = ptr<T>(out);
    walk(g, n, ch, [&](int64_t i, int64_t o) {
      if (i >= 0) dst[i] += src[o];
    });
  });
  if (Entry* e = record("col2vol", col2vol_backward, {&cols}, out)) pack(*e, g, n);
  return out;
}

std::string spatial_str(const Tensor& x) {
  return to_string(IntArrayRef(x.sizes().data() + 2, size_t(x.dim() - 2)));
}

// A size list of 1 value (every dim) or `dims` values, into the trailing dims of `dst`.
void fill_dims(IntArrayRef v, int dims, int64_t* dst, const std::string& op, const char* what) {
  if (v.size() != 1 && v.size() != size_t(dims))
    fail(op + ": expected " + what + " to be a single int or a list of " + std::to_string(dims) +
         ", got " + to_string(v));
  for (int k = 0; k < dims; ++k) dst[3 - dims + k] = v[v.size() == 1 ? 0 : size_t(k)];
}

// Common checks; returns the input made batched.
Tensor check_input(const std::string& op, const Tensor& input, const Tensor& weight, int dims,
                   int64_t groups) {
  check_defined(input, op.c_str()), check_defined(weight, op.c_str());
  if (input.dim() != dims + 1 && input.dim() != dims + 2)
    fail("Expected " + std::to_string(dims + 1) + "D (unbatched) or " + std::to_string(dims + 2) +
         "D (batched) input to " + op + ", but got input of size: " + to_string(input.sizes()));
  if (weight.dim() != dims + 2)
    fail(op + ": expected weight to be " + std::to_string(dims + 2) + "-dimensional, got shape " +
         to_string(weight.sizes()));
  if (groups <= 0) fail("non-positive groups is not supported");
  if (input.scalar_type() != weight.scalar_type())
    fail(op + ": Input type (" + dtype_name(input.scalar_type()) + ") and weight type (" +
         dtype_name(weight.scalar_type()) + ") should be the same");
  return input.dim() == dims + 1 ? input.unsqueeze(0) : input;
}

// y (O, N*L) -> (N, O, out...) plus the bias.
Tensor to_volume(const Tensor& y, const Tensor& bias, int64_t n, const VolGeom& g, int dims) {
  Shape shape{y.size(0), n};
  for (int k = 3 - dims; k < 3; ++k) shape.push_back(g.out[k]);
  Tensor out = y.reshape(shape).transpose(0, 1);
  if (!bias.defined()) return out.contiguous();
  Shape bshape{1, bias.size(0)};
  for (int k = 0; k < dims; ++k) bshape.push_back(1);
  return out + bias.reshape(bshape);
}

void check_bias(const std::string& op, const Tensor& bias, int64_t out_ch) {
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != out_ch))
    fail(op + ": expected bias of shape [" + std::to_string(out_ch) + "], got " +
         to_string(bias.sizes()));
}

Tensor conv_general(const std::string& op, const Tensor& input, const Tensor& weight,
                    const Tensor& bias, IntArrayRef stride, IntArrayRef padding, bool same,
                    IntArrayRef dilation, int64_t groups, int dims) {
  Tensor x = check_input(op, input, weight, dims, groups);
  const int64_t n = x.size(0), ch = x.size(1), out_ch = weight.size(0);
  if (out_ch % groups != 0)
    fail(op + ": out_channels (weight of size " + to_string(weight.sizes()) +
         ") must be divisible by groups=" + std::to_string(groups));
  if (ch != weight.size(1) * groups)
    fail("Given groups=" + std::to_string(groups) + ", weight of size " +
         to_string(weight.sizes()) + ", expected input" + to_string(x.sizes()) + " to have " +
         std::to_string(weight.size(1) * groups) + " channels, but got " + std::to_string(ch) +
         " channels instead");
  check_bias(op, bias, out_ch);
  VolGeom g;
  for (int k = 0; k < dims; ++k)
    g.k[3 - dims + k] = weight.size(2 + k), g.in[3 - dims + k] = x.size(2 + k);
  fill_dims(stride, dims, g.s, op, "stride");
  fill_dims(dilation, dims, g.d, op, "dilation");
  if (!same) fill_dims(padding, dims, g.p, op, "padding");
  for (int k = 3 - dims; k < 3; ++k) {
    if (g.s[k] <= 0) fail("non-positive stride is not supported");
    if (g.d[k] <= 0) fail("dilation should be greater than zero");
    if (g.p[k] < 0) fail("negative padding is not supported");
    if (same) {
      if (g.s[k] != 1) fail("padding='same' is not supported for strided convolutions");
      g.p[k] = g.d[k] * (g.k[k] - 1) / 2, g.out[k] = g.in[k];
      continue;
    }
    const int64_t span = g.in[k] + 2 * g.p[k] - g.d[k] * (g.k[k] - 1) - 1;
    if (span < 0)
      fail(op + ": Calculated padded input size per channel: " + spatial_str(x) + " (padding " +
           to_string(padding) + "). Kernel size can't be greater than actual input size");
    g.out[k] = span / g.s[k] + 1;
  }
  Tensor cols = vol2col(x, g);  // (C*K, N*L)
  const int64_t og = out_ch / groups, rows = weight.size(1) * g.cells();
  Tensor w2 = weight.reshape({out_ch, rows});
  Tensor y;
  if (groups == 1) {
    y = w2.mm(cols);
  } else {
    TensorList parts;
    for (int64_t k = 0; k < groups; ++k)
      parts.push_back(w2.narrow(0, k * og, og).mm(cols.narrow(0, k * rows, rows)));
    y = cat(parts, 0);
  }
  Tensor out = to_volume(y, bias, n, g, dims);
  return input.dim() == dims + 1 ? out.squeeze(0) : out;
}

Tensor conv_transpose_general(const std::string& op, const Tensor& input, const Tensor& weight,
                              const Tensor& bias, IntArrayRef stride, IntArrayRef padding,
                              IntArrayRef output_padding, int64_t groups, IntArrayRef dilation,
                              int dims) {
  Tensor x = check_input(op, input, weight, dims, groups);
  const int64_t n = x.size(0), ch = x.size(1), og = weight.size(1), out_ch = og * groups;
  if (ch != weight.size(0))
    fail("Given transposed=1, weight of size " + to_string(weight.sizes()) + ", expected input" +
         to_string(x.sizes()) + " to have " + std::to_string(weight.size(0)) +
         " channels, but got " + std::to_string(ch) + " channels instead");
  if (ch % groups != 0)
    fail(op + ": in_channels (" + std::to_string(ch) +
         ") must be divisible by groups=" + std::to_string(groups));
  check_bias(op, bias, out_ch);
  // The geometry of the convolution this op is the adjoint of: from the output volume (g.in)
  // to the input's positions (g.out).
  VolGeom g;
  int64_t op_pad[3] = {0, 0, 0};
  for (int k = 0; k < dims; ++k)
    g.k[3 - dims + k] = weight.size(2 + k), g.out[3 - dims + k] = x.size(2 + k);
  fill_dims(stride, dims, g.s, op, "stride");
  fill_dims(padding, dims, g.p, op, "padding");
  fill_dims(output_padding, dims, op_pad, op, "output_padding");
  fill_dims(dilation, dims, g.d, op, "dilation");
  for (int k = 3 - dims; k < 3; ++k) {
    if (g.s[k] <= 0) fail("non-positive stride is not supported");
    if (g.d[k] <= 0) fail("dilation should be greater than zero");
    if (g.p[k] < 0) fail("negative padding is not supported");
    if (op_pad[k] < 0) fail("negative output_padding is not supported");
    if (op_pad[k] >= g.s[k] && op_pad[k] >= g.d[k])
      fail(
          "output padding must be smaller than either stride or dilation, but got "
          "output_padding: " +
          to_string(output_padding) + ", stride: " + to_string(stride) +
          ", dilation: " + to_string(dilation));
    g.in[k] = (g.out[k] - 1) * g.s[k] - 2 * g.p[k] + g.d[k] * (g.k[k] - 1) + op_pad[k] + 1;
    if (g.in[k] <= 0)
      fail(op + ": Given input size per channel: " + spatial_str(x) +
           ". Calculated output size per channel is too small");
  }
  const int64_t L = g.windows(), cg = ch / groups, rows = og * g.cells();
  Tensor xt = x.reshape({n, ch, L}).transpose(0, 1).reshape({ch, n * L});
  Tensor w2 = weight.reshape({ch, rows});
  Tensor cols;
  if (groups == 1) {
    cols = w2.t().mm(xt);
  } else {
    TensorList parts;
    for (int64_t k = 0; k < groups; ++k)
      parts.push_back(w2.narrow(0, k * cg, cg).t().mm(xt.narrow(0, k * cg, cg)));
    cols = cat(parts, 0);
  }
  Tensor out = col2vol(cols, g, n, out_ch, dims);
  if (bias.defined()) {
    Shape bshape{1, out_ch};
    for (int k = 0; k < dims; ++k) bshape.push_back(1);
    out = out + bias.reshape(bshape);
  }
  return input.dim() == dims + 1 ? out.squeeze(0) : out;
}

bool same_or_valid(const std::string& padding, const char* op) {
  if (padding == "same") return true;
  if (padding == "valid") return false;
  fail(std::string("Invalid padding string: '") + padding + "' (" + op +
       " expects 'same' or 'valid')");
}

}  // namespace

Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  return conv_general("conv3d", input, weight, bias, stride, padding, false, dilation, groups, 3);
}
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              std::string_view padding, IntArrayRef dilation, int64_t groups) {
  const bool same = same_or_valid(std::string(padding), "conv3d");
  return conv_general("conv3d", input, weight, bias, stride, int64_t(0), same, dilation, groups, 3);
}

Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding,
                        int64_t groups, IntArrayRef dilation) {
  return conv_transpose_general("conv_transpose1d", input, weight, bias, stride, padding,
                                output_padding, groups, dilation, 1);
}
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding,
                        int64_t groups, IntArrayRef dilation) {
  return conv_transpose_general("conv_transpose2d", input, weight, bias, stride, padding,
                                output_padding, groups, dilation, 2);
}
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding,
                        int64_t groups, IntArrayRef dilation) {
  return conv_transpose_general("conv_transpose3d", input, weight, bias, stride, padding,
                                output_padding, groups, dilation, 3);
}

}  // namespace tg
