#include <doctest/doctest.h>

#include "gradcheck_table.hpp"
#include "tapegrad.hpp"
// Gradcheck rows for pooling (ops_pool_nd.cpp) and padding (ops_pad.cpp); the machinery is in
// gradcheck_table.hpp. make_input's values never tie, so every max window has one argmax.

namespace {

namespace F = tg::nn::functional;
using Ints = std::vector<int64_t>;

const ShapeSets k1d = {{{2, 3, 7}}, {{3, 6}}};
const ShapeSets k2d = {{{2, 2, 5, 4}}};
const ShapeSets k3dv = {{{1, 2, 4, 3, 5}}, {{2, 3, 4, 3}}};

// Indices of max_pool2d on a fixed input, for max_unpool2d.
Tensor unpool_indices() {
  auto x = tg::sin(tg::arange(0., 40., tg::kDouble) * 1.3).reshape({2, 1, 4, 5});
  return std::get<1>(tg::max_pool2d_with_indices(x, {2, 2}, {2, 2}));
}

}  // namespace

// ---- pooling -----------------------------------------------------------------------------
GC_ROW(
    "max_pool1d", k1d, "a", kGradGrad, FN { return tg::max_pool1d(in[0], {3}, {2}, {1}); })
GC_ROW(
    "max_pool1d dilation ceil", k1d, "a", kGradGrad,
    FN { return tg::max_pool1d(in[0], {2}, {2}, {0}, {2}, true); })
GC_ROW(
    "max_pool3d", k3dv, "a", kGradGrad, FN {
      return tg::max_pool3d(in[0], {2, 2, 2}, {1, 1, 2}, {1, 0, 1});
    })
GC_ROW(
    "avg_pool1d", k1d, "a", kGradGrad,
    FN { return tg::avg_pool1d(in[0], {3}, {2}, {1}, true, false); })
GC_ROW(
    "avg_pool3d", k3dv, "a", kGradGrad, FN {
      return tg::avg_pool3d(in[0], {2, 2, 3}, {1, 2, 1}, {1, 0, 1});
    })
GC_ROW(
    "avg_pool3d ceil divisor", k3dv, "a", kGradGrad,
    FN { return tg::avg_pool3d(in[0], {2}, {2}, {0}, true, true, 3); })
GC_ROW(
    "adaptive_max_pool1d", k1d, "a", kGradGrad,
    FN { return std::get<0>(tg::adaptive_max_pool1d(in[0], {4})); })
GC_ROW(
    "adaptive_max_pool2d", k2d, "a", kGradGrad, FN {
      return std::get<0>(tg::adaptive_max_pool2d(in[0], {3, 3}));
    })
GC_ROW(
    "adaptive_max_pool3d", k3dv, "a", kGradGrad, FN {
      return std::get<0>(tg::adaptive_max_pool3d(in[0], {3, 2, 2}));
    })
GC_ROW(
    "adaptive_avg_pool1d", k1d, "a", kGradGrad, FN { return tg::adaptive_avg_pool1d(in[0], {4}); })
GC_ROW(
    "adaptive_avg_pool3d", k3dv, "a", kGradGrad, FN {
      return tg::adaptive_avg_pool3d(in[0], {3, 2, 4});
    })
GC_ROW(
    "max_unpool2d", (ShapeSets{{{2, 1, 2, 2}}}), "a", kGradGrad, FN {
      return tg::max_unpool2d(in[0], unpool_indices(), {4, 5});
    })
GC_ROW(
    "max_unpool3d", (ShapeSets{{{2, 1, 1, 2, 2}}}), "a", kGradGrad, FN {
      return tg::max_unpool3d(in[0], unpool_indices().unsqueeze(2), {1, 4, 5}, {1, 2, 2},
                              {0, 0, 0});
    })
GC_ROW(
    "fractional_max_pool2d", k2d, "a", kGradGrad, FN {
      auto u = tg::tensor({{{0.3, 0.8}, {0.6, 0.1}}, {{0.9, 0.4}, {0.2, 0.7}}}, tg::kDouble);
      return std::get<0>(tg::fractional_max_pool2d(in[0], {2, 2}, {3, 2}, u));
    })
GC_ROW(
    "fractional_max_pool3d", (ShapeSets{{{1, 2, 4, 3, 5}}}), "a", kGradGrad, FN {
      auto u = tg::tensor({{{0.3, 0.8, 0.5}, {0.6, 0.1, 0.95}}}, tg::kDouble);
      return std::get<0>(tg::fractional_max_pool3d(in[0], {2, 2, 2}, {2, 2, 3}, u));
    })
GC_ROW(
    "lp_pool1d", k1d, "p", kGradGrad,
    FN { return F::lp_pool1d(in[0], F::LPPool1dFuncOptions(2, 3).stride(2)); })
GC_ROW(
    "lp_pool2d", k2d, "p", kGradGrad, FN {
      return F::lp_pool2d(in[0], F::LPPool2dFuncOptions(3, Ints{2, 3}).stride(1));
    })

// ---- padding -----------------------------------------------------------------------------
GC_ROW(
    "constant_pad_nd", k2d, "a", kGradGrad, FN {
      return tg::constant_pad_nd(in[0], {2, -1, 0, 3, 1, 1}, 0.5);
    })
GC_ROW(
    "pad reflect 1d", k1d, "a", kGradGrad, FN {
      return tg::pad(in[0], {3, 2}, "reflect");
    })
GC_ROW(
    "pad reflect 2d negative", k2d, "a", kGradGrad, FN {
      return tg::pad(in[0], {-1, 2, 3, 1}, "reflect");
    })
GC_ROW(
    "pad reflect 3d", k3dv, "a", kGradGrad, FN {
      return tg::pad(in[0], {1, 2, 0, 2, 2, 1}, "reflect");
    })
GC_ROW(
    "pad replicate 1d", k1d, "a", kGradGrad, FN {
      return tg::pad(in[0], {4, 1}, "replicate");
    })
GC_ROW(
    "pad replicate 2d", k2d, "a", kGradGrad, FN {
      return tg::pad(in[0], {2, 3, -1, 2}, "replicate");
    })
GC_ROW(
    "pad replicate 3d", k3dv, "a", kGradGrad, FN {
      return tg::pad(in[0], {1, 1, 2, 0, 0, 3}, "replicate");
    })
GC_ROW(
    "pad circular 1d", (ShapeSets{{{2, 3, 7}}}), "a", kGradGrad, FN {
      return tg::pad(in[0], {3, 7}, "circular");
    })
GC_ROW(
    "pad circular 2d", k2d, "a", kGradGrad, FN {
      return tg::pad(in[0], {-1, 2, 3, 1}, "circular");
    })
GC_ROW(
    "pad circular 3d", (ShapeSets{{{1, 2, 4, 3, 5}}}), "a", kGradGrad, FN {
      return tg::pad(in[0], {1, 2, 0, 2, 3, 1}, "circular");
    })
