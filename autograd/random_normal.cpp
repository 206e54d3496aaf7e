// Normal random numbers, as libtorch 1.13's CPU normal kernel makes them (Box-Muller).
//
// Fewer than 16 elements: one pair of double uniforms (u1, u2) per two values,
//   r = sqrt(-2 log(1 - u2)), theta = 2 pi u1, value r cos(theta), and r sin(theta) kept in the
//   generator for the next value (so an odd count leaves one for the next call).
// 16 or more: first one uniform per element (float or double, as the tensor), then each block of
//   16 becomes 8 pairs: u1 = 1 - x[j], u2 = x[j + 8], x[j] = r cos, x[j + 8] = r sin. A tail
//   that is not a multiple of 16 draws 16 new uniforms for the last 16 elements and redoes them.
// For float tensors on a CPU with AVX2 and FMA, libtorch computes the blocks with vectorised
// cephes log and sincos (8 lanes; its avx_mathfun.h); random_normal_avx2.cpp reproduces them to
// the bit. Elsewhere the blocks use the C library's log, cos and sin.
#include "random_normal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg::detail {

void normal_block16_avx2(float* x, float mean, float std);  // random_normal_avx2.cpp
bool cpu_has_avx2_fma();

namespace {

constexpr double kPi = 3.14159265358979323846;

float uniform01(CPUGeneratorImpl& g, float) {
  return float(g.random() & ((1u << 24) - 1)) * (1.0f / float(1u << 24));
}
double uniform01(CPUGeneratorImpl& g, double) {
  return double(g.random64() & ((uint64_t(1) << 53) - 1)) * (1.0 / double(uint64_t(1) << 53));
}

// One value of libtorch's normal_distribution<double>, using and refilling the cached second
// value of the pair.
double normal_pair_value(CPUGeneratorImpl& g, double mean, double std) {
  if (auto cached = g.next_double_normal_sample()) {
    g.set_next_double_normal_sample(std::nullopt);
    return std::fma(*cached, std, mean);
  }
  const double u1 = uniform01(g, 0.0), u2 = uniform01(g, 0.0);
  const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
  const double theta = 2.0 * kPi * u1;
  g.set_next_double_normal_sample(r * std::sin(theta));
  return std::fma(r * std::cos(theta), std, mean);
}

template <class T>
void block16(T* x, T mean, T std) {
  for (int j = 0; j < 8; ++j) {
    const T u1 = 1 - x[j];  // [0, 1) -> (0, 1] for the log
    const T u2 = x[j + 8];
    const T radius = std::sqrt(-2 * std::log(u1));
    const T theta = T(2.0f * kPi * u2);
    x[j] = std::fma(radius * std::cos(theta), std, mean);
    x[j + 8] = std::fma(radius * std::sin(theta), std, mean);
  }
}

template <class T>
void fill_blocks(T* x, int64_t n, T mean, T std, CPUGeneratorImpl& g, bool avx2) {
  if constexpr (std::is_same_v<T, float>)
    uniform01_fill(x, n, g);
  else
    for (int64_t i = 0; i < n; ++i) x[i] = uniform01(g, T{});
  auto block = [&](T* b) {
    if constexpr (std::is_same_v<T, float>)
      if (avx2) return normal_block16_avx2(b, mean, std);
    block16(b, mean, std);
  };
  for (int64_t i = 0; i + 16 <= n; i += 16) block(x + i);
  if (n % 16 != 0) {
    T* tail = x + n - 16;
    for (int i = 0; i < 16; ++i) tail[i] = uniform01(g, T{});
    block(tail);
  }
}

// libtorch picks its AVX2 kernels when the CPU has AVX2 and FMA, unless ATEN_CPU_CAPABILITY
// says "default" (its environment switch; honoured here so both libraries can be compared).
bool use_avx2() {
  static const bool on = [] {
    const char* cap = std::getenv("ATEN_CPU_CAPABILITY");
    if (cap && std::strcmp(cap, "default") == 0) return false;
    return cpu_has_avx2_fma();
  }();
  return on;
}

}  // namespace

void uniform01_fill(float* p, int64_t n, CPUGeneratorImpl& g) {
  constexpr int64_t kBlock = 1024;
  uint32_t bits[kBlock];
  for (int64_t done = 0; done < n; done += kBlock) {
    const int64_t k = std::min(kBlock, n - done);
    g.random_fill(bits, k);
    for (int64_t i = 0; i < k; ++i)
      p[done + i] = float(bits[i] & ((1u << 24) - 1)) * (1.0f / float(1u << 24));
  }
}

void fill_normal(const Tensor& out, double mean, double std, CPUGeneratorImpl& g) {
  const int64_t n = out.numel();
  std::lock_guard<std::mutex> lock(g.mutex_);
  if (out.scalar_type() == kFloat) {
    float* p = out.data_ptr<float>();
    if (n >= 16)
      fill_blocks(p, n, float(mean), float(std), g, use_avx2());
    else
      for (int64_t i = 0; i < n; ++i) p[i] = float(normal_pair_value(g, mean, std));
  } else {
    double* p = out.data_ptr<double>();
    if (n >= 16)
      fill_blocks(p, n, mean, std, g, false);
    else
      for (int64_t i = 0; i < n; ++i) p[i] = normal_pair_value(g, mean, std);
  }
}

}  // namespace tg::detail
