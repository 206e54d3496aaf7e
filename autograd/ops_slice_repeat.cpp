// libtorch's slice(dim, start, end, step) and repeat(repeats), composed from recorded ops
// (narrow, index_select, reshape, expand), so their gradients come from those ops' backwards.
#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {

// Python-style bounds: negative start/end count from the end, both are clamped to [0, size]
// (an empty result when end <= start). step 1 is narrow (shares storage, as in libtorch);
// a larger step gathers the rows, a copy here and marked as one, so in-place writes into it
// are refused rather than silently not reaching x.
Tensor slice(const Tensor& x, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end,
             int64_t step) {
  check_defined(x, "slice");
  if (x.dim() == 0) fail("slice() cannot be applied to a 0-dim tensor.");
  if (step <= 0) fail("slice: slice step must be positive, got " + std::to_string(step));
  const int64_t d = wrap_dim(dim, x.dim(), "slice"), n = x.size(d);
  auto bound = [n](int64_t v) { return std::min(std::max(v < 0 ? v + n : v, int64_t(0)), n); };
  const int64_t a = bound(start.value_or(0)), b = std::max(bound(end.value_or(n)), a);
  if (step == 1) return narrow(x, d, a, b - a);
  Tensor out = index_select(x, d, arange(a, b, step));
  out.unsafeGetTensorImpl()->copied_view = true;
  return out;
}

// Each dim i of the (left-padded) input is tiled repeats[i] times: viewed as [1, s_i],
// expanded to [r_i, s_i] and flattened, for all dims at once.
Tensor repeat(const Tensor& x, IntArrayRef repeats) {
  check_defined(x, "repeat");
  if (repeats.size() < size_t(x.dim()))
    fail(
        "repeat: Number of dimensions of repeat dims can not be smaller than number of "
        "dimensions of tensor (" +
        to_string(repeats) + " for shape " + to_string(x.sizes()) + ")");
  for (int64_t r : repeats)
    if (r < 0)
      fail("repeat: Trying to create tensor with negative dimension " + to_string(repeats));
  const size_t pad = repeats.size() - size_t(x.dim());
  std::vector<int64_t> interleaved, expanded, result;
  for (size_t i = 0; i < repeats.size(); ++i) {
    const int64_t s = i < pad ? 1 : x.size(int64_t(i - pad));
    interleaved.insert(interleaved.end(), {1, s});
    expanded.insert(expanded.end(), {repeats[i], s});
    result.push_back(repeats[i] * s);
  }
  if (interleaved.size() > size_t(Shape::kMaxDims))
    fail("repeat: tapegrad repeats tensors of up to " + std::to_string(Shape::kMaxDims / 2) +
         " dims (repeats " + to_string(repeats) + ")");
  return x.reshape(interleaved).expand(expanded).reshape(result);
}

Tensor Tensor::repeat(IntArrayRef repeats) const { return tg::repeat(*this, repeats); }

}  // namespace tg
