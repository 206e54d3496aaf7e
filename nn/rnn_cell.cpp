#include "rnn_cell.hpp"

#include <cmath>
#include <ostream>

#include "../autograd/functions.hpp"
#include "init.hpp"

namespace tg::nn {

namespace detail {

RNNCellImplBase::RNNCellImplBase(const RNNCellOptionsBase& options_, std::string display_name)
    : options_base(options_), display_name_(std::move(display_name)) {
  reset();
}

void RNNCellImplBase::reset() {
  const int64_t gh = options_base.num_chunks() * options_base.hidden_size();
  weight_ih = register_parameter("weight_ih", tg::empty({gh, options_base.input_size()}));
  weight_hh = register_parameter("weight_hh", tg::empty({gh, options_base.hidden_size()}));
  if (options_base.bias()) {
    bias_ih = register_parameter("bias_ih", tg::empty({gh}));
    bias_hh = register_parameter("bias_hh", tg::empty({gh}));
  } else {
    bias_ih = register_parameter("bias_ih", Tensor(), /*requires_grad=*/false);
    bias_hh = register_parameter("bias_hh", Tensor(), /*requires_grad=*/false);
  }
  reset_parameters();
}

void RNNCellImplBase::reset_parameters() {
  const double stdv = 1.0 / std::sqrt(double(options_base.hidden_size()));
  for (auto& weight : parameters()) init::uniform_(weight, -stdv, stdv);
}

void RNNCellImplBase::pretty_print(std::ostream& stream) const {
  stream << display_name_ << "(" << options_base.input_size() << ", " << options_base.hidden_size();
  if (!options_base.bias()) stream << ", bias=" << std::boolalpha << false;
  const std::string nonlinearity = get_nonlinearity_str();
  if (!nonlinearity.empty() && nonlinearity != "kTanh") stream << ", nonlinearity=" << nonlinearity;
  stream << ")";
}

void RNNCellImplBase::check_forward_input(const Tensor& input) const {
  if (input.dim() < 2 || input.size(1) != options_base.input_size())
    throw Error("input has inconsistent input_size: got " +
                (input.dim() < 2 ? to_string(input.sizes()) : std::to_string(input.size(1))) +
                " expected " + std::to_string(options_base.input_size()));
}

void RNNCellImplBase::check_forward_hidden(const Tensor& input, const Tensor& hx,
                                           const std::string& hidden_label) const {
  if (hx.dim() < 2 || input.size(0) != hx.size(0))
    throw Error("Input batch size " + std::to_string(input.size(0)) + " doesn't match hidden" +
                hidden_label + " batch size " +
                (hx.dim() < 1 ? std::string("(none)") : std::to_string(hx.size(0))));
  if (hx.size(1) != options_base.hidden_size())
    throw Error("hidden" + hidden_label + " has inconsistent hidden_size: got " +
                std::to_string(hx.size(1)) + ", expected " +
                std::to_string(options_base.hidden_size()));
}

Tensor RNNCellImplBase::zero_state(const Tensor& input) const {
  return tg::zeros({input.size(0), options_base.hidden_size()}, input.scalar_type());
}

}  // namespace detail

// ---- RNNCell ----
RNNCellImpl::RNNCellImpl(const RNNCellOptions& options_)
    : CloneableAs(
          detail::RNNCellOptionsBase(options_.input_size(), options_.hidden_size(), options_.bias(),
                                     /*num_chunks=*/1),
          "torch::nn::RNNCell"),
      options(options_) {}

Tensor RNNCellImpl::forward(const Tensor& input, Tensor hx) {
  check_forward_input(input);
  if (!hx.defined()) hx = zero_state(input);
  check_forward_hidden(input, hx, "");
  if (holds_alternative<enumtype::kTanh>(options.nonlinearity()))
    return tg::rnn_tanh_cell(input, hx, weight_ih, weight_hh, bias_ih, bias_hh);
  return tg::rnn_relu_cell(input, hx, weight_ih, weight_hh, bias_ih, bias_hh);
}

std::string RNNCellImpl::get_nonlinearity_str() const {
  return enumtype::get_enum_name(options.nonlinearity());
}

RNNCellImpl::RNNCellImpl(int64_t input_size, int64_t hidden_size)
    : RNNCellImpl(RNNCellOptions(input_size, hidden_size)) {}

// ---- LSTMCell ----
LSTMCellImpl::LSTMCellImpl(const LSTMCellOptions& options_)
    : CloneableAs(
          detail::RNNCellOptionsBase(options_.input_size(), options_.hidden_size(), options_.bias(),
                                     /*num_chunks=*/4),
          "torch::nn::LSTMCell"),
      options(options_) {}

std::tuple<Tensor, Tensor> LSTMCellImpl::forward(const Tensor& input) {
  return forward(input, std::nullopt);
}

std::tuple<Tensor, Tensor> LSTMCellImpl::forward(const Tensor& input,
                                                 std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  check_forward_input(input);
  Tensor h, c;
  if (hx_opt) {
    std::tie(h, c) = *hx_opt;
  } else {
    h = zero_state(input);
    c = h;
  }
  check_forward_hidden(input, h, "[0]");
  check_forward_hidden(input, c, "[1]");
  return tg::lstm_cell(input, {h, c}, weight_ih, weight_hh, bias_ih, bias_hh);
}

LSTMCellImpl::LSTMCellImpl(int64_t input_size, int64_t hidden_size)
    : LSTMCellImpl(LSTMCellOptions(input_size, hidden_size)) {}

// ---- GRUCell ----
GRUCellImpl::GRUCellImpl(const GRUCellOptions& options_)
    : CloneableAs(
          detail::RNNCellOptionsBase(options_.input_size(), options_.hidden_size(), options_.bias(),
                                     /*num_chunks=*/3),
          "torch::nn::GRUCell"),
      options(options_) {}

Tensor GRUCellImpl::forward(const Tensor& input, Tensor hx) {
  check_forward_input(input);
  if (!hx.defined()) hx = zero_state(input);
  check_forward_hidden(input, hx, "");
  return tg::gru_cell(input, hx, weight_ih, weight_hh, bias_ih, bias_hh);
}

GRUCellImpl::GRUCellImpl(int64_t input_size, int64_t hidden_size)
    : GRUCellImpl(GRUCellOptions(input_size, hidden_size)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<GRUCellImpl, detail::RNNCellImplBase>;
template class detail::CloneableAs<LSTMCellImpl, detail::RNNCellImplBase>;
template class detail::CloneableAs<RNNCellImpl, detail::RNNCellImplBase>;
// forward()'s default arguments, for AnyModule and Sequential (any_value.hpp).
TG_FORWARD_DEFAULT_ARGS_DEFINED(RNNCellImpl, {1, AnyValue(Tensor())})
TG_FORWARD_DEFAULT_ARGS_DEFINED(GRUCellImpl, {1, AnyValue(Tensor())})

}  // namespace tg::nn
