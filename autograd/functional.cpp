// torch.autograd.functional on the tape: everything is vjp sweeps (autograd::grad), sometimes
// nested with create_graph=true to get second derivatives.
#include "functional.hpp"

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg::autograd::functional {

namespace {
// Inputs fn's graph can start from. Fresh leaves, so the caller's tensors stay out -- except
// under create_graph, where an input that requires grad enters through a recorded view (as
// PyTorch's _grad_preprocess does), so the results differentiate on to the caller's tensors
// (a third derivative from hessian(..., create_graph=true)).
TensorList fresh_leaves(const TensorList& inputs, const char* op, bool create_graph) {
  TensorList out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    check_floating(inputs[i], op);
    if (create_graph && inputs[i].requires_grad())
      out.push_back(inputs[i].view(inputs[i].sizes()));
    else
      out.push_back(inputs[i].detach().requires_grad_(true));
  }
  return out;
}
Tensor call(const Fn& fn, const TensorList& x, const char* op) {
  Tensor y = fn(x);
  if (!y.defined()) fail(std::string(op) + ": the function returned an undefined tensor");
  return y;
}
// Gradients that a tensor never reached are zeros (PyTorch's strict=False behaviour).
TensorList zeros_for_unused(TensorList g, const TensorList& like) {
  for (size_t i = 0; i < g.size(); ++i)
    if (!g[i].defined()) g[i] = zeros_like(like[i]);
  return g;
}
TensorList grads(const Tensor& y, const TensorList& x, const Tensor& v, bool create_graph) {
  if (!y.requires_grad()) {  // fn does not depend on its inputs at all
    TensorList z;
    for (const Tensor& t : x) z.push_back(zeros_like(t));
    return z;
  }
  return zeros_for_unused(tg::autograd::grad({y}, x, {v}, true, create_graph, true), x);
}
Tensor maybe_detach(const Tensor& t, bool create_graph) { return create_graph ? t : t.detach(); }
}  // namespace

std::pair<Tensor, TensorList> vjp(const Fn& fn, const TensorList& inputs, const Tensor& v,
                                  bool create_graph) {
  TensorList x = fresh_leaves(inputs, "vjp", create_graph);
  Tensor y = call(fn, x, "vjp");
  if (!v.defined() && y.numel() != 1)
    fail("vjp: v can be omitted only for a function with a single-element output (output shape " +
         to_string(y.sizes()) + ")");
  if (v.defined() && v.sizes() != y.sizes())
    fail("vjp: v has shape " + to_string(v.sizes()) + " but the output has shape " +
         to_string(y.sizes()));
  TensorList g = grads(y, x, v, create_graph);
  for (Tensor& t : g) t = maybe_detach(t, create_graph);
  return {maybe_detach(y, create_graph), g};
}

std::pair<Tensor, Tensor> jvp(const Fn& fn, const TensorList& inputs, const TensorList& v,
                              bool create_graph) {
  if (v.size() != inputs.size()) fail("jvp: v needs one tensor per input");
  TensorList x = fresh_leaves(inputs, "jvp", create_graph);
  Tensor y = call(fn, x, "jvp");
  // g(u) = u^T J is linear in u; its vjp with v gives (J v)^T.
  Tensor u = zeros_like(y).requires_grad_(true);
  TensorList ut_j = grads(y, x, u, true);
  Tensor dot;
  for (size_t i = 0; i < x.size(); ++i) {
    if (v[i].sizes() != x[i].sizes())
      fail("jvp: v[" + std::to_string(i) + "] has shape " + to_string(v[i].sizes()) +
           ", expected " + to_string(x[i].sizes()));
    Tensor term = (ut_j[i] * v[i]).sum();
    dot = dot.defined() ? dot + term : term;
  }
  Tensor jv = dot.requires_grad() ? tg::autograd::grad({dot}, {u}, {}, true, create_graph, true)[0]
                                  : Tensor();
  if (!jv.defined()) jv = zeros_like(y);
  return {maybe_detach(y, create_graph), maybe_detach(jv, create_graph)};
}

TensorList jacobian(const Fn& fn, const TensorList& inputs, bool create_graph) {
  TensorList x = fresh_leaves(inputs, "jacobian", create_graph);
  Tensor y = call(fn, x, "jacobian");
  const int64_t m = y.numel();
  std::vector<TensorList> rows(x.size());
  for (int64_t j = 0; j < m; ++j) {
    Tensor seed = zeros_like(y);
    seed.reshape({-1}).narrow(0, j, 1).fill_(1);
    TensorList g = grads(y, x, seed, create_graph);
    for (size_t i = 0; i < x.size(); ++i) rows[i].push_back(maybe_detach(g[i], create_graph));
  }
  TensorList J;
  for (size_t i = 0; i < x.size(); ++i) {
    Shape s = y.sizes();
    for (int64_t d : x[i].sizes()) s.push_back(d);
    J.push_back(m == 0 ? zeros(s, x[i].scalar_type()) : stack(rows[i]).reshape(s));
  }
  return J;
}

std::vector<TensorList> hessian(const Fn& fn, const TensorList& inputs, bool create_graph) {
  // The Hessian is the Jacobian of the gradient: differentiate fn's gradient (kept on the
  // tape with create_graph) once more, input block by input block.
  TensorList x = fresh_leaves(inputs, "hessian", create_graph);
  Tensor y = call(fn, x, "hessian");
  if (y.numel() != 1)
    fail("hessian: the function must return a single element, got shape " + to_string(y.sizes()));
  TensorList g = grads(y, x, {}, true);
  std::vector<TensorList> H(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t n = g[i].numel();
    std::vector<TensorList> rows(x.size());
    Tensor gi = g[i].reshape({-1});
    for (int64_t k = 0; k < n; ++k) {
      Tensor seed = zeros_like(gi);
      seed.narrow(0, k, 1).fill_(1);
      TensorList second = grads(gi, x, seed, create_graph);
      for (size_t j = 0; j < x.size(); ++j)
        rows[j].push_back(maybe_detach(second[j], create_graph));
    }
    for (size_t j = 0; j < x.size(); ++j) {
      Shape s = x[i].sizes();
      for (int64_t d : x[j].sizes()) s.push_back(d);
      H[i].push_back(n == 0 ? zeros(s, x[j].scalar_type()) : stack(rows[j]).reshape(s));
    }
  }
  return H;
}

std::pair<Tensor, TensorList> vhp(const Fn& fn, const TensorList& inputs, const TensorList& v,
                                  bool create_graph) {
  if (v.size() != inputs.size()) fail("vhp: v needs one tensor per input");
  TensorList x = fresh_leaves(inputs, "vhp", create_graph);
  Tensor y = call(fn, x, "vhp");
  if (y.numel() != 1)
    fail("vhp: the function must return a single element, got shape " + to_string(y.sizes()));
  TensorList g = grads(y, x, {}, true);
  Tensor dot;
  for (size_t i = 0; i < x.size(); ++i) {
    if (v[i].sizes() != x[i].sizes())
      fail("vhp: v[" + std::to_string(i) + "] has shape " + to_string(v[i].sizes()) +
           ", expected " + to_string(x[i].sizes()));
    Tensor term = (g[i] * v[i]).sum();
    dot = dot.defined() ? dot + term : term;
  }
  TensorList hv = grads(dot, x, {}, create_graph);
  for (Tensor& t : hv) t = maybe_detach(t, create_graph);
  return {maybe_detach(y, create_graph), hv};
}

std::pair<Tensor, TensorList> hvp(const Fn& fn, const TensorList& inputs, const TensorList& v,
                                  bool create_graph) {
  // For a twice-differentiable scalar function the Hessian is symmetric, so H v = (v^T H)^T.
  return vhp(fn, inputs, v, create_graph);
}

}  // namespace tg::autograd::functional
