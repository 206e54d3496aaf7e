// An unchanged libtorch program (drop-in test, scripts/check_dropin.sh): the autograd walkthrough
// a new libtorch user writes first -- requires_grad, grad_fn names, backward with and without a
// gradient argument, NoGradGuard and detach, a gradient penalty through autograd::grad, and two
// custom autograd Functions. Random inputs come from torch::manual_seed, so the numbers printed
// are libtorch's own (dropin_autograd.expected, from tests/compat/regen.sh dropin_autograd).
#include <torch/torch.h>

#include <iostream>

using namespace torch::autograd;

// y = x w^T + b, written as a custom Function with its own backward.
class AffineFunction : public Function<AffineFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor input, torch::Tensor weight,
                               torch::Tensor bias) {
    ctx->save_for_backward({input, weight, bias});
    return input.mm(weight.t()) + bias;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    auto input = saved[0], weight = saved[1];
    auto g = grad_outputs[0];
    return {g.mm(weight), g.t().mm(input), g.sum(0)};
  }
};

// x * c for a constant c kept in saved_data; no gradient for the constant.
class ScaleFunction : public Function<ScaleFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x, double c) {
    ctx->saved_data["c"] = c;
    return x * c;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    return {grad_outputs[0] * ctx->saved_data["c"].toDouble(), torch::Tensor()};
  }
};

void basics() {
  std::cout << "== basics\n";
  auto x = torch::ones({2, 2}, torch::requires_grad());
  auto y = x + 2;
  std::cout << y << "\n" << y.grad_fn()->name() << "\n";
  auto z = y * y * 3;
  auto out = z.mean();
  std::cout << z << "\n" << out << "\n";
  out.backward();
  std::cout << x.grad() << "\n";

  auto a = torch::randn({2, 2});
  a = ((a * 3) / (a - 1));
  std::cout << a.requires_grad() << "\n";
  a.requires_grad_(true);
  std::cout << a.requires_grad() << "\n";
  auto b = (a * a).sum();
  std::cout << b.grad_fn()->name() << "\n";

  auto v = torch::randn(3, torch::requires_grad());
  auto w = v * 2;
  while (w.norm().item<double>() < 1000) w = w * 2;
  std::cout << w << "\n" << w.grad_fn()->name() << "\n";
  auto direction = torch::tensor({0.1, 1.0, 0.0001}, torch::kFloat);
  w.backward(direction);
  std::cout << v.grad() << "\n";

  std::cout << v.requires_grad() << " " << v.pow(2).requires_grad() << "\n";
  {
    torch::NoGradGuard no_grad;
    std::cout << v.pow(2).requires_grad() << "\n";
  }
  auto d = v.detach();
  std::cout << d.requires_grad() << " " << v.eq(d).all().item<bool>() << "\n";
}

void gradient_penalty() {
  std::cout << "== gradient penalty\n";
  auto model = torch::nn::Linear(4, 3);
  auto input = torch::randn({3, 4}).requires_grad_(true);
  auto output = model(input);
  auto target = torch::randn({3, 3});
  auto loss = torch::nn::MSELoss()(output, target);
  auto grad_output = torch::ones_like(output);
  auto gradient = torch::autograd::grad({output}, {input}, {grad_output}, true)[0];
  auto penalty = torch::pow((gradient.norm(2, /*dim=*/1) - 1), 2).mean();
  auto combined = loss + penalty;
  combined.backward();
  std::cout << "loss " << loss.item<float>() << " penalty " << penalty.item<float>() << "\n";
  std::cout << input.grad() << "\n";
  std::cout << model->weight.grad() << "\n";
}

void custom_functions() {
  std::cout << "== custom functions\n";
  auto x = torch::randn({2, 3}).requires_grad_();
  auto weight = torch::randn({4, 3}).requires_grad_();
  auto bias = torch::randn(4).requires_grad_();
  auto y = AffineFunction::apply(x, weight, bias);
  y.sum().backward();
  std::cout << x.grad() << "\n" << weight.grad() << "\n" << bias.grad() << "\n";

  auto s = torch::randn({2}).requires_grad_();
  auto t = ScaleFunction::apply(s, 5.5);
  t.sum().backward();
  std::cout << s.grad() << "\n";
}

int main() {
  torch::manual_seed(1);
  basics();
  gradient_penalty();
  custom_functions();
}
