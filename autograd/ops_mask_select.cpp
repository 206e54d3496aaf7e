// Masks and selections: masked_fill, any / all, and the Tensor methods that forward to them.
// masked_fill is where(mask, value, x), so its gradient is where's: g where the mask is off for
// x, the masked part of g summed for a 0-d tensor value.
#include <iostream>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// The mask as Bool. libtorch 1.13 also takes an integer mask holding only 0 and 1 (its kernel
// reads it as bytes); floating masks are refused here (libtorch silently ignores them).
static Tensor bool_mask(const Tensor& mask, const char* op) {
  check_defined(mask, op);
  if (mask.scalar_type() == kBool) return mask;
  if (mask.scalar_type() != kLong)
    fail(std::string(op) + " only supports boolean masks, but got mask with dtype " +
         dtype_name(mask.scalar_type()));
  const int64_t* p = ptr<int64_t>(mask);
  for (int64_t i = 0; i < mask.numel(); ++i)
    if (p[i] != 0 && p[i] != 1) {
      std::string msg = op;  // (appended: a + chain here trips GCC 12's -Warray-bounds)
      fail(msg.append(": Mask tensor can take 0 and 1 values only"));
    }
  return kern::cast(mask, kBool);
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, const Tensor& value) {
  check_defined(x, "masked_fill"), check_defined(value, "masked_fill");
  const Tensor m = bool_mask(mask, "masked_fill");
  if (value.dim() != 0)
    fail("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with " +
         std::to_string(value.dim()) + " dimension(s).");
  broadcast_shapes(x.sizes(), m.sizes(), "masked_fill");
  return where(m, value.scalar_type() == x.scalar_type() ? value : value.to(x.scalar_type()), x);
}
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value) {
  check_defined(x, "masked_fill");
  return masked_fill(x, mask, scalar_tensor(value, x.scalar_type()));
}
Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& v) const {
  return tg::masked_fill(*this, mask, v);
}
Tensor Tensor::masked_fill(const Tensor& mask, const Tensor& v) const {
  return tg::masked_fill(*this, mask, v);
}
// In place the mask must broadcast to self's shape (write_back refuses a larger result).
const Tensor& Tensor::masked_fill_(const Tensor& mask, const Tensor& v) const {
  detail::check_inplace(*this, "masked_fill_");
  return detail::write_back(*this, tg::masked_fill(*this, mask, v), "masked_fill_");
}
const Tensor& Tensor::masked_fill_(const Tensor& mask, const Scalar& v) const {
  check_defined(*this, "masked_fill_");
  return masked_fill_(mask, scalar_tensor(v, scalar_type()));
}

void Tensor::print() const {
  if (defined())
    std::cerr << "[" << toString() << " " << sizes() << "]" << std::endl;
  else
    std::cerr << "[UndefinedTensor]" << std::endl;
}

}  // namespace tg
