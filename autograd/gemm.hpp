// Internal: the matrix product kernel of ops_linalg.cpp, shared with ops_conv.cpp. Not installed.
#pragma once

#include <cstdint>

namespace tg {

// C (m x n) = op(A) op(B), plus C itself when `acc`; op(A) is m x k, op(B) k x n, all row-major
// contiguous, op(X) = X^T when its flag is set (A is then stored k x m, B n x k). OpenBLAS above
// ~16^3 multiply-adds, a plain loop below (the BLAS call costs ~0.5 us).
void gemm(const float* a, const float* b, float* c, int64_t m, int64_t k, int64_t n,
          bool ta = false, bool tb = false, bool acc = false);
void gemm(const double* a, const double* b, double* c, int64_t m, int64_t k, int64_t n,
          bool ta = false, bool tb = false, bool acc = false);

}  // namespace tg
