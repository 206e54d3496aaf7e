// RNNCell, LSTMCell, GRUCell: one step of a recurrent layer, libtorch's modules with their
// options, parameters, initialisation and forward signatures.
//
//   tg::nn::LSTMCell cell(8, 16);
//   auto [h, c] = cell(x);               // x (B, 8); states start at zero
//   std::tie(h, c) = cell(x, std::make_tuple(h, c));
//   tg::nn::GRUCell gru(8, 16);  auto h2 = gru(x, h2_prev);
// Parameters, registered in this order: weight_ih (G*H, in), weight_hh (G*H, H), bias_ih and
// bias_hh (G*H) when bias, with G = 1 (RNNCell), 4 (LSTMCell: i, f, g, o) or 3 (GRUCell: r, z,
// n); each ~ U(-1/sqrt(H), 1/sqrt(H)), drawn in that order as libtorch. The step itself is
// tg::rnn_tanh_cell / rnn_relu_cell / lstm_cell / gru_cell (autograd/ops_rnn_cell.cpp).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <tuple>

#include "cloneable.hpp"
#include "enum.hpp"
#include "module.hpp"

namespace tg::nn {

struct RNNCellOptions {
  using nonlinearity_t = enumtype::variant<enumtype::kTanh, enumtype::kReLU>;
  RNNCellOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(bool, bias) = true;
  TG_ARG(nonlinearity_t, nonlinearity) = tg::kTanh;
};

struct LSTMCellOptions {
  LSTMCellOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(bool, bias) = true;
};

struct GRUCellOptions {
  GRUCellOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(bool, bias) = true;
};

namespace detail {

struct RNNCellOptionsBase {
  RNNCellOptionsBase(int64_t input_size, int64_t hidden_size, bool bias, int64_t num_chunks)
      : input_size_(input_size), hidden_size_(hidden_size), bias_(bias), num_chunks_(num_chunks) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(bool, bias);
  TG_ARG(int64_t, num_chunks);
};

// What the three cells share (libtorch's RNNCellImplBase).
class RNNCellImplBase : public Module {
 public:
  RNNCellImplBase(const RNNCellOptionsBase& options_, std::string display_name);
  void reset();
  void reset_parameters();  // every parameter ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))
  void pretty_print(std::ostream& stream) const override;

  RNNCellOptionsBase options_base;
  Tensor weight_ih, weight_hh, bias_ih, bias_hh;

 protected:
  // input (B, input_size): "input has inconsistent input_size: got ..." otherwise.
  void check_forward_input(const Tensor& input) const;
  // hx (B, hidden_size) for input (B, .).
  void check_forward_hidden(const Tensor& input, const Tensor& hx,
                            const std::string& hidden_label) const;
  Tensor zero_state(const Tensor& input) const;
  virtual std::string get_nonlinearity_str() const { return ""; }

 private:
  std::string display_name_;  // "torch::nn::RNNCell", ...
};

}  // namespace detail

// h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu).
class RNNCellImpl : public detail::CloneableAs<RNNCellImpl, detail::RNNCellImplBase> {
 public:
  RNNCellImpl(int64_t input_size, int64_t hidden_size);
  explicit RNNCellImpl(const RNNCellOptions& options_);
  Tensor forward(const Tensor& input, Tensor hx = {});
  RNNCellOptions options;

 protected:
  TG_FORWARD_DEFAULT_ARGS_DECLARED  // {1, AnyValue(Tensor())} (in the .cpp)
      std::string
      get_nonlinearity_str() const override;
};
TG_MODULE(RNNCell);
extern template class detail::CloneableAs<RNNCellImpl, detail::RNNCellImplBase>;

// Returns (h', c'); hx_opt is (h, c), zeros when absent (two overloads rather than a default
// argument, as LSTM::forward).
class LSTMCellImpl : public detail::CloneableAs<LSTMCellImpl, detail::RNNCellImplBase> {
 public:
  LSTMCellImpl(int64_t input_size, int64_t hidden_size);
  explicit LSTMCellImpl(const LSTMCellOptions& options_);
  std::tuple<Tensor, Tensor> forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward(const Tensor& input,
                                     std::optional<std::tuple<Tensor, Tensor>> hx_opt);
  LSTMCellOptions options;
};
TG_MODULE(LSTMCell);
extern template class detail::CloneableAs<LSTMCellImpl, detail::RNNCellImplBase>;

class GRUCellImpl : public detail::CloneableAs<GRUCellImpl, detail::RNNCellImplBase> {
 public:
  GRUCellImpl(int64_t input_size, int64_t hidden_size);
  explicit GRUCellImpl(const GRUCellOptions& options_);
  Tensor forward(const Tensor& input, Tensor hx = {});
  GRUCellOptions options;

 protected:
  TG_FORWARD_DEFAULT_ARGS_DECLARED  // {1, AnyValue(Tensor())} (in the .cpp)
};
TG_MODULE(GRUCell);
extern template class detail::CloneableAs<GRUCellImpl, detail::RNNCellImplBase>;

}  // namespace tg::nn
