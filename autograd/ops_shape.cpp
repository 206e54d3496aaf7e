// Shape ops. tapegrad tensors are always contiguous, so reshape-like ops (view, reshape,
// flatten, squeeze, unsqueeze, and narrow/select of a leading block) share storage, while
// transpose, permute, expand and other slices copy. A copied slice is flagged: an in-place op
// on it would not reach the original as in libtorch, so tapegrad refuses that (see tensor.cpp).
#include <cstring>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// ---- reshape family: aliases; backward reshapes the gradient back ----
static void reshape_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g.reshape(e.in_shape(0));
}
static Tensor alias_op(const Tensor& x, IntArrayRef shape, const char* op) {
  Tensor out = view_of(x, shape);
  record(op, reshape_backward, {&x}, out);
  return out;
}

static Shape infer_shape(IntArrayRef shape, int64_t numel, const char* op) {
  Shape s = shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == -1) {
      if (infer >= 0) fail(op + std::string(": only one dimension can be inferred"));
      infer = int64_t(i);
    } else if (s[i] < 0) {
      fail(op + (": invalid shape dimension " + std::to_string(s[i])));
    } else {
      known *= s[i];
    }
  }
  if (infer >= 0 && known != 0 && numel % known == 0) s[size_t(infer)] = numel / known;
  if (s.numel() != numel || (infer >= 0 && known == 0))
    fail(std::string(op) + ": shape '" + to_string(shape) + "' is invalid for input of size " +
         std::to_string(numel));
  return s;
}

// reshape, and the reshape-like ops, recorded under their own names (grad_fn()->name()).
static Tensor reshape_as(const Tensor& x, IntArrayRef shape, const char* op) {
  Shape s = infer_shape(shape, x.numel(), op);
  if (s == Shape(x.sizes()) && !x.requires_grad()) return alias_with_shape(x, s);
  return alias_op(x, s, op);
}
Tensor reshape(const Tensor& x, IntArrayRef shape) {
  check_defined(x, "reshape");
  return reshape_as(x, shape, "reshape");
}

Tensor flatten(const Tensor& x, int64_t start_dim, int64_t end_dim) {
  check_defined(x, "flatten");
  if (x.dim() == 0) return reshape(x, {1});
  int64_t s = wrap_dim(start_dim, x.dim(), "flatten"), e = wrap_dim(end_dim, x.dim(), "flatten");
  if (s > e) fail("flatten: start_dim cannot come after end_dim");
  Shape out;
  int64_t merged = 1;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d < s || d > e)
      out.push_back(x.size(d));
    else
      merged *= x.size(d);
    if (d == e) out.push_back(merged);
  }
  return reshape(x, out);
}

// unflatten: dim `dim` becomes the dims `sizes` (one of them may be -1, inferred).
Tensor unflatten(const Tensor& x, int64_t dim, IntArrayRef sizes) {
  check_defined(x, "unflatten");
  const int64_t d = wrap_dim(dim, x.dim(), "unflatten");
  if (sizes.empty()) fail("unflatten: sizes must be non-empty");
  const int64_t n = x.size(d);
  int64_t known = 1, infer = -1;
  bool ok = true;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1 && infer < 0)
      infer = int64_t(i);
    else if (sizes[i] < 0)
      ok = false;
    else
      known *= sizes[i];
  }
  std::vector<int64_t> inner = sizes.vec();
  if (ok && infer >= 0 && known != 0 && n % known == 0)
    inner[size_t(infer)] = n / known;
  else if (infer >= 0 || known != n)
    ok = false;
  if (!ok)
    fail("unflatten: Provided sizes " + to_string(sizes) +
         " don't multiply up to the size of dim " + std::to_string(dim) + " (" + std::to_string(n) +
         ") in the input tensor");
  Shape out;
  for (int64_t k = 0; k < x.dim(); ++k) {
    if (k == d)
      for (int64_t v : inner) out.push_back(v);
    else
      out.push_back(x.size(k));
  }
  return reshape(x, out);
}

Tensor squeeze(const Tensor& x) {
  check_defined(x, "squeeze");
  Shape out;
  for (int64_t s : x.sizes())
    if (s != 1) out.push_back(s);
  return reshape_as(x, out, "squeeze");
}
Tensor squeeze(const Tensor& x, int64_t dim) {
  check_defined(x, "squeeze");
  int64_t d = wrap_dim(dim, x.dim(), "squeeze");
  Shape out = x.sizes();
  if (x.dim() > 0 && out[size_t(d)] == 1) out.erase(size_t(d));
  return reshape_as(x, out, "squeeze");
}
Tensor unsqueeze(const Tensor& x, int64_t dim) {
  check_defined(x, "unsqueeze");
  int64_t d = wrap_dim(dim, x.dim() + 1, "unsqueeze");
  Shape out = x.sizes();
  out.insert(size_t(d), 1);
  return reshape_as(x, out, "unsqueeze");
}

// ---- strided copies: permute and expand both gather with per-dim input strides ----
template <class E>
static void strided_gather(const E* in, E* out, IntArrayRef shape, const int64_t* stride) {
  const int64_t nd = int64_t(shape.size());
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  if (n == 0) return;
  int64_t idx[Shape::kMaxDims] = {};
  int64_t off = 0;
  const int64_t last = nd - 1;
  const int64_t inner = nd ? shape[size_t(last)] : 1, st = nd ? stride[last] : 0;
  for (int64_t i = 0; i < n; i += inner) {
    for (int64_t k = 0; k < inner; ++k) out[i + k] = in[off + k * st];
    for (int64_t d = last - 1; d >= 0; --d) {  // odometer over the outer dims
      off += stride[d];
      if (++idx[d] < shape[size_t(d)]) break;
      off -= stride[d] * shape[size_t(d)];
      idx[d] = 0;
    }
  }
}
static Tensor gather_copy(const Tensor& x, IntArrayRef out_shape, const int64_t* stride) {
  Tensor out = make_tensor(out_shape, x.scalar_type());
  switch (x.element_size()) {
    case 1:
      strided_gather(ptr<uint8_t>(x), ptr<uint8_t>(out), out_shape, stride);
      break;
    case 4:
      strided_gather(ptr<uint32_t>(x), ptr<uint32_t>(out), out_shape, stride);
      break;
    default:
      strided_gather(ptr<uint64_t>(x), ptr<uint64_t>(out), out_shape, stride);
      break;
  }
  out.unsafeGetTensorImpl()->copied_view = true;
  return out;
}
static void contiguous_strides(IntArrayRef s, int64_t* st) {
  int64_t acc = 1;
  for (size_t d = s.size(); d-- > 0;) st[d] = acc, acc *= s[d];
}

// permute: the gradient is permuted back by the inverse permutation.
static void permute_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Shape inv = e.dims();
  for (size_t d = 0; d < e.dims().size(); ++d) inv[size_t(e.dims()[d])] = int64_t(d);
  gin[0] = permute(g, inv);
}
// permute, recorded as `op` (transpose records itself as "transpose": grad_fn()->name()).
static Tensor permute_as(const Tensor& x, IntArrayRef dims, const char* op) {
  const int64_t nd = x.dim();
  if (int64_t(dims.size()) != nd)
    fail("permute: number of dims " + std::to_string(dims.size()) + " doesn't match the input's " +
         std::to_string(nd) + " (shape " + to_string(x.sizes()) + ")");
  int64_t in_st[Shape::kMaxDims], st[Shape::kMaxDims];
  bool seen[Shape::kMaxDims] = {};
  Shape out;
  std::vector<int64_t> perm(static_cast<size_t>(nd));
  contiguous_strides(x.sizes(), in_st);
  for (int64_t d = 0; d < nd; ++d) {
    int64_t p = wrap_dim(dims[size_t(d)], nd, "permute");
    if (seen[p]) fail("permute: repeated dim " + std::to_string(p) + " in " + to_string(dims));
    seen[p] = true;
    perm[size_t(d)] = p;
    out.push_back(x.size(p));
    st[d] = in_st[p];
  }
  Tensor result = gather_copy(x, out, st);
  if (Entry* e = record(op, permute_backward, {&x}, result)) e->set_dims(IntArrayRef(perm));
  return result;
}
Tensor permute(const Tensor& x, IntArrayRef dims) {
  check_defined(x, "permute");
  return permute_as(x, dims, "permute");
}
Tensor transpose(const Tensor& x, int64_t d0, int64_t d1) {
  check_defined(x, "transpose");
  if (x.dim() == 0) return alias_op(x, {}, "transpose");
  int64_t a = wrap_dim(d0, x.dim(), "transpose"), b = wrap_dim(d1, x.dim(), "transpose");
  std::vector<int64_t> perm(static_cast<size_t>(x.dim()));
  for (size_t d = 0; d < perm.size(); ++d) perm[d] = int64_t(d);
  std::swap(perm[size_t(a)], perm[size_t(b)]);
  return permute_as(x, perm, "transpose");
}

// expand: broadcasting copies; the adjoint sums the copies back (sum_to).
static void expand_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = sum_to(g, e.in_shape(0));
}
Tensor expand(const Tensor& x, IntArrayRef shape) {
  check_defined(x, "expand");
  const int64_t nd = int64_t(shape.size()), lead = nd - x.dim();
  if (lead < 0)
    fail("expand: the number of sizes provided (" + std::to_string(nd) +
         ") must be greater or equal to the number of dimensions in the tensor (" +
         std::to_string(x.dim()) + ")");
  int64_t in_st[Shape::kMaxDims], st[Shape::kMaxDims];
  contiguous_strides(x.sizes(), in_st);
  Shape out;
  for (int64_t d = 0; d < nd; ++d) {
    int64_t want = shape[size_t(d)];
    int64_t have = d < lead ? 1 : x.size(d - lead);
    if (want == -1) want = have;
    if (have != want && have != 1)
      fail("expand: the expanded size of the tensor (" + std::to_string(want) +
           ") must match the existing size (" + std::to_string(have) +
           ") at non-singleton dimension " + std::to_string(d) +
           ".  Target sizes: " + to_string(shape) + ".  Tensor sizes: " + to_string(x.sizes()));
    out.push_back(want);
    st[d] = (d < lead || have == 1) ? 0 : in_st[d - lead];
  }
  if (out == Shape(x.sizes())) return alias_op(x, out, "expand");
  Tensor result = gather_copy(x, out, st);
  record("expand", expand_backward, {&x}, result);
  return result;
}

Tensor sum_to(const Tensor& g, IntArrayRef shape) {
  if (g.sizes() == shape) return g;
  const int64_t lead = g.dim() - int64_t(shape.size());
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < g.dim(); ++d)
    if (d < lead || (shape[size_t(d - lead)] == 1 && g.size(d) != 1)) dims.push_back(d);
  if (dims.empty()) return g.reshape(shape);
  return sum(g, dims, true).reshape(shape);
}

// ---- slices: narrow, select; their adjoint pads the gradient with zeros (a cat) ----
static void narrow_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const int64_t dim = e.i[0], start = e.i[1], len = e.i[2];
  Shape in = e.in_shape(0);
  Tensor gk = e.i[3] ? g.unsqueeze(dim) : g;  // select removed the dim
  Shape before = in, after = in;
  before[size_t(dim)] = start;
  after[size_t(dim)] = in[size_t(dim)] - start - len;
  gin[0] = cat({zeros(before, g.scalar_type()), gk, zeros(after, g.scalar_type())}, dim);
}
// The slice's value: a view of a leading block, else a copy (flagged, see the top).
static Tensor slice_value(const Tensor& x, int64_t dim, int64_t start, int64_t len, bool drop_dim) {
  Shape s = x.sizes();
  int64_t outer = 1, inner = 1, n = s[size_t(dim)];
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d < dim) outer *= s[size_t(d)];
    if (d > dim) inner *= s[size_t(d)];
  }
  s[size_t(dim)] = len;
  Tensor out;
  if (outer == 1) {  // one contiguous block: share storage, like libtorch's view
    out = view_of(x, s, start * inner);
  } else {
    out = make_tensor(s, x.scalar_type());
    const size_t es = x.element_size();
    const char* src = static_cast<const char*>(x.raw_data());
    char* dst = static_cast<char*>(out.raw_data());
    for (int64_t a = 0; a < outer; ++a)
      std::memcpy(dst + size_t(a * len * inner) * es, src + size_t((a * n + start) * inner) * es,
                  size_t(len * inner) * es);
  }
  if (drop_dim) s.erase(size_t(dim)), out = outer == 1 ? view_of(out, s) : alias_with_shape(out, s);
  out.unsafeGetTensorImpl()->copied_view = outer != 1;
  return out;
}
static Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t len, bool drop_dim,
                    const char* op) {
  Tensor out = slice_value(x, dim, start, len, drop_dim);
  if (Entry* e = record(op, narrow_backward, {&x}, out)) e->i = {dim, start, len, drop_dim ? 1 : 0};
  return out;
}
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
  check_defined(x, "narrow");
  if (x.dim() == 0) fail("narrow() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, x.dim(), "narrow"), n = x.size(d);
  if (start < 0) start += n;
  if (start < 0 || length < 0 || start > n || start + length > n)
    fail("narrow: start (" + std::to_string(start) + ") + length (" + std::to_string(length) +
         ") exceeds dimension size (" + std::to_string(n) + ") of shape " + to_string(x.sizes()));
  return slice(x, d, start, length, false, "narrow");
}
Tensor select(const Tensor& x, int64_t dim, int64_t index) {
  check_defined(x, "select");
  if (x.dim() == 0) fail("select() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, x.dim(), "select"), n = x.size(d);
  if (index < -n || index >= n)
    fail("select(): index " + std::to_string(index) + " out of range for tensor of size " +
         to_string(x.sizes()) + " at dimension " + std::to_string(d));
  return slice(x, d, index < 0 ? index + n : index, 1, true, "select");
}

// ---- split, chunk, unbind: one op with one entry per piece (tape.hpp, "Several outputs") ----
// split: d x = cat(d pieces) -- the adjoint of cutting x into pieces is gluing their gradients
// back in one pass (a piece without a gradient contributes zeros); unbind's pieces lost `dim`,
// so their gradients are stacked. Written with tg:: ops, so create_graph records it (cat's own
// backward is narrow, which makes second derivatives work).
static void split_backward(const Entry& e, const Tensor&, Tensor* gin) {
  const int64_t dim = e.i[0];
  const bool dropped = e.i[1] != 0;
  Shape piece = e.in_shape(0);
  TensorList parts;
  const EntryExtra& x = *e.extra;  // the pieces' sizes, and their gradients
  for (size_t k = 0; k < x.ints.size(); ++k) {
    const Tensor g = k < x.out_grads.size() ? x.out_grads[k] : Tensor();
    piece[size_t(dim)] = x.ints[k];
    if (!g.defined())
      parts.push_back(zeros(piece, e.in_dtype[0]));  // keeps `dim` (of size 1 for unbind)
    else
      parts.push_back(dropped ? g.unsqueeze(dim) : g);
  }
  gin[0] = cat(parts, dim);
}
// The dim to cut along, wrapped; tg::Error naming op and shape when there is none.
static int64_t piece_dim(const Tensor& x, int64_t dim, const char* op) {
  check_defined(x, op);
  const int64_t nd = x.dim();
  if (nd == 0 || dim < -nd || dim >= nd)
    fail(std::string(op) + ": dim " + std::to_string(dim) +
         " is out of range for a tensor of shape " + to_string(x.sizes()) +
         (nd == 0 ? " (a 0-dim tensor cannot be cut)" : ""));
  return dim < 0 ? dim + nd : dim;
}
// Pieces of `sizes` along dim d (already wrapped and checked), recorded as one op.
static std::vector<Tensor> pieces(const Tensor& x, int64_t d, std::vector<int64_t> sizes,
                                  bool drop_dim, const char* op) {
  std::vector<Tensor> parts;
  parts.reserve(sizes.size());
  int64_t start = 0;
  for (int64_t len : sizes) parts.push_back(slice_value(x, d, start, len, drop_dim)), start += len;
  if (Entry* e = Tape::get().record_outputs(op, split_backward, x, parts)) {
    e->i[0] = d;
    e->i[1] = drop_dim ? 1 : 0;
    e->make_extra().ints = std::move(sizes);
  }
  return parts;
}
std::vector<Tensor> split_with_sizes(const Tensor& x, IntArrayRef split_sizes, int64_t dim) {
  int64_t d = piece_dim(x, dim, "split_with_sizes"), total = 0;
  for (int64_t s : split_sizes) {
    if (s < 0)
      fail("split_with_sizes: split sizes " + to_string(split_sizes) +
           " contain a negative size (input shape " + to_string(x.sizes()) + ")");
    total += s;
  }
  if (total != x.size(d))
    fail("split_with_sizes: split sizes " + to_string(split_sizes) + " don't add up to the size " +
         std::to_string(x.size(d)) + " of dim " + std::to_string(d) + " of shape " +
         to_string(x.sizes()));
  return pieces(x, d, std::vector<int64_t>(split_sizes.begin(), split_sizes.end()), false,
                "split_with_sizes");
}
std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim) {
  int64_t d = piece_dim(x, dim, "split"), n = x.size(d);
  if (split_size <= 0 && n > 0)
    fail("split: split_size must be positive, got " + std::to_string(split_size) +
         " (input shape " + to_string(x.sizes()) + ")");
  std::vector<int64_t> sizes;
  for (int64_t s = 0; s < n || (n == 0 && sizes.empty()); s += std::max<int64_t>(split_size, 1))
    sizes.push_back(std::min(split_size, n - s));
  return pieces(x, d, std::move(sizes), false, "split");
}
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim) {
  int64_t n = x.size(piece_dim(x, dim, "chunk"));
  if (chunks <= 0)
    fail("chunk: number of chunks must be greater than 0, got " + std::to_string(chunks) +
         " (input shape " + to_string(x.sizes()) + ")");
  return split(x, (n + chunks - 1) / chunks, dim);
}
std::vector<Tensor> unbind(const Tensor& x, int64_t dim) {
  int64_t d = piece_dim(x, dim, "unbind");
  return pieces(x, d, std::vector<int64_t>(size_t(x.size(d)), 1), true, "unbind");
}

// ---- cat / stack: the gradient of each input is its slice of g ----
static void cat_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const int64_t dim = e.i[0];
  int64_t start = 0;
  for (int k = 0; k < e.n_in; ++k) {
    int64_t len = e.extra->ints[size_t(k)];
    if (e.needs(k) && len >= 0) gin[k] = g.narrow(dim, start, len);
    start += std::max<int64_t>(len, 0);
  }
}
Tensor cat(const TensorList& ts, int64_t dim) {
  if (ts.empty()) fail("cat: expected a non-empty list of tensors");
  const Tensor* ref = nullptr;
  ScalarType t = ts[0].defined() ? ts[0].scalar_type() : kFloat;
  for (const Tensor& x : ts) {
    check_defined(x, "cat");
    t = kern::promote(t, x.scalar_type());
    if (!(x.dim() == 1 && x.numel() == 0) && !ref) ref = &x;  // legacy: skip empty 1-D tensors
  }
  if (!ref) return make_tensor({0}, t);
  int64_t d = wrap_dim(dim, ref->dim(), "cat");
  if (ref->dim() == 0) fail("cat: zero-dimensional tensor cannot be concatenated");
  Shape out = ref->sizes();
  out[size_t(d)] = 0;
  std::vector<int64_t> lens;
  for (size_t k = 0; k < ts.size(); ++k) {
    const Tensor& x = ts[k];
    if (x.dim() == 1 && x.numel() == 0) {
      lens.push_back(-1);
      continue;
    }
    if (x.dim() != ref->dim())
      fail("cat: tensors must have the same number of dimensions: got " + to_string(ref->sizes()) +
           " and " + to_string(x.sizes()) + " (tensor " + std::to_string(k) + ")");
    for (int64_t j = 0; j < x.dim(); ++j)
      if (j != d && x.size(j) != ref->size(j))
        fail("cat: sizes of tensors must match except in dimension " + std::to_string(d) +
             ": got " + to_string(ref->sizes()) + " and " + to_string(x.sizes()) + " (tensor " +
             std::to_string(k) + ")");
    out[size_t(d)] += x.size(d);
    lens.push_back(x.size(d));
  }
  Tensor result = make_tensor(out, t);
  int64_t outer = 1, inner = 1;
  for (int64_t j = 0; j < int64_t(out.size()); ++j) {
    if (j < d) outer *= out[size_t(j)];
    if (j > d) inner *= out[size_t(j)];
  }
  const size_t es = element_size(t);
  char* dst = static_cast<char*>(result.raw_data());
  int64_t at = 0;
  for (size_t k = 0; k < ts.size(); ++k) {
    if (lens[k] < 0) continue;
    Tensor src = kern::cast(ts[k], t);
    const char* s = static_cast<const char*>(src.raw_data());
    const size_t block = size_t(lens[k] * inner) * es, row = size_t(out[size_t(d)] * inner) * es;
    for (int64_t a = 0; a < outer; ++a)
      std::memcpy(dst + size_t(a) * row + size_t(at * inner) * es, s + size_t(a) * block, block);
    at += lens[k];
  }
  if (Entry* e = Tape::get().record("cat", cat_backward, ts, result)) {
    e->i[0] = d;
    e->make_extra().ints = lens;
  }
  return result;
}
Tensor stack(const TensorList& ts, int64_t dim) {
  if (ts.empty()) fail("stack: expected a non-empty list of tensors");
  int64_t d = wrap_dim(dim, ts[0].dim() + 1, "stack");
  TensorList parts;
  for (size_t k = 0; k < ts.size(); ++k) {
    if (ts[k].sizes() != ts[0].sizes())
      fail("stack: expects each tensor to be equal size, but got " + to_string(ts[0].sizes()) +
           " at entry 0 and " + to_string(ts[k].sizes()) + " at entry " + std::to_string(k));
    parts.push_back(ts[k].unsqueeze(d));
  }
  return cat(parts, d);
}

}  // namespace tg
