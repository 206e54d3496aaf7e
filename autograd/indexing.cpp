// Tensor::index and Tensor::index_put_ with tg::indexing's TensorIndex lists, following
// libtorch's get_item / set_item (ATen/TensorIndexing.h): basic indices are applied one dim at
// a time (select, narrow or a stepped slice, unsqueeze), the index tensors collected on the way
// then go to tg::index. index_put_ cannot write through those slices (they are copies here), so
// it runs the same index list over a tensor of flat positions, 0 .. numel-1 in self's shape,
// and writes the values at the positions that come out.
#include "indexing.hpp"

#include <cstring>
#include <ostream>

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {
namespace indexing {

Slice::Slice(std::optional<int64_t> start, std::optional<int64_t> stop,
             std::optional<int64_t> step) {
  step_ = step.value_or(1);
  if (step_ == 0) fail("slice step cannot be zero");
  if (step_ < -INDEX_MAX) step_ = -INDEX_MAX;  // so that -step never overflows
  start_ = start.value_or(step_ < 0 ? INDEX_MAX : 0);
  stop_ = stop.value_or(step_ < 0 ? INDEX_MIN : INDEX_MAX);
}
std::ostream& operator<<(std::ostream& os, const Slice& s) {
  return os << s.start() << ":" << s.stop() << ":" << s.step();
}

TensorIndex::TensorIndex(const char* str) : type_(TensorIndexType::Ellipsis) {
  if (std::strcmp(str, "...") != 0)
    fail(std::string("Expected \"...\" to represent an ellipsis index, but got \"") + str + "\"");
}
std::ostream& operator<<(std::ostream& os, const TensorIndex& i) {
  if (i.is_none()) return os << "None";
  if (i.is_ellipsis()) return os << "...";
  if (i.is_integer()) return os << i.integer();
  if (i.is_boolean()) return os << (i.boolean() ? "true" : "false");
  if (i.is_slice()) return os << i.slice();
  return os << i.tensor();
}
std::ostream& operator<<(std::ostream& os, const std::vector<TensorIndex>& is) {
  os << "(";
  for (size_t k = 0; k < is.size(); ++k) os << is[k] << (k + 1 < is.size() ? ", " : "");
  return os << ")";
}

}  // namespace indexing

namespace {
using indexing::TensorIndex;
using OptionalTensors = std::vector<std::optional<Tensor>>;

struct IndexList {
  const TensorIndex* p;
  size_t n;
  const TensorIndex& operator[](size_t k) const { return p[k]; }
};

Tensor apply_select(const Tensor& x, int64_t dim, int64_t index, int64_t real_dim) {
  if (index == 0 && dim == 0 && x.dim() == 0)
    fail(
        "index: invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
        "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
  if (dim >= x.dim())
    fail("index: too many indices for tensor of dimension " + std::to_string(x.dim()));
  const int64_t size = x.size(dim);
  if (index < -size || index >= size)
    fail("index: index " + std::to_string(index) + " is out of bounds for dimension " +
         std::to_string(real_dim) + " with size " + std::to_string(size));
  return x.select(dim, index);
}

// x[start:stop:step] along dim, with Python's clamping of the bounds (at::slice). Step 1 is a
// narrow (a view when the block is leading); a longer step is an index_select, whose result
// libtorch would return as a view: it is flagged so that an in-place write into it is refused.
Tensor apply_slice(const Tensor& x, int64_t dim, int64_t start, int64_t stop, int64_t step,
                   bool keep_whole) {
  if (step <= 0) fail("index: step must be greater than zero");
  if (x.dim() == 0) fail("index: slice() cannot be applied to a 0-dim tensor.");
  if (dim >= x.dim())
    fail("index: too many indices for tensor of dimension " + std::to_string(x.dim()));
  const int64_t n = x.size(dim);
  if (!keep_whole && start == 0 && stop == n && step == 1) return x;
  auto clampi = [n](int64_t v) { return v < 0 ? (v < -n ? 0 : v + n) : (v > n ? n : v); };
  start = clampi(start), stop = clampi(stop);
  if (stop < start) stop = start;
  const int64_t len = (stop - start + step - 1) / step;
  Tensor block = x.narrow(dim, start, stop - start);
  if (step == 1) return block;
  Tensor out = block.index_select(dim, arange(0, len * step, step, kLong));
  out.unsafeGetTensorImpl()->copied_view = true;
  return out;
}

Tensor bool_index(bool v) { return v ? zeros({1}, kLong) : empty({0}, kLong); }

int64_t count_specified_dims(IndexList ix) {
  int64_t count = 0;
  for (size_t k = 0; k < ix.n; ++k) {
    const TensorIndex& i = ix[k];
    if (i.is_tensor())
      count += i.tensor().scalar_type() == kBool || i.tensor().scalar_type() == kByte
                   ? i.tensor().dim()
                   : 1;
    else if (!i.is_none() && !i.is_ellipsis() && !i.is_boolean())
      ++count;
  }
  return count;
}

void record_index(const Tensor& t, OptionalTensors& out, int64_t& dim) {
  out.resize(size_t(dim + 1));
  out[size_t(dim)] = t;
  ++dim;
}

// libtorch's applySlicing: the basic indices applied, the tensor ones collected in `out`.
Tensor apply_slicing(const Tensor& self, IndexList ix, OptionalTensors& out) {
  int64_t dim = 0;
  const int64_t specified = count_specified_dims(ix);
  if (specified > self.dim())
    fail("index: too many indices for tensor of dimension " + std::to_string(self.dim()));
  Tensor r = self;
  for (size_t k = 0; k < ix.n; ++k) {
    const TensorIndex& i = ix[k];
    if (i.is_integer()) {
      r = apply_select(r, dim, i.integer(), int64_t(k));
    } else if (i.is_slice()) {
      r = apply_slice(r, dim, i.slice().start(), i.slice().stop(), i.slice().step(), false);
      ++dim;
    } else if (i.is_ellipsis()) {
      dim += self.dim() - specified;
    } else if (i.is_none()) {
      r = r.unsqueeze(dim);
      ++dim;
    } else if (i.is_boolean()) {
      r = r.unsqueeze(dim);
      record_index(bool_index(i.boolean()), out, dim);
    } else {
      const Tensor& t = i.tensor();
      check_defined(t, "index");
      // A 0-d integer tensor selects, as an integer would; a 0-d bool or byte one acts as a
      // bool (libtorch's handleDimInMultiDimIndexing).
      const bool mask = t.scalar_type() == kBool || t.scalar_type() == kByte;
      if (t.dim() == 0 && is_integral(t.scalar_type()) && !mask) {
        r = apply_select(r, dim, t.item<int64_t>(), int64_t(k));
      } else if (t.dim() == 0 && mask) {
        r = r.unsqueeze(dim);
        record_index(bool_index(t.item<int64_t>() != 0), out, dim);
      } else {
        record_index(t, out, dim);
      }
    }
  }
  return r;
}

Tensor get_item(const Tensor& self, IndexList ix) {
  check_defined(self, "index");
  if (ix.n == 0) fail("Passing an empty index list to Tensor::index() is not valid syntax");
  if (ix.n == 1) {  // libtorch's shortcuts; a lone full slice still makes a new tensor
    const TensorIndex& i = ix[0];
    if (i.is_integer()) return apply_select(self, 0, i.integer(), 0);
    if (i.is_slice())
      return apply_slice(self, 0, i.slice().start(), i.slice().stop(), i.slice().step(), true);
    if (i.is_none()) return self.unsqueeze(0);
    if (i.is_ellipsis()) return self.view(self.sizes());
    if (i.is_boolean()) return index(self.unsqueeze(0), {bool_index(i.boolean())});
  }
  OptionalTensors tensors;
  Tensor sliced = apply_slicing(self, ix, tensors);
  if (tensors.empty()) return sliced.is_same(self) ? self.view(self.sizes()) : sliced;
  return index(sliced, tensors);
}

// libtorch's set_item: value's leading size-1 dims are dropped, then it broadcasts to the
// indexing result (a 0-d value fills it).
void set_item(const Tensor& self, IndexList ix, const Tensor& value, bool accumulate = false) {
  check_defined(self, "index_put_");
  if (ix.n == 0) fail("Passing an empty index list to Tensor::index_put_() is not valid syntax");
  Tensor positions;
  {
    NoGradGuard no_grad;
    positions = get_item(arange(self.numel(), kLong).view(self.sizes()), ix);
  }
  check_defined(value, "index_put_");
  IntArrayRef vs = value.sizes();
  size_t lead = 0;
  while (lead < vs.size() && vs[lead] == 1) ++lead;
  Tensor v = lead ? value.view(IntArrayRef(vs.data() + lead, vs.size() - lead)) : value;
  put_in_place(self, positions, v, accumulate, "index_put_");
}

}  // namespace

Tensor Tensor::index(std::initializer_list<indexing::TensorIndex> ix) const {
  return get_item(*this, {ix.begin(), ix.size()});
}
Tensor Tensor::index(const std::vector<indexing::TensorIndex>& ix) const {
  return get_item(*this, {ix.data(), ix.size()});
}
const Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> ix,
                                 const Tensor& v) const {
  set_item(*this, {ix.begin(), ix.size()}, v);
  return *this;
}
const Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> ix,
                                 const Scalar& v) const {
  check_defined(*this, "index_put_");
  set_item(*this, {ix.begin(), ix.size()}, scalar_tensor(v, scalar_type()));
  return *this;
}
const Tensor& Tensor::index_put_(const std::vector<indexing::TensorIndex>& ix,
                                 const Tensor& v) const {
  set_item(*this, {ix.data(), ix.size()}, v);
  return *this;
}
const Tensor& Tensor::index_put_(const std::vector<indexing::TensorIndex>& ix,
                                 const Scalar& v) const {
  check_defined(*this, "index_put_");
  set_item(*this, {ix.data(), ix.size()}, scalar_tensor(v, scalar_type()));
  return *this;
}
// ATen's index_put_(indices, values, accumulate): one optional index tensor per leading dim.
const Tensor& Tensor::index_put_(const std::vector<std::optional<Tensor>>& indices,
                                 const Tensor& values, bool accumulate) const {
  std::vector<indexing::TensorIndex> ix;
  for (const std::optional<Tensor>& t : indices)
    ix.emplace_back(t && t->defined() ? indexing::TensorIndex(*t)
                                      : indexing::TensorIndex(indexing::Slice()));
  set_item(*this, {ix.data(), ix.size()}, values, accumulate);
  return *this;
}
Tensor Tensor::take(const Tensor& index) const { return tg::take(*this, index); }
Tensor Tensor::slice(int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end,
                     int64_t step) const {
  return tg::slice(*this, dim, start, end, step);  // ops_slice_repeat.cpp
}

}  // namespace tg
