// The small value types every other header uses: dtypes, options, scalars, shapes, errors.
// Nothing here knows about the tape or xtensor; it is plain C++.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "device.hpp"

// libtorch's TORCH_ARG (torch/arg.h), used by every Options struct in nn/ and optim/: a private
// member `name_` with a chained setter `name(v)` and getters `name()`. One setter taking the
// value (libtorch has two, `const T&` and `T&&`): calls read the same, and each of the ~300
// options then makes the compiler instantiate only T's move assignment, not also its copy
// assignment (~6 MB less compiler memory for <tapegrad.hpp>, mostly variants and optionals).
#define TG_ARG(T, name)                                           \
 public:                                                          \
  inline auto name(T new_##name)->decltype(*this) {               \
    this->name##_ = std::move(new_##name);                        \
    return *this;                                                 \
  }                                                               \
  inline const T& name() const noexcept { return this->name##_; } \
  inline T& name() noexcept { return this->name##_; }             \
                                                                  \
 private:                                                         \
  T name##_
#ifndef TORCH_ARG
#define TORCH_ARG(T, name) TG_ARG(T, name)
#endif

namespace tg {

// A place in the source, as c10::SourceLocation. `SourceLocation::here()` as a default argument
// names the caller's line (the builtins std::source_location is made of; usable in C++17).
struct SourceLocation {
  const char* function;
  const char* file;
  uint32_t line;
  static constexpr SourceLocation here(const char* function = __builtin_FUNCTION(),
                                       const char* file = __builtin_FILE(),
                                       uint32_t line = __builtin_LINE()) noexcept {
    return {function, file, line};
  }
};

// ---- errors ------------------------------------------------------------------------------
// Every bad input throws tg::Error (like c10::Error); the message names the operation and the
// shapes or dtypes involved.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
  // c10::Error's accessors: tapegrad's messages carry no backtrace, so both are what().
  const char* what_without_backtrace() const noexcept { return what(); }
  std::string msg() const { return what(); }
};

// ---- dtypes ------------------------------------------------------------------------------
// The first four keep their old numbers (nothing stores them, but the order is also the order of
// kern::dispatch's switch); the small integer types came later (issue 17).
enum class ScalarType : int8_t { Float, Double, Long, Bool, Byte, Char, Short, Int };
using Dtype = ScalarType;
constexpr ScalarType kFloat32 = ScalarType::Float, kFloat = ScalarType::Float;
constexpr ScalarType kFloat64 = ScalarType::Double, kDouble = ScalarType::Double;
constexpr ScalarType kInt64 = ScalarType::Long, kLong = ScalarType::Long;
constexpr ScalarType kBool = ScalarType::Bool;
constexpr ScalarType kUInt8 = ScalarType::Byte, kByte = ScalarType::Byte;
constexpr ScalarType kInt8 = ScalarType::Char, kChar = ScalarType::Char;
constexpr ScalarType kInt16 = ScalarType::Short, kShort = ScalarType::Short;
constexpr ScalarType kInt32 = ScalarType::Int, kInt = ScalarType::Int;

const char* dtype_name(ScalarType t);  // "Float", "Byte", "Int", ... (libtorch's names)
std::ostream& operator<<(std::ostream& os, ScalarType t);
inline size_t element_size(ScalarType t) {  // bytes per element: one load (TensorImpl::data)
  constexpr unsigned char bytes[] = {4, 8, 8, 1, 1, 1, 2, 4};  // in ScalarType's order
  return bytes[static_cast<int>(t)];
}

// The C++ type each dtype holds (c10::CppTypeToScalarType), for TypeMeta::Make<T>.
template <class T>
constexpr ScalarType cpp_type_to_scalar_type() {
  if constexpr (std::is_same_v<T, double>)
    return ScalarType::Double;
  else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, long long>)
    return ScalarType::Long;
  else if constexpr (std::is_same_v<T, bool>)
    return ScalarType::Bool;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return ScalarType::Byte;
  else if constexpr (std::is_same_v<T, int8_t>)
    return ScalarType::Char;
  else if constexpr (std::is_same_v<T, int16_t>)
    return ScalarType::Short;
  else if constexpr (std::is_same_v<T, int32_t>)
    return ScalarType::Int;
  else {
    static_assert(std::is_same_v<T, float>, "TypeMeta::Make: no tapegrad dtype holds this type");
    return ScalarType::Float;
  }
}

// caffe2::TypeMeta: what libtorch's Tensor::dtype() returns. It is a ScalarType for every use
// (it converts implicitly, compares with one) but prints as the C++ type's name, "float" or
// "long int", where a ScalarType prints "Float" or "Long".
class TypeMeta {
 public:
  constexpr TypeMeta(ScalarType t = ScalarType::Float) : t_(t) {}  // NOLINT: implicit as libtorch
  constexpr operator ScalarType() const { return t_; }             // NOLINT
  constexpr ScalarType toScalarType() const { return t_; }
  static constexpr TypeMeta fromScalarType(ScalarType t) { return TypeMeta(t); }
  template <class T>
  static constexpr TypeMeta Make() {
    return TypeMeta(cpp_type_to_scalar_type<T>());
  }
  const char* name() const;  // "float", "double", "long int", "unsigned char", ...
  size_t itemsize() const { return element_size(t_); }
  friend constexpr bool operator==(TypeMeta a, TypeMeta b) { return a.t_ == b.t_; }
  friend constexpr bool operator!=(TypeMeta a, TypeMeta b) { return a.t_ != b.t_; }
  friend constexpr bool operator==(TypeMeta a, ScalarType b) { return a.t_ == b; }
  friend constexpr bool operator!=(TypeMeta a, ScalarType b) { return a.t_ != b; }
  friend constexpr bool operator==(ScalarType a, TypeMeta b) { return a == b.t_; }
  friend constexpr bool operator!=(ScalarType a, TypeMeta b) { return a != b.t_; }

 private:
  ScalarType t_;
};
std::ostream& operator<<(std::ostream& os, TypeMeta t);  // print.cpp
inline ScalarType typeMetaToScalarType(TypeMeta t) { return t.toScalarType(); }
inline TypeMeta scalarTypeToTypeMeta(ScalarType t) { return TypeMeta(t); }
inline bool is_floating_point(ScalarType t) { return t == kFloat || t == kDouble; }

// The default dtype (torch::set_default_dtype): what floating-point literals and factories
// without a dtype give. Process-wide, as libtorch's.
namespace detail {
inline ScalarType default_dtype = ScalarType::Float;
}
inline void set_default_dtype(TypeMeta t) { detail::default_dtype = t.toScalarType(); }
inline TypeMeta get_default_dtype() { return detail::default_dtype; }
inline ScalarType get_default_dtype_as_scalartype() { return detail::default_dtype; }
// Integer dtypes; with include_bool, Bool too (c10::isIntegralType's two forms).
inline bool is_integral(ScalarType t, bool include_bool = false) {
  return t == kLong || t == kByte || t == kChar || t == kShort || t == kInt ||
         (include_bool && t == kBool);
}

// ---- options -----------------------------------------------------------------------------
// A dtype converts implicitly, so `tg::zeros({2}, tg::kDouble)` works as in libtorch.
// A device converts too (`tg::ones({2}, tg::kCPU)`); factories refuse any but the CPU.
struct TensorOptions {
  TensorOptions() = default;
  TensorOptions(ScalarType t) : dtype_(t) {}   // NOLINT: implicit on purpose
  TensorOptions(Device d) : device_(d) {}      // NOLINT
  TensorOptions(DeviceType d) : device_(d) {}  // NOLINT
  TensorOptions dtype(ScalarType t) const {
    auto o = *this;
    o.dtype_ = t;
    return o;
  }
  TensorOptions device(std::optional<Device> d) const {
    auto o = *this;
    o.device_ = d;
    return o;
  }
  TensorOptions device(DeviceType t, DeviceIndex index) const { return device(Device(t, index)); }
  TensorOptions device_index(DeviceIndex index) const { return device(Device(kCUDA, index)); }
  Device device() const { return device_.value_or(Device(kCPU)); }
  bool has_device() const { return device_.has_value(); }
  TensorOptions layout(std::optional<Layout> l) const {
    auto o = *this;
    o.layout_ = l;
    return o;
  }
  Layout layout() const { return layout_.value_or(kStrided); }
  bool has_layout() const { return layout_.has_value(); }
  TensorOptions requires_grad(bool r) const {
    auto o = *this;
    o.requires_grad_ = r;
    return o;
  }
  ScalarType dtype() const { return dtype_.value_or(detail::default_dtype); }
  bool has_dtype() const { return dtype_.has_value(); }
  bool requires_grad() const { return requires_grad_.value_or(false); }
  bool has_requires_grad() const { return requires_grad_.has_value(); }

 private:
  std::optional<ScalarType> dtype_;
  std::optional<bool> requires_grad_;  // unset and false differ only in printing (as libtorch)
  std::optional<Device> device_;
  std::optional<Layout> layout_;
};
std::ostream& operator<<(std::ostream& os, const TensorOptions& o);  // print.cpp
inline TensorOptions dtype(ScalarType t) { return TensorOptions(t); }
inline TensorOptions device(Device d) { return TensorOptions(d); }
inline TensorOptions layout(Layout l) { return TensorOptions().layout(l); }
inline TensorOptions device_index(DeviceIndex index) { return TensorOptions().device_index(index); }
inline TensorOptions requires_grad(bool r = true) { return TensorOptions().requires_grad(r); }

// ---- scalars -----------------------------------------------------------------------------
// A number passed where libtorch takes a c10::Scalar (alpha, fill values, tensor-scalar ops).
class Scalar {
 public:
  Scalar() = default;
  Scalar(double v) : d_(v) {}                                // NOLINT: implicit like c10::Scalar
  Scalar(float v) : d_(v) {}                                 // NOLINT
  Scalar(int v) : d_(v), i_(v), integral_(true) {}           // NOLINT
  Scalar(long v) : d_(double(v)), i_(v), integral_(true) {}  // NOLINT
  Scalar(long long v) : d_(double(v)), i_(v), integral_(true) {}               // NOLINT
  Scalar(unsigned v) : d_(v), i_(v), integral_(true) {}                        // NOLINT
  Scalar(unsigned long v) : d_(double(v)), i_(int64_t(v)), integral_(true) {}  // NOLINT
  Scalar(bool v) : d_(v), i_(v), integral_(true), bool_(true) {}               // NOLINT
  double to_double() const { return d_; }
  // c10::Scalar's accessors.
  double toDouble() const { return d_; }
  float toFloat() const { return float(d_); }
  int64_t toLong() const { return to_long(); }
  int toInt() const { return int(to_long()); }
  bool toBool() const { return integral_ ? i_ != 0 : d_ != 0; }
  int64_t to_long() const { return integral_ ? i_ : int64_t(d_); }
  bool is_integral() const { return integral_ && !bool_; }
  bool is_bool() const { return bool_; }
  bool is_floating_point() const { return !integral_; }
  template <class T>
  T to() const {
    return integral_ ? T(i_) : T(d_);
  }

 private:
  double d_ = 0;
  int64_t i_ = 0;
  bool integral_ = false, bool_ = false;
};
std::ostream& operator<<(std::ostream& os, const Scalar& s);  // print.cpp

// ---- shapes ------------------------------------------------------------------------------
// A non-owning view of int64 values, like c10::IntArrayRef. Built from a braced list, a vector
// or a Shape; it must not outlive what it points at (same rule as libtorch).
class IntArrayRef {
 public:
  IntArrayRef() = default;
  IntArrayRef(const int64_t* p, size_t n) : p_(p), n_(n) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"  // intended, as c10::ArrayRef
#endif
  IntArrayRef(std::initializer_list<int64_t> l) : p_(l.begin()), n_(l.size()) {}  // NOLINT
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  IntArrayRef(const std::vector<int64_t>& v) : p_(v.data()), n_(v.size()) {}  // NOLINT
  IntArrayRef(const int64_t& single) : p_(&single), n_(1) {}                  // NOLINT
  const int64_t* begin() const { return p_; }
  const int64_t* end() const { return p_ + n_; }
  const int64_t* data() const { return p_; }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  int64_t operator[](size_t i) const { return p_[i]; }
  int64_t front() const { return p_[0]; }
  int64_t back() const { return p_[n_ - 1]; }
  std::vector<int64_t> vec() const { return {p_, p_ + n_}; }
  // The m values from n on, and the values from n on (as c10::ArrayRef::slice).
  IntArrayRef slice(size_t n, size_t m) const {
    if (n + m > n_)
      throw Error("ArrayRef::slice: " + std::to_string(n) + " + " + std::to_string(m) +
                  " exceeds the size " + std::to_string(n_));
    return IntArrayRef(p_ + n, m);
  }
  IntArrayRef slice(size_t n) const { return slice(n, n_ - n); }
  bool equals(IntArrayRef o) const {
    if (n_ != o.n_) return false;
    for (size_t i = 0; i < n_; ++i)
      if (p_[i] != o.p_[i]) return false;
    return true;
  }
  friend bool operator==(IntArrayRef a, IntArrayRef b) { return a.equals(b); }
  friend bool operator!=(IntArrayRef a, IntArrayRef b) { return !a.equals(b); }

 private:
  const int64_t* p_ = nullptr;
  size_t n_ = 0;
};
std::ostream& operator<<(std::ostream& os, IntArrayRef s);  // prints [2, 3]
std::string to_string(IntArrayRef s);
using std::to_string;  // c10::to_string(3) is "3" (not a one-element shape)

// An owning shape with inline storage: no heap allocation per tensor or tape entry.
// tapegrad tensors have at most kMaxDims dimensions.
class Shape {
 public:
  static constexpr int kMaxDims = 12;
  Shape() = default;
  // Copies move all kMaxDims slots as one block (memcpy is defined on the unused, uninitialised
  // ones); leaving them uninitialised spares every tape entry and tensor a 64-byte zeroing each.
  Shape(const Shape& o) noexcept : n_(o.n_) { std::memcpy(d_, o.d_, sizeof d_); }
  Shape& operator=(const Shape& o) noexcept {
    n_ = o.n_, std::memcpy(d_, o.d_, sizeof d_);
    return *this;
  }
  Shape(IntArrayRef s) : n_(int8_t(s.size())) {  // NOLINT: implicit
    if (s.size() > size_t(kMaxDims)) too_many(s);
    for (size_t i = 0; i < s.size(); ++i) d_[i] = s[i];
  }
  Shape(std::initializer_list<int64_t> l) : Shape(IntArrayRef(l)) {}
  operator IntArrayRef() const { return {d_, size_t(n_)}; }  // NOLINT
  IntArrayRef ref() const { return {d_, size_t(n_)}; }
  size_t size() const { return size_t(n_); }
  int64_t& operator[](size_t i) { return d_[i]; }
  int64_t operator[](size_t i) const { return d_[i]; }
  int64_t* begin() { return d_; }
  int64_t* end() { return d_ + n_; }
  const int64_t* begin() const { return d_; }
  const int64_t* end() const { return d_ + n_; }
  void push_back(int64_t v);
  void insert(size_t pos, int64_t v);
  void erase(size_t pos);
  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < n_; ++i) n *= d_[i];
    return n;
  }
  std::vector<int64_t> vec() const { return ref().vec(); }
  friend bool operator==(const Shape& a, const Shape& b) { return a.ref().equals(b.ref()); }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }

 private:
  [[noreturn]] static void too_many(IntArrayRef s);  // throws tg::Error
  int64_t d_[kMaxDims];                              // only the first n_ are set
  int8_t n_ = 0;
};

}  // namespace tg

// caffe2::TypeMeta, where libtorch keeps it (set_default_dtype(caffe2::TypeMeta::Make<double>())).
namespace caffe2 {
using TypeMeta = ::tg::TypeMeta;
}  // namespace caffe2
