// Recurrent layers, Embedding, Bilinear and the smooth activations, written once as libtorch
// code: in float64 with fixed det() weights (never the RNG), outputs, final states and the
// gradients of the input and of every parameter; plus what `std::cout << module` prints.
#include <sstream>

#include "common.hpp"

namespace nn = torch::nn;
namespace F = torch::nn::functional;

// The input and every parameter of `module`, as gradient leaves.
template <class M>
static std::vector<Tensor> leaves_of(const Tensor& x, M& module) {
  std::vector<Tensor> leaves{x};
  for (auto& p : module->parameters()) leaves.push_back(p);
  return leaves;
}

// RNN or GRU run from h0: rows for the output and h_n, and gradients of x, every parameter, h0.
template <class M>
static void with_state_rows(const std::string& name, M& module, const Tensor& x, const Tensor& h0) {
  auto out = module(x, h0);
  auto leaves = leaves_of(x, module);
  leaves.push_back(h0);
  check_list(name, {std::get<0>(out), std::get<1>(out)}, leaves);
}

// Emits what `stream << module` prints.
template <class M>
static void emit_printed(const std::string& name, const M& module) {
  std::ostringstream s;
  s << module;
  emit_text(name, s.str());
}

int main() {
  section("rnn_tanh_2l_bidir", [](auto n) {
    nn::RNN rnn(nn::RNNOptions(3, 4).num_layers(2).bidirectional(true).nonlinearity(torch::kTanh));
    fix_params(rnn);
    with_state_rows(n, rnn, leaf({5, 2, 3}, 1.0, 0.2), leaf({4, 2, 4}, 0.5, 0.9));
  });
  section("rnn_relu_zero_state", [](auto n) {
    nn::RNN rnn(nn::RNNOptions(2, 3).nonlinearity(torch::kReLU).batch_first(true));
    fix_params(rnn);
    auto x = leaf({2, 4, 2}, 1.0, 0.5);
    auto out = rnn(x);
    check_list(n, {std::get<0>(out), std::get<1>(out)}, leaves_of(x, rnn));
  });
  section("lstm_batch_first", [](auto n) {
    nn::LSTM lstm(nn::LSTMOptions(3, 4).batch_first(true));
    fix_params(lstm);
    auto x = leaf({2, 5, 3}, 1.0, 0.4), h0 = leaf({1, 2, 4}, 0.5, 1.1),
         c0 = leaf({1, 2, 4}, 0.5, 1.7);
    auto out = lstm(x, std::make_tuple(h0, c0));
    auto leaves = leaves_of(x, lstm);
    leaves.push_back(h0);
    leaves.push_back(c0);
    check_list(n, {std::get<0>(out), std::get<0>(std::get<1>(out)), std::get<1>(std::get<1>(out))},
               leaves);
  });
  section("gru_2l", [](auto n) {
    nn::GRU gru(nn::GRUOptions(3, 4).num_layers(2));
    fix_params(gru);
    with_state_rows(n, gru, leaf({4, 3, 3}, 1.0, 0.6), leaf({2, 3, 4}, 0.5, 0.3));
  });
  section("embedding_padding", [](auto n) {
    nn::Embedding emb(nn::EmbeddingOptions(6, 3).padding_idx(2));
    emit(n + "/init_pad_row", emb->weight[2].to(torch::kDouble));
    fix_params(emb);
    auto idx = torch::tensor({{0, 2, 5}, {2, 1, 0}}, torch::kLong);
    check(n, emb(idx), {emb->weight});
  });
  section("bilinear", [](auto n) {
    nn::Bilinear bil(nn::BilinearOptions(3, 2, 4));
    fix_params(bil);
    auto x1 = leaf({5, 3}, 1.0, 0.2), x2 = leaf({5, 2}, 1.0, 1.3);
    check(n, bil(x1, x2), {x1, x2, bil->weight, bil->bias});
  });
  section("leaky_relu", [](auto n) {
    auto x = leaf_away({3, 4}, 0.25, 0.2);
    check(n, nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2))(x), {x});
  });
  section("elu", [](auto n) {
    auto x = leaf_away({3, 4}, 0.25, 0.4);
    check(n, nn::ELU(nn::ELUOptions().alpha(1.5))(x), {x});
  });
  section("gelu_none", [](auto n) {
    auto x = leaf({3, 4}, 3.0, 0.1);
    check(n, nn::GELU()(x), {x});
  });
  section("gelu_tanh", [](auto n) {
    auto x = leaf({3, 4}, 3.0, 0.1);
    check(n, nn::GELU(nn::GELUOptions().approximate("tanh"))(x), {x});
  });
  section("silu", [](auto n) {
    auto x = leaf({3, 4}, 3.0, 0.5);
    check(n, nn::SiLU()(x), {x});
  });
  section("softplus", [](auto n) {
    // beta * x crosses the threshold for some elements, so both branches show.
    auto x = leaf({3, 4}, 3.0, 0.7);
    check(n, nn::Softplus(nn::SoftplusOptions().beta(2.0).threshold(3.0))(x), {x});
  });
  section("softplus_fn", [](auto n) {
    auto x = leaf({2, 5}, 4.0, 0.9);
    check(n, F::softplus(x, F::SoftplusFuncOptions()), {x});
  });

  section("print", [](auto n) {
    emit_printed(n + "/rnn", nn::RNN(nn::RNNOptions(3, 4).num_layers(2).bidirectional(true)));
    emit_printed(n + "/rnn_relu", nn::RNN(nn::RNNOptions(3, 4).nonlinearity(torch::kReLU)));
    emit_printed(n + "/lstm", nn::LSTM(nn::LSTMOptions(3, 4).batch_first(true)));
    emit_printed(n + "/gru", nn::GRU(nn::GRUOptions(3, 4).num_layers(2).dropout(0.5)));
    emit_printed(n + "/embedding", nn::Embedding(nn::EmbeddingOptions(6, 3).padding_idx(2)));
    emit_printed(n + "/bilinear", nn::Bilinear(3, 2, 4));
    emit_printed(n + "/leaky_relu", nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)));
    emit_printed(n + "/elu", nn::ELU());
    emit_printed(n + "/gelu", nn::GELU(nn::GELUOptions().approximate("tanh")));
    emit_printed(n + "/softplus", nn::Softplus());
    emit_printed(n + "/sequential",
                 nn::Sequential(nn::Embedding(10, 4), nn::Linear(4, 3), nn::LeakyReLU(),
                                nn::Bilinear(3, 3, 2), nn::SiLU()));
  });

  expect_throw("err_rnn_features", [] { nn::RNN(3, 4)(torch::zeros({5, 2, 2})); });
  expect_throw("err_lstm_h0_shape", [] {
    nn::LSTM(3, 4)(torch::zeros({5, 2, 3}),
                   std::make_tuple(torch::zeros({1, 3, 4}), torch::zeros({1, 3, 4})));
  });
  expect_throw("err_gru_dims", [] { nn::GRU(3, 4)(torch::zeros({5})); });
  expect_throw("err_embedding_index", [] {
    nn::Embedding(4, 2)(torch::tensor({0, 4}, torch::kLong));
  });
  expect_throw("err_bilinear_features", [] {
    nn::Bilinear(3, 2, 4)(torch::zeros({5, 3}), torch::zeros({5, 3}));
  });
  return 0;
}
