// Random functions, drawing from a Generator (generator.hpp) exactly as libtorch 1.13's CPU
// kernels do: the same draws, in the same order, through the same transformations, so one seed
// gives the same tensors on both libraries. Each function locks its generator while it draws.
//
// The transformations (libtorch's ATen/core/TransformationHelper.h), for a draw v:
//   uniform float    (v32 & (2^24 - 1)) * 2^-24 * (to - from) + from     one 32-bit draw
//   uniform double   (v64 & (2^53 - 1)) * 2^-53 * (to - from) + from     one 64-bit draw
//   integer in [lo, hi)   v % (hi - lo) + lo    (v64 if the range is 2^32 or more, else v32)
//   bernoulli(p)     uniform double < p
//   exponential(l)   -1/l * log(1 - uniform double)
//   normal           Box-Muller: random_normal.cpp
//
// This file is compiled with -ffp-contract=off: where libtorch's compiled kernels fuse a
// multiply and an add, the code says so with std::fma, and nowhere else is one fused.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "functions.hpp"
#include "generator.hpp"
#include "random_normal.hpp"
#include "tensor_impl.hpp"

namespace tg {

namespace detail {
CPUGeneratorImpl& generator_or_default(const std::optional<Generator>& gen) {
  const Generator& g = gen && gen->defined() ? *gen : getDefaultCPUGenerator();
  return *g.unsafeGetGeneratorImpl();
}
}  // namespace detail
using detail::generator_or_default;

namespace {

float uniform01_float(CPUGeneratorImpl& g) {
  return float(g.random() & ((1u << 24) - 1)) * (1.0f / float(1u << 24));
}
double uniform01_double(CPUGeneratorImpl& g) {
  return double(g.random64() & ((uint64_t(1) << 53) - 1)) * (1.0 / double(uint64_t(1) << 53));
}

// Calls f(T{}) for a floating dtype, or fails naming the op as libtorch does.
template <class F>
void floating(ScalarType t, const char* op, F&& f) {
  if (t == kFloat)
    f(float{});
  else if (t == kDouble)
    f(double{});
  else
    fail(std::string("\"") + op + "\" not implemented for '" + dtype_name(t) + "'");
}

// The small integer dtypes take the draw through int64, as libtorch's static_cast does.
template <class T, class Draw>
void fill_int(const Tensor& out, Draw& draw) {
  T* p = out.data_ptr<T>();
  const int64_t n = out.numel();
  for (int64_t i = 0; i < n; ++i) p[i] = T(int64_t(draw(T{})));
}

// Writes one value per element, in order, into a fresh tensor of dtype t (any dtype).
template <class Draw>
void fill_each(const Tensor& out, Draw draw) {
  const int64_t n = out.numel();
  switch (out.scalar_type()) {
    case kFloat: {
      float* p = out.data_ptr<float>();
      for (int64_t i = 0; i < n; ++i) p[i] = float(draw(float{}));
      return;
    }
    case kDouble: {
      double* p = out.data_ptr<double>();
      for (int64_t i = 0; i < n; ++i) p[i] = double(draw(double{}));
      return;
    }
    case kLong: {
      int64_t* p = out.data_ptr<int64_t>();
      for (int64_t i = 0; i < n; ++i) p[i] = int64_t(draw(int64_t{}));
      return;
    }
    case kBool: {
      bool* p = out.data_ptr<bool>();
      for (int64_t i = 0; i < n; ++i) p[i] = draw(bool{}) != 0;
      return;
    }
    case kByte:
      return fill_int<uint8_t>(out, draw);
    case kChar:
      return fill_int<int8_t>(out, draw);
    case kShort:
      return fill_int<int16_t>(out, draw);
    case kInt:
      return fill_int<int32_t>(out, draw);
  }
}

// In-place random fills write a fresh tensor and copy it in: copy_ keeps the in-place rules
// (version counter, refusal on recorded tensors) in one place.
const Tensor& assign(const Tensor& self, const Tensor& fresh) {
  NoGradGuard no_grad;
  return self.copy_(fresh);
}

void fill_uniform(const Tensor& out, double from, double to, CPUGeneratorImpl& g) {
  floating(out.scalar_type(), "uniform_", [&](auto tag) {
    using T = decltype(tag);
    const T lo = T(from), span = T(to) - T(from);
    T* p = out.data_ptr<T>();
    const int64_t n = out.numel();
    std::lock_guard<std::mutex> lock(g.mutex_);
    if constexpr (std::is_same_v<T, float>) {
      detail::uniform01_fill(p, n, g);
      if (!(lo == 0 && span == 1))  // x * 1 + 0 is x: rand() skips the pass
        for (int64_t i = 0; i < n; ++i) p[i] = std::fma(p[i], span, lo);
    } else {
      for (int64_t i = 0; i < n; ++i) p[i] = std::fma(uniform01_double(g), span, lo);
    }
  });
}

// An integer in [base, base + range): libtorch's uniform_int_from_to_distribution.
int64_t int_from_to(CPUGeneratorImpl& g, uint64_t range, int64_t base, bool wide_type) {
  const uint64_t v = wide_type && range >= (uint64_t(1) << 32) ? g.random64() : g.random();
  return int64_t(v % range + uint64_t(base));
}

}  // namespace

// ---- factories ----
Tensor rand(IntArrayRef size, std::optional<Generator> gen, TensorOptions o) {
  Tensor out = empty(size, o.dtype());
  fill_uniform(out, 0, 1, generator_or_default(gen));
  return detail::finish_factory(out, o, "rand");
}
Tensor rand(IntArrayRef size, TensorOptions o) { return rand(size, std::nullopt, o); }

Tensor randn(IntArrayRef size, std::optional<Generator> gen, TensorOptions o) {
  Tensor out = empty(size, o.dtype());
  floating(out.scalar_type(), "normal_kernel_cpu", [&](auto) {});
  detail::fill_normal(out, 0, 1, generator_or_default(gen));
  return detail::finish_factory(out, o, "randn");
}
Tensor randn(IntArrayRef size, TensorOptions o) { return randn(size, std::nullopt, o); }

Tensor randint(int64_t low, int64_t high, IntArrayRef size, std::optional<Generator> gen,
               TensorOptions o) {
  if (!(low < high))
    fail("random_ expects 'from' to be less than 'to', but got from=" + std::to_string(low) +
         " >= to=" + std::to_string(high));
  Tensor out = empty(size, o.dtype());
  CPUGeneratorImpl& g = generator_or_default(gen);
  const uint64_t range = uint64_t(high) - uint64_t(low);
  // int64, double and float draw 64 bits for ranges of 2^32 or more, narrower dtypes 32.
  const ScalarType t = out.scalar_type();
  const bool wide = t == kLong || t == kDouble || t == kFloat;
  std::lock_guard<std::mutex> lock(g.mutex_);
  fill_each(out, [&](auto) { return int_from_to(g, range, low, wide); });
  return detail::finish_factory(out, o, "randint");
}
Tensor randint(int64_t high, IntArrayRef size, std::optional<Generator> gen, TensorOptions o) {
  return randint(0, high, size, std::move(gen), o);
}
Tensor randint(int64_t low, int64_t high, IntArrayRef size, TensorOptions o) {
  return randint(low, high, size, std::nullopt, o);
}
Tensor randint(int64_t high, IntArrayRef size, TensorOptions o) {
  return randint(0, high, size, std::nullopt, o);
}

// libtorch's randperm on the CPU: identity, then for i = 0 .. n-2 swap element i with element
// i + (32-bit draw mod (n - i)).
Tensor randperm(int64_t n, std::optional<Generator> gen, TensorOptions o) {
  if (n < 0) fail("randperm: n must be non-negative, got" + std::to_string(n));
  std::vector<int64_t> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), int64_t(0));
  CPUGeneratorImpl& g = generator_or_default(gen);
  {
    std::lock_guard<std::mutex> lock(g.mutex_);
    for (int64_t i = 0; i + 1 < n; ++i) {
      const int64_t z = int64_t(g.random() % uint64_t(n - i));
      std::swap(v[size_t(i)], v[size_t(i + z)]);
    }
  }
  return tensor(v, o.has_dtype() ? o : o.dtype(kLong));
}
Tensor randperm(int64_t n, TensorOptions o) { return randperm(n, std::nullopt, o); }

Tensor rand_like(const Tensor& t, TensorOptions o) {
  return rand(t.sizes(), o.has_dtype() ? o : o.dtype(t.scalar_type()));
}
Tensor randn_like(const Tensor& t, TensorOptions o) {
  return randn(t.sizes(), o.has_dtype() ? o : o.dtype(t.scalar_type()));
}
Tensor randint_like(const Tensor& t, int64_t low, int64_t high, TensorOptions o) {
  return randint(low, high, t.sizes(), o.has_dtype() ? o : o.dtype(t.scalar_type()));
}
Tensor randint_like(const Tensor& t, int64_t high, TensorOptions o) {
  return randint_like(t, 0, high, o);
}

Tensor normal(double mean, double std, IntArrayRef size, std::optional<Generator> gen,
              TensorOptions o) {
  Tensor out = empty(size, o.dtype());
  out.normal_(mean, std, std::move(gen));
  return detail::finish_factory(out, o, "normal");
}

// ---- in-place fills ----
const Tensor& Tensor::uniform_(double from, double to, std::optional<Generator> gen) const {
  if (!(from <= to))
    fail("uniform_ expects to return a [from, to) range, but found from=" + std::to_string(from) +
         " > to=" + std::to_string(to));
  Tensor fresh = empty(sizes(), scalar_type());
  fill_uniform(fresh, from, to, generator_or_default(gen));
  return assign(*this, fresh);
}

const Tensor& Tensor::normal_(double mean, double std, std::optional<Generator> gen) const {
  if (!(std >= 0)) fail("normal expects std >= 0.0, but found std " + std::to_string(std));
  Tensor fresh = empty(sizes(), scalar_type());
  floating(scalar_type(), "normal_kernel_cpu", [&](auto) {});
  detail::fill_normal(fresh, mean, std, generator_or_default(gen));
  return assign(*this, fresh);
}

const Tensor& Tensor::bernoulli_(double p, std::optional<Generator> gen) const {
  if (!(p >= 0 && p <= 1))
    fail("bernoulli_ expects p to be in [0, 1], but got p=" + std::to_string(p));
  Tensor fresh = empty(sizes(), scalar_type());
  CPUGeneratorImpl& g = generator_or_default(gen);
  {
    std::lock_guard<std::mutex> lock(g.mutex_);
    fill_each(fresh, [&](auto) { return uniform01_double(g) < p ? 1 : 0; });
  }
  return assign(*this, fresh);
}

// Per-element probabilities: a float32 p compares a float draw, a float64 p a double draw.
const Tensor& Tensor::bernoulli_(const Tensor& p, std::optional<Generator> gen) const {
  if (!p.defined() || !tg::is_floating_point(p.scalar_type()))
    fail("bernoulli_: expected a floating-point probability tensor");
  Tensor probs = p.detach().expand(sizes()).contiguous();
  Tensor fresh = empty(sizes(), scalar_type());
  CPUGeneratorImpl& g = generator_or_default(gen);
  std::lock_guard<std::mutex> lock(g.mutex_);
  int64_t i = 0;
  if (probs.scalar_type() == kDouble) {
    const double* q = probs.data_ptr<double>();
    fill_each(fresh, [&](auto) { return uniform01_double(g) < q[i++] ? 1 : 0; });
  } else {
    const float* q = probs.data_ptr<float>();
    fill_each(fresh, [&](auto) { return uniform01_float(g) < q[i++] ? 1 : 0; });
  }
  return assign(*this, fresh);
}

Tensor bernoulli(const Tensor& p, std::optional<Generator> gen) {
  Tensor out = empty(p.sizes(), p.scalar_type());
  out.bernoulli_(p, std::move(gen));
  return out;
}
Tensor bernoulli(const Tensor& self, double p, std::optional<Generator> gen) {
  Tensor out = empty(self.sizes(), self.scalar_type());
  out.bernoulli_(p, std::move(gen));
  return out;
}

const Tensor& Tensor::exponential_(double lambd, std::optional<Generator> gen) const {
  if (!(lambd > 0))
    fail("exponential_ expects lambda > 0.0, but found lambda=" + std::to_string(lambd));
  Tensor fresh = empty(sizes(), scalar_type());
  CPUGeneratorImpl& g = generator_or_default(gen);
  floating(scalar_type(), "exponential_cpu", [&](auto) {});
  {
    std::lock_guard<std::mutex> lock(g.mutex_);
    fill_each(fresh, [&](auto) { return -1.0 / lambd * std::log(1.0 - uniform01_double(g)); });
  }
  return assign(*this, fresh);
}

const Tensor& Tensor::random_(int64_t from, std::optional<int64_t> to,
                              std::optional<Generator> gen) const {
  if (to) return assign(*this, randint(from, *to, sizes(), std::move(gen), scalar_type()));
  fail("random_(from, to): 'to' must be given (an open upper bound is not supported)");
}
const Tensor& Tensor::random_(int64_t to, std::optional<Generator> gen) const {
  return random_(0, to, std::move(gen));
}

// random_() without bounds: [0, 2^mantissa] for floating dtypes, [0, max] for integers.
const Tensor& Tensor::random_(std::optional<Generator> gen) const {
  Tensor fresh = empty(sizes(), scalar_type());
  CPUGeneratorImpl& g = generator_or_default(gen);
  {
    std::lock_guard<std::mutex> lock(g.mutex_);
    switch (scalar_type()) {
      case kFloat:
        fill_each(fresh, [&](auto) { return g.random() % ((uint64_t(1) << 24) + 1); });
        break;
      case kDouble:
        fill_each(fresh, [&](auto) { return g.random64() % ((uint64_t(1) << 53) + 1); });
        break;
      case kLong:
        fill_each(fresh, [&](auto) { return g.random64() % (uint64_t(INT64_MAX) + 1); });
        break;
      case kBool:
        fill_each(fresh, [&](auto) { return g.random() & 1u; });
        break;
      case kByte:
        fill_each(fresh, [&](auto) { return g.random() % 256u; });
        break;
      case kChar:
        fill_each(fresh, [&](auto) { return g.random() % 128u; });
        break;
      case kShort:
        fill_each(fresh, [&](auto) { return g.random() % 32768u; });
        break;
      case kInt:
        fill_each(fresh, [&](auto) { return g.random() % (uint64_t(INT32_MAX) + 1); });
        break;
    }
  }
  return assign(*this, fresh);
}

// multinomial. Without replacement, libtorch draws q ~ Exp(1) per category and takes the
// largest p / q (the exponential-race form of the Gumbel trick); with replacement, a double
// uniform per sample, located by binary search in the normalised cumulative distribution.
Tensor multinomial(const Tensor& self, int64_t n_sample, bool replacement,
                   std::optional<Generator> gen) {
  if (!self.defined() || self.dim() < 1 || self.dim() > 2)
    fail("multinomial: prob_dist must be 1 or 2 dim");
  floating(self.scalar_type(), "multinomial", [&](auto) {});
  if (n_sample <= 0) fail("multinomial: cannot sample n_sample <= 0 samples");
  const int64_t n_cat = self.size(-1), n_dist = self.dim() == 2 ? self.size(0) : 1;
  if (!replacement && n_sample > n_cat)
    fail("multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  Tensor probs = self.detach().to(kDouble).reshape({n_dist, n_cat});
  const double* pr = probs.data_ptr<double>();
  for (int64_t k = 0; k < probs.numel(); ++k)
    if (!(pr[k] >= 0) || std::isinf(pr[k]))
      fail("multinomial: probability tensor contains either `inf`, `nan` or element < 0");
  std::vector<int64_t> out(size_t(n_dist * n_sample));
  CPUGeneratorImpl& g = generator_or_default(gen);
  if (!replacement) {
    Tensor q = empty(self.sizes(), self.scalar_type());
    q.exponential_(1, gen);
    Tensor ratio = (self.detach() / q).to(kDouble).reshape({n_dist, n_cat});
    const double* r = ratio.data_ptr<double>();
    for (int64_t d = 0; d < n_dist; ++d) {
      double total = 0;
      for (int64_t c = 0; c < n_cat; ++c) total += pr[d * n_cat + c];
      if (!(total > 0))
        fail("multinomial: invalid multinomial distribution (sum of probabilities <= 0)");
      std::vector<int64_t> idx(static_cast<size_t>(n_cat));
      std::iota(idx.begin(), idx.end(), int64_t(0));
      std::stable_sort(idx.begin(), idx.end(),
                       [&](int64_t a, int64_t b) { return r[d * n_cat + a] > r[d * n_cat + b]; });
      for (int64_t s = 0; s < n_sample; ++s) out[size_t(d * n_sample + s)] = idx[size_t(s)];
    }
  } else {
    floating(self.scalar_type(), "multinomial", [&](auto tag) {
      using T = decltype(tag);  // the cumulative sums are in the input's dtype, as libtorch's
      std::vector<T> cum(static_cast<size_t>(n_cat));
      std::lock_guard<std::mutex> lock(g.mutex_);
      for (int64_t d = 0; d < n_dist; ++d) {
        T sum = 0;
        for (int64_t c = 0; c < n_cat; ++c) sum += T(pr[d * n_cat + c]), cum[size_t(c)] = sum;
        if (!(sum > 0))
          fail("multinomial: invalid multinomial distribution (sum of probabilities <= 0)");
        for (T& c : cum) c /= sum;
        cum[size_t(n_cat - 1)] = 1;
        for (int64_t s = 0; s < n_sample; ++s) {
          const double u = uniform01_double(g);
          int64_t lo = 0, hi = n_cat;
          while (hi > lo) {
            const int64_t mid = lo + (hi - lo) / 2;
            if (cum[size_t(mid)] < u)
              lo = mid + 1;
            else
              hi = mid;
          }
          out[size_t(d * n_sample + s)] = lo;
        }
      }
    });
  }
  Tensor result = tensor(out, kLong);
  return self.dim() == 2 ? result.reshape({n_dist, n_sample}) : result;
}

}  // namespace tg

namespace tg {
Tensor Tensor::bernoulli(std::optional<Generator> gen) const {
  return tg::bernoulli(*this, std::move(gen));
}
Tensor Tensor::multinomial(int64_t num_samples, bool replacement,
                           std::optional<Generator> gen) const {
  return tg::multinomial(*this, num_samples, replacement, std::move(gen));
}
}  // namespace tg
