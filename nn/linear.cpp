#include "linear.hpp"

#include <cmath>
#include <ostream>

#include "../autograd/functions.hpp"
#include "functional.hpp"
#include "init.hpp"

namespace tg::nn {

LinearImpl::LinearImpl(const LinearOptions& options_) : options(options_) { reset(); }

void LinearImpl::reset() {
  if (options.in_features() < 0 || options.out_features() < 0)
    throw Error("Linear: in_features and out_features must be non-negative, got in_features=" +
                std::to_string(options.in_features()) +
                ", out_features=" + std::to_string(options.out_features()));
  weight = register_parameter("weight", tg::empty({options.out_features(), options.in_features()}));
  if (options.bias()) {
    bias = register_parameter("bias", tg::empty({options.out_features()}));
  } else {
    // Registered as an undefined placeholder, as libtorch does, so the name stays reserved.
    bias = register_parameter("bias", Tensor(), /*requires_grad=*/false);
  }
  reset_parameters();
}

void LinearImpl::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    auto [fan_in, fan_out] = init::_calculate_fan_in_and_fan_out(weight);
    (void)fan_out;
    // PyTorch's guard: with no inputs there is nothing to scale by, so the bias starts at 0.
    const double bound = fan_in > 0 ? 1.0 / std::sqrt(double(fan_in)) : 0.0;
    init::uniform_(bias, -bound, bound);
  }
}

void LinearImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "tg::nn::Linear(in_features=" << options.in_features()
         << ", out_features=" << options.out_features() << ", bias=" << options.bias() << ")";
}

Tensor LinearImpl::forward(const Tensor& input) {
  if (!input.defined()) throw Error("Linear: input is an undefined tensor");
  if (input.dim() < 1 || input.size(-1) != options.in_features())
    throw Error("Linear: input has " + std::to_string(input.dim() < 1 ? 0 : input.size(-1)) +
                " features (shape " + to_string(input.sizes()) +
                "), expected in_features=" + std::to_string(options.in_features()));
  return functional::linear(input, weight, bias);
}

}  // namespace tg::nn
