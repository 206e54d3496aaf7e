#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// RNN, LSTM, GRU: parameter names and shapes, default init, outputs and every gradient against
// PyTorch in float64 (tests/ref/rnn_ref.py), gradchecks, and bad inputs.

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

using test::contains;
using test::error_of;
using test::go;
using test::seq;
using test::str;
using test::values;
using tg::Tensor;
namespace nn = tg::nn;

#include "ref/rnn_ref.inc"

// Float64 parameters, parameter k = seq(shape, 0.3 k + 0.2, 0.4) as in rnn_ref.py.
void fix_parameters(nn::Module& m) {
  m.to(tg::kDouble);
  tg::NoGradGuard no_grad;
  int k = 0;
  for (auto& p : m.parameters()) p.copy_(seq(p.sizes().vec(), 0.3 * k++ + 0.2, 0.4));
}

Tensor all_param_grads(const nn::Module& m) {
  std::vector<Tensor> g;
  for (const auto& p : m.parameters()) g.push_back(p.grad().reshape({-1}));
  return tg::cat(g, 0);
}

// Runs rnn_ref.py's recipe on `m` and compares with the emitted arrays. `forward` maps
// (x, initial states) to (output, final states).
template <class Forward>
void check_against_pytorch(nn::Module& m, std::vector<int64_t> x_shape,
                           std::vector<std::vector<int64_t>> h_shapes, Forward forward,
                           const std::vector<const std::vector<double>*>& want) {
  fix_parameters(m);
  Tensor x = seq(x_shape, 0.1).requires_grad_(true);
  std::vector<Tensor> states;
  for (size_t j = 0; j < h_shapes.size(); ++j)
    states.push_back(seq(h_shapes[j], 0.5 + double(j), 0.5).requires_grad_(true));
  auto [out, finals] = forward(x, states);
  Tensor loss = (out * go(out.sizes())).sum();
  for (const auto& s : finals) loss = loss + (s * go(s.sizes())).sum();
  loss.backward();
  size_t w = 0;
  test::expect_near(out, *want[w++], "output");
  for (const auto& s : finals) test::expect_near(s, *want[w++], "final state");
  test::expect_near(x.grad(), *want[w++], "grad input");
  for (const auto& s : states) test::expect_near(s.grad(), *want[w++], "grad initial state");
  test::expect_near(all_param_grads(m), *want[w++], "grad parameters");
}

using States = std::vector<Tensor>;
std::tuple<Tensor, States> call(nn::RNN& m, const Tensor& x, const States& s) {
  auto [y, h] = s.empty() ? m(x) : m(x, s[0]);
  return {y, {h}};
}
std::tuple<Tensor, States> call(nn::GRU& m, const Tensor& x, const States& s) {
  auto [y, h] = s.empty() ? m(x) : m(x, s[0]);
  return {y, {h}};
}
std::tuple<Tensor, States> call(nn::LSTM& m, const Tensor& x, const States& s) {
  auto [y, hc] = s.empty() ? m(x) : m(x, std::make_tuple(s[0], s[1]));
  return {y, {std::get<0>(hc), std::get<1>(hc)}};
}

template <class M>
auto caller(M& m) {
  return [&m](const Tensor& x, const States& s) { return call(m, x, s); };
}

}  // namespace

TEST_CASE("RNN/LSTM/GRU: parameter names, shapes and order as libtorch") {
  nn::LSTM lstm(nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true));
  std::vector<std::string> want;
  for (std::string l : {"_l0", "_l0_reverse", "_l1", "_l1_reverse"})
    for (std::string p : {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) want.push_back(p + l);
  CHECK(lstm->named_parameters().keys() == want);
  CHECK(lstm->named_parameters()["weight_ih_l0"].sizes() == tg::IntArrayRef({16, 3}));
  CHECK(lstm->named_parameters()["weight_ih_l1_reverse"].sizes() == tg::IntArrayRef({16, 8}));
  CHECK(lstm->named_parameters()["weight_hh_l1"].sizes() == tg::IntArrayRef({16, 4}));
  CHECK(lstm->all_weights().size() == 16);

  nn::GRU gru(nn::GRUOptions(3, 5).bias(false));
  CHECK(gru->named_parameters().keys() == std::vector<std::string>{"weight_ih_l0", "weight_hh_l0"});
  CHECK(gru->named_parameters()["weight_ih_l0"].sizes() == tg::IntArrayRef({15, 3}));

  nn::LSTM proj(nn::LSTMOptions(3, 4).proj_size(2));
  CHECK(proj->named_parameters().keys() == std::vector<std::string>{"weight_ih_l0", "weight_hh_l0",
                                                                    "bias_ih_l0", "bias_hh_l0",
                                                                    "weight_hr_l0"});
  CHECK(proj->named_parameters()["weight_hh_l0"].sizes() == tg::IntArrayRef({16, 2}));
  CHECK(proj->named_parameters()["weight_hr_l0"].sizes() == tg::IntArrayRef({2, 4}));
}

TEST_CASE("RNN/LSTM/GRU: default init is U(-1/sqrt(hidden), 1/sqrt(hidden)) for every parameter") {
  tg::manual_seed(3);
  nn::GRU gru(nn::GRUOptions(20, 25).num_layers(2));
  const double bound = 1.0 / 5.0;
  double sum = 0, sq = 0, mx = 0;
  size_t n = 0;
  for (const auto& p : gru->parameters()) {
    CHECK(p.scalar_type() == tg::kFloat);
    CHECK(p.requires_grad());
    for (double v : values(p)) {
      CHECK(std::abs(v) <= bound);
      sum += v, sq += v * v, mx = std::max(mx, std::abs(v)), ++n;
    }
  }
  const double mean = sum / double(n), sd = std::sqrt(sq / double(n) - mean * mean);
  CHECK(std::abs(mean) < 0.005);  // ~8000 draws: sd ~1.3e-3
  CHECK(sd == doctest::Approx(bound / std::sqrt(3.0)).epsilon(0.03));
  CHECK(mx > 0.99 * bound);
}

TEST_CASE("RNN (tanh, 2 layers, bidirectional, h0): values and all gradients match PyTorch") {
  nn::RNN m(nn::RNNOptions(3, 4).num_layers(2).bidirectional(true));
  check_against_pytorch(
      *m, {5, 2, 3}, {{4, 2, 4}}, caller(m),
      {&kRnnTanhOut, &kRnnTanhState0, &kRnnTanhGradX, &kRnnTanhGradState0, &kRnnTanhGradParams});
}

TEST_CASE("RNN (relu, batch_first, no bias, no h0): values and all gradients match PyTorch") {
  nn::RNN m(nn::RNNOptions(3, 4).nonlinearity(tg::kReLU).bias(false).batch_first(true));
  check_against_pytorch(*m, {2, 5, 3}, {}, caller(m),
                        {&kRnnReluOut, &kRnnReluState0, &kRnnReluGradX, &kRnnReluGradParams});
}

TEST_CASE("LSTM (2 layers, bidirectional, (h0, c0)): values and all gradients match PyTorch") {
  nn::LSTM m(nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true));
  check_against_pytorch(*m, {4, 2, 3}, {{4, 2, 4}, {4, 2, 4}}, caller(m),
                        {&kLstmOut, &kLstmState0, &kLstmState1, &kLstmGradX, &kLstmGradState0,
                         &kLstmGradState1, &kLstmGradParams});
}

TEST_CASE("LSTM (proj_size, batch_first): values and all gradients match PyTorch") {
  nn::LSTM m(nn::LSTMOptions(3, 4).proj_size(2).batch_first(true));
  check_against_pytorch(*m, {2, 4, 3}, {{1, 2, 2}, {1, 2, 4}}, caller(m),
                        {&kLstmProjOut, &kLstmProjState0, &kLstmProjState1, &kLstmProjGradX,
                         &kLstmProjGradState0, &kLstmProjGradState1, &kLstmProjGradParams});
}

TEST_CASE("GRU (2 layers, bidirectional, h0): values and all gradients match PyTorch") {
  nn::GRU m(nn::GRUOptions(3, 4).num_layers(2).bidirectional(true));
  check_against_pytorch(*m, {4, 2, 3}, {{4, 2, 4}}, caller(m),
                        {&kGruOut, &kGruState0, &kGruGradX, &kGruGradState0, &kGruGradParams});
}

TEST_CASE("GRU (unbatched 2-D input and state): values and all gradients match PyTorch") {
  nn::GRU m(nn::GRUOptions(3, 4).num_layers(2));
  check_against_pytorch(*m, {5, 3}, {{2, 4}}, caller(m),
                        {&kGruUnbatchedOut, &kGruUnbatchedState0, &kGruUnbatchedGradX,
                         &kGruUnbatchedGradState0, &kGruUnbatchedGradParams});
}

TEST_CASE("RNN/LSTM/GRU: gradcheck in float64 over input, state and every parameter") {
  auto check = [](nn::Module& m, const Tensor& x, std::vector<Tensor> states, auto forward) {
    fix_parameters(m);
    tg::TensorList inputs = {x.requires_grad_(true)};
    for (auto& s : states) inputs.push_back(s.requires_grad_(true));
    for (auto& p : m.parameters()) inputs.push_back(p);  // perturbed in place by gradcheck
    auto report = tg::autograd::gradcheck(
        [&](const tg::TensorList& in) {
          States s(in.begin() + 1, in.begin() + 1 + long(states.size()));
          auto [y, finals] = forward(in[0], s);
          std::vector<Tensor> flat = {y.reshape({-1})};
          for (auto& f : finals) flat.push_back(f.reshape({-1}));
          return tg::cat(flat, 0);
        },
        inputs);
    CHECK_MESSAGE(report, report);
  };
  nn::RNN rnn(nn::RNNOptions(2, 3).bidirectional(true));
  check(*rnn, seq({3, 2, 2}, 0.2), {seq({2, 2, 3}, 0.4, 0.5)}, caller(rnn));
  nn::LSTM lstm(nn::LSTMOptions(2, 3).num_layers(2).proj_size(2));
  check(*lstm, seq({3, 1, 2}, 0.2), {seq({2, 1, 2}, 0.4, 0.5), seq({2, 1, 3}, 0.9, 0.5)},
        caller(lstm));
  nn::GRU gru(nn::GRUOptions(2, 3).batch_first(true));
  check(*gru, seq({2, 3, 2}, 0.2), {seq({1, 2, 3}, 0.4, 0.5)}, caller(gru));
}

TEST_CASE("RNN/LSTM/GRU: dropout between layers only in training mode") {
  tg::manual_seed(0);
  nn::GRU gru(nn::GRUOptions(3, 4).num_layers(2).dropout(0.5));
  Tensor x = tg::randn({4, 2, 3});
  gru->eval();
  auto [a, ha] = gru(x);
  auto [b, hb] = gru(x);
  CHECK(a.equal(b));  // deterministic in eval mode
  gru->train();
  auto [c, hc] = gru(x);
  CHECK_FALSE(c.allclose(a));  // the second layer saw a dropped-out input
  // One layer: nothing between layers to drop.
  nn::RNN one(nn::RNNOptions(3, 4).dropout(0.5));
  CHECK(std::get<0>(one(x)).equal(std::get<0>(one(x))));
}

TEST_CASE("RNN/LSTM/GRU: bad inputs, states and options throw tg::Error naming the module") {
  nn::LSTM lstm(nn::LSTMOptions(3, 4).num_layers(2));
  CHECK(error_of([&] {
          lstm(tg::ones({5, 2, 7}));
        }) ==
        "LSTM: input.size(-1) must be equal to input_size. Expected 3, got 7 (input shape "
        "[5, 2, 7])");
  CHECK(error_of([&] {
          lstm(tg::ones({1, 5, 2, 3}));
        }) == "LSTM: expected input to be 2-D (unbatched) or 3-D, got shape [1, 5, 2, 3]");
  CHECK(error_of([&] {
          lstm(tg::ones({5, 2, 3}, tg::kDouble));
        }) ==
        "LSTM: input has dtype Double but the parameters have dtype Float (convert one with "
        ".to())");
  CHECK(error_of([&] {
          lstm(tg::ones({5, 2, 3}), std::make_tuple(tg::zeros({3, 2, 4}), tg::zeros({2, 2, 4})));
        }) == "LSTM: expected h_0 of shape [2, 2, 4], got [3, 2, 4]");
  CHECK(error_of([&] {
          lstm(tg::ones({5, 2, 3}), std::make_tuple(tg::zeros({2, 2, 4}), tg::zeros({2, 4})));
        }) == "LSTM: expected c_0 of shape [2, 2, 4], got [2, 4]");
  nn::GRU gru(3, 4);
  CHECK(error_of([&] {
          gru(tg::ones({5, 3}), tg::zeros({1, 2, 4}));
        }) == "GRU: expected hx of shape [1, 4], got [1, 2, 4]");
  CHECK(error_of([&] { nn::RNN(nn::RNNOptions(3, 4).dropout(1.5)); }) ==
        "RNN: dropout should be a number in range [0, 1], got 1.500000");
  CHECK(contains(error_of([&] { nn::GRU(0, 4); }), "GRU: input_size, hidden_size and num_layers"));
  CHECK(error_of([&] { nn::LSTM(nn::LSTMOptions(3, 4).proj_size(4)); }) ==
        "LSTM: proj_size has to be smaller than hidden_size, got proj_size=4, hidden_size=4");
}

// A user module in the global namespace, so its printed name is its plain type name.
struct RnnTestHostImpl : tg::nn::Module {
  RnnTestHostImpl() {
    register_module("fc", tg::nn::Linear(2, 3));
    register_module("body", tg::nn::Sequential(tg::nn::Tanh(), tg::nn::LSTM(2, 3)));
  }
  tg::Tensor forward(const tg::Tensor& x) { return x; }
};
TG_MODULE(RnnTestHost);

TEST_CASE("RNN/LSTM/GRU: printed as libtorch prints them") {
  std::ostringstream s;
  s << nn::RNN(nn::RNNOptions(3, 4)) << "\n"
    << nn::LSTM(nn::LSTMOptions(3, 4).num_layers(3).dropout(0.25).bidirectional(true)) << "\n"
    << nn::GRU(nn::GRUOptions(3, 4).bias(false).batch_first(true));
  // libtorch 1.13's output for the same three modules (libtorch prints "dropout=0.25").
  CHECK(s.str() ==
        "torch::nn::RNN(input_size=3, hidden_size=4, num_layers=1, bias=true, batch_first=false, "
        "dropout=0, bidirectional=false)\n"
        "torch::nn::LSTM(input_size=3, hidden_size=4, num_layers=3, bias=true, batch_first=false, "
        "dropout=0.25, bidirectional=true)\n"
        "torch::nn::GRU(input_size=3, hidden_size=4, num_layers=1, bias=false, batch_first=true, "
        "dropout=0, bidirectional=false)");
  // Inside a user module and a Sequential, as libtorch prints the tree.
  CHECK(str(RnnTestHost()) ==
        "RnnTestHostImpl(\n"
        "  (fc): torch::nn::Linear(in_features=2, out_features=3, bias=true)\n"
        "  (body): torch::nn::Sequential(\n"
        "    (0): torch::nn::Tanh()\n"
        "    (1): torch::nn::LSTM(input_size=2, hidden_size=3, num_layers=1, bias=true, "
        "batch_first=false, dropout=0, bidirectional=false)\n"
        "  )\n"
        ")");
}

TEST_CASE("LSTM: tg::save / tg::load round-trip restores the same outputs") {
  tg::manual_seed(8);
  nn::LSTM a(nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true));
  nn::LSTM b(nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true));
  const std::string path =
      "/tmp/tg_test_rnn_" + std::to_string(reinterpret_cast<uintptr_t>(&a)) + ".safetensors";
  tg::save(a, path);
  tg::load(b, path);
  std::remove(path.c_str());
  Tensor x = tg::randn({5, 2, 3});
  CHECK(std::get<0>(a(x)).equal(std::get<0>(b(x))));
  CHECK(b->named_parameters()["weight_hh_l1_reverse"].equal(
      a->named_parameters()["weight_hh_l1_reverse"]));
}
