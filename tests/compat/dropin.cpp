// An unchanged libtorch program for the drop-in include path (compat/include): it includes
// <torch/torch.h> and names torch::, at:: and c10:: as libtorch programs do. The meson test
// `dropin` (scripts/check_dropin.sh) builds it with
//   g++ -std=c++17 dropin.cpp $(pkg-config --cflags --libs tapegrad-torch)
// and compares its output byte for byte with dropin.expected, libtorch 1.13's output
// (regenerate with tests/compat/regen.sh dropin).
#include <c10/util/irange.h>
#include <torch/torch.h>

#include <cstdio>
#include <iostream>
#include <string>

struct NetImpl : torch::nn::Module {
  NetImpl()
      : fc1(register_module("fc1", torch::nn::Linear(3, 4))),
        fc2(register_module("fc2", torch::nn::Linear(4, 1))) {}
  torch::Tensor forward(torch::Tensor x) { return fc2->forward(torch::tanh(fc1->forward(x))); }
  torch::nn::Linear fc1, fc2;
};
TORCH_MODULE(Net);

// Deterministic values (no RNG, so both libraries start from the same weights).
static at::Tensor wave(at::IntArrayRef shape, double phase) {
  int64_t n = 1;
  for (auto s : shape) n *= s;
  return torch::arange(n, at::kDouble).mul(0.7).add(phase).sin().reshape(shape);
}

static std::string describe(const at::Tensor& t) {
  return c10::str("dims=", t.ndimension(), " sizes=", t.sizes(), " dtype=", t.scalar_type(),
                  " device=", t.device());
}

int main() {
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA : torch::kCPU);
  std::cout << "device " << device << " cuda devices " << torch::cuda::device_count() << "\n";

  Net net;
  net->to(device, torch::kDouble);
  {
    torch::NoGradGuard no_grad;
    int64_t k = 0;
    for (auto& p : net->parameters()) p.copy_(wave(p.sizes(), 0.3 * double(k++)));
  }
  auto x = wave({5, 3}, 1.0).to(device);
  auto y = wave({5, 1}, 2.0).to(device, at::kDouble);
  std::cout << describe(x) << "\n";

  torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.1));
  for (const auto step : c10::irange(4)) {
    opt.zero_grad();
    auto loss = torch::mse_loss(net->forward(x), y);
    loss.backward();
    opt.step();
    std::printf("step %d loss %.9f\n", int(step), loss.item<double>());
  }

  c10::optional<int64_t> maybe = c10::nullopt;
  std::cout << "optional " << maybe.has_value() << "\n";

  at::Tensor r = torch::arange(6., torch::TensorOptions().device(torch::kCPU)).resize_({2, 2});
  std::cout << describe(r) << " sum " << r.sum().item<double>() << "\n";
  auto w = torch::ones({2}, torch::dtype(torch::kDouble));
  w.set_requires_grad(true);
  std::cout << "requires_grad " << w.requires_grad() << "\n";

  try {
    TORCH_CHECK(x.dim() == 3, "expected a 3-d input, got ", x.dim(), " dims");
  } catch (const c10::Error& e) {
    std::cout << "caught: " << e.what_without_backtrace() << "\n";
  }
  try {
    torch::Device bad("gpu:0");
  } catch (const c10::Error& e) {
    std::string msg = e.what_without_backtrace();
    std::cout << "caught: " << msg.substr(0, 15) << " ... " << msg.substr(msg.rfind(':') - 6)
              << "\n";
  }
  return 0;
}
