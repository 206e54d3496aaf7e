// The AVX2 block of libtorch's float normal kernel: 16 uniforms become 8 Box-Muller pairs with
// vectorised cephes-style log and sincos (single precision, 8 lanes). To give libtorch's values
// to the bit, the steps below are the same float operations in the same order as libtorch's
// (its ATen/native/cpu/avx_mathfun.h, after Julien Pommier's sse_mathfun), and a multiply and
// an add are fused (mul_add, fmsub) exactly where libtorch's compiled kernel fuses them.
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TG_HAVE_X86 1
#endif

namespace tg::detail {

#if TG_HAVE_X86
bool cpu_has_avx2_fma() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

#define TG_TARGET __attribute__((target("avx2,fma")))
namespace {
using v8f = __m256;
using v8i = __m256i;

TG_TARGET inline v8f splat(float v) { return _mm256_set1_ps(v); }
TG_TARGET inline v8f splat_bits(int32_t v) { return _mm256_castsi256_ps(_mm256_set1_epi32(v)); }
// a * b + c with one rounding: libtorch's kernel is compiled with FMA contraction, and these
// are the places where its compiler fused (found by comparing 2^20 values with libtorch's).
TG_TARGET inline v8f mul_add(v8f a, v8f b, v8f c) { return _mm256_fmadd_ps(a, b, c); }

// Natural log for x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), then a degree-9 polynomial
// in (m - 1) and e ln 2 added as two parts (0.693359375 - 2.12194440e-4) for accuracy.
TG_TARGET v8f log8(v8f x) {
  const v8f one = splat(1.0f);
  const v8f invalid = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LE_OS);
  x = _mm256_max_ps(x, splat_bits(0x00800000));  // no denormals
  v8i exponent = _mm256_srli_epi32(_mm256_castps_si256(x), 23);
  x = _mm256_and_ps(x, splat_bits(~0x7f800000));  // mantissa, with exponent of 0.5
  x = _mm256_or_ps(x, splat(0.5f));
  exponent = _mm256_sub_epi32(exponent, _mm256_set1_epi32(0x7f));
  v8f e = _mm256_add_ps(_mm256_cvtepi32_ps(exponent), one);
  // m < sqrt(1/2): use 2m - 1 and e - 1; else m - 1.
  const v8f small = _mm256_cmp_ps(x, splat(0.707106781186547524f), _CMP_LT_OS);
  const v8f extra = _mm256_and_ps(x, small);
  x = _mm256_sub_ps(x, one);
  e = _mm256_sub_ps(e, _mm256_and_ps(one, small));
  x = _mm256_add_ps(x, extra);
  const v8f z = _mm256_mul_ps(x, x);
  static const float p[9] = {7.0376836292E-2f,  -1.1514610310E-1f, 1.1676998740E-1f,
                             -1.2420140846E-1f, +1.4249322787E-1f, -1.6668057665E-1f,
                             +2.0000714765E-1f, -2.4999993993E-1f, +3.3333331174E-1f};
  v8f y = splat(p[0]);
  for (int k = 1; k < 9; ++k) y = mul_add(y, x, splat(p[k]));
  y = _mm256_mul_ps(y, x);
  y = mul_add(y, z, _mm256_mul_ps(e, splat(-2.12194440e-4f)));
  y = _mm256_sub_ps(y, _mm256_mul_ps(z, splat(0.5f)));
  x = _mm256_add_ps(x, y);
  x = mul_add(e, splat(0.693359375f), x);
  return _mm256_or_ps(x, invalid);  // NaN for x <= 0
}

// sin and cos together: reduce |x| by multiples of pi/4 (j even, in three parts for accuracy),
// evaluate both the sine and the cosine polynomial, and pick and sign them by j's octant.
TG_TARGET void sincos8(v8f x, v8f* s, v8f* c) {
  v8f sign_sin = _mm256_and_ps(x, splat_bits(int32_t(0x80000000u)));
  x = _mm256_and_ps(x, splat_bits(0x7fffffff));
  v8f y = _mm256_mul_ps(x, splat(1.27323954473516f));  // 4 / pi
  v8i j = _mm256_cvttps_epi32(y);
  j = _mm256_add_epi32(j, _mm256_set1_epi32(1));
  j = _mm256_and_si256(j, _mm256_set1_epi32(~1));
  y = _mm256_cvtepi32_ps(j);
  const v8i swap_sin = _mm256_slli_epi32(_mm256_and_si256(j, _mm256_set1_epi32(4)), 29);
  const v8f poly_mask = _mm256_castsi256_ps(
      _mm256_cmpeq_epi32(_mm256_and_si256(j, _mm256_set1_epi32(2)), _mm256_setzero_si256()));
  x = mul_add(y, splat(-0.78515625f), x);
  x = mul_add(y, splat(-2.4187564849853515625e-4f), x);
  x = mul_add(y, splat(-3.77489497744594108e-8f), x);
  v8i jc = _mm256_sub_epi32(j, _mm256_set1_epi32(2));
  jc = _mm256_andnot_si256(jc, _mm256_set1_epi32(4));
  const v8f sign_cos = _mm256_castsi256_ps(_mm256_slli_epi32(jc, 29));
  sign_sin = _mm256_xor_ps(sign_sin, _mm256_castsi256_ps(swap_sin));
  const v8f z = _mm256_mul_ps(x, x);
  // cosine polynomial on [0, pi/4]
  v8f yc = splat(2.443315711809948E-005f);
  yc = mul_add(yc, z, splat(-1.388731625493765E-003f));
  yc = mul_add(yc, z, splat(4.166664568298827E-002f));
  yc = _mm256_mul_ps(yc, z);
  yc = _mm256_fmsub_ps(yc, z, _mm256_mul_ps(z, splat(0.5f)));  // yc z - z / 2, one rounding
  yc = _mm256_add_ps(yc, splat(1.0f));
  // sine polynomial on [0, pi/4]
  v8f ys = splat(-1.9515295891E-4f);
  ys = mul_add(ys, z, splat(8.3321608736E-3f));
  ys = mul_add(ys, z, splat(-1.6666654611E-1f));
  ys = _mm256_mul_ps(ys, z);
  ys = mul_add(ys, x, x);
  const v8f sin_from_s = _mm256_and_ps(poly_mask, ys), sin_from_c = _mm256_andnot_ps(poly_mask, yc);
  ys = _mm256_sub_ps(ys, sin_from_s);
  yc = _mm256_sub_ps(yc, sin_from_c);
  *s = _mm256_xor_ps(_mm256_add_ps(sin_from_c, sin_from_s), sign_sin);
  *c = _mm256_xor_ps(_mm256_add_ps(yc, ys), sign_cos);
}
}  // namespace

TG_TARGET void normal_block16_avx2(float* x, float mean, float std) {
  const v8f u1 = _mm256_sub_ps(splat(1.0f), _mm256_loadu_ps(x));
  const v8f u2 = _mm256_loadu_ps(x + 8);
  const v8f radius = _mm256_sqrt_ps(_mm256_mul_ps(splat(-2.0f), log8(u1)));
  const v8f theta = _mm256_mul_ps(splat(float(2.0f * 3.14159265358979323846)), u2);
  v8f s, c;
  sincos8(theta, &s, &c);
  _mm256_storeu_ps(x, _mm256_fmadd_ps(_mm256_mul_ps(radius, c), splat(std), splat(mean)));
  _mm256_storeu_ps(x + 8, _mm256_fmadd_ps(_mm256_mul_ps(radius, s), splat(std), splat(mean)));
}
#else
bool cpu_has_avx2_fma() { return false; }
void normal_block16_avx2(float*, float, float) {}
#endif

}  // namespace tg::detail
