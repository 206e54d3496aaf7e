// A non-owning view of contiguous values, c10::ArrayRef<T> (torch::ArrayRef): shared by tg::data
// (a Dataset's batch request) and tg::nn::utils::rnn (lists of sequences).
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

#include "core.hpp"

namespace tg {
// A non-owning view of contiguous values, as c10::ArrayRef<T> (torch::ArrayRef): the batch
// request of a Dataset (a sampler's std::vector<size_t> converts to it), and Normalize's mean /
// stddev (a single value converts to a one-element view). tg::IntArrayRef stays its own class.
template <typename T>
class ArrayRef {
 public:
  using value_type = T;
  using const_iterator = const T*;
  ArrayRef() = default;
  ArrayRef(const T& one) : data_(&one), size_(1) {}  // NOLINT: implicit, as c10::ArrayRef
  ArrayRef(const T* data, size_t size) : data_(data), size_(size) {}
  ArrayRef(const std::vector<T>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
  // A view of the caller's braced list, valid for the full expression (as c10::ArrayRef's).
  ArrayRef(std::initializer_list<T> l) : ArrayRef(std::data(l), l.size()) {}  // NOLINT
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T* cbegin() const { return data_; }
  const T* cend() const { return data_ + size_; }
  std::reverse_iterator<const T*> rbegin() const { return std::reverse_iterator(end()); }
  std::reverse_iterator<const T*> rend() const { return std::reverse_iterator(begin()); }
  const T& operator[](size_t i) const { return data_[i]; }
  const T& at(size_t i) const {
    if (i >= size_)
      throw Error("ArrayRef: invalid index Index = " + std::to_string(i) +
                  "; Length = " + std::to_string(size_));
    return data_[i];
  }
  const T& front() const { return at(0); }
  const T& back() const { return at(size_ - 1); }
  // The m values from n on, and the values from n on.
  ArrayRef slice(size_t n, size_t m) const {
    if (n + m > size_)
      throw Error("ArrayRef::slice: " + std::to_string(n) + " + " + std::to_string(m) +
                  " exceeds the size " + std::to_string(size_));
    return ArrayRef(data_ + n, m);
  }
  ArrayRef slice(size_t n) const { return slice(n, size_ - n); }
  bool equals(ArrayRef o) const {
    return size_ == o.size_ && std::equal(begin(), end(), o.begin());
  }
  std::vector<T> vec() const { return std::vector<T>(begin(), end()); }
  operator std::vector<T>() const { return vec(); }  // NOLINT: implicit, as c10::ArrayRef

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace tg
