// A random program in the tutorials' style, same source on both libraries: seeded default
// initialisation, randn data, dropout in training, a few SGD steps. With libtorch's random
// streams every printed value is libtorch's (rows named float32e6/... are compared to 1e-6
// relative, the arithmetic's rounding; the random draws themselves are exact).
#include "shim.hpp"

namespace nn = torch::nn;

struct NetImpl : nn::Module {
  NetImpl()
      : fc1(register_module("fc1", nn::Linear(8, 16))),
        drop(register_module("drop", nn::Dropout(0.2))),
        fc2(register_module("fc2", nn::Linear(16, 3))) {}
  torch::Tensor forward(torch::Tensor x) { return fc2(drop(torch::relu(fc1(x)))); }
  nn::Linear fc1;
  nn::Dropout drop;
  nn::Linear fc2;
};
TORCH_MODULE(Net);

int main() {
  torch::manual_seed(42);
  Net net;
  auto x = torch::randn({32, 8});
  auto y = torch::randint(0, 3, {32});
  torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
  emit("float32e6/init/fc1.weight", net->fc1->weight);
  emit("float32e6/init/fc2.bias", net->fc2->bias);
  emit("float32e6/data/x", x);
  emit("data/y", y);
  net->train();
  for (int step = 1; step <= 5; ++step) {
    opt.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(net->forward(x), y);
    loss.backward();
    opt.step();
    emit("float32e6/step" + std::to_string(step) + "/loss", loss);
  }
  emit("float32e6/final/fc2.weight", net->fc2->weight);
  net->eval();
  emit("float32e6/eval/logits", net->forward(x.narrow(0, 0, 4)));
  // Inputs whose draws interleave with training draws: a fresh batch, then one more step.
  auto x2 = torch::rand({4, 8}) * 2 - 1;
  emit("float32e6/data/x2", x2);
  emit("float32e6/eval/x2", net->forward(x2));
  return 0;
}
