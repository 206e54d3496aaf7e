// Helpers shared by the compat programs; like shim.hpp they compile against both libraries.
#pragma once
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "shim.hpp"

using torch::Tensor;

// A leaf with det() values: scale * sin(0.7 i + phase) + shift. Distinct phases per input keep
// two inputs from ever tying (maximum, minimum, max(dim) pick a side at a tie).
inline Tensor leaf(std::vector<int64_t> shape, double scale = 1.0, double phase = 0.3,
                   double shift = 0.0) {
  return det(std::move(shape), scale, phase).add(shift).requires_grad_(true);
}
// Same values pushed at least `gap` away from zero, for abs / relu / sign and friends.
inline Tensor leaf_away(std::vector<int64_t> shape, double gap = 0.25, double phase = 0.3) {
  auto t = det(std::move(shape), 1.0, phase);
  return t.add(t.sign().mul(gap)).requires_grad_(true);
}

// A fixed weight shaped like y. Backpropagating sum(y * w) instead of sum(y) gives every
// output element a different multiplier, so a transposed or misplaced gradient shows.
inline Tensor weight_like(const Tensor& y) {
  return det(y.sizes().vec(), 1.0, 0.5).add(1.25).to(y.scalar_type());
}

// Emits a gradient; an undefined one gets a row without values, which never matches.
inline void emit_grad(const std::string& name, const Tensor& g) {
  if (g.defined())
    emit(name, g);
  else
    std::printf("%s\n", name.c_str());
}

// Emits y, then d sum(y * w) / d leaf for each leaf (rows name/d0, name/d1, ...).
// Leaves must be fresh: their .grad() is read after exactly one backward.
inline void check(const std::string& name, const Tensor& y, const std::vector<Tensor>& leaves) {
  emit(name, y);
  (y * weight_like(y)).sum().backward();
  for (size_t i = 0; i < leaves.size(); ++i)
    emit_grad(name + "/d" + std::to_string(i), leaves[i].grad());
}

// Several outputs (chunk, split, max(dim)'s values): one row per output, one backward of
// sum_k sum(ys[k] * w_k) with a different weight per output.
inline void check_list(const std::string& name, const std::vector<Tensor>& ys,
                       const std::vector<Tensor>& leaves) {
  Tensor loss;
  for (size_t k = 0; k < ys.size(); ++k) {
    emit(name + "/" + std::to_string(k), ys[k]);
    auto term = (ys[k] * weight_like(ys[k]).mul(double(k + 1))).sum();
    loss = loss.defined() ? loss + term : term;
  }
  loss.backward();
  for (size_t i = 0; i < leaves.size(); ++i)
    emit_grad(name + "/d" + std::to_string(i), leaves[i].grad());
}

// Runs one case; an exception costs that case's rows only (they show up as missing), not the
// rest of the program.
inline void section(const std::string& name, const std::function<void(const std::string&)>& body) {
  try {
    body(name);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: threw: %s\n", name.c_str(), e.what());
  }
}

// "2x3" for a shape, "s" for a 0-d tensor: row names must not contain spaces.
inline std::string shape_tag(const std::vector<int64_t>& s) {
  if (s.empty()) return "s";
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "x" : "") + std::to_string(s[i]);
  return r;
}

// A flag as a one-value row, for is_leaf(), requires_grad(), defined() and thrown errors.
inline void emit_flag(const std::string& name, bool v) {
  std::printf("%s %d\n", name.c_str(), v ? 1 : 0);
}

// Runs `body`; emits 1 if it threw (the oracle decides which misuses are errors).
inline void expect_throw(const std::string& name, const std::function<void()>& body) {
  bool threw = false;
  try {
    body();
  } catch (const std::exception&) {
    threw = true;
  }
  emit_flag(name, threw);
}

// Text (what `std::cout << module` prints) as a row of character codes: rows hold numbers, and
// a mismatch then reports the first differing position.
inline void emit_text(const std::string& name, const std::string& text) {
  std::printf("%s", name.c_str());
  for (unsigned char c : text) std::printf(" %d", int(c));
  std::printf("\n");
}

// Converts a module to float64 and gives every parameter fixed det() values, in
// named_parameters() order (the same in both libraries).
template <class M>
void fix_params(M& module) {
  module->to(torch::kDouble);
  torch::NoGradGuard no_grad;
  double phase = 0.1;
  for (auto& p : module->named_parameters()) {
    p.value().copy_(det(p.value().sizes().vec(), 0.4, phase));
    phase += 0.37;
  }
}
