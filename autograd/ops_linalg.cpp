// Matrix products. mm, bmm and linear are the primitives (a plain loop for small products,
// OpenBLAS gemm above ~16^3 multiply-adds, where its ~0.5 us call cost pays off); matmul, dot,
// mv and t are composites of them and of shape ops, so their gradients come from the tape.
#include <cblas.h>

#include <algorithm>
#include <cstring>

#include "functions.hpp"
#include "gemm.hpp"
#include "kernels.hpp"

namespace tg {

// cblas ?gemv / ?gemm for float and double.
inline void blas_gemv(CBLAS_TRANSPOSE t, int m, int n, const float* a, int lda, const float* x,
                      float beta, float* y) {
  cblas_sgemv(CblasRowMajor, t, m, n, 1.0f, a, lda, x, 1, beta, y, 1);
}
inline void blas_gemv(CBLAS_TRANSPOSE t, int m, int n, const double* a, int lda, const double* x,
                      double beta, double* y) {
  cblas_dgemv(CblasRowMajor, t, m, n, 1.0, a, lda, x, 1, beta, y, 1);
}
inline void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const float* a,
                      int lda, const float* b, int ldb, float beta, float* c) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, n);
}
inline void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, const double* a,
                      int lda, const double* b, int ldb, double beta, double* c) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, beta, c, n);
}

// gemm (gemm.hpp). The transposed forms serve the backwards of mm, linear and conv, which then
// need no transposed copies; `acc` lets linear write its bias first. A product with one output
// column or row (Linear(in, 1), its weight gradient) is a matrix-vector product: gemv, which
// does not pack its operands as gemm does.
template <class T>
static void gemm_t(const T* a, const T* b, T* c, int64_t m, int64_t k, int64_t n, bool ta, bool tb,
                   bool acc) {
  constexpr int64_t kBlasThreshold = 16 * 16 * 16;
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (m * n * k > kBlasThreshold) {
      const int lda = int(ta ? m : k), ldb = int(tb ? k : n);
      const auto opa = ta ? CblasTrans : CblasNoTrans, opb = tb ? CblasTrans : CblasNoTrans;
      const T beta = acc ? T(1) : T(0);
      if (n == 1)  // c = op(A) b: b's k elements are contiguous whether or not tb
        blas_gemv(opa, int(ta ? k : m), int(ta ? m : k), a, lda, b, beta, c);
      else if (m == 1)  // c^T = op(B)^T a^T, a's k elements contiguous whether or not ta
        blas_gemv(tb ? CblasNoTrans : CblasTrans, int(tb ? n : k), int(tb ? k : n), b, ldb, a, beta,
                  c);
      else if (acc)
        blas_gemm(opa, opb, int(m), int(n), int(k), a, lda, b, ldb, T(1), c);
      else {  // OpenBLAS would zero c with a loop of its own (sgemm_beta): memset is faster
        std::memset(c, 0, size_t(m * n) * sizeof(T));
        blas_gemm(opa, opb, int(m), int(n), int(k), a, lda, b, ldb, T(1), c);
      }
      return;
    }
  }
  // Element (i, p) of op(A) is at i * as + p * ap; the same for B.
  const int64_t as = ta ? 1 : k, ap = ta ? m : 1, bp = tb ? 1 : n, bj = tb ? k : 1;
  if (n == 1) {  // one dot product per row (a Linear(in, 1) forward): no inner loop of length 1
    for (int64_t i = 0; i < m; ++i) {
      T sum = acc ? c[i] : T(0);
      for (int64_t p = 0; p < k; ++p) sum = T(sum + a[i * as + p * ap] * b[p]);
      c[i] = sum;
    }
    return;
  }
  if (!acc)
    for (int64_t i = 0; i < m * n; ++i) c[i] = T(0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p) {
      const T aip = a[i * as + p * ap];
      const T* brow = b + p * bp;
      T* crow = c + i * n;
      int64_t j = 0;
      if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
        if (bj == 1) {  // rows of B contiguous: in SIMD batches (GCC -O2 leaves this loop scalar)
          using V = xsimd::batch<T>;
          const V va(aip);
          for (; j + int64_t(V::size) <= n; j += int64_t(V::size))
            xsimd::fma(va, V::load_unaligned(brow + j), V::load_unaligned(crow + j))
                .store_unaligned(crow + j);
        }
      }
      for (; j < n; ++j) crow[j] = T(crow[j] + aip * brow[j * bj]);
    }
}

void gemm(const float* a, const float* b, float* c, int64_t m, int64_t k, int64_t n, bool ta,
          bool tb, bool acc) {
  gemm_t(a, b, c, m, k, n, ta, tb, acc);
}
void gemm(const double* a, const double* b, double* c, int64_t m, int64_t k, int64_t n, bool ta,
          bool tb, bool acc) {
  gemm_t(a, b, c, m, k, n, ta, tb, acc);
}

static std::string mat_shape(const Tensor& t) {
  std::string s;
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "x" : "") + std::to_string(t.size(d));
  return s;
}

// Where a backward puts input k's gradient: into gk itself if the sweep lent it -- the input's
// own .grad, to be added into by a beta = 1 gemm (BackwardFn in tape.hpp); returns true -- or
// else into a new tensor of `shape` it makes there (returns false: write, don't add).
static bool lent_or_new(Tensor& gk, IntArrayRef shape, ScalarType dt) {
  if (gk.defined()) return true;
  gk = make_tensor(shape, dt);
  return false;
}

// mm: d(AB) = dA B + A dB, so gA = g B^T and gB = A^T g. Unless the backward is itself
// recorded (create_graph), both are one gemm with a transposed operand, without t() copies.
// Also serves bmm's backward: 3-D operands are a batch of such products, into `out` (lent_or_new).
static void mm_transposed(const Tensor& a, const Tensor& b, bool ta, bool tb, Tensor& out) {
  const int64_t r = a.dim() - 2, nb = r ? a.size(0) : 1;
  const int64_t m = a.size(r + (ta ? 1 : 0)), k = a.size(r + (ta ? 0 : 1));
  const int64_t n = b.size(r + (tb ? 0 : 1));
  const bool add = lent_or_new(out, r ? Shape{nb, m, n} : Shape{m, n}, a.scalar_type());
  kern::dispatch_float(a.scalar_type(), "mm", [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < nb; ++i)
      gemm(ptr<T>(a) + i * m * k, ptr<T>(b) + i * k * n, ptr<T>(out) + i * m * n, m, k, n, ta, tb,
           add);
  });
}
// gA = g B^T, gB = A^T g from the saved A (slot 0) and B (slot 1), for mm and bmm.
static void product_grads(const Entry& e, const Tensor& g, Tensor* gin) {
  if (e.needs(0))
    mm_transposed(g, kern::cast(e.saved_value(1), g.scalar_type()), false, true, gin[0]);
  if (e.needs(1))
    mm_transposed(kern::cast(e.saved_value(0), g.scalar_type()), g, true, false, gin[1]);
}
static void mm_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (grad_enabled()) {
    if (e.needs(0)) gin[0] = g.mm(e.saved_value(1).t());
    if (e.needs(1)) gin[1] = e.saved_value(0).t().mm(g);
    return;
  }
  product_grads(e, g, gin);
}
Tensor mm(const Tensor& a, const Tensor& b) {
  check_defined(a, "mm"), check_defined(b, "mm");
  if (a.dim() != 2 || b.dim() != 2)
    fail("mm: expected 2-D tensors, got shapes " + to_string(a.sizes()) + " and " +
         to_string(b.sizes()));
  if (a.size(1) != b.size(0))
    fail("mm: mat1 and mat2 shapes cannot be multiplied (" + mat_shape(a) + " and " + mat_shape(b) +
         ")");
  if (a.scalar_type() != b.scalar_type())
    fail(std::string("mm: expected mat1 and mat2 to have the same dtype, but got: ") +
         dtype_name(a.scalar_type()) + " != " + dtype_name(b.scalar_type()));
  const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  const ScalarType ct = kern::compute_type(a.scalar_type());  // small integers: as Long
  Tensor ca = kern::cast(a, ct), cb = kern::cast(b, ct), out = make_tensor({m, n}, ct);
  kern::dispatch_compute(ct, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>)
      fail("mm: not implemented for Bool");
    else
      gemm_t(ptr<T>(ca), ptr<T>(cb), ptr<T>(out), m, k, n, false, false, false);
  });
  out = kern::cast(out, a.scalar_type());
  if (Entry* e = record("mm", mm_backward, {&a, &b}, out)) {
    e->adds_into_grad = true;
    if (e->needs(1)) e->save(0, a);
    if (e->needs(0)) e->save(1, b);
  }
  return out;
}

// linear: y = x W^T + b over the last dim of x, whose leading dims are flattened into M rows.
// dy = dx W^T + x dW^T + db, so gx = g W, gW = g^T x and gb = g summed over the rows: one gemm
// with a transposed operand each, or one reduction, and no transposed copies (x.matmul(w.t())
// copied W^T in every forward and again in t()'s backward). Under create_graph the same
// formulas are recorded with tg:: ops, so that they can be differentiated again.
static int64_t leading_rows(IntArrayRef x_shape) {
  int64_t m = 1;
  for (size_t d = 0; d + 1 < x_shape.size(); ++d) m *= x_shape[d];
  return m;
}
static void linear_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const int64_t out_f = e.in_shape(1)[0], in_f = e.in_shape(1)[1];
  const int64_t m = leading_rows(e.in_shape(0));
  if (grad_enabled()) {
    Tensor g2 = g.reshape({m, out_f});
    if (e.needs(0)) gin[0] = g2.mm(e.saved_value(1)).reshape(e.in_shape(0));
    if (e.needs(1)) gin[1] = g2.t().mm(e.saved_value(0).reshape({m, in_f}));
    if (e.needs(2)) gin[2] = g2.sum(0);
    return;
  }
  kern::dispatch_float(g.scalar_type(), "linear", [&](auto tag) {
    using T = decltype(tag);
    const T* gp = ptr<T>(g);
    if (e.needs(0)) {
      Tensor w = kern::cast(e.saved_value(1), g.scalar_type());
      const bool add = lent_or_new(gin[0], e.in_shape(0), g.scalar_type());
      gemm(gp, ptr<T>(w), ptr<T>(gin[0]), m, out_f, in_f, false, false, add);
    }
    if (e.needs(1)) {
      Tensor x = kern::cast(e.saved_value(0), g.scalar_type());
      const bool add = lent_or_new(gin[1], Shape{out_f, in_f}, g.scalar_type());
      gemm(gp, ptr<T>(x), ptr<T>(gin[1]), out_f, m, in_f, true, false, add);
    }
    if (e.needs(2)) {
      const bool add = lent_or_new(gin[2], Shape{out_f}, g.scalar_type());
      T* gb = ptr<T>(gin[2]);
      if (!add) std::fill(gb, gb + out_f, T(0));
      // Row by row; wide rows in batches (GCC -O2 leaves the loop scalar), narrow ones as is.
      for (int64_t i = 0; i < m; ++i)
        if (out_f >= 16)
          kern::row2<true, true>(gb, gp + i * out_f, gb, out_f,
                                 kern::simd([](auto x, auto y) { return x + y; }));
        else
          for (int64_t j = 0; j < out_f; ++j) gb[j] += gp[i * out_f + j];
    }
  });
}
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  check_defined(input, "linear"), check_defined(weight, "linear");
  if (weight.dim() != 2)
    fail("linear: weight must be 2-D (out_features, in_features), got shape " +
         to_string(weight.sizes()));
  const int64_t out_f = weight.size(0), in_f = weight.size(1);
  if (input.dim() < 1 || input.size(-1) != in_f)
    fail("linear: input of shape " + to_string(input.sizes()) + " does not match weight of shape " +
         to_string(weight.sizes()) + " (the last dimension of the input must be " +
         std::to_string(in_f) + ")");
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != out_f))
    fail("linear: bias of shape " + to_string(bias.sizes()) + " does not match weight of shape " +
         to_string(weight.sizes()) + " (expected [" + std::to_string(out_f) + "])");
  const ScalarType dt = input.scalar_type();
  if (weight.scalar_type() != dt || (bias.defined() && bias.scalar_type() != dt))
    fail(std::string("linear: expected input, weight and bias to have the same dtype, but got ") +
         dtype_name(dt) + ", " + dtype_name(weight.scalar_type()) +
         (bias.defined() ? std::string(", ") + dtype_name(bias.scalar_type()) : ""));
  Shape shape = input.sizes();
  shape[shape.size() - 1] = out_f;
  const int64_t m = leading_rows(input.sizes());
  Tensor out = make_tensor(shape, dt);
  kern::dispatch_float(dt, "linear", [&](auto tag) {
    using T = decltype(tag);
    T* o = ptr<T>(out);
    if (bias.defined()) {  // every row starts as b; the product is then added to it
      const T* b = ptr<T>(bias);
      if (out_f == 1)
        std::fill(o, o + m, b[0]);
      else
        for (int64_t i = 0; i < m; ++i) std::copy(b, b + out_f, o + i * out_f);
    }
    gemm(ptr<T>(input), ptr<T>(weight), o, m, in_f, out_f, false, true, bias.defined());
  });
  if (Entry* e = record("linear", linear_backward, {&input, &weight, &bias}, out)) {
    e->adds_into_grad = true;
    if (e->needs(1)) e->save(0, input);
    if (e->needs(0)) e->save(1, weight);
  }
  return out;
}

// bmm: mm per batch element; gA = g B^T, gB = A^T g batch by batch (trans flags, as mm's).
static void bmm_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (grad_enabled()) {
    if (e.needs(0)) gin[0] = g.bmm(e.saved_value(1).transpose(1, 2));
    if (e.needs(1)) gin[1] = e.saved_value(0).transpose(1, 2).bmm(g);
    return;
  }
  product_grads(e, g, gin);
}
Tensor bmm(const Tensor& a, const Tensor& b) {
  check_defined(a, "bmm"), check_defined(b, "bmm");
  if (a.dim() != 3 || b.dim() != 3)
    fail("bmm: expected 3-D tensors, got shapes " + to_string(a.sizes()) + " and " +
         to_string(b.sizes()));
  if (a.size(0) != b.size(0) || a.size(2) != b.size(1))
    fail("bmm: batch1 and batch2 shapes cannot be multiplied (" + mat_shape(a) + " and " +
         mat_shape(b) + ")");
  if (a.scalar_type() != b.scalar_type())
    fail(std::string("bmm: expected batch1 and batch2 to have the same dtype, but got: ") +
         dtype_name(a.scalar_type()) + " != " + dtype_name(b.scalar_type()));
  const int64_t B = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
  const ScalarType ct = kern::compute_type(a.scalar_type());  // small integers: as Long
  Tensor ca = kern::cast(a, ct), cb = kern::cast(b, ct), out = make_tensor({B, m, n}, ct);
  kern::dispatch_compute(ct, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>)
      fail("bmm: not implemented for Bool");
    else
      for (int64_t i = 0; i < B; ++i)
        gemm_t(ptr<T>(ca) + i * m * k, ptr<T>(cb) + i * k * n, ptr<T>(out) + i * m * n, m, k, n,
               false, false, false);
  });
  out = kern::cast(out, a.scalar_type());
  if (Entry* e = record("bmm", bmm_backward, {&a, &b}, out)) {
    e->adds_into_grad = true;
    if (e->needs(1)) e->save(0, a);
    if (e->needs(0)) e->save(1, b);
  }
  return out;
}

Tensor t(const Tensor& x) {
  check_defined(x, "t");
  if (x.dim() > 2)
    fail("t() expects a tensor with <= 2 dimensions, but self is " + std::to_string(x.dim()) +
         "D (shape " + to_string(x.sizes()) + ")");
  return x.dim() < 2 ? x.reshape(x.sizes()) : x.transpose(0, 1);
}

Tensor dot(const Tensor& a, const Tensor& b) {
  check_defined(a, "dot"), check_defined(b, "dot");
  if (a.dim() != 1 || b.dim() != 1)
    fail("dot: 1D tensors expected, but got " + std::to_string(a.dim()) + "D and " +
         std::to_string(b.dim()) + "D tensors");
  if (a.numel() != b.numel())
    fail("dot: inconsistent tensor size, expected tensor [" + std::to_string(a.numel()) +
         "] and src [" + std::to_string(b.numel()) + "] to have the same number of elements");
  if (a.scalar_type() != b.scalar_type())
    fail(std::string("dot: expected both vectors to have same dtype, but found ") +
         dtype_name(a.scalar_type()) + " and " + dtype_name(b.scalar_type()));
  return (a * b).sum();
}

Tensor mv(const Tensor& a, const Tensor& v) {
  check_defined(a, "mv"), check_defined(v, "mv");
  if (a.dim() != 2 || v.dim() != 1)
    fail("mv: expected a 2-D matrix and a 1-D vector, got shapes " + to_string(a.sizes()) +
         " and " + to_string(v.sizes()));
  return a.mm(v.unsqueeze(1)).squeeze(1);
}

// matmul: numpy's rules. 1-D operands get a dimension added and removed again; batch dims
// broadcast. A batched left operand against a matrix folds the batch into rows (one mm).
Tensor matmul(const Tensor& a, const Tensor& b) {
  check_defined(a, "matmul"), check_defined(b, "matmul");
  const int64_t da = a.dim(), db = b.dim();
  if (da == 0 || db == 0)
    fail("matmul: both arguments need at least 1 dimension, got shapes " + to_string(a.sizes()) +
         " and " + to_string(b.sizes()));
  if (da == 1 && db == 1) return dot(a, b);
  if (da == 2 && db == 1) return mv(a, b);
  if (da == 1 && db == 2) return a.unsqueeze(0).mm(b).squeeze(0);
  if (da == 2 && db == 2) return a.mm(b);
  if (da >= 3 && db <= 2) {
    Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
    if (a.size(-1) != b2.size(0))
      fail("matmul: shapes " + to_string(a.sizes()) + " and " + to_string(b.sizes()) +
           " cannot be multiplied (" + std::to_string(a.size(-1)) + " vs " +
           std::to_string(b2.size(0)) + ")");
    Shape out = a.sizes();
    if (db == 1)
      out.erase(out.size() - 1);
    else
      out[out.size() - 1] = b2.size(1);
    return a.reshape({-1, a.size(-1)}).mm(b2).reshape(out);
  }
  // General batched case.
  Tensor a3 = da == 1 ? a.unsqueeze(0) : a, b3 = db == 1 ? b.unsqueeze(1) : b;
  const int64_t m = a3.size(-2), k = a3.size(-1), k2 = b3.size(-2), n = b3.size(-1);
  if (k != k2)
    fail("matmul: shapes " + to_string(a.sizes()) + " and " + to_string(b.sizes()) +
         " cannot be multiplied (" + std::to_string(k) + " vs " + std::to_string(k2) + ")");
  IntArrayRef ab = a3.sizes(), bb = b3.sizes();
  Shape batch = broadcast_shapes(IntArrayRef(ab.data(), ab.size() - 2),
                                 IntArrayRef(bb.data(), bb.size() - 2), "matmul");
  int64_t nb = batch.numel();
  Shape ea = batch, eb = batch;
  ea.push_back(m), ea.push_back(k), eb.push_back(k), eb.push_back(n);
  Tensor r = a3.expand(ea).reshape({nb, m, k}).bmm(b3.expand(eb).reshape({nb, k, n}));
  Shape out = batch;
  if (da > 1) out.push_back(m);
  if (db > 1) out.push_back(n);
  return r.reshape(out);
}

}  // namespace tg
