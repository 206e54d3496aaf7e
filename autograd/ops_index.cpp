// Indexing ops. They come in adjoint pairs, so each one's backward is the other:
//   index_select  <->  index_add        gather  <->  scatter_add
// Every index is bounds-checked before any memory is touched.
#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

static void check_index_tensor(const Tensor& index, const char* op) {
  check_defined(index, op);
  if (index.scalar_type() != kLong)
    fail(std::string(op) + "(): Expected dtype int64 for index, got " +
         dtype_name(index.scalar_type()) + " (index shape " + to_string(index.sizes()) + ")");
}
static void check_bounds(const Tensor& index, int64_t size, int64_t dim, const char* op,
                         IntArrayRef self) {
  const int64_t* p = ptr<int64_t>(index);
  for (int64_t i = 0; i < index.numel(); ++i)
    if (p[i] < -size || p[i] >= size)
      fail(std::string(op) + "(): index " + std::to_string(p[i]) +
           " is out of bounds for dimension " + std::to_string(dim) + " with size " +
           std::to_string(size) + " (tensor shape " + to_string(self) + ")");
}
// index_select and index_add also take Int indices (libtorch 1.13 does); they are read as Long.
static Tensor long_index(const Tensor& index, const char* op, const char* expected) {
  check_defined(index, op);
  if (index.scalar_type() != kLong && index.scalar_type() != kInt)
    fail(std::string(op) + expected + ", got " + dtype_name(index.scalar_type()) +
         " (index shape " + to_string(index.sizes()) + ")");
  return kern::cast(index, kLong);
}
static int64_t wrap_index(int64_t i, int64_t n) { return i < 0 ? i + n : i; }

// Copies or adds rows of `src` along `dim`: dst[.., index[i], ..] (+)= src[.., i, ..].
template <class T, bool kAdd>
static void move_rows(const Tensor& src, Tensor& dst, int64_t dim, const Tensor& index,
                      bool index_on_dst) {
  const Tensor& big = index_on_dst ? dst : src;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < big.dim(); ++d) {
    if (d < dim) outer *= big.size(d);
    if (d > dim) inner *= big.size(d);
  }
  const int64_t n_big = big.dim() ? big.size(dim) : 1, n_idx = index.numel();
  const int64_t* idx = ptr<int64_t>(index);
  const T* s = ptr<T>(src);
  T* o = ptr<T>(dst);
  for (int64_t a = 0; a < outer; ++a)
    for (int64_t i = 0; i < n_idx; ++i) {
      int64_t j = wrap_index(idx[i], n_big);
      const T* from = s + (a * (index_on_dst ? n_idx : n_big) + (index_on_dst ? i : j)) * inner;
      T* to = o + (a * (index_on_dst ? n_big : n_idx) + (index_on_dst ? j : i)) * inner;
      for (int64_t c = 0; c < inner; ++c) {
        if constexpr (kAdd)
          to[c] = T(to[c] + from[c]);
        else
          to[c] = from[c];
      }
    }
}

// index_select: out[.., i, ..] = x[.., index[i], ..]; backward: index_add of g into zeros.
static void index_select_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = index_add(zeros(e.in_shape(0), g.scalar_type()), e.i[0], e.saved_value(0), g);
}
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index_in) {
  check_defined(x, "index_select");
  const Tensor index =
      long_index(index_in, "index_select", "(): Expected dtype int32 or int64 for index");
  if (index.dim() > 1)
    fail("index_select(): Index is supposed to be a vector, got shape " + to_string(index.sizes()));
  int64_t d = wrap_dim(dim, x.dim(), "index_select");
  int64_t n = x.dim() ? x.size(d) : 1;
  check_bounds(index, n, d, "index_select", x.sizes());
  Shape s = x.sizes();
  if (x.dim()) s[size_t(d)] = index.numel();
  Tensor out = make_tensor(s, x.scalar_type());
  kern::dispatch(x.scalar_type(),
                 [&](auto tag) { move_rows<decltype(tag), false>(x, out, d, index, false); });
  if (Entry* e = record("index_select", index_select_backward, {&x}, out)) {
    e->save(0, index);
    e->i[0] = d;
  }
  return out;
}

// index_add: out = x; out[.., index[i], ..] += source[.., i, ..].
// d/dx = identity; d/dsource = index_select of g.
static void index_add_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (e.needs(0)) gin[0] = g;
  if (e.needs(1)) gin[1] = g.index_select(e.i[0], e.saved_value(0));
}
Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index_in, const Tensor& source) {
  check_defined(x, "index_add"), check_defined(source, "index_add");
  const Tensor index =
      long_index(index_in, "index_add", "_(): Expected dtype int32/int64 for index");
  int64_t d = wrap_dim(dim, x.dim(), "index_add");
  Shape want = x.sizes();
  if (x.dim()) want[size_t(d)] = index.numel();
  if (index.dim() > 1 || source.sizes() != want.ref())
    fail("index_add(): source of shape " + to_string(source.sizes()) + " and index of shape " +
         to_string(index.sizes()) + " don't fit self of shape " + to_string(x.sizes()) +
         " along dim " + std::to_string(d) + " (source should be " + to_string(want) + ")");
  check_bounds(index, x.dim() ? x.size(d) : 1, d, "index_add", x.sizes());
  Tensor out = kern::cast(x, x.scalar_type()).detach().clone();
  Tensor src = kern::cast(source, x.scalar_type());
  kern::dispatch(x.scalar_type(),
                 [&](auto tag) { move_rows<decltype(tag), true>(src, out, d, index, true); });
  if (Entry* e = record("index_add", index_add_backward, {&x, &source}, out)) {
    e->save(0, index);
    e->i[0] = d;
  }
  return out;
}

// gather / scatter_add walk every element of `index`; the coordinate along `dim` is replaced
// by the index value, the others are shared between index and the big tensor.
template <class T, bool kScatter>
static void gather_scatter(const Tensor& big, const Tensor& index, const Tensor& small, int64_t dim,
                           Tensor& out) {
  const int64_t nd = index.dim();
  int64_t big_st[Shape::kMaxDims], small_st[Shape::kMaxDims], coord[Shape::kMaxDims] = {};
  for (int64_t d = nd - 1, a = 1, b = 1; d >= 0; --d) {
    big_st[d] = a, small_st[d] = b;
    a *= big.size(d), b *= small.size(d);
  }
  const int64_t* idx = ptr<int64_t>(index);
  const IntArrayRef is = index.sizes();
  const int64_t n_dim = nd ? big.size(dim) : 1;
  T *po = ptr<T>(out), *pb = ptr<T>(big), *ps = ptr<T>(small);
  for (int64_t i = 0, n = index.numel(); i < n; ++i) {
    int64_t ob = 0, os = 0;
    for (int64_t d = 0; d < nd; ++d) {
      ob += (d == dim ? wrap_index(idx[i], n_dim) : coord[d]) * big_st[d];
      os += coord[d] * small_st[d];
    }
    if constexpr (kScatter)
      po[ob] = T(po[ob] + ps[os]);
    else
      po[i] = pb[ob];
    for (int64_t d = nd - 1; d >= 0; --d) {
      if (++coord[d] < is[size_t(d)]) break;
      coord[d] = 0;
    }
  }
}
static void check_gather_shapes(const Tensor& x, int64_t d, const Tensor& index, const Tensor* src,
                                const char* op) {
  if (index.dim() != x.dim())
    fail(std::string(op) +
         "(): Index tensor must have the same number of dimensions as input "
         "tensor (index shape " +
         to_string(index.sizes()) + ", input shape " + to_string(x.sizes()) + ")");
  for (int64_t j = 0; j < x.dim(); ++j) {
    if (j != d && index.size(j) > x.size(j))
      fail(std::string(op) + "(): Size does not match at dimension " + std::to_string(j) +
           " expected index " + to_string(index.sizes()) + " to be smaller than self " +
           to_string(x.sizes()) + " apart from dimension " + std::to_string(d));
    if (src && index.size(j) > src->size(j))
      fail(std::string(op) + "(): expected index " + to_string(index.sizes()) +
           " to be smaller than src " + to_string(src->sizes()));
  }
  check_bounds(index, x.dim() ? x.size(d) : 1, d, op, x.sizes());
}

// gather: out[i][j] = x[i][index[i][j]] (dim = 1); backward: scatter_add of g into zeros.
static void gather_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = scatter_add(zeros(e.in_shape(0), g.scalar_type()), e.i[0], e.saved_value(0), g);
}
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) {
  check_defined(x, "gather");
  check_index_tensor(index, "gather");
  int64_t d = wrap_dim(dim, x.dim(), "gather");
  check_gather_shapes(x, d, index, nullptr, "gather");
  Tensor out = make_tensor(index.sizes(), x.scalar_type());
  kern::dispatch(x.scalar_type(),
                 [&](auto tag) { gather_scatter<decltype(tag), false>(x, index, out, d, out); });
  if (Entry* e = record("gather", gather_backward, {&x}, out)) {
    e->save(0, index);
    e->i[0] = d;
  }
  return out;
}

// scatter_add: out = x; out[i][index[i][j]] += src[i][j] (dim = 1).
// d/dx = identity; d/dsrc = gather of g.
static void scatter_add_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (e.needs(0)) gin[0] = g;
  if (e.needs(1)) gin[1] = g.gather(e.i[0], e.saved_value(0));
}
Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  check_defined(x, "scatter_add"), check_defined(src, "scatter_add");
  check_index_tensor(index, "scatter_add");
  int64_t d = wrap_dim(dim, x.dim(), "scatter_add");
  check_gather_shapes(x, d, index, &src, "scatter_add");
  Tensor out = kern::cast(x, x.scalar_type()).detach().clone();
  Tensor s = kern::cast(src, x.scalar_type());
  kern::dispatch(x.scalar_type(),
                 [&](auto tag) { gather_scatter<decltype(tag), true>(out, index, s, d, out); });
  if (src.requires_grad() && src.sizes() != index.sizes())
    fail("scatter_add(): a src that requires grad must have the index's shape " +
         to_string(index.sizes()) + ", got " + to_string(src.sizes()));
  if (Entry* e = record("scatter_add", scatter_add_backward, {&x, &src}, out)) {
    e->save(0, index);
    e->i[0] = d;
  }
  return out;
}

}  // namespace tg
