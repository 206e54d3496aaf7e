// One step of the recurrent cells, ATen's rnn_tanh_cell, rnn_relu_cell, lstm_cell, gru_cell:
// composites of linear, sigmoid, tanh (gradients from the tape). The additions keep ATen's
// order (hidden projection first), so float results round as libtorch's.
#include <string>

#include "functions.hpp"
#include "tape.hpp"

namespace tg {

static void check_cell(const Tensor& input, const Tensor& hx, const char* op) {
  check_defined(input, op);
  check_defined(hx, op);
}

// h' = tanh(hx W_hh^T + b_hh + input W_ih^T + b_ih)
Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  check_cell(input, hx, "rnn_tanh_cell");
  return (linear(hx, w_hh, b_hh) + linear(input, w_ih, b_ih)).tanh();
}

// h' = relu(hx W_hh^T + b_hh + input W_ih^T + b_ih)
Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  check_cell(input, hx, "rnn_relu_cell");
  return (linear(hx, w_hh, b_hh) + linear(input, w_ih, b_ih)).relu();
}

// gates (i, f, g, o) = chunks of hx W_hh^T + b_hh + input W_ih^T + b_ih;
// c' = s(f) c + s(i) tanh(g), h' = s(o) tanh(c'). Returns (h', c').
std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, const TensorList& hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  if (hx.size() != 2) fail("lstm_cell expects two hidden states");
  check_cell(input, hx[0], "lstm_cell");
  check_cell(input, hx[1], "lstm_cell");
  std::vector<Tensor> g = (linear(hx[0], w_hh, b_hh) + linear(input, w_ih, b_ih)).chunk(4, 1);
  Tensor cy = g[1].sigmoid() * hx[1] + g[0].sigmoid() * g[2].tanh();
  Tensor hy = g[3].sigmoid() * cy.tanh();
  return {hy, cy};
}

// r = s(h_r + x_r), z = s(h_z + x_z), n = tanh(x_n + r h_n), h' = (hx - n) z + n, where
// x_* = chunks of input W_ih^T + b_ih and h_* of hx W_hh^T + b_hh.
Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh) {
  check_cell(input, hx, "gru_cell");
  std::vector<Tensor> xg = linear(input, w_ih, b_ih).chunk(3, 1);
  std::vector<Tensor> hg = linear(hx, w_hh, b_hh).chunk(3, 1);
  Tensor r = (hg[0] + xg[0]).sigmoid(), z = (hg[1] + xg[1]).sigmoid();
  Tensor n = (xg[2] + hg[2] * r).tanh();
  return (hx - n) * z + n;
}

}  // namespace tg
