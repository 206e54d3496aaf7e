// libtorch's enum tags: `tg::kMean`, `tg::kSum`, `tg::kFanIn`, `tg::kReLU`, ...
//
// libtorch spells option values as distinct empty types held in a variant (torch/enum.h), so
// that each option accepts exactly its legal values at compile time:
//   F::mse_loss(x, y, F::MSELossFuncOptions().reduction(tg::kSum));   // ok
//   F::mse_loss(x, y, F::MSELossFuncOptions().reduction(tg::kFanIn)); // does not compile
// We copy that design (rather than one big enum) so that libtorch sources compile unchanged.
// The variant is tg::enumtype::variant below, not std::variant: the options hold a dozen
// different variants, and std::variant's machinery (instantiated for each of them in every
// program that includes <tapegrad.hpp>) cost ~5% of the seed example's compile. Inspect one as
// libtorch code inspects a c10::variant, unqualified or qualified with tg::, e.g.:
//   if (tg::get_if<tg::enumtype::kMean>(&options.reduction())) ...
//   holds_alternative<tg::enumtype::kSum>(options.reduction());   // found by ADL
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include "../autograd/core.hpp"

// Declares the tag type tg::enumtype::kName, the constant tg::kName, and its printed name.
#define TG_ENUM_DECLARE(name)                                            \
  namespace tg {                                                         \
  namespace enumtype {                                                   \
  struct k##name {                                                       \
    constexpr k##name() {}                                               \
    friend constexpr bool operator==(k##name, k##name) { return true; }  \
    friend constexpr bool operator!=(k##name, k##name) { return false; } \
  };                                                                     \
  constexpr const char* enum_name(k##name) { return "k" #name; }         \
  }                                                                      \
  inline constexpr enumtype::k##name k##name{};                          \
  }

TG_ENUM_DECLARE(Linear)
TG_ENUM_DECLARE(Conv1D)
TG_ENUM_DECLARE(Conv2D)
TG_ENUM_DECLARE(Conv3D)
TG_ENUM_DECLARE(ConvTranspose1D)
TG_ENUM_DECLARE(ConvTranspose2D)
TG_ENUM_DECLARE(ConvTranspose3D)
TG_ENUM_DECLARE(Sigmoid)
TG_ENUM_DECLARE(Tanh)
TG_ENUM_DECLARE(ReLU)
TG_ENUM_DECLARE(GELU)
TG_ENUM_DECLARE(SiLU)
TG_ENUM_DECLARE(Mish)
TG_ENUM_DECLARE(LeakyReLU)
TG_ENUM_DECLARE(FanIn)
TG_ENUM_DECLARE(FanOut)
TG_ENUM_DECLARE(Constant)
TG_ENUM_DECLARE(Reflect)
TG_ENUM_DECLARE(Replicate)
TG_ENUM_DECLARE(Circular)
TG_ENUM_DECLARE(Nearest)
TG_ENUM_DECLARE(Bilinear)
TG_ENUM_DECLARE(Bicubic)
TG_ENUM_DECLARE(Trilinear)
TG_ENUM_DECLARE(Area)
TG_ENUM_DECLARE(NearestExact)
TG_ENUM_DECLARE(Sum)
TG_ENUM_DECLARE(Mean)
TG_ENUM_DECLARE(Max)
TG_ENUM_DECLARE(None)
TG_ENUM_DECLARE(BatchMean)
TG_ENUM_DECLARE(Zeros)
TG_ENUM_DECLARE(Border)
TG_ENUM_DECLARE(Reflection)
TG_ENUM_DECLARE(RNN_TANH)
TG_ENUM_DECLARE(RNN_RELU)
TG_ENUM_DECLARE(LSTM)
TG_ENUM_DECLARE(GRU)
TG_ENUM_DECLARE(Valid)
TG_ENUM_DECLARE(Same)

namespace tg::enumtype {

namespace detail {
struct NoPayload {};
// The alternative that is not an empty tag (ExpandingArray<D> in conv padding), or NoPayload.
template <class... Ts>
struct payload {
  using type = NoPayload;
};
template <class T, class... Ts>
struct payload<T, Ts...> {
  using type = std::conditional_t<std::is_empty_v<T>, typename payload<Ts...>::type, T>;
};
// The position of T among Ts, or -1.
template <class T, class... Ts>
constexpr int index_of() {
  constexpr bool same[] = {std::is_same_v<T, Ts>...};
  for (int i = 0; i < int(sizeof...(Ts)); ++i)
    if (same[i]) return i;
  return -1;
}
template <size_t I, class T, class... Ts>
struct type_at : type_at<I - 1, Ts...> {};
template <class T, class... Ts>
struct type_at<0, T, Ts...> {
  using type = T;
};
// What get_if points to when the held alternative is an (empty) tag.
template <class T>
inline T tag{};
}  // namespace detail

// One of the tags Ts: a one-byte index, plus the value of at most one alternative that is not a
// tag (trivially copyable, as ExpandingArray). The subset of std::variant that options need:
// construction from an alternative, index(), and the free get_if / holds_alternative / get /
// visit below.
template <class... Ts>
class variant {
  using Payload = typename detail::payload<Ts...>::type;
  static_assert(sizeof...(Ts) < 256 && std::is_trivially_copyable_v<Payload>);

 public:
  // Holds the first alternative (which must then be a tag), as std::variant.
  constexpr variant() : none_(), index_(0) {
    static_assert(std::is_empty_v<typename detail::type_at<0, Ts...>::type>,
                  "default-constructed variant: the first alternative is not a tag");
  }
  template <class T,
            std::enable_if_t<std::is_empty_v<T> && (detail::index_of<T, Ts...>() >= 0), int> = 0>
  constexpr variant(T) : none_(), index_(detail::index_of<T, Ts...>()) {}  // NOLINT: implicit
  // The non-tag alternative, from whatever builds it (`.padding(1)`, `.padding({1, 2})`).
  template <class U, class P = Payload,
            std::enable_if_t<!std::is_same_v<P, detail::NoPayload> &&
                                 !std::is_same_v<std::decay_t<U>, variant> &&
                                 std::is_constructible_v<P, U&&>,
                             int> = 0>
  variant(U&& value)  // NOLINT: implicit
      : payload_(std::forward<U>(value)), index_(detail::index_of<P, Ts...>()) {}

  constexpr size_t index() const noexcept { return index_; }

  template <class T>
  const T* get_if() const noexcept {
    constexpr int i = detail::index_of<T, Ts...>();
    static_assert(i >= 0, "get_if<T>: T is not an alternative of this variant");
    if (index_ != i) return nullptr;
    if constexpr (std::is_empty_v<T>)
      return &detail::tag<T>;
    else
      return &payload_;
  }

  // Tag-only variants compare as std::variant does.
  template <typename P = Payload, std::enable_if_t<std::is_same_v<P, detail::NoPayload>, int> = 0>
  friend constexpr bool operator==(const variant& a, const variant& b) {
    return a.index_ == b.index_;
  }
  template <typename P = Payload, std::enable_if_t<std::is_same_v<P, detail::NoPayload>, int> = 0>
  friend constexpr bool operator!=(const variant& a, const variant& b) {
    return a.index_ != b.index_;
  }

 private:
  union {
    detail::NoPayload none_;
    Payload payload_;
  };
  unsigned char index_;
};

// Null unless v holds a T (as std::get_if; libtorch code spells it c10::get_if).
template <class T, class... Ts>
const T* get_if(const variant<Ts...>* v) noexcept {
  return v ? v->template get_if<T>() : nullptr;
}
template <class T, class... Ts>
bool holds_alternative(const variant<Ts...>& v) noexcept {
  return v.template get_if<T>() != nullptr;
}
[[noreturn]] void throw_bad_variant_access(size_t held, size_t wanted);
template <class T, class... Ts>
const T& get(const variant<Ts...>& v) {
  if (const T* p = v.template get_if<T>()) return *p;
  throw_bad_variant_access(v.index(), size_t(detail::index_of<T, Ts...>()));
}
namespace detail {
template <size_t I, class F, class... Ts>
decltype(auto) visit_from(F& f, const variant<Ts...>& v) {
  using T = typename type_at<I, Ts...>::type;
  if constexpr (I + 1 == sizeof...(Ts)) {
    return f(*v.template get_if<T>());
  } else {
    if (v.index() == I) return f(*v.template get_if<T>());
    return visit_from<I + 1>(f, v);
  }
}
}  // namespace detail
// f(alternative) for the held alternative; every call must return the same type.
template <class F, class... Ts>
decltype(auto) visit(F&& f, const variant<Ts...>& v) {
  return detail::visit_from<0>(f, v);
}

// "kMean" for tg::kMean, as libtorch's _compute_enum_name (used in error messages).
struct _compute_enum_name {
  template <class E>
  std::string operator()(const E& e) const {
    return std::string(enum_name(e));
  }
};

template <class V>
std::string get_enum_name(const V& variant_enum) {
  return visit(_compute_enum_name{}, variant_enum);
}

}  // namespace tg::enumtype

namespace tg {
using enumtype::get_if;
using enumtype::holds_alternative;
}  // namespace tg

namespace tg::nn {

// The three reductions every loss understands, as a plain enum for the implementation side.
enum class Reduction { None, Mean, Sum };

// Maps any reduction variant (MSELossOptions::reduction_t, ...) to Reduction; throws tg::Error
// naming `op` for tags a loss does not take (e.g. kBatchMean outside kl_div).
template <class V>
Reduction reduction_enum(const V& r, const char* op) {
  if (get_if<enumtype::kNone>(&r)) return Reduction::None;
  if (get_if<enumtype::kMean>(&r)) return Reduction::Mean;
  if (get_if<enumtype::kSum>(&r)) return Reduction::Sum;
  throw Error(std::string(op) + ": " + enumtype::get_enum_name(r) +
              " is not a valid value for reduction");
}

}  // namespace tg::nn
