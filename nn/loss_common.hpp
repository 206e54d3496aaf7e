// Internal (not installed): argument checks and the reduction shared by the loss_functional_*.cpp
// files, so that every loss words its errors the same way: "<op>: <what> ... <shapes>".
#pragma once

#include <algorithm>
#include <string>

#include "../autograd/c10_util.hpp"
#include "../autograd/functions.hpp"
#include "enum.hpp"

namespace tg::nn::functional::detail {

inline std::string shape(const Tensor& t) { return to_string(t.sizes()); }

inline void check_defined(const Tensor& t, const char* op, const char* what) {
  if (!t.defined()) throw Error(std::string(op) + ": " + what + " is an undefined tensor");
}

inline void check_floating_input(const Tensor& t, const char* op, const char* what) {
  check_defined(t, op, what);
  if (!t.is_floating_point())
    throw Error(std::string(op) + ": expected a floating-point " + what + ", got " +
                dtype_name(t.scalar_type()) + " of shape " + shape(t));
}

// True if `from` broadcasts to exactly `to` (an elementwise weight must not enlarge the loss).
inline bool broadcasts_to(IntArrayRef from, IntArrayRef to) {
  if (from.size() > to.size()) return false;
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t f = from[from.size() - 1 - i], t = to[to.size() - 1 - i];
    if (f != 1 && f != t) return false;
  }
  return true;
}

inline bool broadcastable(IntArrayRef a, IntArrayRef b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    int64_t x = a[a.size() - 1 - i], y = b[b.size() - 1 - i];
    if (x != y && x != 1 && y != 1) return false;
  }
  return true;
}

// `target`, a float tensor broadcastable with the input (l1, mse, huber, ...).
inline void check_broadcast_target(const Tensor& input, const Tensor& target, const char* op) {
  check_floating_input(input, op, "input");
  check_floating_input(target, op, "target");
  if (!broadcastable(input.sizes(), target.sizes()))
    throw Error(std::string(op) + ": target size " + shape(target) +
                " is not broadcastable with input size " + shape(input));
}

// `b` (a float target, a second input) must have exactly a's shape.
inline void check_same_shape(const Tensor& a, const Tensor& b, const char* op, const char* what_a,
                             const char* what_b) {
  check_floating_input(a, op, what_a);
  check_floating_input(b, op, what_b);
  if (a.sizes() != b.sizes())
    throw Error(std::string(op) + ": " + what_b + " size " + shape(b) + " must match " + what_a +
                " size " + shape(a));
}

inline void check_weight_broadcast(const Tensor& w, const Tensor& input, const char* op,
                                   const char* what) {
  if (!w.defined()) return;
  if (!broadcasts_to(w.sizes(), input.sizes()))
    throw Error(std::string(op) + ": " + what + " of shape " + shape(w) +
                " can not be broadcast to the input size " + shape(input));
}

// A class index outside [0, C): the error every class-index loss throws.
inline Error class_out_of_bounds(const char* op, int64_t k, int64_t n_classes,
                                 const Tensor& input) {
  return Error(std::string(op) + ": target " + std::to_string(k) + " is out of bounds for " +
               std::to_string(n_classes) + " classes (input shape " + shape(input) + ")");
}

inline Tensor reduce(const Tensor& loss, Reduction r) {
  switch (r) {
    case Reduction::None:
      return loss;
    case Reduction::Sum:
      return loss.sum();
    case Reduction::Mean:
      break;
  }
  return loss.mean();
}

// libtorch's F::mse_loss / smooth_l1_loss / huber_loss warning (they broadcast the target).
inline void warn_target_size(const Tensor& input, const Tensor& target) {
  if (input.defined() && target.defined() && target.sizes() != input.sizes())
    TORCH_WARN("Using a target size (", target.sizes(), ") that is different to the input size (",
               input.sizes(), "). ",
               "This will likely lead to incorrect results due to broadcasting. ",
               "Please ensure they have the same size.");
}

// The losses without F::'s warning, for tg::mse_loss & co. (loss_aten.cpp).
Tensor mse_loss_impl(const Tensor& input, const Tensor& target, Reduction r);
Tensor huber_loss_impl(const Tensor& input, const Tensor& target, Reduction r, double delta);
Tensor smooth_l1_loss_impl(const Tensor& input, const Tensor& target, Reduction r, double beta);

}  // namespace tg::nn::functional::detail
