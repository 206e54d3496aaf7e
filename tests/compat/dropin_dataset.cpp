// An unchanged libtorch program (drop-in test, scripts/check_dropin.sh): a custom image dataset
// as libtorch users write one -- a Dataset subclass whose get() wraps 8-bit pixel buffers with
// torch::from_blob, converts them to float CHW tensors, and pairs them with labels; then
// .map(Stack), a shuffling data loader with drop_last, and a small classifier. The "images"
// are generated in memory (no files). Shuffling and weights come from torch::manual_seed, so
// the output is libtorch's own (dropin_dataset.expected).
#include <torch/torch.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <vector>

// Images 3x8x8 as HWC bytes, as an image decoder returns them; the label is the brightest channel.
class ColourDataset : public torch::data::Dataset<ColourDataset> {
 public:
  explicit ColourDataset(int64_t count) {
    for (int64_t n = 0; n < count; ++n) {
      std::vector<uint8_t> pixels(8 * 8 * 3);
      int64_t label = n % 3;
      for (int64_t i = 0; i < 8 * 8; ++i)
        for (int64_t c = 0; c < 3; ++c)
          pixels[i * 3 + c] = uint8_t((c == label ? 150 : 40) + (i * 11 + n * 7 + c * 3) % 60);
      images_.push_back(std::move(pixels));
      labels_.push_back(label);
    }
  }
  torch::data::Example<> get(size_t index) override {
    auto hwc = torch::from_blob(images_[index].data(), {8, 8, 3}, torch::kUInt8);
    auto chw = hwc.permute({2, 0, 1}).to(torch::kFloat32).div(255.0);
    auto label = torch::tensor(labels_[index], torch::kLong);
    return {chw.clone(), label};
  }
  torch::optional<size_t> size() const override { return images_.size(); }

 private:
  std::vector<std::vector<uint8_t>> images_;
  std::vector<int64_t> labels_;
};

int main() {
  torch::manual_seed(3);
  auto dataset = ColourDataset(30).map(torch::data::transforms::Stack<>());
  std::cout << "dataset size " << dataset.size().value() << "\n";
  auto loader = torch::data::make_data_loader<torch::data::samplers::RandomSampler>(
      std::move(dataset), torch::data::DataLoaderOptions().batch_size(8).drop_last(true));

  torch::nn::Sequential model(torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3).padding(1)),
                              torch::nn::ReLU(), torch::nn::Flatten(),
                              torch::nn::Linear(4 * 8 * 8, 3));
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(0.01));
  for (int epoch = 1; epoch <= 3; ++epoch) {
    int batches = 0;
    double total = 0;
    for (auto& batch : *loader) {
      if (epoch == 1 && batches == 0)
        std::cout << "first batch " << batch.data.sizes() << " labels " << batch.target << "\n";
      optimizer.zero_grad();
      auto loss = torch::nn::functional::cross_entropy(model->forward(batch.data), batch.target);
      loss.backward();
      optimizer.step();
      total += loss.item<double>();
      ++batches;
    }
    std::printf("epoch %d: %d batches, mean loss %.4f\n", epoch, batches, total / batches);
  }
}
