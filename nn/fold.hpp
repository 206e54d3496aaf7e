// Fold and Unfold (sliding windows to columns and back), PixelShuffle and PixelUnshuffle,
// with libtorch's options, functional forms and printing.
//
//   tg::nn::Unfold unfold(tg::nn::UnfoldOptions({2, 2}).stride(2));   // (N, C, H, W) ->
//   auto cols = unfold(x);                                            //   (N, C*2*2, L)
//   auto y = F::fold(cols, F::FoldFuncOptions({H, W}, {2, 2}).stride(2));
//   auto z = F::pixel_shuffle(x, 2);   // (N, C*4, H, W) -> (N, C, 2H, 2W)
// Fold/Unfold are tg::col2im / tg::im2col (autograd/ops_conv.cpp); the pixel shuffles are a
// reshape, permute, reshape.
#pragma once

#include <iosfwd>

#include "cloneable.hpp"
#include "expanding_array.hpp"
#include "module.hpp"

namespace tg {
// (*, C*r*r, H, W) -> (*, C, H*r, W*r), and its inverse.
Tensor pixel_shuffle(const Tensor& self, int64_t upscale_factor);
Tensor pixel_unshuffle(const Tensor& self, int64_t downscale_factor);
}  // namespace tg

namespace tg::nn {

struct FoldOptions {
  FoldOptions(ExpandingArray<2> output_size, ExpandingArray<2> kernel_size)
      : output_size_(output_size), kernel_size_(kernel_size) {}
  TG_ARG(ExpandingArray<2>, output_size);
  TG_ARG(ExpandingArray<2>, kernel_size);
  TG_ARG(ExpandingArray<2>, dilation) = 1;
  TG_ARG(ExpandingArray<2>, padding) = 0;
  TG_ARG(ExpandingArray<2>, stride) = 1;
};
struct UnfoldOptions {
  UnfoldOptions(ExpandingArray<2> kernel_size) : kernel_size_(kernel_size) {}  // NOLINT
  TG_ARG(ExpandingArray<2>, kernel_size);
  TG_ARG(ExpandingArray<2>, dilation) = 1;
  TG_ARG(ExpandingArray<2>, padding) = 0;
  TG_ARG(ExpandingArray<2>, stride) = 1;
};
struct PixelShuffleOptions {
  PixelShuffleOptions(int64_t upscale_factor) : upscale_factor_(upscale_factor) {}  // NOLINT
  TG_ARG(int64_t, upscale_factor);
};
struct PixelUnshuffleOptions {
  PixelUnshuffleOptions(int64_t downscale_factor)  // NOLINT
      : downscale_factor_(downscale_factor) {}
  TG_ARG(int64_t, downscale_factor);
};

namespace functional {
using FoldFuncOptions = FoldOptions;
using UnfoldFuncOptions = UnfoldOptions;
using PixelShuffleFuncOptions = PixelShuffleOptions;
using PixelUnshuffleFuncOptions = PixelUnshuffleOptions;
// (N, C*kh*kw, L) or (C*kh*kw, L) -> (N, C, output_size) or (C, output_size), overlaps summed.
Tensor fold(const Tensor& input, const FoldFuncOptions& options);
// (N, C, H, W) -> (N, C*kh*kw, L).
Tensor unfold(const Tensor& input, const UnfoldFuncOptions& options);
Tensor pixel_shuffle(const Tensor& input, const PixelShuffleFuncOptions& options);
Tensor pixel_unshuffle(const Tensor& input, const PixelUnshuffleFuncOptions& options);
}  // namespace functional

class FoldImpl : public Cloneable<FoldImpl> {
 public:
  FoldImpl(ExpandingArray<2> output_size, ExpandingArray<2> kernel_size);
  explicit FoldImpl(const FoldOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  FoldOptions options;
};
TG_MODULE(Fold);
extern template class detail::CloneableAs<FoldImpl, Module>;

class UnfoldImpl : public Cloneable<UnfoldImpl> {
 public:
  UnfoldImpl(ExpandingArray<2> kernel_size);  // NOLINT
  explicit UnfoldImpl(const UnfoldOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  UnfoldOptions options;
};
TG_MODULE(Unfold);
extern template class detail::CloneableAs<UnfoldImpl, Module>;

class PixelShuffleImpl : public Cloneable<PixelShuffleImpl> {
 public:
  explicit PixelShuffleImpl(const PixelShuffleOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  PixelShuffleOptions options;
};
TG_MODULE(PixelShuffle);
extern template class detail::CloneableAs<PixelShuffleImpl, Module>;

class PixelUnshuffleImpl : public Cloneable<PixelUnshuffleImpl> {
 public:
  explicit PixelUnshuffleImpl(const PixelUnshuffleOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  PixelUnshuffleOptions options;
};
TG_MODULE(PixelUnshuffle);
extern template class detail::CloneableAs<PixelUnshuffleImpl, Module>;

}  // namespace tg::nn
