#include <doctest/doctest.h>

#include "tapegrad.hpp"
// Gradcheck rows (float64, central differences, first and second order) for the convolutions
// of ops_conv_nd.cpp (conv3d, conv_transpose1d/2d/3d) and the upsampling/fold ops, in the
// style of test_gradcheck_ops.cpp's GC_ROW table (that file is full): every Jacobian element
// of every input is compared.
#include <cmath>
#include <string>
#include <vector>

namespace {

using tg::Tensor;
using tg::TensorList;
using Shp = std::vector<int64_t>;

Tensor make_input(const Shp& shape, size_t which) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k)
    v[size_t(k)] = 0.9 * std::sin(0.7 * double(k) + 0.3 + 1.3 * double(which));
  return tg::from_blob(v.data(), shape, tg::kDouble).clone().requires_grad_(true);
}

void run_row(const char* name, const std::vector<Shp>& shapes, bool gradgrad,
             const tg::autograd::GradcheckFn& fn) {
  TensorList in;
  int64_t in_elems = 0;
  for (size_t i = 0; i < shapes.size(); ++i) {
    in.push_back(make_input(shapes[i], i));
    in_elems += in.back().numel();
  }
  const int64_t out_elems = fn(in).numel();
  auto rep = tg::autograd::gradcheck(fn, in);
  CHECK_MESSAGE(rep.ok, name << ": " << rep);
  CHECK_MESSAGE(rep.checked == out_elems * in_elems, name << ": checked " << rep.checked);
  if (!gradgrad) return;
  auto rep2 = tg::autograd::gradgradcheck(fn, in);
  CHECK_MESSAGE(rep2.ok, name << ": " << rep2);
  CHECK_MESSAGE(rep2.checked == in_elems * (in_elems + out_elems),
                name << ": gradgradcheck checked " << rep2.checked);
}

}  // namespace

#define GC_ROW(NAME, SHAPES, GRADGRAD, ...) \
  TEST_CASE("gradcheck " NAME) { run_row(NAME, SHAPES, GRADGRAD, __VA_ARGS__); }
#define FN [](const TensorList& in) -> Tensor

// ---- ops_conv_nd.cpp ---------------------------------------------------------------------------
GC_ROW(
    "conv3d", (std::vector<Shp>{{2, 2, 3, 3, 4}, {2, 2, 2, 2, 2}, {2}}), true,
    FN { return tg::conv3d(in[0], in[1], in[2]); })
GC_ROW(
    "conv3d stride padding dilation groups", (std::vector<Shp>{{1, 4, 4, 3, 5}, {2, 2, 2, 1, 2}}),
    true, FN {
      return tg::conv3d(in[0], in[1], {}, {2, 1, 2}, {1, 0, 1}, {1, 1, 2}, 2);
    })
GC_ROW(
    "conv3d same unbatched", (std::vector<Shp>{{2, 3, 3, 3}, {1, 2, 2, 3, 2}}), true,
    FN { return tg::conv3d(in[0], in[1], {}, 1, "same"); })
GC_ROW(
    "conv_transpose1d", (std::vector<Shp>{{2, 2, 4}, {2, 3, 3}, {3}}), true,
    FN { return tg::conv_transpose1d(in[0], in[1], in[2], 2, 1, 1); })
GC_ROW(
    "conv_transpose1d groups dilation unbatched", (std::vector<Shp>{{4, 3}, {4, 1, 2}}), true,
    FN { return tg::conv_transpose1d(in[0], in[1], {}, 1, 0, 0, 2, 2); })
GC_ROW(
    "conv_transpose2d", (std::vector<Shp>{{2, 2, 3, 2}, {2, 2, 3, 2}, {2}}), true, FN {
      return tg::conv_transpose2d(in[0], in[1], in[2], {2, 1}, {1, 0}, {1, 0});
    })
GC_ROW(
    "conv_transpose2d groups", (std::vector<Shp>{{1, 4, 2, 3}, {4, 2, 2, 2}}), true, FN {
      return tg::conv_transpose2d(in[0], in[1], {}, 1, 0, 0, 2, {1, 2});
    })
GC_ROW(
    "conv_transpose3d", (std::vector<Shp>{{1, 2, 2, 2, 3}, {2, 2, 2, 1, 2}, {2}}), true, FN {
      return tg::conv_transpose3d(in[0], in[1], in[2], {1, 2, 2}, {0, 1, 0}, {0, 1, 1});
    })

// ---- fold.cpp, upsampling.cpp
// --------------------------------------------------------------------
GC_ROW(
    "unfold", (std::vector<Shp>{{1, 2, 3, 4}}), true, FN {
      return tg::nn::functional::unfold(in[0], tg::nn::UnfoldOptions({2, 2}).padding(1));
    })
GC_ROW(
    "fold", (std::vector<Shp>{{1, 8, 6}}), true, FN {
      return tg::nn::functional::fold(in[0], tg::nn::FoldOptions({3, 4}, {2, 2}));
    })
GC_ROW(
    "pixel_shuffle", (std::vector<Shp>{{1, 8, 2, 2}}), true,
    FN { return tg::pixel_shuffle(in[0], 2); })
GC_ROW(
    "pixel_unshuffle", (std::vector<Shp>{{2, 4, 2}}), true,
    FN { return tg::pixel_unshuffle(in[0], 2); })

namespace {
Tensor interp(const Tensor& x, tg::nn::functional::InterpolateFuncOptions o) {
  return tg::nn::functional::interpolate(x, o);
}
using IO = tg::nn::functional::InterpolateFuncOptions;
}  // namespace
GC_ROW(
    "interpolate nearest", (std::vector<Shp>{{1, 2, 3, 2}}), true, FN {
      return interp(in[0], IO().size(std::vector<int64_t>{5, 3}));
    })
GC_ROW(
    "interpolate linear", (std::vector<Shp>{{2, 1, 4}}), true, FN {
      return interp(in[0],
                    IO().size(std::vector<int64_t>{7}).mode(tg::kLinear).align_corners(false));
    })
GC_ROW(
    "interpolate bilinear align_corners", (std::vector<Shp>{{1, 1, 3, 4}}), true, FN {
      return interp(in[0], IO().scale_factor(std::vector<double>{1.5, 0.75})
                               .mode(tg::kBilinear)
                               .align_corners(true));
    })
GC_ROW(
    "interpolate bicubic", (std::vector<Shp>{{1, 1, 3, 3}}), true, FN {
      return interp(in[0],
                    IO().size(std::vector<int64_t>{4, 5}).mode(tg::kBicubic).align_corners(false));
    })
GC_ROW(
    "interpolate trilinear", (std::vector<Shp>{{1, 1, 2, 2, 3}}), true, FN {
      return interp(
          in[0],
          IO().size(std::vector<int64_t>{3, 3, 2}).mode(tg::kTrilinear).align_corners(false));
    })

// ---- vision.cpp ------------------------------------------------------------------------------
// The grid stays off pixel centres and cell borders (kinks of bilinear sampling and clipping).
GC_ROW(
    "affine_grid", (std::vector<Shp>{{2, 2, 3}}), true, FN {
      return tg::nn::functional::affine_grid(in[0], {2, 1, 2, 3}, false);
    })
GC_ROW(
    "grid_sample bilinear zeros", (std::vector<Shp>{{1, 2, 3, 3}, {1, 2, 2, 2}}), false,
    FN { return tg::nn::functional::grid_sample(in[0], in[1] * 1.1); })
GC_ROW(
    "grid_sample bilinear border aligned", (std::vector<Shp>{{1, 1, 3, 4}, {1, 2, 2, 2}}), false,
    FN {
      return tg::nn::functional::grid_sample(in[0], in[1] * 1.2,
                                             tg::nn::functional::GridSampleFuncOptions()
                                                 .padding_mode(tg::kBorder)
                                                 .align_corners(true));
    })
GC_ROW(
    "grid_sample bilinear reflection", (std::vector<Shp>{{1, 1, 3, 3}, {1, 2, 2, 2}}), false, FN {
      return tg::nn::functional::grid_sample(
          in[0], in[1] * 1.3,
          tg::nn::functional::GridSampleFuncOptions().padding_mode(tg::kReflection));
    })
