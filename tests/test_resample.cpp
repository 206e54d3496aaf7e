#include <doctest/doctest.h>

#include "tapegrad.hpp"

// Fold/Unfold, PixelShuffle/PixelUnshuffle, Upsample/F::interpolate: libtorch's values (those
// PyTorch's own C++ tests assert), errors and printing. tests/compat/resample.cpp compares
// the values and gradients of every mode with libtorch's.

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace {
using tg::Tensor;
namespace nn = tg::nn;
namespace F = tg::nn::functional;

std::string str(const nn::Module& m) {
  std::ostringstream s;
  m.pretty_print(s);
  return s.str();
}
}  // namespace

TEST_CASE("Fold and Unfold: libtorch's values, errors and printing") {
  nn::Fold fold(nn::FoldOptions({3, 2}, {2, 2}));
  auto input = tg::ones({1, 3 * 2 * 2, 2}, tg::requires_grad());
  auto out = fold(input);
  CHECK(out.sizes() == tg::IntArrayRef({1, 3, 3, 2}));
  CHECK(tg::equal(out[0][1], tg::tensor({{1.f, 1.f}, {2.f, 2.f}, {1.f, 1.f}})));
  out.sum().backward();
  CHECK(tg::equal(input.grad(), tg::ones({1, 12, 2})));
  CHECK(F::fold(input.detach()[0], F::FoldFuncOptions({3, 2}, {2, 2})).sizes() ==
        tg::IntArrayRef({3, 3, 2}));
  CHECK_THROWS_WITH_AS(nn::Fold(nn::FoldOptions({8, 8}, {3, 3}))(tg::randn({1, 3, 16, 16})),
                       "Input Error: Only unbatched (2D) or batched (3D) input Tensors are "
                       "supported (got 4D)",
                       tg::Error);

  nn::Unfold unfold(nn::UnfoldOptions({2, 2}).padding(1).stride(2));
  auto u = unfold(tg::arange(2., 14).view({1, 2, 2, 3}));
  CHECK(u.sizes() == tg::IntArrayRef({1, 8, 4}));
  CHECK(tg::equal(u[0][1], tg::tensor({0.f, 0.f, 5.f, 7.f})));
  CHECK(tg::equal(u[0][7], tg::tensor({8.f, 10.f, 0.f, 0.f})));
  CHECK_THROWS_WITH_AS(nn::Unfold(nn::UnfoldOptions({2, 4}))(tg::randn({1, 5, 2})),
                       "Input Error: Only 4D input Tensors are supported (got 3D)", tg::Error);
  CHECK_THROWS_WITH_AS(nn::Unfold(nn::UnfoldOptions({2, 3}))(tg::randn({1, 2, 2, 2})),
                       "Given input with spatial size (2, 2), kernel_size=(2, 3), dilation=(1, "
                       "1), padding=(0, 0), calculated shape of the array of sliding blocks as "
                       "(1, 0), but its components must be at least one.",
                       tg::Error);
  CHECK(str(*nn::Fold(nn::FoldOptions({8, 8}, {3, 3}).dilation(2).padding({2, 1}).stride(2))) ==
        "torch::nn::Fold(output_size=[8, 8], kernel_size=[3, 3], dilation=[2, 2], padding=[2, "
        "1], stride=[2, 2])");
  CHECK(str(*nn::Unfold(tg::IntArrayRef({2, 4}))) ==
        "torch::nn::Unfold(kernel_size=[2, 4], dilation=[1, 1], padding=[0, 0], stride=[1, 1])");
}

TEST_CASE("PixelShuffle and PixelUnshuffle: libtorch's values, each other's inverse") {
  auto x = tg::tensor(
      {{{{-17, 19}, {-1, 2}}, {{7, 14}, {-3, 1}}, {{0, -2}, {-12, 14}}, {{-15, 0}, {-3, 9}}}},
      tg::kFloat);
  auto y_exp = tg::tensor({{{{-17, 7, 19, 14}, {0, -15, -2, 0}, {-1, -3, 2, 1}, {-12, -3, 14, 9}}}},
                          tg::kFloat);
  nn::PixelShuffle shuffle(2);
  CHECK(tg::equal(shuffle(x), y_exp));
  CHECK(tg::equal(F::pixel_unshuffle(y_exp, 2), x));
  CHECK(tg::equal(tg::pixel_unshuffle(tg::pixel_shuffle(x, 2), 2), x));
  CHECK(str(*nn::PixelShuffle(nn::PixelShuffleOptions(5))) ==
        "torch::nn::PixelShuffle(upscale_factor=5)");
  CHECK(str(*nn::PixelUnshuffle(nn::PixelUnshuffleOptions(5))) ==
        "torch::nn::PixelUnshuffle(downscale_factor=5)");
}

TEST_CASE("interpolate: ones stay ones in every mode; sizes from scale_factor") {
  for (bool align : {true, false})
    for (double s : {0.5, 1.5, 2.0}) {
      auto o =
          F::InterpolateFuncOptions().scale_factor(std::vector<double>{s, s}).align_corners(align);
      const int64_t n = int64_t(std::floor(2 * s));
      CHECK(F::interpolate(tg::ones({1, 1, 2, 2}), o.mode(tg::kBilinear))
                .allclose(tg::ones({1, 1, n, n})));
      CHECK(F::interpolate(tg::ones({1, 1, 2, 2}), o.mode(tg::kBicubic))
                .allclose(tg::ones({1, 1, n, n})));
      auto o3 = F::InterpolateFuncOptions()
                    .scale_factor(std::vector<double>{s, s, s})
                    .mode(tg::kTrilinear)
                    .align_corners(align);
      CHECK(F::interpolate(tg::ones({1, 1, 2, 2, 2}), o3).allclose(tg::ones({1, 1, n, n, n})));
    }
}

TEST_CASE("interpolate: linear and nearest values") {
  Tensor x = tg::tensor({{{0., 1., 3.}}}, tg::kDouble);
  auto lin = [&](std::vector<int64_t> size, bool align) {
    return F::interpolate(
        x, F::InterpolateFuncOptions().size(size).mode(tg::kLinear).align_corners(align));
  };
  // align_corners: positions 0, 0.5, 1, 1.5, 2.
  CHECK(tg::allclose(lin({5}, true), tg::tensor({{{0., 0.5, 1., 2., 3.}}}, tg::kDouble)));
  // half-pixel: src = 0.6 (o + 0.5) - 0.5 = -0.2 (clamped to 0), 0.4, 1.0, 1.6, 2.2.
  CHECK(tg::allclose(lin({5}, false), tg::tensor({{{0., 0.4, 1., 2.2, 3.}}}, tg::kDouble)));
  // nearest: floor(o * 3/5).
  CHECK(tg::equal(F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{5})),
                  tg::tensor({{{0., 0., 1., 1., 3.}}}, tg::kDouble)));
  // Spatial invariance of linear upsampling (PyTorch's Upsampling1D test).
  nn::Upsample up(nn::UpsampleOptions()
                      .scale_factor(std::vector<double>{3})
                      .mode(tg::kLinear)
                      .align_corners(false));
  auto input = tg::zeros({1, 1, 9});
  input.narrow(2, 0, 4).normal_();
  CHECK(tg::allclose(up(input).narrow(2, 0, 15), up(input.narrow(2, 0, 5))));
}

TEST_CASE("interpolate and Upsample: libtorch's errors and printing") {
  auto input = tg::randn({3, 2, 2});
  CHECK_THROWS_WITH_AS(
      F::interpolate(input[0], F::InterpolateFuncOptions().size(std::vector<int64_t>({4, 4}))),
      "Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes: nearest "
      "| linear | bilinear | bicubic | trilinear (got kNearest)",
      tg::Error);
  CHECK_THROWS_WITH_AS(F::interpolate(input, F::InterpolateFuncOptions()),
                       "either size or scale_factor should be defined", tg::Error);
  CHECK_THROWS_WITH_AS(F::interpolate(input, F::InterpolateFuncOptions()
                                                 .size(std::vector<int64_t>({3, 4, 4}))
                                                 .scale_factor(std::vector<double>({0.5}))),
                       "only one of size or scale_factor should be defined", tg::Error);
  CHECK_THROWS_WITH_AS(
      F::interpolate(input, F::InterpolateFuncOptions().scale_factor(std::vector<double>({3, 2}))),
      "scale_factor shape must match input shape. Input is 1D, scale_factor size is [3, 2]",
      tg::Error);
  CHECK_THROWS_WITH_AS(
      F::interpolate(input, F::InterpolateFuncOptions().mode(tg::kNearest).align_corners(true)),
      "align_corners option can only be set with the interpolating modes: linear | bilinear | "
      "bicubic | trilinear",
      tg::Error);
  CHECK(str(*nn::Upsample(nn::UpsampleOptions().size(std::vector<int64_t>({2, 4, 4})))) ==
        "torch::nn::Upsample(size=[2, 4, 4], mode=kNearest)");
  CHECK(str(*nn::Upsample(nn::UpsampleOptions()
                              .scale_factor(std::vector<double>({0.5, 1.5}))
                              .mode(tg::kBilinear))) ==
        "torch::nn::Upsample(scale_factor=[0.5, 1.5], mode=kBilinear)");
}

TEST_CASE("grid_sample and affine_grid: libtorch's values and errors") {
  auto input = tg::arange(9, tg::kFloat).view(std::vector<int64_t>({1, 1, 3, 3}));
  auto grid = tg::tensor({{{{-2., -1.}, {-1., -1.}, {0., -1.}},
                           {{-1., 0.}, {0., 0.}, {1., 0.}},
                           {{0., 1.}, {1., 1.}, {2., 1.}}}},
                         tg::kFloat);
  auto run = [&](F::GridSampleFuncOptions o) { return F::grid_sample(input, grid, o); };
  using O = F::GridSampleFuncOptions;
  CHECK(run(O().align_corners(true))
            .allclose(tg::tensor({{{{0., 0., 1.}, {3., 4., 5.}, {7., 8., 0.}}}})));
  CHECK(run(O().align_corners(false))
            .allclose(tg::tensor({{{{0., 0., 0.5}, {1.5, 4., 2.5}, {3.5, 2., 0.}}}})));
  CHECK(F::grid_sample(input, grid)
            .allclose(tg::tensor({{{{0., 0., 0.5}, {1.5, 4., 2.5}, {3.5, 2., 0.}}}})));
  CHECK(run(O().mode(tg::kNearest).align_corners(true))
            .allclose(tg::tensor({{{{0., 0., 1.}, {3., 4., 5.}, {7., 8., 0.}}}})));
  CHECK(run(O().padding_mode(tg::kBorder).align_corners(true))
            .allclose(tg::tensor({{{{0., 0., 1.}, {3., 4., 5.}, {7., 8., 8.}}}})));
  CHECK(run(O().padding_mode(tg::kReflection).align_corners(true))
            .allclose(tg::tensor({{{{1., 0., 1.}, {3., 4., 5.}, {7., 8., 7.}}}})));

  auto theta = tg::arange(1., 13).view(std::vector<int64_t>({2, 2, 3}));
  auto size = std::vector<int64_t>({2, 3, 2, 2});
  CHECK(F::affine_grid(theta, size, false)
            .allclose(
                tg::tensor({{{{1.50, 1.50}, {2.50, 5.50}}, {{3.50, 6.50}, {4.50, 10.50}}},
                            {{{1.50, 1.50}, {8.50, 11.50}}, {{9.50, 12.50}, {16.50, 22.50}}}})));
  CHECK(F::affine_grid(theta, size, true)
            .allclose(tg::tensor({{{{0.0, -3.0}, {2.0, 5.0}}, {{4.0, 7.0}, {6.0, 15.0}}},
                                  {{{-6.0, -9.0}, {8.0, 11.0}}, {{10.0, 13.0}, {24.0, 33.0}}}})));
  auto t3 = tg::arange(1., 13).view(std::vector<int64_t>({1, 3, 4}));
  auto g3 = F::affine_grid(t3, std::vector<int64_t>({1, 1, 3, 2, 2}), true);
  CHECK(g3.sizes() == tg::IntArrayRef({1, 3, 2, 2, 3}));
  CHECK(g3[0][0][0][0].allclose(tg::tensor({-2.0, -10.0, -18.0})));
  CHECK(g3[0][2][1][1].allclose(tg::tensor({10.0, 26.0, 42.0})));
  CHECK_THROWS_WITH_AS(F::affine_grid(tg::empty({2, 2, 3}), {-1, 1, 2, 2}),
                       "Expected non-zero, positive output size. Got [-1, 1, 2, 2]", tg::Error);
  CHECK_THROWS_WITH_AS(F::affine_grid(tg::empty({2, 2, 3}, tg::kInt), {1, 1, 2, 2}),
                       "Expected theta to have floating point type, but got int", tg::Error);
  CHECK_THROWS_WITH_AS(F::affine_grid(tg::empty({1, 2, 6}, tg::kDouble), {1, 1, 2, 2}),
                       "Expected a batch of 2D affine matrices of shape Nx2x3 for size [1, 1, 2, "
                       "2]. Got [1, 2, 6].",
                       tg::Error);
}
