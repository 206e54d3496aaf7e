// Random number generators, as libtorch's CPU generator (at::CPUGeneratorImpl, at::Generator).
//
// The same seed gives the same numbers as libtorch 1.13 on the CPU: the engine is the 32-bit
// Mersenne Twister (MT19937) seeded as libtorch seeds it, and every random function draws from
// it in libtorch's order with libtorch's transformations (autograd/random.cpp). A Generator is a
// shared handle: copies draw from one stream; clone() makes an independent copy of the state.
//
//   tg::manual_seed(0);                                  // the default generator
//   auto gen = tg::make_generator<tg::CPUGeneratorImpl>(42);
//   auto x = tg::randn({3}, gen);                        // its own stream
//   tg::Tensor state = gen.get_state();                  // 5056 bytes, libtorch's layout
//
// Thread safety, as libtorch: each draw locks the generator's mutex, so threads may share one
// generator (the default one included); the order in which they draw is theirs to arrange.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace tg {

class Tensor;

// libtorch's seed for a generator made without one (c10::default_rng_seed_val).
constexpr uint64_t default_rng_seed_val = 67280421310721ull;

// The MT19937 engine's state, laid out as libtorch's at::mt19937_data_pod.
struct mt19937_data_pod {
  uint64_t seed_;
  int left_;
  bool seeded_;
  uint32_t next_;
  std::array<uint32_t, 624> state_;
};

// at::mt19937: seeding takes the low 32 bits of the seed (the first state word) and keeps the
// 64-bit seed for current_seed(). Each draw tempers one state word; every 624 draws the whole
// state is regenerated at once (next_state, in random.cpp).
class mt19937 {
 public:
  explicit mt19937(uint64_t seed = 5489);
  uint32_t operator()() {
    if (--data_.left_ == 0) next_state();
    uint32_t y = data_.state_[data_.next_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
  }
  // n draws into out, the same values as n calls (for bulk fills: one tight loop per block of
  // the state, which the compiler vectorises).
  void fill(uint32_t* out, int64_t n);
  uint64_t seed() const { return data_.seed_; }
  const mt19937_data_pod& data() const { return data_; }
  void set_data(const mt19937_data_pod& d) { data_ = d; }
  bool is_valid() const;

 private:
  void next_state();
  mt19937_data_pod data_;
};

// The CPU generator: the engine, and the second value of the last Box-Muller pair (libtorch
// caches it, so an odd number of small normal draws leaves one for the next call).
class CPUGeneratorImpl {
 public:
  explicit CPUGeneratorImpl(uint64_t seed_in = default_rng_seed_val);
  void set_current_seed(uint64_t seed);  // also drops the cached normal values
  uint64_t current_seed() const { return engine_.seed(); }
  uint64_t seed();  // reseeds from /dev/urandom (or the clock) and returns the new seed
  uint32_t random() { return engine_(); }
  void random_fill(uint32_t* out, int64_t n) { engine_.fill(out, n); }
  uint64_t random64() {  // two draws: the first is the high half
    const uint64_t hi = engine_(), lo = engine_();
    return (hi << 32) | lo;
  }
  std::optional<double> next_double_normal_sample() const { return next_double_normal_sample_; }
  void set_next_double_normal_sample(std::optional<double> v) { next_double_normal_sample_ = v; }
  std::optional<float> next_float_normal_sample() const { return next_float_normal_sample_; }
  void set_next_float_normal_sample(std::optional<float> v) { next_float_normal_sample_ = v; }
  void set_engine(mt19937 e) { engine_ = e; }
  mt19937 engine() const { return engine_; }
  std::shared_ptr<CPUGeneratorImpl> clone() const;

  std::mutex mutex_;  // held by every random function while it draws

 private:
  mt19937 engine_;
  std::optional<float> next_float_normal_sample_;
  std::optional<double> next_double_normal_sample_;
};

// at::Generator: a shared handle to a generator.
class Generator {
 public:
  Generator() = default;  // undefined (no generator): functions then use the default one
  explicit Generator(std::shared_ptr<CPUGeneratorImpl> impl) : impl_(std::move(impl)) {}
  bool defined() const { return impl_ != nullptr; }
  bool operator==(const Generator& o) const { return impl_ == o.impl_; }
  bool operator!=(const Generator& o) const { return impl_ != o.impl_; }
  void set_current_seed(uint64_t seed);
  uint64_t current_seed() const;
  uint64_t seed();
  // The state as libtorch's get_state(): a 1-d uint8 tensor of 5056 bytes (engine, cached
  // normals); set_state takes that or libtorch's older 5048-byte layout.
  Tensor get_state() const;
  void set_state(const Tensor& new_state);
  std::mutex& mutex() const;
  Generator clone() const;
  template <class T>
  T* get() const {
    return impl_.get();
  }
  CPUGeneratorImpl* unsafeGetGeneratorImpl() const { return impl_.get(); }

 private:
  std::shared_ptr<CPUGeneratorImpl> impl_;
};

template <class Impl, class... Args>
Generator make_generator(Args&&... args) {
  return Generator(std::make_shared<Impl>(std::forward<Args>(args)...));
}

namespace detail {
// The process-wide generator every random function uses when given none. As libtorch, it
// starts from a nondeterministic seed; manual_seed makes runs repeatable.
const Generator& getDefaultCPUGenerator();
Generator createCPUGenerator(uint64_t seed_val = default_rng_seed_val);
}  // namespace detail

}  // namespace tg
