// Reductions. Primitives (sum, prod, amax/amin, max/min with indices, norm) have their own
// kernels and backward; the rest (mean, var, std, logsumexp) are written from primitives, so
// their gradients come from the tape with no extra code. softmax, log_softmax: ops_softmax.cpp.
#include <cmath>
#include <limits>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// Which dims a reduction removes. An empty list means all of them (PyTorch's rule for sum).
struct Reduced {
  bool mask[Shape::kMaxDims] = {};
  Shape kept;         // the result's shape with keepdim=true (1 where reduced)
  Shape out;          // the result's shape as asked for
  int64_t count = 1;  // elements folded into each result
};
static Reduced reduced_dims(const Tensor& x, IntArrayRef dims, bool keepdim, const char* op) {
  Reduced r;
  int64_t nd = x.dim();
  if (dims.empty())
    for (int64_t d = 0; d < nd; ++d) r.mask[d] = true;
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, nd, op);
    if (nd == 0) continue;
    if (r.mask[w] && dims.size() > 0)
      fail(std::string(op) + ": dim " + std::to_string(w) +
           " appears multiple times in the list of dims");
    r.mask[w] = true;
  }
  for (int64_t d = 0; d < nd; ++d) {
    int64_t s = x.size(d);
    r.kept.push_back(r.mask[d] ? 1 : s);
    if (r.mask[d]) r.count *= s;
    if (!r.mask[d] || keepdim) r.out.push_back(r.mask[d] ? 1 : s);
  }
  return r;
}

// Views x as (outer, n, inner) around one dim: every reduction kernel below loops over that.
struct Split3 {
  int64_t outer = 1, n = 1, inner = 1;
};
static Split3 split3(IntArrayRef s, int64_t dim) {
  Split3 r;
  for (int64_t d = 0; d < int64_t(s.size()); ++d) {
    if (d < dim)
      r.outer *= s[d];
    else if (d == dim)
      r.n = s[d];
    else
      r.inner *= s[d];
  }
  return r;
}

// Reduces one dim (kept as size 1). Acc is the accumulator type: double for floating inputs
// (more accurate than PyTorch's float cascade, and within 1e-5 of it), int64 otherwise.
template <class T, class Out>
static Tensor sum_one_dim(const Tensor& x, int64_t dim, ScalarType out_dtype) {
  Shape s = x.sizes();
  Split3 p = split3(s, dim);
  s[size_t(dim)] = 1;
  Tensor out = make_tensor(s, out_dtype);
  const T* in = ptr<T>(x);
  Out* o = ptr<Out>(out);
  using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
  for (int64_t a = 0; a < p.outer; ++a) {
    if (p.inner == 1) {
      const T* row = in + a * p.n;
      Acc acc[4] = {0, 0, 0, 0};  // four accumulators: independent chains vectorise and pipeline
      int64_t k = 0;
      for (; k + 4 <= p.n; k += 4)
        for (int j = 0; j < 4; ++j) acc[j] += Acc(row[k + j]);
      for (; k < p.n; ++k) acc[0] += Acc(row[k]);
      o[a] = Out((acc[0] + acc[1]) + (acc[2] + acc[3]));
      continue;
    }
    std::vector<Acc> acc(size_t(p.inner), Acc(0));
    for (int64_t k = 0; k < p.n; ++k) {
      const T* row = in + (a * p.n + k) * p.inner;
      for (int64_t c = 0; c < p.inner; ++c) acc[size_t(c)] += Acc(row[c]);
    }
    for (int64_t c = 0; c < p.inner; ++c) o[a * p.inner + c] = Out(acc[size_t(c)]);
  }
  return out;
}

// sum: the gradient of every summed element is g, so backward broadcasts g back.
static void sum_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (kern::fused_backward())
    gin[0] = kern::broadcast_to(g.reshape(e.dims()), e.in_shape(0));
  else
    gin[0] = g.reshape(e.dims()).expand(e.in_shape(0));
}
Tensor sum(const Tensor& x, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  check_defined(x, "sum");
  Tensor in = dtype ? x.to(*dtype) : x;
  // Bool and every integer type sum as Long, as libtorch; a dtype given (kInt, ...) is the
  // result's, the sum still runs in Long.
  const ScalarType out_t = dtype                                 ? *dtype
                           : is_floating_point(in.scalar_type()) ? in.scalar_type()
                                                                 : kLong;
  Reduced r = reduced_dims(in, dims, keepdim, "sum");
  Tensor cur = kern::cast(in, is_floating_point(out_t) ? out_t : kLong);
  if (cur.numel() == 0 || r.count == 1) {
    cur = cur.numel() == 0 ? zeros(r.kept, out_t) : kern::cast(cur, out_t).detach().clone();
  } else {
    for (int64_t d = 0; d < in.dim(); ++d) {
      if (!r.mask[d] || cur.size(d) == 1) continue;
      kern::dispatch_compute(cur.scalar_type(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, bool>)
          return;
        else
          cur = sum_one_dim<T, T>(cur, d, cur.scalar_type());
      });
    }
  }
  Tensor out = alias_with_shape(kern::cast(cur, out_t), r.out);
  if (Entry* e = record("sum", sum_backward, {&in}, out)) e->set_dims(r.kept);
  return out;
}
Tensor sum(const Tensor& x, std::optional<ScalarType> dtype) { return sum(x, {}, false, dtype); }

// mean = sum / count (composite)
Tensor mean(const Tensor& x, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  check_defined(x, "mean");
  Tensor in = dtype ? x.to(*dtype) : x;
  if (!is_floating_point(in.scalar_type()))
    fail(std::string("mean(): could not infer output dtype. Input dtype must be either a "
                     "floating point or complex dtype. Got: ") +
         dtype_name(in.scalar_type()));
  Reduced r = reduced_dims(in, dims, keepdim, "mean");
  return sum(in, dims, keepdim) / double(r.count);
}
Tensor mean(const Tensor& x, std::optional<ScalarType> dtype) { return mean(x, {}, false, dtype); }

// prod: d prod(x) / dx_i = product of the others. Computed from prefix and suffix products,
// so zeros in x are handled exactly (no division by x_i).
static Tensor prod_dim_kernel(const Tensor& x, int64_t dim, bool grad, const Tensor& g) {
  Shape s = x.sizes();
  Split3 p = split3(s, dim);
  if (!grad) s[size_t(dim)] = 1;
  Tensor out = make_tensor(s, x.scalar_type());
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>)
      return;
    else {
      const T* in = ptr<T>(x);
      T* o = ptr<T>(out);
      for (int64_t a = 0; a < p.outer; ++a)
        for (int64_t c = 0; c < p.inner; ++c) {
          auto at = [&](int64_t k) { return (a * p.n + k) * p.inner + c; };
          if (!grad) {
            T acc = T(1);
            for (int64_t k = 0; k < p.n; ++k) acc *= in[at(k)];
            o[a * p.inner + c] = acc;
            continue;
          }
          T gv = ptr<T>(g)[a * p.inner + c], left = T(1);
          for (int64_t k = 0; k < p.n; ++k) o[at(k)] = left, left *= in[at(k)];
          T right = T(1);
          for (int64_t k = p.n; k-- > 0;) o[at(k)] *= right * gv, right *= in[at(k)];
        }
    }
  });
  return out;
}
// Under create_graph the product of the others must itself be recorded. Written as a prod of
// n copies of x, copy i with x_i replaced by 1, it is exact at zeros (PyTorch's
// prod_safe_zeros_backward needs a cumprod for that) and differentiates again by the same
// rule to any order. It costs n times the memory of x per order, so only create_graph uses it.
static Tensor prod_others_recorded(const Tensor& x, int64_t dim) {
  const int64_t n = x.size(dim);
  Shape eye_shape;  // [1.., n, n, 1..]: copy i along dim, its elements along dim + 1
  for (int64_t d = 0; d <= x.dim(); ++d) eye_shape.push_back(d == dim || d == dim + 1 ? n : 1);
  Tensor one_at_i = eye(n, x.scalar_type()).reshape(eye_shape);
  Tensor copies = x.unsqueeze(dim) * (1.0 - one_at_i) + one_at_i;
  return prod(copies, dim + 1);
}
static void prod_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& x = e.saved_value(0);
  int64_t dim = e.i[0];
  Tensor xs = dim < 0 ? x.reshape({-1}) : x;  // the all-elements product: x as one flat dim
  Tensor gk = dim < 0 ? g.reshape({1}) : g.reshape(e.dims()).contiguous();
  int64_t d = dim < 0 ? 0 : dim;
  Tensor gx = grad_enabled() ? gk * prod_others_recorded(xs, d) : prod_dim_kernel(xs, d, true, gk);
  gin[0] = gx.reshape(x.sizes());
}
Tensor prod(const Tensor& x, int64_t dim, bool keepdim, std::optional<ScalarType> dtype) {
  check_defined(x, "prod");
  Tensor in = dtype ? x.to(*dtype)
                    : kern::cast(x, is_floating_point(x.scalar_type()) ? x.scalar_type() : kLong);
  int64_t d = wrap_dim(dim, in.dim(), "prod");
  Tensor base = in.dim() == 0 ? in.reshape({1}) : in;
  Tensor res = prod_dim_kernel(base, in.dim() == 0 ? 0 : d, false, {});
  Reduced r = reduced_dims(in, {dim}, keepdim, "prod");
  Tensor out = alias_with_shape(res, r.out);
  if (Entry* e = record("prod", prod_backward, {&in}, out)) {
    e->save(0, in);
    e->i[0] = in.dim() == 0 ? -1 : d;
    e->set_dims(r.kept);
  }
  return out;
}
Tensor prod(const Tensor& x, std::optional<ScalarType> dtype) {
  check_defined(x, "prod");
  Tensor flat = x.reshape({-1});
  Tensor out = prod(flat, 0, false, dtype);
  return out;
}

// ---- max / min ----------------------------------------------------------------------------
// One dim, with the index of the first extreme element; NaN wins, as in PyTorch.
template <class T>
static void extreme_kernel(const Tensor& x, int64_t dim, bool is_max, Tensor& values,
                           Tensor& indices) {
  Shape s = x.sizes();
  Split3 p = split3(s, dim);
  s[size_t(dim)] = 1;
  values = make_tensor(s, x.scalar_type());
  indices = make_tensor(s, kLong);
  const T* in = ptr<T>(x);
  for (int64_t a = 0; a < p.outer; ++a)
    for (int64_t c = 0; c < p.inner; ++c) {
      T best = in[a * p.n * p.inner + c];
      int64_t bi = 0;
      for (int64_t k = 1; k < p.n; ++k) {
        T v = in[(a * p.n + k) * p.inner + c];
        bool nan_best = false;
        if constexpr (std::is_floating_point_v<T>) nan_best = std::isnan(best);
        if (nan_best) break;
        bool take = is_max ? v > best : v < best;
        if constexpr (std::is_floating_point_v<T>) take = take || std::isnan(v);
        if (take) best = v, bi = k;
      }
      ptr<T>(values)[a * p.inner + c] = best;
      ptr<int64_t>(indices)[a * p.inner + c] = bi;
    }
}
static void extreme(const Tensor& x, int64_t dim, bool is_max, Tensor& values, Tensor& indices,
                    const char* op) {
  if (x.numel() == 0 || (x.dim() > 0 && x.size(dim) == 0))
    fail(std::string(op) + ": cannot reduce an empty dimension (input shape " +
         to_string(x.sizes()) + ")");
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    extreme_kernel<T>(x, dim, is_max, values, indices);
  });
}

// max(dim)/min(dim): the gradient goes to the element the index points at.
static void select_extreme_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (e.in_shape(0).size() == 0) return void(gin[0] = g);  // 0-d input: it is its own max
  const Tensor& idx = e.saved_value(0);
  Tensor gk = g.reshape(e.dims());
  gin[0] = scatter_add(zeros(e.in_shape(0), g.scalar_type()), e.i[0], idx, gk);
}
static std::tuple<Tensor, Tensor> max_min_dim(const Tensor& x, int64_t dim, bool keepdim,
                                              bool is_max) {
  const char* op = is_max ? "max" : "min";
  check_defined(x, op);
  int64_t d = wrap_dim(dim, x.dim(), op);
  Tensor base = x.dim() == 0 ? x.reshape({1}) : x;
  Tensor v, i;
  extreme(base, x.dim() == 0 ? 0 : d, is_max, v, i, op);
  Reduced r = reduced_dims(x, {dim}, keepdim, op);
  Tensor values = alias_with_shape(v, r.out), indices = alias_with_shape(i, r.out);
  if (Entry* e = record(op, select_extreme_backward, {&x}, values)) {
    e->save(0, x.dim() == 0 ? i.reshape({}) : i);
    e->i[0] = x.dim() == 0 ? 0 : d;
    e->set_dims(r.kept);
    if (x.dim() == 0) e->set_dims(Shape());
  }
  return {values, indices};
}
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) {
  return max_min_dim(x, dim, keepdim, true);
}
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) {
  return max_min_dim(x, dim, keepdim, false);
}

// amax/amin: the gradient is shared evenly among tied extremes (PyTorch's rule).
static void amax_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& x = e.saved_value(0);
  Tensor kept = e.saved_value(1).reshape(e.dims());
  Tensor mask = (x == kept).to(g.scalar_type());
  std::vector<int64_t> dims;
  for (size_t d = 0; d < e.dims().size(); ++d)
    if (e.dims()[d] == 1 && x.size(int64_t(d)) != 1) dims.push_back(int64_t(d));
  Tensor n = dims.empty() ? ones_like(kept) : sum(mask, dims, true);
  gin[0] = g.reshape(e.dims()) * mask / n;
}
static Tensor amax_amin(const Tensor& x, IntArrayRef dims, bool keepdim, bool is_max) {
  const char* op = is_max ? "amax" : "amin";
  check_defined(x, op);
  Reduced r = reduced_dims(x, dims, keepdim, op);
  Tensor cur = x.detach();
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (!r.mask[d]) continue;
    Tensor v, i;
    extreme(cur, d, is_max, v, i, op);
    cur = v;
  }
  if (x.dim() == 0) cur = x.detach().clone();
  Tensor out = alias_with_shape(cur, r.out);
  if (Entry* e = record(op, amax_backward, {&x}, out)) {
    e->save(0, x), e->save(1, out);
    e->set_dims(r.kept);
  }
  return out;
}
Tensor amax(const Tensor& x, IntArrayRef dim, bool keepdim) {
  return amax_amin(x, dim, keepdim, true);
}
Tensor amin(const Tensor& x, IntArrayRef dim, bool keepdim) {
  return amax_amin(x, dim, keepdim, false);
}
Tensor max(const Tensor& x) {
  check_defined(x, "max");
  if (x.numel() == 0) fail("max(): Expected reduction dim to be specified for input.numel() == 0.");
  return amax(x, {}, false);
}
Tensor min(const Tensor& x) {
  check_defined(x, "min");
  if (x.numel() == 0) fail("min(): Expected reduction dim to be specified for input.numel() == 0.");
  return amin(x, {}, false);
}

static Tensor arg_extreme(const Tensor& x, std::optional<int64_t> dim, bool keepdim, bool is_max) {
  const char* op = is_max ? "argmax" : "argmin";
  check_defined(x, op);
  if (!dim) {
    Tensor v, i;
    extreme(x.detach().reshape({-1}), 0, is_max, v, i, op);
    if (!keepdim) return i.reshape({});
    Shape ones;
    for (int64_t d = 0; d < x.dim(); ++d) ones.push_back(1);
    return i.reshape(ones);
  }
  NoGradGuard no_grad;
  return std::get<1>(max_min_dim(x, *dim, keepdim, is_max));
}
Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_extreme(x, dim, keepdim, true);
}
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_extreme(x, dim, keepdim, false);
}

// ---- statistics (composites) --------------------------------------------------------------
Tensor var(const Tensor& x, IntArrayRef dims, bool unbiased, bool keepdim) {
  check_floating(x, "var");
  Reduced r = reduced_dims(x, dims, keepdim, "var");
  Tensor d = x - mean(x, dims, true);
  return sum(d * d, dims, keepdim) / double(r.count - (unbiased ? 1 : 0));
}
Tensor std(const Tensor& x, IntArrayRef dims, bool unbiased, bool keepdim) {
  return sqrt(var(x, dims, unbiased, keepdim));
}

// norm_p(x) = (sum |x|^p)^(1/p); d/dx = x |x|^(p-2) / norm^(p-1), taken as 0 where norm = 0
// (PyTorch's subgradient at the origin). p = 1 and p = inf are composites of abs, sum, amax.
static void norm_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& x = e.saved_value(0);
  Tensor n = e.saved_value(1).reshape(e.dims());
  Tensor gk = g.reshape(e.dims());
  double p = e.d[0];
  Tensor scale = p == 2 ? x / n : x * pow(abs(x), p - 2) / pow(n, p - 1);
  gin[0] = where(n == 0, 0.0, gk * scale);
}
Tensor norm(const Tensor& x, std::optional<Scalar> p_opt, IntArrayRef dims, bool keepdim) {
  check_floating(x, "norm");
  double p = p_opt ? p_opt->to_double() : 2.0;
  if (std::isinf(p)) return p > 0 ? amax(abs(x), dims, keepdim) : amin(abs(x), dims, keepdim);
  if (p == 1) return sum(abs(x), dims, keepdim);
  if (p <= 0) fail("norm: only p > 0 (or inf) is supported, got p = " + std::to_string(p));
  Tensor out;
  {
    NoGradGuard no_grad;
    Tensor s = p == 2 ? sum(x * x, dims, keepdim) : sum(pow(abs(x), p), dims, keepdim);
    out = p == 2 ? sqrt(s) : pow(s, 1.0 / p);
  }
  Reduced r = reduced_dims(x, dims, keepdim, "norm");
  if (Entry* e = record("norm", norm_backward, {&x}, out)) {
    e->save(0, x), e->save(1, out);
    e->d[0] = p;
    e->set_dims(r.kept);
  }
  return out;
}
Tensor norm(const Tensor& x, const Scalar& p) { return norm(x, p, {}, false); }

// logsumexp = m + log(sum(exp(x - m))) with m = amax(x) held constant: the gradient of the
// result doesn't depend on m, so detaching it keeps the formula stable at no cost in accuracy.
Tensor logsumexp(const Tensor& x, IntArrayRef dims, bool keepdim) {
  check_floating(x, "logsumexp");
  if (x.numel() == 0) return log(sum(exp(x), dims, keepdim));
  Tensor m = amax(x.detach(), dims, true);
  m = where(isinf(m), 0.0, m);  // all -inf rows: exp(-inf - 0) = 0, log 0 = -inf, as PyTorch
  Tensor s = log(sum(exp(x - m), dims, true)) + m;
  if (keepdim) return s;
  Reduced r = reduced_dims(x, dims, false, "logsumexp");
  return s.reshape(r.out);
}

}  // namespace tg
