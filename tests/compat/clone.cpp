// Module::clone for the built-in layers and containers: the copy has its own tensors with the
// original's values, and cloning draws from the generator exactly as libtorch's Cloneable::clone
// (reset() re-initialises the copy, then the values are copied), so a randn after the clone
// matches too. Flags (distinct storage, same printout) are emitted as 1/0.
#include <memory>
#include <sstream>
#include <string>

#include "shim.hpp"

namespace nn = torch::nn;
using torch::Tensor;

namespace {

double flag(bool b) { return b ? 1.0 : 0.0; }

std::string print(const nn::Module& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

// Clones `original` under a fixed seed and emits the copy's parameters and buffers, whether
// they are distinct from (and equal to) the original's, and a draw made after the clone.
void check_clone(const std::string& name, const std::shared_ptr<nn::Module>& original) {
  torch::manual_seed(7);
  auto copy = original->clone();
  emit(name + "/after", torch::randn({3}));
  auto mine = original->named_parameters();
  auto theirs = copy->named_parameters();
  bool distinct = mine.size() == theirs.size(), equal = distinct;
  for (const auto& p : mine) {
    const Tensor& q = theirs[p.key()];
    distinct = distinct && p.value().data_ptr() != q.data_ptr();
    equal = equal && torch::equal(p.value(), q) && p.value().requires_grad() == q.requires_grad();
    emit(name + "/" + p.key(), q);
  }
  auto mine_b = original->named_buffers();
  auto theirs_b = copy->named_buffers();
  distinct = distinct && mine_b.size() == theirs_b.size();
  for (const auto& b : mine_b) {
    const Tensor& q = theirs_b[b.key()];
    distinct = distinct && b.value().data_ptr() != q.data_ptr();
    equal = equal && torch::equal(b.value(), q);
    emit(name + "/" + b.key(), q);
  }
  emit(name + "/flags",
       torch::tensor({flag(distinct), flag(equal), flag(print(*original) == print(*copy)),
                      flag(original->is_training() == copy->is_training())}));
}

struct Net : nn::Cloneable<Net> {
  Net() { reset(); }
  void reset() override {
    fc = register_module("fc", nn::Linear(3, 2));
    conv = register_module("conv", nn::Conv1d(2, 2, 2));
    w = register_parameter("w", torch::ones({2}));
    b = register_buffer("b", torch::zeros({1}));
  }
  Tensor forward(Tensor x) { return fc(x) * w; }
  nn::Linear fc{nullptr};
  nn::Conv1d conv{nullptr};
  Tensor w, b;
};

}  // namespace

int main() {
  torch::manual_seed(0);
  check_clone("linear", nn::Linear(3, 2).ptr());
  check_clone("bilinear", nn::Bilinear(2, 3, 2).ptr());
  check_clone("conv2d", nn::Conv2d(nn::Conv2dOptions(2, 3, 2).bias(false)).ptr());
  check_clone("convt1d", nn::ConvTranspose1d(2, 2, 3).ptr());
  auto bn = nn::BatchNorm1d(3);
  {  // running stats away from their initial values
    torch::NoGradGuard no_grad;
    bn->running_mean.add_(torch::arange(3));
    bn->num_batches_tracked.add_(2);
  }
  bn->eval();
  check_clone("batchnorm1d", bn.ptr());
  check_clone("layernorm", nn::LayerNorm(nn::LayerNormOptions({3})).ptr());
  check_clone("groupnorm", nn::GroupNorm(2, 4).ptr());
  check_clone("embedding", nn::Embedding(nn::EmbeddingOptions(4, 2).padding_idx(1)).ptr());
  check_clone("embeddingbag", nn::EmbeddingBag(4, 2).ptr());
  check_clone("prelu", nn::PReLU().ptr());
  check_clone("rnn", nn::RNN(nn::RNNOptions(2, 3).num_layers(2)).ptr());
  check_clone("lstm", nn::LSTM(nn::LSTMOptions(2, 3).bidirectional(true)).ptr());
  check_clone("gru", nn::GRU(2, 2).ptr());
  check_clone("lstmcell", nn::LSTMCell(2, 3).ptr());
  check_clone("mha", nn::MultiheadAttention(4, 2).ptr());
  check_clone("encoder_layer", nn::TransformerEncoderLayer(4, 2).ptr());
  check_clone("ce_loss",
              nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().weight(torch::rand({3}))).ptr());
  check_clone("dropout", nn::Dropout(0.2).ptr());
  check_clone("net", std::make_shared<Net>());
  check_clone(
      "sequential",
      nn::Sequential(nn::Linear(2, 3), nn::ReLU(), nn::BatchNorm1d(3), nn::Linear(3, 1)).ptr());
  check_clone("modulelist", nn::ModuleList(nn::Linear(2, 2), nn::GRUCell(2, 2)).ptr());
  nn::ModuleDict dict;
  dict->update({{"a", nn::Linear(2, 2).ptr()}, {"b", nn::Conv1d(1, 1, 2).ptr()}});
  check_clone("moduledict", dict.ptr());

  // The clone works on its own: the copy's forward matches the original's, training moves it
  // alone.
  auto net = std::make_shared<Net>();
  auto copy = std::dynamic_pointer_cast<Net>(net->clone());
  auto x = torch::randn({2, 3});
  emit("net/forward_equal", torch::tensor(flag(torch::equal(net->forward(x), copy->forward(x)))));
  {
    torch::NoGradGuard no_grad;
    copy->fc->weight.add_(1);
  }
  emit("net/original_weight", net->fc->weight);
  emit("net/member_is_registered",
       torch::tensor(
           flag(copy->fc->weight.data_ptr() == copy->named_parameters()["fc.weight"].data_ptr())));
  return 0;
}
