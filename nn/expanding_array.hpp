// tg::ExpandingArray<D>: D integers given either as one value (repeated) or as a list of D,
// libtorch's torch::ExpandingArray (kernel sizes, strides, paddings of conv and pooling).
//
//   tg::ExpandingArray<2> k = 3;        // {3, 3}
//   tg::ExpandingArray<2> s = {1, 2};   // {1, 2}
//   tg::IntArrayRef r = k;              // views the values
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "../autograd/core.hpp"

namespace tg {

template <size_t D, typename T = int64_t>
class ExpandingArray {
 public:
  /* implicit */ ExpandingArray(std::initializer_list<T> list)  // NOLINT
      : ExpandingArray(std::vector<T>(list)) {}
  /* implicit */ ExpandingArray(const std::vector<T>& vec) {  // NOLINT
    if (vec.size() != D)
      throw Error("ExpandingArray: Expected " + std::to_string(D) + " values, but instead got " +
                  std::to_string(vec.size()));
    for (size_t i = 0; i < D; ++i) values_[i] = vec[i];
  }
  /* implicit */ ExpandingArray(IntArrayRef values)  // NOLINT
      : ExpandingArray(std::vector<T>(values.begin(), values.end())) {}
  /* implicit */ ExpandingArray(T single_size) { values_.fill(single_size); }         // NOLINT
  /* implicit */ ExpandingArray(const std::array<T, D>& values) : values_(values) {}  // NOLINT

  std::array<T, D>& operator*() { return values_; }
  const std::array<T, D>& operator*() const { return values_; }
  std::array<T, D>* operator->() { return &values_; }
  const std::array<T, D>* operator->() const { return &values_; }
  operator IntArrayRef() const { return IntArrayRef(values_.data(), D); }  // NOLINT
  size_t size() const noexcept { return D; }

 protected:
  std::array<T, D> values_{};
};

// Prints one value as is and several as [a, b] (libtorch's format).
template <size_t D>
std::ostream& operator<<(std::ostream& stream, const ExpandingArray<D>& a) {
  if (D == 1) return stream << a->at(0);
  return stream << IntArrayRef(a);
}

// An ExpandingArray whose entries may be absent (std::nullopt: "keep the input's size"), as
// AdaptiveAvgPool2dOptions(output_size) takes them.
template <size_t D, typename T = int64_t>
class ExpandingArrayWithOptionalElem : public ExpandingArray<D, std::optional<T>> {
  using Base = ExpandingArray<D, std::optional<T>>;

 public:
  using Base::Base;
  /* implicit */ ExpandingArrayWithOptionalElem(std::initializer_list<T> list)  // NOLINT
      : ExpandingArrayWithOptionalElem(std::vector<T>(list)) {}
  /* implicit */ ExpandingArrayWithOptionalElem(const std::vector<T>& vec)  // NOLINT
      : Base(std::nullopt) {
    if (vec.size() != D)
      throw Error("ExpandingArrayWithOptionalElem: Expected " + std::to_string(D) +
                  " values, but instead got " + std::to_string(vec.size()));
    for (size_t i = 0; i < D; ++i) this->values_[i] = vec[i];
  }
  /* implicit */ ExpandingArrayWithOptionalElem(IntArrayRef values)  // NOLINT
      : ExpandingArrayWithOptionalElem(std::vector<T>(values.begin(), values.end())) {}
  /* implicit */ ExpandingArrayWithOptionalElem(T single_size)
      : Base(std::optional<T>(single_size)) {}  // NOLINT
};

template <size_t D>
std::ostream& operator<<(std::ostream& stream, const ExpandingArrayWithOptionalElem<D>& a) {
  auto one = [&](const std::optional<int64_t>& v) -> std::ostream& {
    return v ? stream << *v : stream << "None";
  };
  if (D == 1) return one(a->at(0));
  stream << "[";
  for (size_t i = 0; i < D; ++i) {
    if (i) stream << ", ";
    one(a->at(i));
  }
  return stream << "]";
}

}  // namespace tg
