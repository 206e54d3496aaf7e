// The seed program, PyTorch's classic, ported line for line to the libtorch C++ API:
//
//   model = nn.Linear(10, 1); criterion = nn.BCEWithLogitsLoss()
//   optimizer = optim.SGD(model.parameters(), lr=0.01)
//   inputs = torch.randn(64, 10); targets = torch.randint(0, 2, (64, 1)).float()
//   for epoch in range(100):
//       outputs = model(inputs); loss = criterion(outputs, targets)
//       optimizer.zero_grad(); loss.backward(); optimizer.step()
//       if (epoch+1) % 10 == 0: print(f'Epoch [{epoch+1}/100], Loss: {loss.item():.4f}')
//
// Everything below is plain libtorch code; only the include and the namespace alias differ.
#include <cstdio>
#include <tapegrad.hpp>

namespace torch = tg;

int main() {
  torch::manual_seed(0);  // reproducible weights and data

  torch::nn::Linear model(10, 1);
  torch::nn::BCEWithLogitsLoss criterion;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));

  auto inputs = torch::randn({64, 10});
  auto targets = torch::randint(0, 2, {64, 1}).to(torch::kFloat);

  for (int epoch = 0; epoch < 100; ++epoch) {
    auto outputs = model(inputs);
    auto loss = criterion(outputs, targets);

    optimizer.zero_grad();
    loss.backward();
    optimizer.step();

    if ((epoch + 1) % 10 == 0)
      std::printf("Epoch [%d/100], Loss: %.4f\n", epoch + 1, loss.item<float>());
  }
}
