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
  stream << std::boolalpha << "torch::nn::Linear(in_features=" << options.in_features()
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

// ---- Bilinear ------------------------------------------------------------------------------
namespace functional {
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias) {
  if (!input1.defined() || !input2.defined() || !weight.defined())
    throw Error("bilinear: input1, input2 and weight must be defined tensors");
  if (weight.dim() != 3)
    throw Error("bilinear: weight must be 3-D (out, in1, in2), got shape " +
                to_string(weight.sizes()));
  const int64_t out = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
  auto leading = [](const Tensor& t) {
    return t.dim() ? IntArrayRef(t.sizes().data(), t.sizes().size() - 1) : IntArrayRef();
  };
  if (input1.dim() < 1 || input2.dim() < 1 || input1.size(-1) != in1 || input2.size(-1) != in2 ||
      leading(input1) != leading(input2))
    throw Error("bilinear: inputs of shapes " + to_string(input1.sizes()) + " and " +
                to_string(input2.sizes()) + " do not match weight of shape " +
                to_string(weight.sizes()) + " (expected [..., " + std::to_string(in1) +
                "] and [..., " + std::to_string(in2) + "] with the same leading dimensions)");
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != out))
    throw Error("bilinear: bias of shape " + to_string(bias.sizes()) +
                " does not match weight of shape " + to_string(weight.sizes()) + " (expected [" +
                std::to_string(out) + "])");
  Shape out_shape = leading(input1);
  out_shape.push_back(out);
  if (!input1.is_floating_point() && !input2.is_floating_point() && !weight.is_floating_point()) {
    // Integer tensors, as libtorch accepts them: exact in double (products below 2^53), and the
    // result in the inputs' integer dtype.
    Tensor b = bias.defined() ? bias.to(kDouble) : Tensor();
    return bilinear(input1.to(kDouble), input2.to(kDouble), weight.to(kDouble), b)
        .to(input1.scalar_type());
  }
  // u = x2 W'^T with W' = weight viewed as (out * in1, in2): linear's gemm reads the weight in
  // place (no permuted copy); u (N, out, in1) is then contracted with input1 over in1.
  Tensor x1 = input1.reshape({-1, in1}), x2 = input2.reshape({-1, in2});
  Tensor u = tg::linear(x2, weight.reshape({out * in1, in2})).reshape({-1, out, in1});
  Tensor y = (u * x1.unsqueeze(1)).sum({2});
  if (bias.defined()) y = y + bias;
  return y.reshape(out_shape);
}
}  // namespace functional

BilinearImpl::BilinearImpl(const BilinearOptions& options_) : options(options_) { reset(); }

void BilinearImpl::reset() {
  const auto& o = options;
  if (o.in1_features() < 0 || o.in2_features() < 0 || o.out_features() < 0)
    throw Error("Bilinear: in1_features, in2_features and out_features must be non-negative, got " +
                std::to_string(o.in1_features()) + ", " + std::to_string(o.in2_features()) + ", " +
                std::to_string(o.out_features()));
  weight = register_parameter("weight",
                              tg::empty({o.out_features(), o.in1_features(), o.in2_features()}));
  bias = register_parameter("bias", o.bias() ? tg::empty({o.out_features()}) : Tensor(),
                            /*requires_grad=*/o.bias());
  reset_parameters();
}

void BilinearImpl::reset_parameters() {
  const double bound = options.in1_features() > 0 ? 1.0 / std::sqrt(double(weight.size(1))) : 0.0;
  init::uniform_(weight, -bound, bound);
  if (bias.defined()) init::uniform_(bias, -bound, bound);
}

void BilinearImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::Bilinear(in1_features=" << options.in1_features()
         << ", in2_features=" << options.in2_features()
         << ", out_features=" << options.out_features() << ", bias=" << options.bias() << ")";
}

Tensor BilinearImpl::forward(const Tensor& input1, const Tensor& input2) {
  return functional::bilinear(input1, input2, weight, bias);
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
LinearImpl::LinearImpl(int64_t in_features, int64_t out_features)
    : LinearImpl(LinearOptions(in_features, out_features)) {}
BilinearImpl::BilinearImpl(int64_t in1_features, int64_t in2_features, int64_t out_features)
    : BilinearImpl(BilinearOptions(in1_features, in2_features, out_features)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<BilinearImpl, Module>;
template class detail::CloneableAs<LinearImpl, Module>;
}  // namespace tg::nn
