// An unchanged libtorch program (drop-in test, scripts/check_dropin.sh): a small DCGAN in the
// shape of libtorch's DCGAN example -- a ConvTranspose2d/BatchNorm2d generator, a Conv2d/
// LeakyReLU discriminator, BCE losses with smoothed real labels, two Adam optimizers with
// betas (0.5, 0.999) -- trained for a few steps on fixed "images" (one stroke per image
// instead of MNIST, so the program needs no files). Weights, noise and labels all come from
// torch::manual_seed, so the printed losses are libtorch's own (dropin_dcgan.expected).
#include <torch/torch.h>

#include <cstdio>
#include <iostream>

using namespace torch;

const int64_t kNoiseSize = 16;
const int64_t kBatchSize = 8;

struct DCGANGeneratorImpl : nn::Module {
  DCGANGeneratorImpl(int64_t noise_size)
      : conv1(nn::ConvTranspose2dOptions(noise_size, 32, 4).bias(false)),
        batch_norm1(32),
        conv2(nn::ConvTranspose2dOptions(32, 16, 3).stride(2).padding(1).bias(false)),
        batch_norm2(16),
        conv3(nn::ConvTranspose2dOptions(16, 1, 4).stride(2).padding(1).bias(false)) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv3", conv3);
    register_module("batch_norm1", batch_norm1);
    register_module("batch_norm2", batch_norm2);
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(batch_norm1(conv1(x)));
    x = torch::relu(batch_norm2(conv2(x)));
    return torch::tanh(conv3(x));
  }
  nn::ConvTranspose2d conv1, conv2, conv3;
  nn::BatchNorm2d batch_norm1, batch_norm2;
};
TORCH_MODULE(DCGANGenerator);

// Fixed training images: a bright diagonal stroke in a dark 14x14 image, shifted per sample.
torch::Tensor real_images() {
  auto images = torch::full({kBatchSize, 1, 14, 14}, -1.0);
  auto acc = images.accessor<float, 4>();
  for (int64_t n = 0; n < kBatchSize; ++n)
    for (int64_t i = 0; i < 14; ++i) acc[n][0][i][(i + n) % 14] = 1.0f;
  return images;
}

int main() {
  torch::manual_seed(1);
  DCGANGenerator generator(kNoiseSize);
  nn::Sequential discriminator(
      nn::Conv2d(nn::Conv2dOptions(1, 16, 4).stride(2).padding(1).bias(false)),
      nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
      nn::Conv2d(nn::Conv2dOptions(16, 32, 4).stride(2).padding(1).bias(false)),
      nn::BatchNorm2d(32), nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
      nn::Conv2d(nn::Conv2dOptions(32, 1, 3).stride(1).padding(0).bias(false)), nn::Sigmoid());
  std::cout << generator << "\n" << discriminator << "\n";

  torch::optim::Adam generator_optimizer(generator->parameters(),
                                         torch::optim::AdamOptions(2e-4).betas({0.5, 0.999}));
  torch::optim::Adam discriminator_optimizer(discriminator->parameters(),
                                             torch::optim::AdamOptions(5e-4).betas({0.5, 0.999}));

  auto images = real_images();
  for (int64_t step = 1; step <= 6; ++step) {
    discriminator->zero_grad();
    torch::Tensor real_labels = torch::empty(kBatchSize).uniform_(0.8, 1.0);
    torch::Tensor real_output = discriminator->forward(images).reshape({-1});
    torch::Tensor d_loss_real = torch::binary_cross_entropy(real_output, real_labels);
    d_loss_real.backward();

    torch::Tensor noise = torch::randn({kBatchSize, kNoiseSize, 1, 1});
    torch::Tensor fake_images = generator->forward(noise);
    torch::Tensor fake_labels = torch::zeros(kBatchSize);
    torch::Tensor fake_output = discriminator->forward(fake_images.detach()).reshape({-1});
    torch::Tensor d_loss_fake = torch::binary_cross_entropy(fake_output, fake_labels);
    d_loss_fake.backward();
    torch::Tensor d_loss = d_loss_real + d_loss_fake;
    discriminator_optimizer.step();

    generator->zero_grad();
    fake_labels.fill_(1);
    fake_output = discriminator->forward(fake_images).reshape({-1});
    torch::Tensor g_loss = torch::binary_cross_entropy(fake_output, fake_labels);
    g_loss.backward();
    generator_optimizer.step();

    std::printf("[%2ld/6] D_loss: %.4f | G_loss: %.4f\n", long(step), d_loss.item<float>(),
                g_loss.item<float>());
  }
  torch::NoGradGuard no_grad;
  generator->eval();
  auto sample = generator->forward(torch::randn({1, kNoiseSize, 1, 1}));
  std::cout << "sample " << sample.sizes() << " mean " << sample.mean().item<float>() << "\n";
}
