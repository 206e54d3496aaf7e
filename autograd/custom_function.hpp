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
// mark_dirty({x}) (forward wrote x in place and returns it): the returned tensor is x itself,
// re-based onto the op's entry as an in-place op's result. set_materialize_grads(false): an
// output that got no gradient passes an undefined tensor to backward instead of zeros.
// Differences from libtorch: an entry that no gradient reached is not run at all (even with
// materialized grads); in a multi-output function, a saved *output* is a constant for higher
// derivatives (save inputs instead).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#include "functions.hpp"
#include "tensor.hpp"

namespace tg::autograd {

using Variable = Tensor;
using variable_list = std::vector<Tensor>;
using tensor_list = std::vector<Tensor>;
using IndexRange = std::pair<size_t, size_t>;  // [begin, end) of forward's tensor arguments

// The subset of c10::IValue that custom functions keep in saved_data: None, double, int64,
// bool, Tensor, string. The accessors throw tg::Error on a type mismatch.
// A tag and one member per kind rather than a std::variant: the variant's machinery cost
// ~4 MB of compiler memory in every program that includes <tapegrad.hpp>, for a value that is
// only ever stored and read back.
class IValue {
 public:
  // (The constructors are out of line, in custom_function.cpp, so that a program that uses no
  // custom function does not compile them.)
  IValue();
  IValue(double v);       // NOLINT: implicit
  IValue(int64_t v);      // NOLINT
  IValue(int v);          // NOLINT
  IValue(bool v);         // NOLINT
  IValue(Tensor v);       // NOLINT
  IValue(std::string v);  // NOLINT
  IValue(const char* v);  // NOLINT: else a literal is a bool
  bool isNone() const { return tag_ == Tag::None; }
  bool isDouble() const { return tag_ == Tag::Double; }
  bool isInt() const { return tag_ == Tag::Int; }
  bool isBool() const { return tag_ == Tag::Bool; }
  bool isTensor() const { return tag_ == Tag::Tensor; }
  bool isString() const { return tag_ == Tag::String; }
  double toDouble() const {
    expect(Tag::Double);
    return double_;
  }
  int64_t toInt() const {
    expect(Tag::Int);
    return int_;
  }
  bool toBool() const {
    expect(Tag::Bool);
    return bool_;
  }
  Tensor toTensor() const {
    expect(Tag::Tensor);
    return tensor_;
  }
  const std::string& toStringRef() const {
    expect(Tag::String);
    return string_;
  }
  const char* tagKind() const;  // "None", "Double", "Int", "Bool", "Tensor", "String"

 private:
  enum class Tag : unsigned char { None, Double, Int, Bool, Tensor, String };
  void expect(Tag want) const {
    if (tag_ != want) bad_access(want);
  }
  [[noreturn]] void bad_access(Tag want) const;
  Tag tag_ = Tag::None;
  union {  // the scalar kinds; tensor_ and string_ stay empty unless they are the kind
    double double_ = 0;
    int64_t int_;
    bool bool_;
  };
  Tensor tensor_;
  std::string string_;
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
  // forward modified these inputs in place (and returns them).
  void mark_dirty(const variable_list& inputs);
  // false: outputs without a gradient give backward undefined tensors, not zeros.
  void set_materialize_grads(bool value) { materialize_grads_ = value; }
  // Does the i-th tensor argument of forward need a gradient (in this backward)?
  bool needs_input_grad(size_t i) const;
  // Does any tensor argument in these [begin, end) ranges need one?
  bool needs_input_grad(std::initializer_list<std::pair<size_t, size_t>> ranges) const;

 private:
  friend struct detail::CustomOp;
  friend class detail::CustomCall;
  detail::CustomOp* op_ = nullptr;
  variable_list to_save_;
  std::vector<const void*> non_differentiable_;
  std::vector<const void*> dirty_;
  bool materialize_grads_ = true;
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
// (One template rather than overloads: only programs that call apply() instantiate it.)
template <class T>
void extract(std::vector<bool>& is_var, variable_list& list, const T& x) {
  if constexpr (std::is_same_v<T, Tensor>) {
    is_var.push_back(true);
    list.push_back(x);
  } else if constexpr (std::is_same_v<T, variable_list>) {
    for (const Tensor& t : x) extract(is_var, list, t);
  } else {
    is_var.push_back(false);
  }
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

// libtorch's UndefinedGrad node: its outputs are its inputs' values, and the gradient it passes
// back is undefined (tests use it to check how custom functions treat a missing gradient).
struct UndefinedGrad {
  variable_list apply(const variable_list& inputs);
};

}  // namespace tg::autograd
