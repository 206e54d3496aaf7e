// tg::nn::AnyValue: one value of any type, libtorch's torch::nn::AnyValue. AnyModule passes its
// forward's arguments and result as AnyValues, so modules in a Sequential may take and return
// anything. The stored type is the decayed type of what was put in (a string literal is kept as
// `const char*`); get<T>() must name exactly that type.
//
//   tg::nn::AnyValue v(5);
//   v.get<int>();          // 5
//   v.try_get<float>();    // nullptr
//   v.get<float>();        // throws "Attempted to cast AnyValue to float, but its actual type is
//   int"
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "../autograd/c10_util.hpp"

namespace tg {
// The readable C++ name of a mangled type name (c10::demangle), e.g. "tg::nn::LinearImpl".
std::string demangle(const char* name);
}  // namespace tg

namespace tg::nn {

class AnyValue {
 public:
  AnyValue(AnyValue&&) = default;
  AnyValue& operator=(AnyValue&&) = default;
  AnyValue(const AnyValue& other) : content_(other.content_->clone()) {}
  AnyValue& operator=(const AnyValue& other) {
    content_ = other.content_->clone();
    return *this;
  }
  template <typename T, typename = std::enable_if_t<!std::is_same_v<std::decay_t<T>, AnyValue>>>
  explicit AnyValue(T&& value)  // NOLINT(bugprone-forwarding-reference-overload)
      : content_(std::make_unique<Holder<std::decay_t<T>>>(std::forward<T>(value))) {}

  // A pointer to the value if it is a T, else nullptr.
  template <typename T>
  T* try_get() {
    static_assert(!std::is_reference_v<T>,
                  "AnyValue stores decayed types, you cannot cast it to a reference type");
    static_assert(!std::is_array_v<T>,
                  "AnyValue stores decayed types, you must cast it to T* instead of T[]");
    if (typeid(T).hash_code() == type_info().hash_code())
      return &static_cast<Holder<T>&>(*content_).value;
    return nullptr;
  }
  // A copy of the value; throws tg::Error if it is not a T.
  template <typename T>
  T get() {
    if (auto* value = try_get<T>()) return *value;
    AT_ERROR("Attempted to cast AnyValue to ", demangle(typeid(T).name()),
             ", but its actual type is ", demangle(type_info().name()));
  }
  const std::type_info& type_info() const noexcept { return content_->type_info; }

 private:
  struct Placeholder {
    explicit Placeholder(const std::type_info& info) noexcept : type_info(info) {}
    virtual ~Placeholder() = default;
    virtual std::unique_ptr<Placeholder> clone() const = 0;
    const std::type_info& type_info;
  };
  template <typename T>
  struct Holder : Placeholder {
    template <typename U>
    explicit Holder(U&& v) : Placeholder(typeid(T)), value(std::forward<U>(v)) {}
    std::unique_ptr<Placeholder> clone() const override {
      if constexpr (std::is_copy_constructible_v<T>)
        return std::make_unique<Holder<T>>(value);
      else
        AT_ERROR("AnyValue: a value of type ", demangle(typeid(T).name()), " cannot be copied");
    }
    T value;
  };
  std::unique_ptr<Placeholder> content_;
};

}  // namespace tg::nn

// Declares which trailing arguments of a module's forward() have defaults, so an AnyModule (and
// so a Sequential) can call it with fewer arguments -- libtorch's macro, used in the module's
// class body:
//   double forward(int a, int b = 2, double c = 3.0);
//  protected:
//   FORWARD_HAS_DEFAULT_ARGS({1, tg::nn::AnyValue(2)}, {2, tg::nn::AnyValue(3.0)})
#define TG_FORWARD_HAS_DEFAULT_ARGS(...)                                            \
  template <typename TgModuleType, typename... TgArgumentTypes>                     \
  friend struct ::tg::nn::AnyModuleHolder;                                          \
  bool _forward_has_default_args() override { return true; }                        \
  unsigned int _forward_num_required_args() override {                              \
    std::pair<unsigned int, ::tg::nn::AnyValue> args_info[] = {__VA_ARGS__};        \
    return args_info[0].first;                                                      \
  }                                                                                 \
  std::vector<::tg::nn::AnyValue> _forward_populate_default_args(                   \
      std::vector<::tg::nn::AnyValue>&& arguments) override {                       \
    std::pair<unsigned int, ::tg::nn::AnyValue> args_info[] = {__VA_ARGS__};        \
    std::vector<::tg::nn::AnyValue> result = std::move(arguments);                  \
    for (auto& info : args_info)                                                    \
      if (info.first >= result.size()) result.emplace_back(std::move(info.second)); \
    return result;                                                                  \
  }
// The built-in layers split the macro in two, so that programs do not compile their default
// arguments: TG_FORWARD_DEFAULT_ARGS_DECLARED in the class, and
// TG_FORWARD_DEFAULT_ARGS_DEFINED(LSTMImpl, {1, AnyValue(...)}) in the layer's .cpp.
#define TG_FORWARD_DEFAULT_ARGS_DECLARED                          \
  template <typename TgModuleType, typename... TgArgumentTypes>   \
  friend struct ::tg::nn::AnyModuleHolder;                        \
  bool _forward_has_default_args() override { return true; }      \
  unsigned int _forward_num_required_args() override;             \
  std::vector<::tg::nn::AnyValue> _forward_populate_default_args( \
      std::vector<::tg::nn::AnyValue>&& arguments) override;
#define TG_FORWARD_DEFAULT_ARGS_DEFINED(Class, ...)                                 \
  unsigned int Class::_forward_num_required_args() {                                \
    std::pair<unsigned int, ::tg::nn::AnyValue> args_info[] = {__VA_ARGS__};        \
    return args_info[0].first;                                                      \
  }                                                                                 \
  std::vector<::tg::nn::AnyValue> Class::_forward_populate_default_args(            \
      std::vector<::tg::nn::AnyValue>&& arguments) {                                \
    std::pair<unsigned int, ::tg::nn::AnyValue> args_info[] = {__VA_ARGS__};        \
    std::vector<::tg::nn::AnyValue> result = std::move(arguments);                  \
    for (auto& info : args_info)                                                    \
      if (info.first >= result.size()) result.emplace_back(std::move(info.second)); \
    return result;                                                                  \
  }
#ifndef FORWARD_HAS_DEFAULT_ARGS
#define FORWARD_HAS_DEFAULT_ARGS(...) TG_FORWARD_HAS_DEFAULT_ARGS(__VA_ARGS__)
#endif
