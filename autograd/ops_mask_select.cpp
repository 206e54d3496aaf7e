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

// ---- any / all: Bool results (of every dtype's truth values), no gradient ----
template <bool kAny>
static Tensor any_all(const Tensor& x, std::optional<int64_t> dim, bool keepdim, const char* op) {
  check_defined(x, op);
  const Tensor b = kern::cast(x, kBool);
  const bool* p = ptr<bool>(b);
  if (!dim) {
    bool r = !kAny;
    for (int64_t i = 0, n = x.numel(); i < n; ++i)
      if (p[i] == kAny) {
        r = kAny;
        break;
      }
    return scalar_tensor(r, kBool);
  }
  const int64_t d = wrap_dim(*dim, x.dim() ? x.dim() : 1, op);
  Shape s = x.sizes();
  int64_t outer = 1, inner = 1, n = x.dim() ? x.size(d) : 1;
  for (int64_t k = 0; k < x.dim(); ++k) {
    if (k < d) outer *= s[size_t(k)];
    if (k > d) inner *= s[size_t(k)];
  }
  if (x.dim()) {
    if (keepdim)
      s[size_t(d)] = 1;
    else
      s.erase(size_t(d));
  }
  Tensor out = make_tensor(s, kBool);
  bool* o = ptr<bool>(out);
  for (int64_t a = 0; a < outer; ++a)
    for (int64_t c = 0; c < inner; ++c) {
      bool r = !kAny;
      for (int64_t k = 0; k < n; ++k)
        if (p[(a * n + k) * inner + c] == kAny) {
          r = kAny;
          break;
        }
      o[a * inner + c] = r;
    }
  return out;
}
Tensor any(const Tensor& x) { return any_all<true>(x, std::nullopt, false, "any"); }
Tensor any(const Tensor& x, int64_t dim, bool keepdim) {
  return any_all<true>(x, dim, keepdim, "any");
}
Tensor all(const Tensor& x) { return any_all<false>(x, std::nullopt, false, "all"); }
Tensor all(const Tensor& x, int64_t dim, bool keepdim) {
  return any_all<false>(x, dim, keepdim, "all");
}
Tensor Tensor::any() const { return tg::any(*this); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return tg::any(*this, dim, keepdim); }
Tensor Tensor::all() const { return tg::all(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return tg::all(*this, dim, keepdim); }

void Tensor::print() const {
  if (defined())
    std::cerr << "[" << toString() << " " << sizes() << "]" << std::endl;
  else
    std::cerr << "[UndefinedTensor]" << std::endl;
}

}  // namespace tg
