// Advanced indexing: take / put over flat positions, and libtorch's index / index_put built on
// them. take and put are each other's adjoint, so every gradient here (first or second order)
// is one of the two:
//   take(x, off)         out[i] = x.flat[off[i]]      d x = put(zeros, off, g, accumulate)
//   put(x, off, v, acc)  out = x; out.flat[off[i]] (+)= v[i]
//                        d x = acc ? g : put(g, off, 0)   d v = take(g, off)
// index(x, {i0, i1, ...}) turns its index tensors into one tensor of flat positions with the
// result's shape (advanced_offsets below), then takes; index_put puts at the same positions.
#include "c10_util.hpp"
#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

static void check_positions(const Tensor& index, int64_t n, const char* op) {
  check_defined(index, op);
  if (index.scalar_type() != kLong)
    fail(std::string(op) + "(): Expected a long tensor for index, but got " +
         dtype_name(index.scalar_type()));
  const int64_t* p = ptr<int64_t>(index);
  for (int64_t i = 0; i < index.numel(); ++i)
    if (p[i] < -n || p[i] >= n)
      fail(std::string(op) + "(): out of range: tried to access index " + std::to_string(p[i]) +
           " on a tensor of " + std::to_string(n) + " elements.");
}

// take: out[i] = x.flat[index[i]] (negative positions count from the end)
static void take_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = put(zeros(e.in_shape(0), g.scalar_type()), e.saved_value(0), g, true);
}
Tensor take(const Tensor& x, const Tensor& index) {
  check_defined(x, "take");
  const int64_t n = x.numel();
  check_positions(index, n, "take");
  Tensor out = make_tensor(index.sizes(), x.scalar_type());
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    const T* s = ptr<T>(x);
    T* o = ptr<T>(out);
    const int64_t* p = ptr<int64_t>(index);
    for (int64_t i = 0, m = index.numel(); i < m; ++i) o[i] = s[p[i] < 0 ? p[i] + n : p[i]];
  });
  if (Entry* e = record("take", take_backward, {&x}, out)) e->save(0, index);
  return out;
}

// Writes (or adds) src's values at the flat positions of `index` into dst's own storage.
static void put_into(const Tensor& dst, const Tensor& index, const Tensor& src, bool accumulate) {
  const int64_t n = dst.numel();
  kern::dispatch(dst.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    const T* s = ptr<T>(src);
    T* o = ptr<T>(dst);
    const int64_t* p = ptr<int64_t>(index);
    for (int64_t i = 0, m = index.numel(); i < m; ++i) {
      const int64_t j = p[i] < 0 ? p[i] + n : p[i];
      if (accumulate)
        o[j] = T(o[j] + s[i]);
      else
        o[j] = s[i];
    }
  });
}

// put: out = x with source's values written (or added) at index's flat positions.
static void put_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor index = e.saved_value(0);
  if (e.needs(0)) gin[0] = e.i[0] ? g : put(g, index, zeros(e.in_shape(1), g.scalar_type()), false);
  if (e.needs(1)) gin[1] = take(g, index).reshape(e.in_shape(1));
}
Tensor put(const Tensor& x, const Tensor& index, const Tensor& source, bool accumulate) {
  check_defined(x, "put"), check_defined(source, "put");
  check_positions(index, x.numel(), "put");
  if (source.numel() != index.numel())
    fail(
        "put_(): Expected source and index to have the same number of elements, but got "
        "source.numel() = " +
        std::to_string(source.numel()) + ", index.numel() = " + std::to_string(index.numel()));
  if (source.scalar_type() != x.scalar_type())
    fail(std::string("put_(): self and source expected to have the same dtype, but got self.dtype "
                     "= ") +
         dtype_name(x.scalar_type()) + " and source.dtype = " + dtype_name(source.scalar_type()));
  Tensor out = x.detach().clone();
  put_into(out, index, source, accumulate);
  if (Entry* e = record("put", put_backward, {&x, &source}, out)) {
    e->save(0, index);
    e->i[0] = accumulate;
  }
  return out;
}

// nonzero: the coordinates of the non-zero elements, one row each, in row-major order.
Tensor nonzero(const Tensor& x) {
  check_defined(x, "nonzero");
  const Tensor b = kern::cast(x, kBool);
  const bool* p = ptr<bool>(b);
  const int64_t nd = x.dim(), n = x.numel();
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) count += p[i];
  Tensor out = make_tensor({count, nd}, kLong);
  int64_t* o = ptr<int64_t>(out);
  int64_t coord[Shape::kMaxDims] = {};
  for (int64_t i = 0; i < n; ++i) {
    if (p[i])
      for (int64_t d = 0; d < nd; ++d) *o++ = coord[d];
    for (int64_t d = nd - 1; d >= 0; --d) {
      if (++coord[d] < x.size(d)) break;
      coord[d] = 0;
    }
  }
  return out;
}

// ---- libtorch's advanced indexing (ATen/native/TensorAdvancedIndexing.cpp) ----
using OptionalTensors = std::vector<std::optional<Tensor>>;

// Bool masks become one long index per masked dim (their nonzero coordinates); undefined
// entries stay as "the whole dim".
static std::vector<Tensor> expand_masks(const Tensor& self, const OptionalTensors& indices,
                                        const char* op) {
  if (indices.size() > size_t(self.dim()))
    fail(std::string(op) + ": too many indices for tensor of dimension " +
         std::to_string(self.dim()) + " (got " + std::to_string(indices.size()) + ")");
  std::vector<Tensor> out;
  for (const auto& opt : indices) {
    if (!opt || !opt->defined()) {
      out.emplace_back();
      continue;
    }
    Tensor t = *opt;
    if (t.scalar_type() == kByte) {  // a mask, as bool, with libtorch's warning
      TORCH_WARN(
          "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
          "instead.");
      t = t.ne(0);
    }
    if (t.scalar_type() != kLong && t.scalar_type() != kBool)
      fail(std::string(op) + ": tensors used as indices must be long, byte or bool tensors (got " +
           dtype_name(t.scalar_type()) + ")");
    if (t.scalar_type() == kLong) {
      out.push_back(t);
      continue;
    }
    for (int64_t j = 0; j < t.dim(); ++j) {
      const int64_t src = int64_t(out.size()) + j;
      if (src >= self.dim() || t.size(j) != self.size(src))
        fail(std::string(op) + ": The shape of the mask " + to_string(t.sizes()) + " at index " +
             std::to_string(j) + " does not match the shape of the indexed tensor " +
             to_string(self.sizes()) + " at index " + std::to_string(src));
    }
    const Tensor nz = nonzero(t);
    for (int64_t j = 0; j < t.dim(); ++j) out.push_back(nz.select(1, j).clone());
  }
  if (out.size() > size_t(self.dim()))
    fail(std::string(op) + ": too many indices for tensor of dimension " +
         std::to_string(self.dim()) + " (got " + std::to_string(out.size()) + ")");
  return out;
}

// The flat position in `self` of every element of the indexing result, shaped like the result.
// Index tensors broadcast together to a shape B; if they sit side by side, B replaces their
// dims in place, otherwise it goes first (NumPy's rule, as libtorch's transposeToFront).
static Tensor advanced_offsets(const Tensor& self, const OptionalTensors& indices, const char* op) {
  std::vector<Tensor> idx = expand_masks(self, indices, op);
  idx.resize(size_t(self.dim()));
  const int64_t nd = self.dim();
  Shape bshape;
  std::string shapes;
  bool first = true, mismatch = false;
  int64_t first_pos = -1, last_pos = -1, count = 0;
  for (int64_t d = 0; d < nd; ++d) {
    const Tensor& t = idx[size_t(d)];
    if (!t.defined()) continue;
    shapes += (first ? "" : ", ") + to_string(t.sizes());
    try {
      bshape = first ? Shape(t.sizes()) : broadcast_shapes(bshape, t.sizes());
    } catch (const Error&) {
      mismatch = true;
    }
    first = false;
    if (first_pos < 0) first_pos = d;
    last_pos = d, ++count;
  }
  if (mismatch)
    fail(std::string(op) +
         ": shape mismatch: indexing tensors could not be broadcast together with shapes " +
         shapes);
  int64_t stride[Shape::kMaxDims];
  for (int64_t d = nd - 1, s = 1; d >= 0; --d) stride[d] = s, s *= self.size(d);
  // Each broadcast index element's offset, summed over the indexed dims (bounds-checked).
  const int64_t nb = bshape.numel();
  std::vector<int64_t> base(size_t(nb), 0);
  for (int64_t d = 0; d < nd; ++d) {
    const Tensor& t = idx[size_t(d)];
    if (!t.defined()) continue;
    const Tensor e = kern::broadcast_to(t, bshape);
    const int64_t* p = ptr<int64_t>(e);
    const int64_t size = self.size(d);
    for (int64_t k = 0; k < nb; ++k) {
      int64_t v = p[k];
      if (size == 0) fail(std::string(op) + ": index is out of bounds for dimension with size 0");
      if (v < -size || v >= size)
        fail(std::string(op) + ": index " + std::to_string(v) + " is out of bounds for dimension " +
             std::to_string(d) + " with size " + std::to_string(size));
      base[size_t(k)] += (v < 0 ? v + size : v) * stride[d];
    }
  }
  const bool adjacent = count == last_pos - first_pos + 1;
  // The plain (not indexed) dims in order, split at the group's place.
  std::vector<int64_t> pre_sizes, pre_strides, post_sizes, post_strides;
  Shape out_shape;
  for (int64_t d = 0; d < nd; ++d) {
    if (idx[size_t(d)].defined()) continue;
    const bool before = adjacent && d < first_pos;
    (before ? pre_sizes : post_sizes).push_back(self.size(d));
    (before ? pre_strides : post_strides).push_back(stride[d]);
  }
  for (int64_t s : pre_sizes) out_shape.push_back(s);
  for (int64_t s : bshape) out_shape.push_back(s);
  for (int64_t s : post_sizes) out_shape.push_back(s);
  // Every combination of a block of plain dims, as offsets, in row-major order.
  auto combos = [](const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides) {
    std::vector<int64_t> offs{0};
    for (size_t d = 0; d < sizes.size(); ++d) {
      std::vector<int64_t> next;
      next.reserve(offs.size() * size_t(sizes[d]));
      for (int64_t o : offs)
        for (int64_t k = 0; k < sizes[d]; ++k) next.push_back(o + k * strides[d]);
      offs.swap(next);
    }
    return offs;
  };
  const std::vector<int64_t> pre = combos(pre_sizes, pre_strides),
                             post = combos(post_sizes, post_strides);
  Tensor out = make_tensor(out_shape, kLong);
  int64_t* o = ptr<int64_t>(out);
  for (int64_t a : pre)
    for (int64_t b : base)
      for (int64_t c : post) *o++ = a + b + c;
  return out;
}

Tensor index(const Tensor& self, const OptionalTensors& indices) {
  check_defined(self, "index");
  return take(self, advanced_offsets(self, indices, "index"));
}

// Values broadcast to the indexing result, in self's dtype; libtorch's error otherwise.
static Tensor fit_values(const Tensor& values, IntArrayRef result, ScalarType t, const char* op) {
  check_defined(values, op);
  try {
    if (broadcast_shapes(values.sizes(), result) != Shape(result)) throw Error("");
  } catch (const Error&) {
    fail(std::string(op) + ": shape mismatch: value tensor of shape " + to_string(values.sizes()) +
         " cannot be broadcast to indexing result of shape " + to_string(result));
  }
  Tensor v = values.scalar_type() == t ? values : values.to(t);
  return v.sizes() == result ? v : v.expand(result);
}

Tensor index_put(const Tensor& self, const OptionalTensors& indices, const Tensor& values,
                 bool accumulate) {
  check_defined(self, "index_put");
  const Tensor off = advanced_offsets(self, indices, "index_put");
  return put(self, off, fit_values(values, off.sizes(), self.scalar_type(), "index_put"),
             accumulate);
}

// Writes values at flat positions `off` of self, in place: straight into the storage when
// nothing is recorded, else through put (recorded) and the usual write-back (tensor.cpp).
void put_in_place(const Tensor& self, const Tensor& off, const Tensor& values, bool accumulate,
                  const char* op) {
  detail::check_inplace(self, op);
  const Tensor v = fit_values(values, off.sizes(), self.scalar_type(), op);
  if (grad_enabled() && (self.requires_grad() || v.requires_grad())) {
    detail::write_back(self, put(self, off, v, accumulate), op);
    return;
  }
  put_into(self, off, kern::broadcast_to(v, off.sizes()), accumulate);
  ++self.unsafeGetTensorImpl()->storage->version;
}

const Tensor& index_put_(const Tensor& self, const OptionalTensors& indices, const Tensor& values,
                         bool accumulate) {
  check_defined(self, "index_put_");
  put_in_place(self, advanced_offsets(self, indices, "index_put_"), values, accumulate,
               "index_put_");
  return self;
}

}  // namespace tg
