// Tensor::accessor<T, N>(): libtorch's TensorAccessor, a[i][j] reads and writes the elements of
// an N-dim tensor of C++ type T without per-element dtype checks:
//
//   auto a = x.accessor<float, 2>();   // x: 2-D float32
//   for (int64_t i = 0; i < a.size(0); ++i) a[i][i] = 1;
//
// tapegrad tensors are contiguous, so the strides are computed from the sizes. The accessor
// holds a pointer to the tensor's data: it must not outlive the tensor (as in libtorch), and
// writes through it are not seen by the tape (use it under NoGradGuard or on plain tensors).
#pragma once

#include <array>

#include "tensor.hpp"

namespace tg {

template <class T, size_t N>
class TensorAccessor {
 public:
  TensorAccessor(T* data, const int64_t* sizes, const int64_t* strides) : data_(data) {
    for (size_t d = 0; d < N; ++d) sizes_[d] = sizes[d], strides_[d] = strides[d];
  }
  // One index less: a[i] is the (N-1)-dim accessor of slice i (a T& when N == 1).
  decltype(auto) operator[](int64_t i) const {
    if constexpr (N == 1)
      return static_cast<T&>(data_[i * strides_[0]]);
    else
      return TensorAccessor<T, N - 1>(data_ + i * strides_[0], sizes_.data() + 1,
                                      strides_.data() + 1);
  }
  int64_t size(int64_t d) const { return sizes_[size_t(d)]; }
  int64_t stride(int64_t d) const { return strides_[size_t(d)]; }
  IntArrayRef sizes() const { return {sizes_.data(), N}; }
  IntArrayRef strides() const { return {strides_.data(), N}; }
  T* data() const { return data_; }

 private:
  T* data_;
  std::array<int64_t, N> sizes_, strides_;
};

template <class T, size_t N>
TensorAccessor<T, N> Tensor::accessor() const {
  static_assert(N > 0, "accessor is used for indexing tensor, for scalars use *data_ptr<T>()");
  if (dim() != int64_t(N))
    throw Error("accessor: TensorAccessor expected " + std::to_string(N) + " dims but tensor has " +
                std::to_string(dim()));
  T* p = data_ptr<T>();  // checks the dtype
  std::array<int64_t, N> strides;
  int64_t s = 1;
  for (size_t d = N; d-- > 0;) strides[d] = s, s *= size(int64_t(d));
  return TensorAccessor<T, N>(p, sizes().data(), strides.data());
}

}  // namespace tg
