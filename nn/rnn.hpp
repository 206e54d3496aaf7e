// Recurrent layers RNN, LSTM, GRU with libtorch's options, parameter names, default
// initialisation and forward signatures.
//
//   tg::nn::LSTM lstm(tg::nn::LSTMOptions(8, 16).num_layers(2).bidirectional(true));
//   auto [out, state] = lstm(x);       // x (T, B, 8) -> out (T, B, 32)
//   auto [h_n, c_n] = state;           // each (2 * 2, B, 16)
//   auto [y, h] = gru(x, h0);          // RNN and GRU take and return one hidden state
//   auto [packed_out, h2] = gru->forward_with_packed_input(packed);  // see rnn_utils.hpp
//
// Parameters per layer k and direction (suffix "_reverse" for the backward one), registered in
// this order: weight_ih_l{k} (G*H, in), weight_hh_l{k} (G*H, H), bias_ih_l{k}, bias_hh_l{k}
// (G*H) when bias, and for an LSTM with proj_size P > 0 weight_hr_l{k} (P, H); G = 1 (RNN),
// 4 (LSTM: gates i, f, g, o) or 3 (GRU: r, z, n). All start as U(-1/sqrt(H), 1/sqrt(H)).
// Inputs are (T, B, in), (B, T, in) with batch_first, or (T, in) unbatched; hidden states are
// (num_layers * directions, B, H) (batch_first does not apply to them), zeros when omitted.
// Dropout (training mode only) applies to each layer's output except the last.
// The loop over time records a few ops per step on the tape: no fused kernels, as the point is
// a readable graph; the input projection of all steps is one matmul per layer and direction.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "cloneable.hpp"
#include "enum.hpp"
#include "module.hpp"
#include "rnn_utils.hpp"

namespace tg::nn {

// ---- options (torch/nn/options/rnn.h) ----
struct RNNOptionsBase {
  using rnn_options_base_mode_t =
      enumtype::variant<enumtype::kLSTM, enumtype::kGRU, enumtype::kRNN_TANH, enumtype::kRNN_RELU>;
  RNNOptionsBase(rnn_options_base_mode_t mode, int64_t input_size, int64_t hidden_size)
      : mode_(mode), input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(rnn_options_base_mode_t, mode);
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(int64_t, num_layers) = 1;
  TG_ARG(bool, bias) = true;
  TG_ARG(bool, batch_first) = false;
  TG_ARG(double, dropout) = 0.0;
  TG_ARG(bool, bidirectional) = false;
  TG_ARG(int64_t, proj_size) = 0;
};

struct RNNOptions {
  using nonlinearity_t = enumtype::variant<enumtype::kTanh, enumtype::kReLU>;
  RNNOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(int64_t, num_layers) = 1;
  TG_ARG(nonlinearity_t, nonlinearity) = tg::kTanh;
  TG_ARG(bool, bias) = true;
  TG_ARG(bool, batch_first) = false;
  TG_ARG(double, dropout) = 0.0;
  TG_ARG(bool, bidirectional) = false;
};

struct LSTMOptions {
  LSTMOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(int64_t, num_layers) = 1;
  TG_ARG(bool, bias) = true;
  TG_ARG(bool, batch_first) = false;
  TG_ARG(double, dropout) = 0.0;
  TG_ARG(bool, bidirectional) = false;
  TG_ARG(int64_t, proj_size) = 0;
};

struct GRUOptions {
  GRUOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  TG_ARG(int64_t, input_size);
  TG_ARG(int64_t, hidden_size);
  TG_ARG(int64_t, num_layers) = 1;
  TG_ARG(bool, bias) = true;
  TG_ARG(bool, batch_first) = false;
  TG_ARG(double, dropout) = 0.0;
  TG_ARG(bool, bidirectional) = false;
};

namespace detail {

// What RNN, LSTM and GRU share: parameters, checks, and the loop over layers, directions, time.
class RNNImplBase : public Module {
 public:
  explicit RNNImplBase(const RNNOptionsBase& options_);

  // Creates and registers the parameters, then initialises them.
  void reset();
  void reset_parameters();  // every parameter ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))
  void pretty_print(std::ostream& stream) const override;
  void flatten_parameters() {}  // libtorch's cuDNN hook; nothing to do on the CPU
  // Every parameter, layer by layer, direction by direction, in registration order.
  std::vector<Tensor> all_weights() const;

  RNNOptionsBase options_base;

 protected:
  // Runs every layer and direction over `input` (batched and time-major: (T, B, in)) from the
  // states h0 and, for an LSTM, c0 (each (layers * directions, B, .)); returns the output
  // (T, B, directions * H_out) and fills h_n (and c_n).
  // With batch_sizes, `input` is a packed sequence's data (N, in) and the output is packed too.
  Tensor run(const Tensor& input, const Tensor& h0, const Tensor& c0, Tensor& h_n, Tensor& c_n,
             const std::vector<int64_t>* batch_sizes = nullptr) const;
  // The initial state for a packed input: zeros (layers * dirs, max batch, size), or hx
  // reordered to the sorted batch (checked against that shape).
  Tensor packed_hidden(const Tensor& hx, const utils::rnn::PackedSequence& packed, int64_t size,
                       const char* what) const;
  // The module name for messages ("RNN", "LSTM", "GRU").
  const char* kind() const;
  // Checks input rank, feature size and dtype; returns true for an unbatched (2-D) input.
  bool check_input(const Tensor& input) const;
  // Checks a given hidden state's shape, or returns zeros of that shape.
  Tensor hidden_or_zeros(const Tensor& hx, const Tensor& input, bool unbatched, int64_t size,
                         const char* what) const;
  // (T, B, in) from the user's layout, and the output back to it.
  Tensor to_time_major(const Tensor& input, bool unbatched) const;
  Tensor from_time_major(const Tensor& output, bool unbatched) const;

  std::vector<std::string> flat_weights_names_;
  std::vector<std::vector<std::string>> all_weights_;  // names, per layer and direction
  std::vector<Tensor> flat_weights_;
};

}  // namespace detail

// h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu with nonlinearity(kReLU)).
class RNNImpl : public detail::CloneableAs<RNNImpl, detail::RNNImplBase> {
 public:
  RNNImpl(int64_t input_size, int64_t hidden_size);
  explicit RNNImpl(const RNNOptions& options_);
  // Returns (output, h_n).
  std::tuple<Tensor, Tensor> forward(const Tensor& input, Tensor hx = {});
  // Returns (packed output, h_n) with h_n in the caller's batch order.
  std::tuple<utils::rnn::PackedSequence, Tensor> forward_with_packed_input(
      const utils::rnn::PackedSequence& packed_input, Tensor hx = {});
  RNNOptions options;

 protected:
  TG_FORWARD_DEFAULT_ARGS_DECLARED  // {1, AnyValue(Tensor())} (in the .cpp)
};
TG_MODULE(RNN);
extern template class detail::CloneableAs<RNNImpl, detail::RNNImplBase>;

// Gates i, f, g, o; c' = f c + i g; h' = o tanh(c') (then h' W_hr^T with proj_size).
class LSTMImpl : public detail::CloneableAs<LSTMImpl, detail::RNNImplBase> {
 public:
  LSTMImpl(int64_t input_size, int64_t hidden_size);
  explicit LSTMImpl(const LSTMOptions& options_);
  // Returns (output, (h_n, c_n)); hx_opt is (h_0, c_0), zeros when absent. (Two overloads
  // rather than a default argument, so that programs not calling it do not instantiate the
  // optional<tuple>: ~2 MB of compiler memory.)
  std::tuple<Tensor, std::tuple<Tensor, Tensor>> forward(const Tensor& input);
  std::tuple<Tensor, std::tuple<Tensor, Tensor>> forward(
      const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx_opt);
  std::tuple<utils::rnn::PackedSequence, std::tuple<Tensor, Tensor>> forward_with_packed_input(
      const utils::rnn::PackedSequence& packed_input,
      std::optional<std::tuple<Tensor, Tensor>> hx_opt = {});
  LSTMOptions options;
};
TG_MODULE(LSTM);
extern template class detail::CloneableAs<LSTMImpl, detail::RNNImplBase>;

// r = s(x_r + h_r), z = s(x_z + h_z), n = tanh(x_n + r h_n), h' = (1 - z) n + z h, where
// x_* = x W_i*^T + b_i* and h_* = h W_h*^T + b_h*.
class GRUImpl : public detail::CloneableAs<GRUImpl, detail::RNNImplBase> {
 public:
  GRUImpl(int64_t input_size, int64_t hidden_size);
  explicit GRUImpl(const GRUOptions& options_);
  // Returns (output, h_n).
  std::tuple<Tensor, Tensor> forward(const Tensor& input, Tensor hx = {});
  std::tuple<utils::rnn::PackedSequence, Tensor> forward_with_packed_input(
      const utils::rnn::PackedSequence& packed_input, Tensor hx = {});
  GRUOptions options;

 protected:
  TG_FORWARD_DEFAULT_ARGS_DECLARED  // {1, AnyValue(Tensor())} (in the .cpp)
};
TG_MODULE(GRU);
extern template class detail::CloneableAs<GRUImpl, detail::RNNImplBase>;

}  // namespace tg::nn
