// tg::indexing: libtorch's C++ spelling of Python's subscripts, for Tensor::index and
// Tensor::index_put_ (ATen/TensorIndexing.h):
//
//   using namespace tg::indexing;
//   x.index({Slice(1, None), 0})            // x[1:, 0]
//   x.index({"...", None, Slice(None, None, 2)})  // x[..., None, ::2]
//   x.index({mask})                         // x[mask], mask a Bool tensor
//   x.index_put_({idx, Slice()}, 0.0)       // x[idx, :] = 0
//
// Basic indices (integers, slices, None, Ellipsis) are applied one by one as select / narrow /
// unsqueeze, as libtorch does; index tensors (and bools) then go to tg::index, libtorch's
// advanced indexing. tapegrad tensors are contiguous, so what libtorch returns as a view is a
// copy here (a leading block excepted, see ops_shape.cpp); index_put_ therefore does not write
// through slices but scatters into the tensor itself, with the same result.
#pragma once

#include <limits>
#include <optional>
#include <vector>

#include "tensor.hpp"

namespace tg {
namespace indexing {

constexpr int64_t INDEX_MAX = std::numeric_limits<int64_t>::max();
constexpr int64_t INDEX_MIN = std::numeric_limits<int64_t>::min();

constexpr std::nullopt_t None = std::nullopt;
struct EllipsisIndexType {};
inline constexpr EllipsisIndexType Ellipsis{};

// start:stop:step, each optional; missing bounds become INDEX_MIN/INDEX_MAX as in Python.
struct Slice {
  Slice(std::optional<int64_t> start = std::nullopt, std::optional<int64_t> stop = std::nullopt,
        std::optional<int64_t> step = std::nullopt);
  int64_t start() const { return start_; }
  int64_t stop() const { return stop_; }
  int64_t step() const { return step_; }

 private:
  int64_t start_, stop_, step_;
};
std::ostream& operator<<(std::ostream& os, const Slice& s);  // "1:9223372036854775807:1"

enum class TensorIndexType { None, Ellipsis, Integer, Boolean, Slice, Tensor };

class TensorIndex {
 public:
  TensorIndex(std::nullopt_t) : type_(TensorIndexType::None) {}                     // NOLINT
  TensorIndex(EllipsisIndexType) : type_(TensorIndexType::Ellipsis) {}              // NOLINT
  TensorIndex(const char* str);                                                     // NOLINT: "..."
  TensorIndex(int64_t i) : integer_(i), type_(TensorIndexType::Integer) {}          // NOLINT
  TensorIndex(int i) : TensorIndex(int64_t(i)) {}                                   // NOLINT
  template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>            // bools only
  TensorIndex(B b) : boolean_(b), type_(TensorIndexType::Boolean) {}                // NOLINT
  TensorIndex(Slice s) : slice_(s), type_(TensorIndexType::Slice) {}                // NOLINT
  TensorIndex(Tensor t) : tensor_(std::move(t)), type_(TensorIndexType::Tensor) {}  // NOLINT

  bool is_none() const { return type_ == TensorIndexType::None; }
  bool is_ellipsis() const { return type_ == TensorIndexType::Ellipsis; }
  bool is_integer() const { return type_ == TensorIndexType::Integer; }
  bool is_boolean() const { return type_ == TensorIndexType::Boolean; }
  bool is_slice() const { return type_ == TensorIndexType::Slice; }
  bool is_tensor() const { return type_ == TensorIndexType::Tensor; }
  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }
  const Tensor& tensor() const { return tensor_; }

 private:
  int64_t integer_ = 0;
  bool boolean_ = false;
  Slice slice_;
  Tensor tensor_;
  TensorIndexType type_;
};
std::ostream& operator<<(std::ostream& os, const TensorIndex& i);
std::ostream& operator<<(std::ostream& os, const std::vector<TensorIndex>& is);  // "(0, ...)"

}  // namespace indexing
}  // namespace tg
