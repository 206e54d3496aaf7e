#include "fold.hpp"

#include <ostream>
#include <string>

#include "../autograd/functions.hpp"

namespace tg {

// pixel_shuffle: (*, C r r, H, W) viewed (*, C, r, r, H, W), permuted to (*, C, H, r, W, r),
// flattened; pixel_unshuffle is the inverse permutation. Both are recorded as view ops.
Tensor pixel_shuffle(const Tensor& self, int64_t r) {
  if (self.dim() < 3)
    throw Error("pixel_shuffle expects input to have at least 3 dimensions, but got input with " +
                std::to_string(self.dim()) + " dimension(s)");
  if (r <= 0)
    throw Error("pixel_shuffle expects a positive upscale_factor, but got " + std::to_string(r));
  const int64_t c = self.size(-3), h = self.size(-2), w = self.size(-1);
  if (c % (r * r) != 0)
    throw Error(
        "pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
        "square of upscale_factor, but input.size(-3)=" +
        std::to_string(c) + " is not divisible by " + std::to_string(r * r));
  std::vector<int64_t> lead(self.sizes().begin(), self.sizes().end() - 3);
  const int64_t nl = int64_t(lead.size()), oc = c / (r * r);
  std::vector<int64_t> shape = lead, perm, out = lead;
  shape.insert(shape.end(), {oc, r, r, h, w});
  for (int64_t i = 0; i < nl; ++i) perm.push_back(i);
  perm.insert(perm.end(), {nl, nl + 3, nl + 1, nl + 4, nl + 2});
  out.insert(out.end(), {oc, h * r, w * r});
  return self.reshape(shape).permute(perm).reshape(out);
}

Tensor pixel_unshuffle(const Tensor& self, int64_t r) {
  if (self.dim() < 3)
    throw Error("pixel_unshuffle expects input to have at least 3 dimensions, but got input with " +
                std::to_string(self.dim()) + " dimension(s)");
  if (r <= 0)
    throw Error("pixel_unshuffle expects a positive downscale_factor, but got " +
                std::to_string(r));
  const int64_t c = self.size(-3), h = self.size(-2), w = self.size(-1);
  if (h % r != 0)
    throw Error(
        "pixel_unshuffle expects height to be divisible by downscale_factor, but "
        "input.size(-2)=" +
        std::to_string(h) + " is not divisible by " + std::to_string(r));
  if (w % r != 0)
    throw Error(
        "pixel_unshuffle expects width to be divisible by downscale_factor, but "
        "input.size(-1)=" +
        std::to_string(w) + " is not divisible by " + std::to_string(r));
  std::vector<int64_t> lead(self.sizes().begin(), self.sizes().end() - 3);
  const int64_t nl = int64_t(lead.size());
  std::vector<int64_t> shape = lead, perm, out = lead;
  shape.insert(shape.end(), {c, h / r, r, w / r, r});
  for (int64_t i = 0; i < nl; ++i) perm.push_back(i);
  perm.insert(perm.end(), {nl, nl + 2, nl + 4, nl + 1, nl + 3});
  out.insert(out.end(), {c * r * r, h / r, w / r});
  return self.reshape(shape).permute(perm).reshape(out);
}

}  // namespace tg

namespace tg::nn {

namespace {
std::string pair_str(const ExpandingArray<2>& a) {
  return "(" + std::to_string((*a)[0]) + ", " + std::to_string((*a)[1]) + ")";
}
}  // namespace

namespace functional {
Tensor fold(const Tensor& input, const FoldFuncOptions& o) {
  if (input.dim() != 3 && input.dim() != 2)
    throw Error(
        "Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got " +
        std::to_string(input.dim()) + "D)");
  const bool unbatched = input.dim() == 2;
  Tensor y = tg::col2im(unbatched ? input.unsqueeze(0) : input, o.output_size(), o.kernel_size(),
                        o.dilation(), o.padding(), o.stride());
  return unbatched ? y.squeeze(0) : y;
}

Tensor unfold(const Tensor& input, const UnfoldFuncOptions& o) {
  if (input.dim() != 4)
    throw Error("Input Error: Only 4D input Tensors are supported (got " +
                std::to_string(input.dim()) + "D)");
  int64_t blocks[2];
  for (size_t i = 0; i < 2; ++i) {
    const int64_t k = (*o.kernel_size())[i], d = (*o.dilation())[i], p = (*o.padding())[i],
                  s = (*o.stride())[i];
    blocks[i] = (input.size(int64_t(i) + 2) + 2 * p - (d * (k - 1) + 1)) / s + 1;
  }
  if (blocks[0] < 1 || blocks[1] < 1)
    throw Error("Given input with spatial size (" + std::to_string(input.size(2)) + ", " +
                std::to_string(input.size(3)) + "), kernel_size=" + pair_str(o.kernel_size()) +
                ", dilation=" + pair_str(o.dilation()) + ", padding=" + pair_str(o.padding()) +
                ", calculated shape of the array of sliding blocks as (" +
                std::to_string(blocks[0]) + ", " + std::to_string(blocks[1]) +
                "), but its components must be at least one.");
  return tg::im2col(input, o.kernel_size(), o.dilation(), o.padding(), o.stride());
}

Tensor pixel_shuffle(const Tensor& input, const PixelShuffleFuncOptions& o) {
  return tg::pixel_shuffle(input, o.upscale_factor());
}
Tensor pixel_unshuffle(const Tensor& input, const PixelUnshuffleFuncOptions& o) {
  return tg::pixel_unshuffle(input, o.downscale_factor());
}
}  // namespace functional

FoldImpl::FoldImpl(ExpandingArray<2> output_size, ExpandingArray<2> kernel_size)
    : FoldImpl(FoldOptions(output_size, kernel_size)) {}
void FoldImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Fold(output_size=" << options.output_size()
         << ", kernel_size=" << options.kernel_size() << ", dilation=" << options.dilation()
         << ", padding=" << options.padding() << ", stride=" << options.stride() << ")";
}
Tensor FoldImpl::forward(const Tensor& input) { return functional::fold(input, options); }

UnfoldImpl::UnfoldImpl(ExpandingArray<2> kernel_size) : UnfoldImpl(UnfoldOptions(kernel_size)) {}
void UnfoldImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Unfold(kernel_size=" << options.kernel_size()
         << ", dilation=" << options.dilation() << ", padding=" << options.padding()
         << ", stride=" << options.stride() << ")";
}
Tensor UnfoldImpl::forward(const Tensor& input) { return functional::unfold(input, options); }

void PixelShuffleImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::PixelShuffle(upscale_factor=" << options.upscale_factor() << ")";
}
Tensor PixelShuffleImpl::forward(const Tensor& input) {
  return tg::pixel_shuffle(input, options.upscale_factor());
}

void PixelUnshuffleImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::PixelUnshuffle(downscale_factor=" << options.downscale_factor() << ")";
}
Tensor PixelUnshuffleImpl::forward(const Tensor& input) {
  return tg::pixel_unshuffle(input, options.downscale_factor());
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<FoldImpl, Module>;
template class detail::CloneableAs<PixelShuffleImpl, Module>;
template class detail::CloneableAs<PixelUnshuffleImpl, Module>;
template class detail::CloneableAs<UnfoldImpl, Module>;
}  // namespace tg::nn
