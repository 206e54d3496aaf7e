// Single-precision matrix product C = A B at n = 512 and 1024 under NoGradGuard, against raw
// OpenBLAS cblas_sgemm in the same process: prints GFLOP/s of both (rows `*_gflops`).
#include <cblas.h>

#include "bench.hpp"

int main() {
  bench::set_threads();
  torch::manual_seed(0);
  for (int64_t n : {512, 1024}) {
    auto a = torch::randn({n, n}), b = torch::randn({n, n}), c = torch::empty({n, n});
    const double flop = 2.0 * double(n) * double(n) * double(n);
    torch::NoGradGuard no_grad;
    std::string tag = std::to_string(n);
    // report() prints µs; the driver turns `*_us` rows with a flop count into GFLOP/s.
    double us = bench::report("mm_" + tag + "_us", [&] { c = a.mm(b); });
    double blas = bench::report("openblas_sgemm_" + tag + "_us", [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(n), int(n), int(n), 1.0f,
                  a.data_ptr<float>(), int(n), b.data_ptr<float>(), int(n), 0.0f,
                  c.data_ptr<float>(), int(n));
    });
    std::printf("mm_%s_gflops %.4g\nopenblas_sgemm_%s_gflops %.4g\n", tag.c_str(), flop / us * 1e-3,
                tag.c_str(), flop / blas * 1e-3);
  }
  bench::print_maxrss();
}
