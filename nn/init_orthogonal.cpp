// orthogonal_ and sparse_: the initialisers that need more than one draw-and-scale. Both draw
// exactly what libtorch 1.13 draws (torch/csrc/api/src/nn/init.cpp), so a seed gives the same
// weights; orthogonal_'s QR runs LAPACK's geqrf + orgqr, the routines libtorch's linalg_qr
// calls (OpenBLAS's on Debian, for both libraries).
#include <cmath>
#include <vector>

#include "../autograd/functions.hpp"
#include "init.hpp"

extern "C" {  // LAPACK (Fortran calling convention), from OpenBLAS
void sgeqrf_(const int* m, const int* n, float* a, const int* lda, float* tau, float* work,
             const int* lwork, int* info);
void sorgqr_(const int* m, const int* n, const int* k, float* a, const int* lda, const float* tau,
             float* work, const int* lwork, int* info);
}

namespace tg::nn::init {

namespace {

void geqrf(int m, int n, float* a, float* tau, float* w, int lw, int* info) {
  sgeqrf_(&m, &n, a, &m, tau, w, &lw, info);
}
void orgqr(int m, int n, float* a, const float* tau, float* w, int lw, int* info) {
  sorgqr_(&m, &n, &n, a, &m, tau, w, &lw, info);
}

// Reduced QR of an m x n matrix (m >= n): Q (m x n) and the diagonal of R, as libtorch's
// linalg_qr computes them (column-major copy, workspace sizes from LAPACK's own query).
// (Single precision only: libtorch draws the normal matrix in float32 whatever the dtype.)
template <class T>
void qr_diag(const Tensor& a, Tensor& q, std::vector<T>& r_diag) {
  const int m = int(a.size(0)), n = int(a.size(1));
  std::vector<T> col(static_cast<size_t>(m) * size_t(n)), tau(static_cast<size_t>(n));
  const T* p = a.data_ptr<T>();
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j)
      col[size_t(j) * size_t(m) + size_t(i)] = p[size_t(i) * size_t(n) + size_t(j)];
  int info = 0;
  T query = 0;
  geqrf(m, n, col.data(), tau.data(), &query, -1, &info);
  std::vector<T> work(size_t(std::max(1, int(query))));
  geqrf(m, n, col.data(), tau.data(), work.data(), int(work.size()), &info);
  if (info != 0) throw Error("orthogonal_: LAPACK geqrf failed with info " + std::to_string(info));
  r_diag.resize(size_t(n));
  for (int j = 0; j < n; ++j) r_diag[size_t(j)] = col[size_t(j) * size_t(m) + size_t(j)];
  orgqr(m, n, col.data(), tau.data(), &query, -1, &info);
  work.assign(size_t(std::max(1, int(query))), T(0));
  orgqr(m, n, col.data(), tau.data(), work.data(), int(work.size()), &info);
  if (info != 0) throw Error("orthogonal_: LAPACK orgqr failed with info " + std::to_string(info));
  q = empty({m, n}, a.scalar_type());
  T* o = q.data_ptr<T>();
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j)
      o[size_t(i) * size_t(n) + size_t(j)] = col[size_t(j) * size_t(m) + size_t(i)];
}

}  // namespace

// Saxe et al. 2013: a random orthogonal matrix (semi-orthogonal if not square), the QR of a
// standard normal matrix with Q's columns signed by R's diagonal so that Q is uniformly
// distributed (Mezzadri 2007), times `gain`. Tensors of more than 2 dims are flattened to
// (size(0), rest).
Tensor orthogonal_(Tensor tensor, double gain) {
  NoGradGuard guard;
  if (!tensor.defined() || tensor.dim() < 2)
    throw Error("nn::init::orthogonal_: Only tensors with 2 or more dimensions are supported");
  const int64_t rows = tensor.size(0), columns = tensor.numel() / rows;
  Tensor flat = randn({rows, columns});  // float32 whatever the tensor's dtype, as libtorch
  if (rows < columns) flat = flat.t().contiguous();
  Tensor q;
  std::vector<float> d;
  qr_diag<float>(flat, q, d);
  Tensor signs = tg::tensor(d).sign();
  q = q * signs;
  if (rows < columns) q = q.t().contiguous();
  tensor.copy_(q.reshape(tensor.sizes()).to(tensor.scalar_type()));
  tensor.mul_(gain);
  return tensor;
}

// Martens 2010: N(0, std^2), then in each column ceil(sparsity * rows) random rows set to zero.
Tensor sparse_(Tensor tensor, double sparsity, double std) {
  NoGradGuard guard;
  if (!tensor.defined() || tensor.dim() != 2)
    throw Error("nn::init::sparse_: Only tensors with 2 dimensions are supported");
  const int64_t rows = tensor.size(0), columns = tensor.size(1);
  const auto num_zeros = int64_t(std::ceil(sparsity * double(rows)));
  tensor.normal_(0, std);
  Tensor values = tensor.contiguous().to(kDouble);
  double* v = values.data_ptr<double>();
  for (int64_t c = 0; c < columns; ++c) {
    Tensor perm = randperm(rows);
    const int64_t* r = perm.data_ptr<int64_t>();
    for (int64_t k = 0; k < std::min(num_zeros, rows); ++k) v[r[k] * columns + c] = 0;
  }
  tensor.copy_(values.to(tensor.scalar_type()));
  return tensor;
}

}  // namespace tg::nn::init
