// rrelu's training slopes, drawn as ATen's _rrelu_with_noise_train draws them: elements in
// order, one uniform_real_distribution<double>(lower, upper) per element x <= 0 (one 64-bit draw:
// (v & (2^53 - 1)) 2^-53 (upper - lower) + lower, no fused multiply-add), 1 elsewhere. lower and
// upper are first rounded to the input's dtype, as ATen's scalar_t copies of them.
#include <mutex>

#include "functions.hpp"
#include "functions_activation.hpp"
#include "random_normal.hpp"
#include "tensor_impl.hpp"

namespace tg {

Tensor rrelu_noise(const Tensor& self, double lower, double upper,
                   std::optional<Generator> generator) {
  const ScalarType t = self.scalar_type();
  if (t != kFloat && t != kDouble)
    fail(std::string("\"rrelu_with_noise_out_cpu\" not implemented for '") + dtype_name(t) + "'");
  Tensor x = self.detach().contiguous(), noise = empty_like(x);
  CPUGeneratorImpl& g = detail::generator_or_default(generator);
  std::lock_guard<std::mutex> lock(g.mutex_);
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data_ptr<T>();
    T* out = noise.data_ptr<T>();
    const double from = double(T(lower)), to = double(T(upper));
    for (int64_t i = 0; i < x.numel(); ++i) {
      if (in[i] <= 0) {
        const double u = double(g.random64() & ((uint64_t(1) << 53) - 1)) * 0x1p-53;
        out[i] = T(u * (to - from) + from);
      } else {
        out[i] = T(1);
      }
    }
  };
  if (t == kFloat)
    run(float{});
  else
    run(double{});
  return noise;
}

}  // namespace tg
