// ATen free functions that are compositions of differentiable ops, so their gradients come from
// the ops they are made of: the add* family (beta * self + alpha * product), meshgrid, einsum.
#include <algorithm>
#include <map>
#include <string>

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {

// beta * self + alpha * prod, shaped like prod (self broadcasts to it, as libtorch's addmm).
// beta = 0 ignores self entirely (NaN and Inf there do not propagate), as libtorch.
static Tensor add_scaled(const Tensor& self, const Tensor& prod, const Scalar& beta,
                         const Scalar& alpha, const char* op) {
  check_defined(self, op);
  bool fits = true;
  try {
    fits = broadcast_shapes(self.sizes(), prod.sizes(), op) == Shape(prod.sizes());
  } catch (const Error&) {
    fits = false;
  }
  if (!fits)
    fail(std::string(op) + ": self of shape " + to_string(self.sizes()) +
         " cannot be broadcast to the product's shape " + to_string(prod.sizes()));
  Tensor p = alpha.to_double() == 1 ? prod : prod * alpha;
  if (beta.to_double() == 0) return p;
  return (beta.to_double() == 1 ? self : self * beta) + p;
}
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta,
             const Scalar& alpha) {
  return add_scaled(self, mm(mat1, mat2), beta, alpha, "addmm");
}
Tensor addmv(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta,
             const Scalar& alpha) {
  return add_scaled(self, mv(mat, vec), beta, alpha, "addmv");
}
Tensor baddbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
               const Scalar& alpha) {
  return add_scaled(self, bmm(batch1, batch2), beta, alpha, "baddbmm");
}
// The batch products summed: one (n, m) @ (m, p) of the batches laid side by side.
Tensor addbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2, const Scalar& beta,
              const Scalar& alpha) {
  check_defined(batch1, "addbmm"), check_defined(batch2, "addbmm");
  if (batch1.dim() != 3 || batch2.dim() != 3)
    fail("addbmm: batch1 must be a 3D tensor (got " + to_string(batch1.sizes()) +
         ") and batch2 must be a 3D tensor (got " + to_string(batch2.sizes()) + ")");
  return add_scaled(self, bmm(batch1, batch2).sum({0}), beta, alpha, "addbmm");
}
Tensor addcmul(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  check_defined(self, "addcmul");
  Tensor p = t1 * t2;
  return self + (value.to_double() == 1 ? p : p * value);
}
Tensor addcdiv(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  check_defined(self, "addcdiv");
  if (!is_floating_point(t1.scalar_type()) && !is_floating_point(t2.scalar_type()))
    fail(
        "addcdiv: Integer division with addcdiv is no longer supported, and in a future release "
        "addcdiv will perform a true division of tensor1 and tensor2.");
  Tensor q = t1 / t2;
  return self + (value.to_double() == 1 ? q : q * value);
}
Tensor Tensor::addmm(const Tensor& m1, const Tensor& m2, const Scalar& beta,
                     const Scalar& alpha) const {
  return tg::addmm(*this, m1, m2, beta, alpha);
}
Tensor Tensor::addcmul(const Tensor& t1, const Tensor& t2, const Scalar& value) const {
  return tg::addcmul(*this, t1, t2, value);
}
Tensor Tensor::addcdiv(const Tensor& t1, const Tensor& t2, const Scalar& value) const {
  return tg::addcdiv(*this, t1, t2, value);
}
const Tensor& Tensor::addcmul_(const Tensor& t1, const Tensor& t2, const Scalar& value) const {
  detail::check_inplace(*this, "addcmul_");
  return detail::write_back(*this, tg::addcmul(*this, t1, t2, value), "addcmul_");
}
const Tensor& Tensor::addcdiv_(const Tensor& t1, const Tensor& t2, const Scalar& value) const {
  detail::check_inplace(*this, "addcdiv_");
  return detail::write_back(*this, tg::addcdiv(*this, t1, t2, value), "addcdiv_");
}

// ---- meshgrid: each input viewed along its own dim and expanded ----
std::vector<Tensor> meshgrid(const TensorList& tensors, const std::string& indexing) {
  if (tensors.empty()) fail("torch.meshgrid: expects a non-empty TensorList");
  if (indexing != "ij" && indexing != "xy")
    fail("torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: " + indexing);
  TensorList in = tensors;
  const bool swap = indexing == "xy" && in.size() >= 2;
  if (swap) std::swap(in[0], in[1]);  // xy is ij with the first two inputs' roles exchanged
  Shape shape;
  for (const Tensor& t : in) {
    check_defined(t, "meshgrid");
    if (t.dim() > 1)
      fail("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: " +
           to_string(t.sizes()));
    if (t.scalar_type() != in[0].scalar_type())
      fail("torch.meshgrid: expects all tensors to have the same dtype");
    shape.push_back(t.numel());
  }
  std::vector<Tensor> out;
  for (size_t k = 0; k < in.size(); ++k) {
    Shape view(std::vector<int64_t>(in.size(), 1));
    view[k] = shape[k];
    out.push_back(in[k].reshape(view).expand(shape));
  }
  if (swap) std::swap(out[0], out[1]);
  return out;
}
std::vector<Tensor> meshgrid(const TensorList& tensors) { return meshgrid(tensors, "ij"); }

// ---- einsum ----
// Each operand first loses its repeated labels (a diagonal, taken with take) and the labels
// no other operand or the output has (summed). Operands are then contracted left to right: the
// labels both share are batch dims if still needed later, else summed by a bmm; the result is
// finally permuted to the output's order. All of it is differentiable ops.
namespace {
struct Operand {
  Tensor t;
  std::string labels;  // one per dim, distinct after normalisation
};

[[noreturn]] void einsum_fail(const std::string& msg) { fail("einsum(): " + msg); }

// (Appended piecewise: a chain of string + ... here trips GCC 12's -Warray-bounds.)
[[noreturn]] void mismatch_fail(char c, int64_t a, int64_t b) {
  std::string m = "subscript ";
  m += c;
  m.append(" is repeated for operand but the sizes don't match, ");
  m.append(std::to_string(a)).append(" != ").append(std::to_string(b));
  einsum_fail(m);
}

// t with labels `ls` (maybe repeated) -> the tensor over the distinct labels (first-seen
// order) holding t's diagonal where labels repeat.
Operand diagonal_of(const Tensor& t, const std::string& ls) {
  std::string uniq;
  for (char c : ls)
    if (uniq.find(c) == std::string::npos) uniq += c;
  if (uniq.size() == ls.size()) return {t, ls};
  int64_t stride[Shape::kMaxDims];
  for (int64_t d = t.dim() - 1, s = 1; d >= 0; --d) stride[d] = s, s *= t.size(d);
  Shape out_shape;
  std::vector<int64_t> ustride;
  for (char c : uniq) {
    int64_t size = -1, st = 0;
    for (size_t d = 0; d < ls.size(); ++d)
      if (ls[d] == c) {
        if (size >= 0 && size != t.size(int64_t(d))) mismatch_fail(c, size, t.size(int64_t(d)));
        size = t.size(int64_t(d)), st += stride[d];
      }
    out_shape.push_back(size);
    ustride.push_back(st);
  }
  std::vector<int64_t> offs{0};
  for (size_t k = 0; k < uniq.size(); ++k) {
    std::vector<int64_t> next;
    for (int64_t o : offs)
      for (int64_t i = 0; i < out_shape[k]; ++i) next.push_back(o + i * ustride[k]);
    offs.swap(next);
  }
  return {take(t, tensor(offs, kLong).reshape(out_shape)), uniq};
}

// Sums away the labels of `op` that are not in `keep`.
void sum_unneeded(Operand& op, const std::string& keep) {
  std::vector<int64_t> dims;
  std::string rest;
  for (size_t d = 0; d < op.labels.size(); ++d)
    if (keep.find(op.labels[d]) == std::string::npos)
      dims.push_back(int64_t(d));
    else
      rest += op.labels[d];
  if (dims.empty()) return;
  op.t = op.t.sum(dims);
  op.labels = rest;
}

int64_t size_of(const Operand& op, char c) { return op.t.size(int64_t(op.labels.find(c))); }

// Contracts a and b; the result keeps the labels in `keep` (batch, then a's, then b's).
Operand contract(const Operand& a, const Operand& b, const std::string& keep) {
  std::string batch, summed, left, right;
  for (char c : a.labels) {
    const bool in_b = b.labels.find(c) != std::string::npos;
    if (in_b && keep.find(c) != std::string::npos)
      batch += c;
    else if (in_b)
      summed += c;
    else
      left += c;
  }
  for (char c : b.labels)
    if (a.labels.find(c) == std::string::npos) right += c;
  for (char c : batch + summed)
    if (size_of(a, c) != size_of(b, c))
      einsum_fail(std::string("operands do not broadcast with remapped shapes: subscript ") + c +
                  " has size " + std::to_string(size_of(a, c)) + " and " +
                  std::to_string(size_of(b, c)));
  auto arrange = [](const Operand& op, const std::string& order, IntArrayRef groups_sizes) {
    std::vector<int64_t> perm;
    for (char c : order) perm.push_back(int64_t(op.labels.find(c)));
    return op.t.permute(perm).reshape(groups_sizes);
  };
  auto prod = [](const Operand& op, const std::string& ls) {
    int64_t n = 1;
    for (char c : ls) n *= size_of(op, c);
    return n;
  };
  const int64_t nb = prod(a, batch), ns = prod(a, summed), nl = prod(a, left), nr = prod(b, right);
  Tensor am = arrange(a, batch + left + summed, {nb, nl, ns});
  Tensor bm = arrange(b, batch + summed + right, {nb, ns, nr});
  std::vector<int64_t> shape;
  for (char c : batch + left) shape.push_back(size_of(a, c));
  for (char c : right) shape.push_back(size_of(b, c));
  return {bmm(am, bm).reshape(shape), batch + left + right};
}
}  // namespace

Tensor einsum(const std::string& equation, const TensorList& tensors) {
  std::string eq;
  for (char c : equation)
    if (c != ' ') eq += c;
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<std::string> subs{""};
  for (char c : lhs) {
    if (c == ',')
      subs.emplace_back();
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      subs.back() += c;
    else if (c == '.')
      einsum_fail("ellipsis (...) in the equation is not supported by tapegrad");
    else
      einsum_fail(std::string("invalid subscript given at index ") +
                  std::to_string(equation.find(c)) +
                  " in the equation string, subscripts must be in [a-zA-Z]");
  }
  if (subs.size() != tensors.size())
    einsum_fail(std::to_string(subs.size()) + " operands were specified in the equation but " +
                std::to_string(tensors.size()) + " were given");
  std::map<char, int> count;
  for (const auto& s : subs)
    for (char c : s) ++count[c];
  std::string out;
  if (arrow != std::string::npos) {
    out = eq.substr(arrow + 2);
    for (char c : out) {
      if (count.find(c) == count.end())
        einsum_fail(std::string("output subscript ") + c +
                    " does not appear in the equation for any input operand");
      if (std::count(out.begin(), out.end(), c) > 1)
        einsum_fail(std::string("output subscript ") + c + " appears more than once in the output");
    }
  } else {  // implicit output: the labels seen once, in alphabetical order
    for (const auto& [c, n] : count)
      if (n == 1) out += c;
  }
  std::vector<Operand> ops;
  for (size_t k = 0; k < subs.size(); ++k) {
    check_defined(tensors[k], "einsum");
    if (int64_t(subs[k].size()) != tensors[k].dim())
      einsum_fail("the number of subscripts in the equation (" + std::to_string(subs[k].size()) +
                  ") does not match the number of dimensions (" + std::to_string(tensors[k].dim()) +
                  ") for operand " + std::to_string(k) + " and no ellipsis was given");
    ops.push_back(diagonal_of(tensors[k], subs[k]));
  }
  // What each operand must keep: labels in the output or in any other operand.
  for (size_t k = 0; k < ops.size(); ++k) {
    std::string keep = out;
    for (size_t j = 0; j < ops.size(); ++j)
      if (j != k) keep += ops[j].labels;
    sum_unneeded(ops[k], keep);
  }
  Operand acc = ops[0];
  for (size_t k = 1; k < ops.size(); ++k) {
    std::string keep = out;
    for (size_t j = k + 1; j < ops.size(); ++j) keep += ops[j].labels;
    acc = contract(acc, ops[k], keep);
  }
  sum_unneeded(acc, out);
  std::vector<int64_t> perm;
  for (char c : out) perm.push_back(int64_t(acc.labels.find(c)));
  return out.empty() ? acc.t.reshape({}) : acc.t.permute(perm);
}

}  // namespace tg
