// The MT19937 engine and the CPU generator: libtorch 1.13's (at::mt19937, at::CPUGeneratorImpl),
// so that one seed gives one stream on both libraries. The random functions that draw from it
// are in random.cpp.
#include "generator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>

#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {

// ---- the engine: MT19937 (Matsumoto & Nishimura), seeded with the low 32 bits of the seed ----
mt19937::mt19937(uint64_t seed) {
  data_.seed_ = seed;
  data_.seeded_ = true;
  data_.state_[0] = uint32_t(seed & 0xffffffffu);
  for (uint32_t j = 1; j < 624; ++j)
    data_.state_[j] = 1812433253u * (data_.state_[j - 1] ^ (data_.state_[j - 1] >> 30)) + j;
  data_.left_ = 1;  // the first draw regenerates the state
  data_.next_ = 0;
}

bool mt19937::is_valid() const {
  return data_.seeded_ && data_.left_ > 0 && data_.left_ <= 624 && data_.next_ <= 624;
}

// All 624 words at once: word k mixes the top bit of word k with the low 31 bits of word k+1,
// shifts, xors the twist matrix in when the result is odd, and xors word k+397.
void mt19937::next_state() {
  constexpr int N = 624, M = 397;
  uint32_t* s = data_.state_.data();
  auto twist = [](uint32_t u, uint32_t v) {
    const uint32_t mixed = (u & 0x80000000u) | (v & 0x7fffffffu);
    return (mixed >> 1) ^ ((v & 1u) ? 0x9908b0dfu : 0u);
  };
  for (int k = 0; k < N - M; ++k) s[k] = s[k + M] ^ twist(s[k], s[k + 1]);
  for (int k = N - M; k < N - 1; ++k) s[k] = s[k + M - N] ^ twist(s[k], s[k + 1]);
  s[N - 1] = s[M - 1] ^ twist(s[N - 1], s[0]);
  data_.left_ = N;
  data_.next_ = 0;
}

// A draw decrements left_ first and regenerates the state when it reaches 0, so left_ - 1
// draws are served from the current state; the draw that regenerates takes word 0.
void mt19937::fill(uint32_t* out, int64_t n) {
  auto temper = [](uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
  };
  while (n > 0) {
    if (data_.left_ == 1) {  // this draw regenerates
      next_state();
      *out++ = temper(data_.state_[data_.next_++]);
      --n;
      continue;
    }
    const int64_t k = std::min<int64_t>(n, data_.left_ - 1);
    const uint32_t* s = data_.state_.data() + data_.next_;
    for (int64_t i = 0; i < k; ++i) out[i] = temper(s[i]);
    out += k, n -= k;
    data_.next_ += uint32_t(k);
    data_.left_ -= int(k);
  }
}

// ---- the generator ----
CPUGeneratorImpl::CPUGeneratorImpl(uint64_t seed_in) : engine_(seed_in) {}

void CPUGeneratorImpl::set_current_seed(uint64_t seed) {
  next_float_normal_sample_.reset();
  next_double_normal_sample_.reset();
  engine_ = mt19937(seed);
}

// libtorch's getNonDeterministicRandom: 64 bits from /dev/urandom, or the clock without it.
static uint64_t nondeterministic_seed() {
  uint64_t s = 0;
  std::ifstream f("/dev/urandom", std::ios::binary);
  if (!(f && f.read(reinterpret_cast<char*>(&s), sizeof s)))
    s = uint64_t(std::chrono::high_resolution_clock::now().time_since_epoch().count());
  return s;
}

uint64_t CPUGeneratorImpl::seed() {
  const uint64_t s = nondeterministic_seed();
  set_current_seed(s);
  return s;
}

std::shared_ptr<CPUGeneratorImpl> CPUGeneratorImpl::clone() const {
  auto c = std::make_shared<CPUGeneratorImpl>();
  c->engine_ = engine_;
  c->next_float_normal_sample_ = next_float_normal_sample_;
  c->next_double_normal_sample_ = next_double_normal_sample_;
  return c;
}

// ---- the handle ----
static CPUGeneratorImpl& impl_of(const Generator& g, const char* what) {
  if (!g.defined()) fail(std::string("Generator::") + what + ": the generator is undefined");
  return *g.unsafeGetGeneratorImpl();
}
void Generator::set_current_seed(uint64_t seed) {
  auto& g = impl_of(*this, "set_current_seed");
  std::lock_guard<std::mutex> lock(g.mutex_);
  g.set_current_seed(seed);
}
uint64_t Generator::current_seed() const { return impl_of(*this, "current_seed").current_seed(); }
uint64_t Generator::seed() {
  auto& g = impl_of(*this, "seed");
  std::lock_guard<std::mutex> lock(g.mutex_);
  return g.seed();
}
std::mutex& Generator::mutex() const { return impl_of(*this, "mutex").mutex_; }
Generator Generator::clone() const {
  auto& g = impl_of(*this, "clone");
  std::lock_guard<std::mutex> lock(g.mutex_);
  return Generator(g.clone());
}

// The state bytes: libtorch's CPUGeneratorImplState, a POD whose layout is the format of
// torch.get_rng_state() (the legacy TH struct, then the cached float normal).
namespace {
struct LegacyState {
  uint64_t the_initial_seed;
  int left;
  int seeded;
  uint64_t next;
  uint64_t state[624];
  double normal_x, normal_y, normal_rho;
  int normal_is_valid;
};
struct State {
  LegacyState legacy;
  float next_float_normal_sample;
  bool is_next_float_normal_sample_valid;
};
static_assert(sizeof(LegacyState) == 5048 && sizeof(State) == 5056);
}  // namespace

Tensor Generator::get_state() const {
  auto& g = impl_of(*this, "get_state");
  std::lock_guard<std::mutex> lock(g.mutex_);
  State s{};
  const mt19937_data_pod d = g.engine().data();
  s.legacy.the_initial_seed = d.seed_;
  s.legacy.left = d.left_;
  s.legacy.seeded = d.seeded_;
  s.legacy.next = d.next_;
  for (int k = 0; k < 624; ++k) s.legacy.state[k] = d.state_[size_t(k)];
  if (auto v = g.next_double_normal_sample()) s.legacy.normal_is_valid = 1, s.legacy.normal_y = *v;
  if (auto v = g.next_float_normal_sample())
    s.is_next_float_normal_sample_valid = true, s.next_float_normal_sample = *v;
  Tensor out = empty({int64_t(sizeof s)}, kByte);
  std::memcpy(out.raw_data(), &s, sizeof s);
  return out;
}

void Generator::set_state(const Tensor& new_state) {
  auto& g = impl_of(*this, "set_state");
  if (!new_state.defined() || new_state.scalar_type() != kByte)
    fail("set_state: RNG state must be a torch.ByteTensor");
  const auto n = size_t(new_state.numel());
  State s{};
  std::optional<float> float_sample;
  std::optional<double> double_sample;
  if (n == sizeof(LegacyState)) {
    std::memcpy(&s.legacy, new_state.raw_data(), n);
    if (s.legacy.normal_is_valid)  // the old format kept the pair's polar form
      double_sample = s.legacy.normal_rho * std::sin(2.0 * M_PI * s.legacy.normal_x);
  } else if (n == sizeof(State)) {
    std::memcpy(&s, new_state.raw_data(), n);
    if (s.is_next_float_normal_sample_valid) float_sample = s.next_float_normal_sample;
    if (s.legacy.normal_is_valid) double_sample = s.legacy.normal_y;
  } else {
    fail("set_state: Expected either a CPUGeneratorImplStateLegacy of size " +
         std::to_string(sizeof(LegacyState)) + " or a CPUGeneratorImplState of size " +
         std::to_string(sizeof(State)) + " but found the input RNG state size to be " +
         std::to_string(n));
  }
  mt19937_data_pod d{};
  for (int k = 0; k < 624; ++k) d.state_[size_t(k)] = uint32_t(s.legacy.state[k]);
  d.seed_ = s.legacy.the_initial_seed;
  d.left_ = s.legacy.left;
  d.seeded_ = s.legacy.seeded != 0;
  d.next_ = uint32_t(s.legacy.next);
  mt19937 e;
  e.set_data(d);
  if (!e.is_valid()) fail("set_state: Invalid mt19937 state");
  std::lock_guard<std::mutex> lock(g.mutex_);
  g.set_engine(e);
  g.set_next_float_normal_sample(float_sample);
  g.set_next_double_normal_sample(double_sample);
}

namespace detail {
const Generator& getDefaultCPUGenerator() {
  static const Generator gen = createCPUGenerator(nondeterministic_seed());
  return gen;
}
Generator createCPUGenerator(uint64_t seed_val) {
  return make_generator<CPUGeneratorImpl>(seed_val);
}
}  // namespace detail

void manual_seed(uint64_t seed) {
  Generator g = detail::getDefaultCPUGenerator();
  g.set_current_seed(seed);
}

}  // namespace tg
