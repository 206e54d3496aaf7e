// Padding, built from differentiable ops (so gradients of any order come with them):
// - constant_pad_nd narrows (negative pads) and concatenates blocks of `value` (positive pads);
// - reflect, replicate and circular padding are one index_select per padded dim, whose source
//   index for output position j is j - left mapped back into the input by the mode. The
//   gradient, index_add, sums each output cell into the input cell it was read from.
#include <algorithm>
#include <string>
#include <vector>

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {

namespace {

enum class PadMode { reflect, replicate, circular };

// Pads dim `dim` of x by (left, right) in `mode`: x.index_select(dim, source of each output).
Tensor pad_dim(const Tensor& x, int64_t dim, int64_t left, int64_t right, PadMode mode) {
  if (left == 0 && right == 0) return x;
  const int64_t n = x.size(dim), outs = n + left + right;
  std::vector<int64_t> src(size_t(std::max<int64_t>(outs, 0)));
  // circular: the kept input [first, first + kept) repeats with period `kept`.
  const int64_t first = std::max<int64_t>(-left, 0);
  const int64_t kept = n + std::min<int64_t>(left, 0) + std::min<int64_t>(right, 0);
  for (int64_t j = 0; j < outs; ++j) {
    int64_t i = j - left;
    if (mode == PadMode::reflect) {
      if (i < 0) i = -i;
      if (i >= n) i = 2 * (n - 1) - i;
    } else if (mode == PadMode::replicate) {
      i = std::clamp<int64_t>(i, 0, n - 1);
    } else {
      const int64_t r = (j - std::max<int64_t>(left, 0)) % kept;
      i = first + (r < 0 ? r + kept : r);
    }
    src[size_t(j)] = i;
  }
  return x.index_select(dim, tensor(src, kLong));
}

// Pads the last padding.size() / 2 dims; padding lists (left, right) from the last dim back.
Tensor pad_dims(const Tensor& x, IntArrayRef padding, PadMode mode) {
  Tensor y = x;
  const int64_t dims = int64_t(padding.size()) / 2;
  for (int64_t i = 0; i < dims; ++i)
    y = pad_dim(y, x.dim() - 1 - i, padding[size_t(2 * i)], padding[size_t(2 * i + 1)], mode);
  return y;
}

// The input and padding checks of reflection_padNd / replication_padNd (PyTorch's messages).
void check_pad_input(const Tensor& x, IntArrayRef padding, int dims, bool reflect, const char* op) {
  check_defined(x, op);
  if (padding.size() != size_t(2 * dims))
    fail(std::string(op) + ": padding size is expected to be " + std::to_string(2 * dims));
  bool ok = x.dim() == dims + 1 || x.dim() == dims + 2;
  for (int64_t i = std::max<int64_t>(x.dim() - dims - 1, 1); ok && i < x.dim(); ++i)
    ok = x.size(i) != 0;
  if (x.dim() == dims + 1 && x.dim() > 0 && x.size(0) == 0) ok = false;
  if (!ok)
    fail(std::string("Expected ") + std::to_string(dims + 1) + "D or " + std::to_string(dims + 2) +
         "D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for "
         "input, but got: " +
         to_string(x.sizes()));
  for (int i = 0; i < dims; ++i) {
    const int64_t dim = x.dim() - 1 - i, n = x.size(dim);
    const int64_t l = padding[size_t(2 * i)], r = padding[size_t(2 * i + 1)];
    if (reflect && !(l < n && r < n))
      fail("Argument #" + std::to_string(4 + 2 * i) +
           ": Padding size should be less than the corresponding input dimension, but got: "
           "padding (" +
           std::to_string(l) + ", " + std::to_string(r) + ") at dimension " + std::to_string(dim) +
           " of input " + to_string(x.sizes()));
    if (n + l + r < 1)
      fail(std::string("input (W: ") + std::to_string(n) +
           ") is too small. Calculated output W: " + std::to_string(n + l + r));
  }
}

Tensor reflection_pad(const Tensor& x, IntArrayRef padding, int dims, const char* op) {
  check_pad_input(x, padding, dims, true, op);
  return pad_dims(x, padding, PadMode::reflect);
}
Tensor replication_pad(const Tensor& x, IntArrayRef padding, int dims, const char* op) {
  check_pad_input(x, padding, dims, false, op);
  return pad_dims(x, padding, PadMode::replicate);
}

}  // namespace

Tensor constant_pad_nd(const Tensor& self, IntArrayRef pad, const Scalar& value) {
  check_defined(self, "constant_pad_nd");
  if (pad.size() % 2 != 0)
    fail("Length of pad must be even but instead it equals " + std::to_string(pad.size()));
  if (int64_t(pad.size() / 2) > self.dim())
    fail(
        "Length of pad should be no more than twice the number of dimensions of the input. Pad "
        "length is " +
        std::to_string(pad.size()) + "while the input has " + std::to_string(self.dim()) +
        "dimensions.");
  Tensor y = self;
  for (size_t i = 0; i < pad.size() / 2; ++i) {
    const int64_t dim = self.dim() - 1 - int64_t(i), l = pad[2 * i], r = pad[2 * i + 1];
    const int64_t n = self.size(dim);
    if (n + l + r <= 0)
      fail("The input size " + std::to_string(n) + ", plus negative padding " + std::to_string(l) +
           " and " + std::to_string(r) +
           " resulted in a negative output size, which is invalid. Check dimension " +
           std::to_string(dim) + " of your input.");
    if (l < 0) y = y.narrow(dim, -l, y.size(dim) + l);
    if (r < 0) y = y.narrow(dim, 0, y.size(dim) + r);
    if (l <= 0 && r <= 0) continue;
    std::vector<Tensor> parts;
    Shape block = y.sizes();
    if (l > 0) block[size_t(dim)] = l, parts.push_back(full(block, value, y.scalar_type()));
    parts.push_back(y);
    if (r > 0) block[size_t(dim)] = r, parts.push_back(full(block, value, y.scalar_type()));
    y = cat(parts, dim);
  }
  return y;
}

Tensor reflection_pad1d(const Tensor& self, IntArrayRef padding) {
  return reflection_pad(self, padding, 1, "reflection_pad1d");
}
Tensor reflection_pad2d(const Tensor& self, IntArrayRef padding) {
  return reflection_pad(self, padding, 2, "reflection_pad2d");
}
Tensor reflection_pad3d(const Tensor& self, IntArrayRef padding) {
  return reflection_pad(self, padding, 3, "reflection_pad3d");
}
Tensor replication_pad1d(const Tensor& self, IntArrayRef padding) {
  return replication_pad(self, padding, 1, "replication_pad1d");
}
Tensor replication_pad2d(const Tensor& self, IntArrayRef padding) {
  return replication_pad(self, padding, 2, "replication_pad2d");
}
Tensor replication_pad3d(const Tensor& self, IntArrayRef padding) {
  return replication_pad(self, padding, 3, "replication_pad3d");
}

Tensor _pad_circular(const Tensor& self, IntArrayRef padding) {
  check_defined(self, "_pad_circular");
  const int64_t dims = self.dim() - 2;
  if (int64_t(padding.size()) + 4 != self.dim() * 2)
    fail("Invalid padding size, expected " + std::to_string(dims * 2) + " but got " +
         std::to_string(padding.size()));
  for (int64_t i = 0; i < dims; ++i) {
    const int64_t n = self.size(self.dim() - 1 - i);
    const int64_t l = padding[size_t(2 * i)], r = padding[size_t(2 * i + 1)];
    if (l > n || r > n) fail("Padding value causes wrapping around more than once.");
    if (n + l + r < 0) fail("Negative padding value is resulting in an empty dimension");
  }
  return pad_dims(self, padding, PadMode::circular);
}

Tensor pad(const Tensor& self, IntArrayRef pad, const std::string& mode,
           std::optional<double> value) {
  check_defined(self, "pad");
  if (mode != "constant" && mode != "reflect" && mode != "replicate" && mode != "circular")
    fail("Unrecognised padding mode " + mode);
  if (pad.size() % 2 != 0) fail("Padding length must be divisible by 2");
  if (int64_t(pad.size()) > self.dim() * 2) fail("Padding length too large");
  if (mode == "constant") return constant_pad_nd(self, pad, value.value_or(0.0));
  if (value && *value != 0) fail("Padding mode \"" + mode + "\" doesn't take in value argument");
  const int64_t dims = int64_t(pad.size()) / 2;
  if (dims >= 1 && dims <= 3 && (self.dim() == dims + 1 || self.dim() == dims + 2)) {
    if (mode == "circular") return _pad_circular(self, pad);
    const bool reflect = mode == "reflect";
    const char* names[2][3] = {{"replication_pad1d", "replication_pad2d", "replication_pad3d"},
                               {"reflection_pad1d", "reflection_pad2d", "reflection_pad3d"}};
    const char* op = names[reflect][dims - 1];
    return reflect ? reflection_pad(self, pad, int(dims), op)
                   : replication_pad(self, pad, int(dims), op);
  }
  fail("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
}

}  // namespace tg
