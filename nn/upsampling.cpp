#include "upsampling.hpp"

#include <cmath>
#include <ostream>
#include <sstream>
#include <string>

#include "../autograd/functions.hpp"

namespace tg::nn {

namespace functional {
namespace {

enum class Kind { kNearest, kNearestExact, kLinear, kCubic };

// ATen's area_pixel_compute_scale: the step between source positions.
double compute_scale(int64_t in, int64_t out, bool align_corners, std::optional<double> scale) {
  if (align_corners) return out > 1 ? double(in - 1) / double(out - 1) : 0.0;
  return scale && *scale > 0 ? 1.0 / *scale : double(in) / double(out);
}

// Resamples dim `dim` of x to `out` positions: the sum over taps t of
// x.index_select(dim, idx_t) * w_t (w_t broadcast along dim).
Tensor resample_dim(const Tensor& x, int64_t dim, int64_t out, Kind kind, bool align_corners,
                    std::optional<double> scale) {
  const int64_t in = x.size(dim);
  const int taps = kind == Kind::kCubic ? 4 : kind == Kind::kLinear ? 2 : 1;
  const std::vector<int64_t> idx_row(static_cast<size_t>(out));
  const std::vector<double> w_row(static_cast<size_t>(out));
  std::vector<std::vector<int64_t>> idx(static_cast<size_t>(taps), idx_row);
  std::vector<std::vector<double>> w(static_cast<size_t>(taps), w_row);
  if (kind == Kind::kNearest || kind == Kind::kNearestExact) {
    // Nearest uses a float scale, as ATen's nearest kernels (compute_scales_value).
    const float s = scale && *scale > 0 ? float(1.0 / *scale) : float(in) / float(out);
    for (int64_t o = 0; o < out; ++o) {
      const float src = kind == Kind::kNearest ? float(o) * s : (float(o) + 0.5f) * s;
      idx[0][size_t(o)] = std::min(int64_t(std::floor(src)), in - 1);
      w[0][size_t(o)] = 1.0;
    }
    return x.index_select(dim, tg::tensor(idx[0], kLong));
  }
  const double s = compute_scale(in, out, align_corners, scale);
  for (int64_t o = 0; o < out; ++o) {
    const size_t j = size_t(o);
    double src = align_corners ? s * double(o) : s * (double(o) + 0.5) - 0.5;
    if (kind == Kind::kLinear) {
      if (!align_corners && src < 0) src = 0;
      const int64_t i0 = int64_t(src);  // src >= 0: truncation is floor
      const int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
      const double l1 = src - double(i0);
      idx[0][j] = i0, idx[1][j] = i1;
      w[0][j] = 1.0 - l1, w[1][j] = l1;
    } else {
      const int64_t i = int64_t(std::floor(src));
      const double t = src - double(i), A = -0.75;
      // Keys' cubic convolution (ATen's upsample_get_cubic_coefficients).
      const double x1 = t + 1, x2 = 1 - t, x3 = 2 - t;
      w[0][j] = ((A * x1 - 5 * A) * x1 + 8 * A) * x1 - 4 * A;
      w[1][j] = ((A + 2) * t - (A + 3)) * t * t + 1;
      w[2][j] = ((A + 2) * x2 - (A + 3)) * x2 * x2 + 1;
      w[3][j] = ((A * x3 - 5 * A) * x3 + 8 * A) * x3 - 4 * A;
      for (int k = 0; k < 4; ++k)
        idx[size_t(k)][j] = std::min(std::max<int64_t>(i - 1 + k, 0), in - 1);
    }
  }
  std::vector<int64_t> wshape(size_t(x.dim()), 1);
  wshape[size_t(dim)] = out;
  Tensor acc;
  for (int k = 0; k < taps; ++k) {
    Tensor wk = tg::tensor(w[size_t(k)], x.scalar_type()).reshape(wshape);
    Tensor term = x.index_select(dim, tg::tensor(idx[size_t(k)], kLong)) * wk;
    acc = acc.defined() ? acc + term : term;
  }
  return acc;
}

std::string doubles_str(const std::vector<double>& v) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << v[i];
  s << "]";
  return s.str();
}

}  // namespace

Tensor interpolate(const Tensor& input, const InterpolateFuncOptions& o) {
  const auto& mode = o.mode();
  const bool nearest = holds_alternative<enumtype::kNearest>(mode) ||
                       holds_alternative<enumtype::kNearestExact>(mode) ||
                       holds_alternative<enumtype::kArea>(mode);
  std::optional<bool> align_corners = o.align_corners();
  if (nearest && align_corners)
    throw Error(
        "align_corners option can only be set with the interpolating modes: linear | "
        "bilinear | bicubic | trilinear");
  if (!nearest && !align_corners) align_corners = false;
  const int64_t dims = input.dim() - 2;
  if (o.antialias()) throw Error("interpolate: antialias is not supported by tapegrad");
  if (dims < 1 || dims > 3)
    throw Error("Input Error: Only 3D, 4D and 5D input Tensors supported (got " +
                std::to_string(input.dim()) +
                "D) for the modes: nearest | linear | bilinear | bicubic | trilinear (got " +
                enumtype::get_enum_name(mode) + ")");
  auto need = [&](const char* name, int64_t want) {
    if (dims != want)
      throw Error("Got " + std::to_string(input.dim()) + "D input, but " + name + " mode needs " +
                  std::to_string(want + 2) + "D input");
  };
  Kind kind = Kind::kNearest;
  if (holds_alternative<enumtype::kNearestExact>(mode)) kind = Kind::kNearestExact;
  if (holds_alternative<enumtype::kLinear>(mode)) need("linear", 1), kind = Kind::kLinear;
  if (holds_alternative<enumtype::kBilinear>(mode)) need("bilinear", 2), kind = Kind::kLinear;
  if (holds_alternative<enumtype::kTrilinear>(mode)) need("trilinear", 3), kind = Kind::kLinear;
  if (holds_alternative<enumtype::kBicubic>(mode)) need("bicubic", 2), kind = Kind::kCubic;
  // Output sizes (libtorch's _interp_output_size).
  const auto& size = o.size();
  const auto& scale_factor = o.scale_factor();
  if (!size && !scale_factor) throw Error("either size or scale_factor should be defined");
  if (size && scale_factor) throw Error("only one of size or scale_factor should be defined");
  if (scale_factor && int64_t(scale_factor->size()) != dims)
    throw Error("scale_factor shape must match input shape. Input is " + std::to_string(dims) +
                "D, scale_factor size is " + doubles_str(*scale_factor));
  if (size && int64_t(size->size()) != dims)
    throw Error("size shape must match input shape. Input is " + std::to_string(dims) +
                "D, size is " + to_string(IntArrayRef(*size)));
  if (holds_alternative<enumtype::kArea>(mode))
    throw Error("interpolate: mode kArea is not supported by tapegrad");
  const bool pass_scales = scale_factor && !o.recompute_scale_factor().value_or(false);
  Tensor y = input;
  for (int64_t d = 0; d < dims; ++d) {
    const size_t k = size_t(d);
    const int64_t out =
        size ? (*size)[k] : int64_t(std::floor(double(input.size(d + 2)) * (*scale_factor)[k]));
    if (out <= 0)
      throw Error("interpolate: input and output sizes should be greater than 0, but got input " +
                  to_string(input.sizes()) + " and output size " + std::to_string(out));
    y = resample_dim(y, d + 2, out, kind, align_corners.value_or(false),
                     pass_scales ? std::optional<double>((*scale_factor)[k]) : std::nullopt);
  }
  return y;
}
}  // namespace functional

void UpsampleImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Upsample(";
  if (options.scale_factor()) {
    stream << "scale_factor=[";
    for (size_t i = 0; i < options.scale_factor()->size(); ++i)
      stream << (i ? ", " : "") << (*options.scale_factor())[i];
    stream << "]";
  } else {
    const std::vector<int64_t> size = options.size().value_or(std::vector<int64_t>{});
    stream << "size=" << IntArrayRef(size);
  }
  stream << ", mode=" << enumtype::get_enum_name(options.mode()) << ")";
}

Tensor UpsampleImpl::forward(const Tensor& input) {
  functional::InterpolateFuncOptions o;
  o.size(options.size())
      .scale_factor(options.scale_factor())
      .align_corners(options.align_corners());
  visit([&](auto m) { o.mode(m); }, options.mode());
  return functional::interpolate(input, o);
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<UpsampleImpl, Module>;
}  // namespace tg::nn
