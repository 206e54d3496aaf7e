// tg::autograd::functional: PyTorch's torch.autograd.functional, built on the tape.
//
//   auto f = [](const tg::TensorList& x) { return (x[0] * x[0] * x[0]).sum(); };   // sum x^3
//   auto x = tg::tensor({1.0, 2.0}, tg::kDouble);
//   auto H = tg::autograd::functional::hessian(f, {x});   // H[0][0] = diag(6x) = [[6,0],[0,12]]
//   auto [fx, hv] = tg::autograd::functional::hvp(f, {x}, {tg::ones({2}, tg::kDouble)});
//
// Every function evaluates `fn` on fresh leaves (detached copies of the inputs that require
// grad), so the caller's tensors and their .grad() are never touched. With create_graph=true
// the results stay on the tape and can be differentiated again.
#pragma once

#include <functional>
#include <utility>

#include "tensor.hpp"

namespace tg::autograd::functional {

// A function of several tensors returning one tensor.
using Fn = std::function<Tensor(const TensorList&)>;

// vjp: (fn(x), v^T J) -- one backward sweep.
std::pair<Tensor, TensorList> vjp(const Fn& fn, const TensorList& inputs, const Tensor& v = {},
                                  bool create_graph = false);
// jvp: (fn(x), J v) -- by the double-vjp trick: J v = d/du [u^T J] v, two sweeps.
std::pair<Tensor, Tensor> jvp(const Fn& fn, const TensorList& inputs, const TensorList& v,
                              bool create_graph = false);
// jacobian: J[i] has shape output.sizes() + inputs[i].sizes() -- one sweep per output element.
TensorList jacobian(const Fn& fn, const TensorList& inputs, bool create_graph = false);
// hessian of a scalar fn: H[i][j] has shape inputs[i].sizes() + inputs[j].sizes().
std::vector<TensorList> hessian(const Fn& fn, const TensorList& inputs, bool create_graph = false);
// hvp = H v and vhp = v^T H of a scalar fn (equal: H is symmetric), with fn(x).
std::pair<Tensor, TensorList> hvp(const Fn& fn, const TensorList& inputs, const TensorList& v,
                                  bool create_graph = false);
std::pair<Tensor, TensorList> vhp(const Fn& fn, const TensorList& inputs, const TensorList& v,
                                  bool create_graph = false);

}  // namespace tg::autograd::functional
