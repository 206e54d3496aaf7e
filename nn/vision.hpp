// F::affine_grid and F::grid_sample (4-D input: bilinear or nearest; zeros, border or
// reflection padding; align_corners), as libtorch 1.13's functional/vision.h.
//
//   auto grid = F::affine_grid(theta, {N, C, H, W}, /*align_corners=*/false);  // (N, H, W, 2)
//   auto y = F::grid_sample(x, grid, F::GridSampleFuncOptions().align_corners(false));
// Both are composed of recorded ops (bmm; gather and arithmetic on the grid), so gradients
// reach the input, theta and the grid.
#pragma once

#include <optional>

#include "enum.hpp"
#include "module.hpp"

namespace tg::nn::functional {

struct GridSampleFuncOptions {
  using mode_t = enumtype::variant<enumtype::kBilinear, enumtype::kNearest>;
  using padding_mode_t =
      enumtype::variant<enumtype::kZeros, enumtype::kBorder, enumtype::kReflection>;
  TG_ARG(mode_t, mode) = tg::kBilinear;
  TG_ARG(padding_mode_t, padding_mode) = tg::kZeros;
  TG_ARG(std::optional<bool>, align_corners) = std::nullopt;
};

// theta (N, 2, 3) for size (N, C, H, W) -> (N, H, W, 2); theta (N, 3, 4) for (N, C, D, H, W)
// -> (N, D, H, W, 3).
Tensor affine_grid(const Tensor& theta, const IntArrayRef& size, bool align_corners = false);
// input (N, C, H, W), grid (N, Ho, Wo, 2) of (x, y) in [-1, 1] -> (N, C, Ho, Wo).
Tensor grid_sample(const Tensor& input, const Tensor& grid,
                   const GridSampleFuncOptions& options = {});

}  // namespace tg::nn::functional
