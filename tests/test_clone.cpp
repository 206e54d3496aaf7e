#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

using test::contains;
using test::error_of;

// Module::clone of the built-in layers and containers (libtorch's Cloneable::clone): the copy
// owns new tensors with the original's values, and the clone draws from the generator as
// libtorch's does (compat/clone.cpp compares the values and draws with libtorch's).

#include <memory>
#include <vector>

namespace {

using tg::Tensor;
namespace nn = tg::nn;

// Every parameter and buffer of `copy` is a distinct tensor equal to the original's.
void check_deep_copy(const nn::Module& original, const nn::Module& copy) {
  auto mine = original.named_parameters(), theirs = copy.named_parameters();
  REQUIRE(mine.size() == theirs.size());
  for (const auto& p : mine) {
    const Tensor& q = theirs[p.key()];
    CHECK(p.value().data_ptr() != q.data_ptr());
    CHECK(tg::equal(p.value(), q));
    CHECK(p.value().requires_grad() == q.requires_grad());
  }
  auto mine_b = original.named_buffers(), theirs_b = copy.named_buffers();
  REQUIRE(mine_b.size() == theirs_b.size());
  for (const auto& b : mine_b) {
    CHECK(b.value().data_ptr() != theirs_b[b.key()].data_ptr());
    CHECK(tg::equal(b.value(), theirs_b[b.key()]));
  }
}

}  // namespace

TEST_CASE("clone: every built-in layer is a deep copy") {
  std::vector<std::shared_ptr<nn::Module>> layers = {
      nn::Linear(3, 2).ptr(),
      nn::Conv2d(nn::Conv2dOptions(2, 3, 2)).ptr(),
      nn::ConvTranspose1d(2, 2, 3).ptr(),
      nn::BatchNorm2d(3).ptr(),
      nn::InstanceNorm1d(nn::InstanceNorm1dOptions(2).affine(true).track_running_stats(true)).ptr(),
      nn::LayerNorm(nn::LayerNormOptions({4})).ptr(),
      nn::Embedding(5, 2).ptr(),
      nn::LSTM(nn::LSTMOptions(2, 3).num_layers(2)).ptr(),
      nn::GRUCell(2, 3).ptr(),
      nn::MultiheadAttention(4, 2).ptr(),
      nn::TransformerDecoderLayer(4, 2).ptr(),
      nn::PReLU().ptr(),
      nn::ReLU().ptr(),
      nn::MSELoss().ptr(),
      nn::MaxPool1d(2).ptr(),
      nn::Dropout2d(0.3).ptr(),
  };
  for (const auto& layer : layers) {
    CAPTURE(layer->name());
    auto copy = layer->clone();
    CHECK(copy->name() == layer->name());
    CHECK(typeid(*copy) == typeid(*layer));
    check_deep_copy(*layer, *copy);
  }
}

TEST_CASE("clone: the copy's members are its own registered tensors and children") {
  nn::Linear fc(3, 2);
  auto copy = std::dynamic_pointer_cast<nn::LinearImpl>(fc->clone());
  REQUIRE(copy);
  CHECK(copy->weight.data_ptr() == copy->named_parameters()["weight"].data_ptr());
  {
    tg::NoGradGuard no_grad;
    copy->weight.add_(1);
  }
  CHECK_FALSE(tg::equal(copy->weight, fc->weight));

  nn::LSTM lstm(2, 3);
  auto lstm_copy = std::dynamic_pointer_cast<nn::LSTMImpl>(lstm->clone());
  auto x = tg::randn({4, 1, 2});
  CHECK(tg::equal(std::get<0>(lstm->forward(x)), std::get<0>(lstm_copy->forward(x))));

  nn::TransformerEncoder encoder(
      nn::TransformerEncoderOptions(nn::TransformerEncoderLayer(4, 2), 2)
          .norm(nn::AnyModule(nn::LayerNorm(nn::LayerNormOptions({4})))));
  auto encoder_copy = encoder->clone();
  check_deep_copy(*encoder, *encoder_copy);
  CHECK(encoder_copy->named_children().size() == 2);  // layers, norm
}

TEST_CASE("clone: draws from the generator as libtorch's clone does") {
  // The copy's reset() initialises a Linear(3, 2) once more before the values are copied, so
  // the next draw is libtorch's (compat/clone.cpp, row linear/after).
  nn::Linear fc(3, 2);
  tg::manual_seed(7);
  (void)fc->clone();
  auto after = tg::randn({3});
  CHECK(after[0].item<double>() == doctest::Approx(1.69079017639).epsilon(1e-6));
  CHECK(after[1].item<double>() == doctest::Approx(-0.894827902317).epsilon(1e-6));
  CHECK(after[2].item<double>() == doctest::Approx(-0.355625033379).epsilon(1e-6));

  // A container clones each element: the same draws as building each element once more.
  nn::Sequential seq(nn::Linear(2, 3), nn::ReLU(), nn::Linear(3, 1));
  tg::manual_seed(3);
  (void)seq->clone();
  auto cloned = tg::randn({2});
  tg::manual_seed(3);
  (void)nn::Linear(2, 3);
  (void)nn::Linear(3, 1);
  CHECK(tg::equal(cloned, tg::randn({2})));
}

TEST_CASE("clone: containers clone their elements; clone(device) checks the device") {
  nn::ModuleList list(nn::Linear(2, 2), nn::BatchNorm1d(2));
  auto list_copy = std::dynamic_pointer_cast<nn::ModuleListImpl>(list->clone());
  REQUIRE(list_copy);
  REQUIRE(list_copy->size() == 2);
  CHECK(list_copy->ptr(0) != list->ptr(0));
  check_deep_copy(*list, *list_copy);

  nn::ModuleDict dict;
  dict->update({{"a", nn::Linear(2, 2).ptr()}});
  check_deep_copy(*dict, *dict->clone());

  auto on_cpu = list->clone(tg::Device(tg::kCPU));
  check_deep_copy(*list, *on_cpu);
  CHECK(contains(error_of([&] { list->clone(tg::Device(tg::kCUDA, 0)); }), "CPU only"));

  struct Plain : nn::Module {};
  CHECK(contains(error_of([] { Plain().clone(); }), "clone() has not been implemented for "));
}
