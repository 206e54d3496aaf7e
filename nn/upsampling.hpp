// Upsample and F::interpolate with libtorch's options and printing: modes kNearest, kLinear
// (3-D input), kBilinear and kBicubic (4-D), kTrilinear (5-D); size or scale_factor;
// align_corners; recompute_scale_factor.
//
//   tg::nn::Upsample up(tg::nn::UpsampleOptions().scale_factor(std::vector<double>{2, 2})
//                            .mode(tg::kBilinear).align_corners(false));
//   auto y = up(x);   // (N, C, H, W) -> (N, C, 2H, 2W)
// Each spatial dim is resampled in turn (the kernels are separable): a few index_selects of
// the input, weighted and summed, so gradients of any order come from those ops. Source
// positions and weights follow ATen's upsample kernels (UpSample.h).
#pragma once

#include <iosfwd>
#include <optional>
#include <vector>

#include "cloneable.hpp"
#include "enum.hpp"
#include "module.hpp"

namespace tg::nn {

struct UpsampleOptions {
  using mode_t = enumtype::variant<enumtype::kNearest, enumtype::kLinear, enumtype::kBilinear,
                                   enumtype::kBicubic, enumtype::kTrilinear>;
  TG_ARG(std::optional<std::vector<int64_t>>, size) = std::nullopt;
  TG_ARG(std::optional<std::vector<double>>, scale_factor) = std::nullopt;
  TG_ARG(mode_t, mode) = tg::kNearest;
  TG_ARG(std::optional<bool>, align_corners) = std::nullopt;
};

namespace functional {
struct InterpolateFuncOptions {
  using mode_t = enumtype::variant<enumtype::kNearest, enumtype::kLinear, enumtype::kBilinear,
                                   enumtype::kBicubic, enumtype::kTrilinear, enumtype::kArea,
                                   enumtype::kNearestExact>;
  TG_ARG(std::optional<std::vector<int64_t>>, size) = std::nullopt;
  TG_ARG(std::optional<std::vector<double>>, scale_factor) = std::nullopt;
  TG_ARG(mode_t, mode) = tg::kNearest;
  TG_ARG(std::optional<bool>, align_corners) = std::nullopt;
  TG_ARG(std::optional<bool>, recompute_scale_factor) = std::nullopt;
  TG_ARG(bool, antialias) = false;
};
// input (N, C, spatial...) with 1 to 3 spatial dims. kArea and antialias are not supported
// by tapegrad (tg::Error says so).
Tensor interpolate(const Tensor& input, const InterpolateFuncOptions& options = {});
}  // namespace functional

class UpsampleImpl : public Cloneable<UpsampleImpl> {
 public:
  explicit UpsampleImpl(const UpsampleOptions& options_ = {}) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  UpsampleOptions options;
};
TG_MODULE(Upsample);
extern template class detail::CloneableAs<UpsampleImpl, Module>;

}  // namespace tg::nn
