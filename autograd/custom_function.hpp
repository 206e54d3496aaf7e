// Custom operations with a hand-written backward, as libtorch's torch::autograd::Function:
//
//   struct MulConst : tg::autograd::Function<MulConst> {
//     static tg::Tensor forward(tg::autograd::AutogradContext* ctx, tg::Tensor x, double k) {
//       ctx->saved_data["k"] = k;
//       return x * k;                      // runs with grad mode off
//     }
//     static tg::autograd::tensor_list backward(tg::autograd::AutogradContext* ctx,
//                                               tg::autograd::tensor_list g) {
//       return {g[0] * ctx->saved_data["k"].toDouble(), tg::Tensor()};  // one per forward arg
//     }
//   };
//   auto y = MulConst::apply(x, 2.0);     // one tape entry, op name "MulConst"
//
// apply() runs forward under NoGradGuard and records ONE tape entry whose backward calls
// Derived::backward. Saved variables (save_for_backward) get the tape's version checks, and
// under create_graph they come back attached to the tape, so a backward written with tg:: ops
// is differentiable again (gradgradcheck works as for built-in ops). forward may return one
// Tensor or a variable_list; several outputs are recorded as one entry whose output packs
// them (flattened, concatenated), and each returned output is a recorded slice of it.
// Differences from libtorch: mark_dirty and set_materialize_grads are not provided (grads of
// unused outputs are always zeros); in a multi-output function, a saved *output* is a constant
// for higher derivatives (save inputs instead).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "functions.hpp"
#include "tensor.hpp"

namespace tg::autograd {

using Variable = Tensor;
using variable_list = std::vector<Tensor>;
using tensor_list = std::vector<Tensor>;

// The subset of c10::IValue that custom functions keep in saved_data: None, double, int64,
// bool, Tensor, string. The accessors throw tg::Error on a type mismatch.
class IValue {
 public:
  IValue() = default;
  IValue(double v) : v_(v) {}                    // NOLINT: implicit, as c10::IValue
  IValue(int64_t v) : v_(v) {}                   // NOLINT
  IValue(int v) : v_(int64_t(v)) {}              // NOLINT
  IValue(bool v) : v_(v) {}                      // NOLINT
  IValue(Tensor v) : v_(std::move(v)) {}         // NOLINT
  IValue(std::string v) : v_(std::move(v)) {}    // NOLINT
  IValue(const char* v) : v_(std::string(v)) {}  // NOLINT: else a literal would become a bool
  bool isNone() const { return v_.index() == 0; }
  bool isDouble() const { return std::holds_alternative<double>(v_); }
  bool isInt() const { return std::holds_alternative<int64_t>(v_); }
  bool isBool() const { return std::holds_alternative<bool>(v_); }
  bool isTensor() const { return std::holds_alternative<Tensor>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }
  double toDouble() const { return get<double>("Double"); }
  int64_t toInt() const { return get<int64_t>("Int"); }
  bool toBool() const { return get<bool>("Bool"); }
  Tensor toTensor() const { return get<Tensor>("Tensor"); }
  const std::string& toStringRef() const { return get<std::string>("String"); }
  const char* tagKind() const;  // "None", "Double", "Int", "Bool", "Tensor", "String"

 private:
  template <class T>
  const T& get(const char* want) const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    bad_access(want);
  }
  [[noreturn]] void bad_access(const char* want) const;
  std::variant<std::monostate, double, int64_t, bool, Tensor, std::string> v_;
};

namespace detail {
struct CustomOp;
class CustomCall;
}  // namespace detail

// What forward leaves for backward (libtorch's torch::autograd::AutogradContext).
struct AutogradContext {
  AutogradContext() = default;
  AutogradContext(const AutogradContext&) = delete;
  AutogradContext& operator=(const AutogradContext&) = delete;

  std::unordered_map<std::string, IValue> saved_data;  // non-tensor state (or tensors, unchecked)

  // Tensors for backward (inputs or outputs): version-checked, and differentiable under
  // create_graph. Call from forward.
  void save_for_backward(variable_list to_save);
  variable_list get_saved_variables() const;
  // These outputs get no gradient and do not require grad.
  void mark_non_differentiable(const variable_list& outputs);
  // Does the i-th tensor argument of forward need a gradient?
  bool needs_input_grad(size_t i) const;

 private:
  friend struct detail::CustomOp;
  friend class detail::CustomCall;
  detail::CustomOp* op_ = nullptr;
  variable_list to_save_;
  std::vector<const void*> non_differentiable_;
};

namespace detail {
using UserBackward = variable_list (*)(AutogradContext*, variable_list);

// One custom call in progress: owns the future tape node until finish() records it.
class CustomCall {
 public:
  CustomCall(const std::type_info& type, UserBackward backward, variable_list inputs,
             std::vector<bool> is_var);
  ~CustomCall();
  CustomCall(const CustomCall&) = delete;
  CustomCall& operator=(const CustomCall&) = delete;
  AutogradContext* ctx();
  Tensor finish(const Tensor& out);
  variable_list finish(const variable_list& outs);

 private:
  std::unique_ptr<CustomOp> op_;
};

// Which forward arguments are tensors (libtorch's ExtractVariables): a Tensor is one input, a
// TensorList one input per element, anything else is a non-tensor argument.
inline void extract(std::vector<bool>& is_var, variable_list& list, const Tensor& x) {
  is_var.push_back(true);
  list.push_back(x);
}
inline void extract(std::vector<bool>& is_var, variable_list& list, const variable_list& xs) {
  for (const Tensor& x : xs) extract(is_var, list, x);
}
template <class T>
void extract(std::vector<bool>& is_var, variable_list&, const T&) {
  is_var.push_back(false);
}
}  // namespace detail

template <class T>
struct Function {
  template <typename X = T, typename... Args>
  static auto apply(Args&&... args)
      -> std::enable_if_t<std::is_same_v<X, T>,
                          decltype(X::forward(nullptr, std::declval<Args>()...))> {
    using Out = decltype(X::forward(nullptr, std::declval<Args>()...));
    variable_list inputs;
    std::vector<bool> is_var;
    (detail::extract(is_var, inputs, args), ...);
    detail::UserBackward bw = [](AutogradContext* c, variable_list g) -> variable_list {
      return X::backward(c, std::move(g));
    };
    detail::CustomCall call(typeid(X), bw, std::move(inputs), std::move(is_var));
    Out out;
    {
      AutoGradMode no_grad(false);
      out = X::forward(call.ctx(), std::forward<Args>(args)...);
    }
    return call.finish(out);
  }
};

}  // namespace tg::autograd
