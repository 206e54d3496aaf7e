// libtorch's enum tags: `tg::kMean`, `tg::kSum`, `tg::kFanIn`, `tg::kReLU`, ...
//
// libtorch spells option values as distinct empty types held in a std::variant (torch/enum.h),
// so that each option accepts exactly its legal values at compile time:
//   F::mse_loss(x, y, F::MSELossFuncOptions().reduction(tg::kSum));   // ok
//   F::mse_loss(x, y, F::MSELossFuncOptions().reduction(tg::kFanIn)); // does not compile
// We copy that design (rather than one big enum) so that libtorch sources compile unchanged,
// including code that inspects a variant with std::get_if<tg::enumtype::kMean>(&r).
#pragma once

#include <string>
#include <variant>

#include "../autograd/core.hpp"

// Declares the tag type tg::enumtype::kName, the constant tg::kName, and its printed name.
#define TG_ENUM_DECLARE(name)                                           \
  namespace tg {                                                        \
  namespace enumtype {                                                  \
  struct k##name {                                                      \
    constexpr k##name() {}                                              \
    friend constexpr bool operator==(k##name, k##name) { return true; } \
  };                                                                    \
  inline std::string enum_name(k##name) { return "k" #name; }           \
  }                                                                     \
  inline constexpr enumtype::k##name k##name{};                         \
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

// "kMean" for tg::kMean, as libtorch's _compute_enum_name (used in error messages).
struct _compute_enum_name {
  template <class E>
  std::string operator()(const E& e) const {
    return enum_name(e);
  }
};

template <class V>
std::string get_enum_name(const V& variant_enum) {
  return std::visit(_compute_enum_name{}, variant_enum);
}

}  // namespace tg::enumtype

namespace tg::nn {

// The three reductions every loss understands, as a plain enum for the implementation side.
enum class Reduction { None, Mean, Sum };

// Maps any reduction variant (MSELossOptions::reduction_t, ...) to Reduction; throws tg::Error
// naming `op` for tags a loss does not take (e.g. kBatchMean outside kl_div).
template <class V>
Reduction reduction_enum(const V& r, const char* op) {
  if (std::get_if<enumtype::kNone>(&r)) return Reduction::None;
  if (std::get_if<enumtype::kMean>(&r)) return Reduction::Mean;
  if (std::get_if<enumtype::kSum>(&r)) return Reduction::Sum;
  throw Error(std::string(op) + ": " + enumtype::get_enum_name(r) +
              " is not a valid value for reduction");
}

}  // namespace tg::nn
