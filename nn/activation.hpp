// Activation modules: ReLU, Sigmoid, Tanh, Softmax, LogSoftmax (libtorch's names and options).
// Each forwards to the functional form; they exist so activations can sit in a Sequential.
#pragma once

#include <iosfwd>

#include "module.hpp"
#include "options.hpp"

namespace tg::nn {

class ReLUImpl : public Module {
 public:
  explicit ReLUImpl(const ReLUOptions& options_ = {}) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  ReLUOptions options;
};
TG_MODULE(ReLU);

class SigmoidImpl : public Module {
 public:
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
};
TG_MODULE(Sigmoid);

class TanhImpl : public Module {
 public:
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
};
TG_MODULE(Tanh);

class SoftmaxImpl : public Module {
 public:
  explicit SoftmaxImpl(int64_t dim) : SoftmaxImpl(SoftmaxOptions(dim)) {}
  explicit SoftmaxImpl(const SoftmaxOptions& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  SoftmaxOptions options;
};
TG_MODULE(Softmax);

class LogSoftmaxImpl : public Module {
 public:
  explicit LogSoftmaxImpl(int64_t dim) : LogSoftmaxImpl(LogSoftmaxOptions(dim)) {}
  explicit LogSoftmaxImpl(const LogSoftmaxOptions& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  LogSoftmaxOptions options;
};
TG_MODULE(LogSoftmax);

}  // namespace tg::nn
