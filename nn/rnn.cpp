// RNN, LSTM, GRU: parameters as libtorch registers them, and the time loop from tg:: ops.
#include "rnn.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include "../autograd/functions.hpp"
#include "init.hpp"

namespace tg::nn {

namespace {

bool is_lstm(const RNNOptionsBase& o) { return holds_alternative<enumtype::kLSTM>(o.mode()); }
bool is_gru(const RNNOptionsBase& o) { return holds_alternative<enumtype::kGRU>(o.mode()); }

int64_t gate_count(const RNNOptionsBase& o) { return is_lstm(o) ? 4 : is_gru(o) ? 3 : 1; }

// Dropout between layers, as libtorch's (the same mask draws).
Tensor inter_layer_dropout(const Tensor& x, double p) { return tg::dropout(x, p, /*train=*/true); }

// One direction of one layer: its parameters (bias and projection may be undefined).
struct Weights {
  Tensor w_ih, w_hh, b_ih, b_hh, w_hr;
};

}  // namespace

namespace detail {

RNNImplBase::RNNImplBase(const RNNOptionsBase& options_) : options_base(options_) { reset(); }

const char* RNNImplBase::kind() const {
  return is_lstm(options_base) ? "LSTM" : is_gru(options_base) ? "GRU" : "RNN";
}

void RNNImplBase::reset() {
  const auto& o = options_base;
  const std::string me = kind();
  if (o.input_size() <= 0 || o.hidden_size() <= 0 || o.num_layers() <= 0)
    throw Error(me + ": input_size, hidden_size and num_layers must be positive, got input_size=" +
                std::to_string(o.input_size()) + ", hidden_size=" +
                std::to_string(o.hidden_size()) + ", num_layers=" + std::to_string(o.num_layers()));
  if (!(o.dropout() >= 0 && o.dropout() <= 1))
    throw Error(me + ": dropout should be a number in range [0, 1], got " +
                std::to_string(o.dropout()));
  if (o.proj_size() < 0 || (o.proj_size() > 0 && !is_lstm(o)))
    throw Error(me + ": proj_size must be 0, or for an LSTM positive, got " +
                std::to_string(o.proj_size()));
  if (o.proj_size() >= o.hidden_size())
    throw Error(me + ": proj_size has to be smaller than hidden_size, got proj_size=" +
                std::to_string(o.proj_size()) + ", hidden_size=" + std::to_string(o.hidden_size()));

  const int64_t dirs = o.bidirectional() ? 2 : 1;
  const int64_t gate_size = gate_count(o) * o.hidden_size();
  const int64_t real_hidden = o.proj_size() > 0 ? o.proj_size() : o.hidden_size();
  flat_weights_names_.clear();
  all_weights_.clear();
  flat_weights_.clear();
  for (int64_t layer = 0; layer < o.num_layers(); ++layer) {
    for (int64_t dir = 0; dir < dirs; ++dir) {
      const int64_t in = layer == 0 ? o.input_size() : real_hidden * dirs;
      const std::string suffix = "_l" + std::to_string(layer) + (dir == 1 ? "_reverse" : "");
      std::vector<std::pair<std::string, Shape>> params = {
          {"weight_ih" + suffix, {gate_size, in}},
          {"weight_hh" + suffix, {gate_size, real_hidden}}};
      if (o.bias()) {
        params.push_back({"bias_ih" + suffix, {gate_size}});
        params.push_back({"bias_hh" + suffix, {gate_size}});
      }
      if (o.proj_size() > 0)
        params.push_back({"weight_hr" + suffix, {o.proj_size(), o.hidden_size()}});
      std::vector<std::string> names;
      for (auto& [name, shape] : params) {
        flat_weights_.push_back(register_parameter(name, empty(shape)));
        flat_weights_names_.push_back(name);
        names.push_back(name);
      }
      all_weights_.push_back(std::move(names));
    }
  }
  reset_parameters();
}

void RNNImplBase::reset_parameters() {
  const double stdv = 1.0 / std::sqrt(double(options_base.hidden_size()));
  for (auto& p : parameters()) init::uniform_(p, -stdv, stdv);
}

std::vector<Tensor> RNNImplBase::all_weights() const {
  std::vector<Tensor> result;
  auto named = named_parameters(/*recurse=*/false);
  for (const auto& names : all_weights_)
    for (const auto& n : names) result.push_back(named[n]);
  return result;
}

void RNNImplBase::pretty_print(std::ostream& stream) const {
  const auto& o = options_base;
  stream << std::boolalpha << "torch::nn::" << kind() << "(input_size=" << o.input_size()
         << ", hidden_size=" << o.hidden_size() << ", num_layers=" << o.num_layers()
         << ", bias=" << o.bias() << ", batch_first=" << o.batch_first()
         << ", dropout=" << o.dropout() << ", bidirectional=" << o.bidirectional();
  if (o.proj_size() > 0) stream << ", proj_size=" << o.proj_size();
  stream << ")";
}

bool RNNImplBase::check_input(const Tensor& input) const {
  const std::string me = kind();
  if (!input.defined()) throw Error(me + ": input is an undefined tensor");
  if (input.dim() != 2 && input.dim() != 3)
    throw Error(me + ": expected input to be 2-D (unbatched) or 3-D, got shape " +
                to_string(input.sizes()));
  if (input.size(-1) != options_base.input_size())
    throw Error(me + ": input.size(-1) must be equal to input_size. Expected " +
                std::to_string(options_base.input_size()) + ", got " +
                std::to_string(input.size(-1)) + " (input shape " + to_string(input.sizes()) + ")");
  const ScalarType want = flat_weights_.front().scalar_type();
  if (input.scalar_type() != want)
    throw Error(me + ": input has dtype " + dtype_name(input.scalar_type()) +
                " but the parameters have dtype " + dtype_name(want) + " (convert one with .to())");
  return input.dim() == 2;
}

Tensor RNNImplBase::hidden_or_zeros(const Tensor& hx, const Tensor& input, bool unbatched,
                                    int64_t size, const char* what) const {
  const int64_t states = options_base.num_layers() * (options_base.bidirectional() ? 2 : 1);
  const int64_t batch = unbatched ? 1 : input.size(options_base.batch_first() ? 0 : 1);
  Shape want = unbatched ? Shape{states, size} : Shape{states, batch, size};
  if (!hx.defined()) return zeros(want, input.scalar_type()).reshape({states, batch, size});
  if (hx.sizes() != want.ref())
    throw Error(std::string(kind()) + ": expected " + what + " of shape " + to_string(want) +
                ", got " + to_string(hx.sizes()));
  if (hx.scalar_type() != input.scalar_type())
    throw Error(std::string(kind()) + ": " + what + " has dtype " + dtype_name(hx.scalar_type()) +
                " but the input has dtype " + dtype_name(input.scalar_type()));
  return unbatched ? hx.unsqueeze(1) : hx;
}

Tensor RNNImplBase::to_time_major(const Tensor& input, bool unbatched) const {
  if (unbatched) return input.unsqueeze(1);
  return options_base.batch_first() ? input.transpose(0, 1) : input;
}

Tensor RNNImplBase::from_time_major(const Tensor& output, bool unbatched) const {
  if (unbatched) return output.squeeze(1);
  return options_base.batch_first() ? output.transpose(0, 1) : output;
}

Tensor RNNImplBase::run(const Tensor& input, const Tensor& h0, const Tensor& c0, Tensor& h_n,
                        Tensor& c_n, const std::vector<int64_t>* batch_sizes) const {
  const auto& o = options_base;
  const bool lstm = is_lstm(o), gru = is_gru(o);
  const bool relu = holds_alternative<enumtype::kRNN_RELU>(o.mode());
  const int64_t dirs = o.bidirectional() ? 2 : 1;
  const int64_t steps = batch_sizes ? int64_t(batch_sizes->size()) : input.size(0);
  const int64_t per = 2 + (o.bias() ? 2 : 0) + (o.proj_size() > 0 ? 1 : 0);  // tensors per dir
  std::vector<Tensor> h_last, c_last;
  // Per-step and per-gate slices are each taken with one unbind/chunk: one tape entry whose
  // backward glues the pieces' gradients together, instead of one zero-padded input-sized
  // gradient per slice (O(T^2) over a sequence).
  std::vector<Tensor> h0s = h0.unbind(0), c0s = lstm ? c0.unbind(0) : std::vector<Tensor>();
  Tensor layer_input = input;
  for (int64_t layer = 0; layer < o.num_layers(); ++layer) {
    std::vector<Tensor> dir_outputs;
    for (int64_t dir = 0; dir < dirs; ++dir) {
      const int64_t idx = layer * dirs + dir;
      const Tensor* w = &flat_weights_[size_t(idx * per)];
      Weights p{w[0], w[1], o.bias() ? w[2] : Tensor(), o.bias() ? w[3] : Tensor(),
                o.proj_size() > 0 ? w[per - 1] : Tensor()};
      // The input projection of every step at once: (T, B, in) x (in, G*H).
      // Packed input: step t holds the first (*batch_sizes)[t] sequences (sorted by length).
      Tensor proj = tg::linear(layer_input, p.w_ih, p.b_ih);
      std::vector<Tensor> xw =
          batch_sizes ? proj.split_with_sizes(*batch_sizes, 0) : proj.unbind(0);
      Tensor h = h0s[size_t(idx)], c = lstm ? c0s[size_t(idx)] : Tensor();
      Tensor h_full = h, c_full = c;
      if (batch_sizes && dir == 1) {  // backwards, starting with the sequences of full length
        h = h.slice(0, 0, batch_sizes->back());
        if (lstm) c = c.slice(0, 0, batch_sizes->back());
      }
      std::vector<Tensor> outputs(static_cast<size_t>(steps)), h_done, c_done;
      for (int64_t s = 0; s < steps; ++s) {
        const int64_t t = dir == 0 ? s : steps - 1 - s;
        const Tensor& x_t = xw[size_t(t)];
        if (batch_sizes) {  // the rows running at step t: set aside the ended, add the starting
          const int64_t now = (*batch_sizes)[size_t(t)], rows = h.size(0);
          if (now < rows) {
            h_done.push_back(h.slice(0, now, rows)), h = h.slice(0, 0, now);
            if (lstm) c_done.push_back(c.slice(0, now, rows)), c = c.slice(0, 0, now);
          } else if (now > rows) {
            h = cat({h, h_full.slice(0, rows, now)}, 0);
            if (lstm) c = cat({c, c_full.slice(0, rows, now)}, 0);
          }
        }
        Tensor hw = tg::linear(h, p.w_hh, p.b_hh);
        if (lstm) {
          std::vector<Tensor> g = (x_t + hw).chunk(4, 1);
          c = g[1].sigmoid() * c + g[0].sigmoid() * g[2].tanh();
          h = g[3].sigmoid() * c.tanh();
          if (p.w_hr.defined()) h = tg::linear(h, p.w_hr);
        } else if (gru) {
          std::vector<Tensor> xg = x_t.chunk(3, 1), hg = hw.chunk(3, 1);
          Tensor r = (xg[0] + hg[0]).sigmoid(), z = (xg[1] + hg[1]).sigmoid();
          Tensor n = (xg[2] + r * hg[2]).tanh();
          h = (1 - z) * n + z * h;
        } else {
          h = relu ? (x_t + hw).relu() : (x_t + hw).tanh();
        }
        outputs[size_t(t)] = h;
      }
      dir_outputs.push_back(batch_sizes ? cat(outputs, 0) : stack(outputs, 0));
      if (!h_done.empty()) {  // the final states in batch order: still running, then ended
        h_done.push_back(h), std::reverse(h_done.begin(), h_done.end()), h = cat(h_done, 0);
        if (lstm)
          c_done.push_back(c), std::reverse(c_done.begin(), c_done.end()), c = cat(c_done, 0);
      }
      h_last.push_back(h);
      if (lstm) c_last.push_back(c);
    }
    layer_input = dirs == 1 ? dir_outputs[0] : cat(dir_outputs, -1);
    if (o.dropout() > 0 && is_training() && layer + 1 < o.num_layers())
      layer_input = inter_layer_dropout(layer_input, o.dropout());
  }
  h_n = stack(h_last, 0);
  if (lstm) c_n = stack(c_last, 0);
  return layer_input;
}

}  // namespace detail

// ---- RNN -----------------------------------------------------------------------------------
namespace {
template <class Options>
RNNOptionsBase base_of(RNNOptionsBase::rnn_options_base_mode_t mode, const Options& o) {
  return RNNOptionsBase(mode, o.input_size(), o.hidden_size())
      .num_layers(o.num_layers())
      .bias(o.bias())
      .batch_first(o.batch_first())
      .dropout(o.dropout())
      .bidirectional(o.bidirectional());
}
}  // namespace

RNNImpl::RNNImpl(const RNNOptions& options_)
    : CloneableAs(base_of(holds_alternative<enumtype::kTanh>(options_.nonlinearity())
                              ? RNNOptionsBase::rnn_options_base_mode_t(tg::kRNN_TANH)
                              : RNNOptionsBase::rnn_options_base_mode_t(tg::kRNN_RELU),
                          options_)),
      options(options_) {}

std::tuple<Tensor, Tensor> RNNImpl::forward(const Tensor& input, Tensor hx) {
  const bool unbatched = check_input(input);
  Tensor h0 = hidden_or_zeros(hx, input, unbatched, options.hidden_size(), "hx");
  Tensor h_n, unused;
  Tensor out = run(to_time_major(input, unbatched), h0, Tensor(), h_n, unused);
  return {from_time_major(out, unbatched), unbatched ? h_n.squeeze(1) : h_n};
}

// ---- LSTM ----------------------------------------------------------------------------------
LSTMImpl::LSTMImpl(const LSTMOptions& options_)
    : CloneableAs(base_of(tg::kLSTM, options_).proj_size(options_.proj_size())),
      options(options_) {}

std::tuple<Tensor, std::tuple<Tensor, Tensor>> LSTMImpl::forward(const Tensor& input) {
  return forward(input, std::nullopt);
}

std::tuple<Tensor, std::tuple<Tensor, Tensor>> LSTMImpl::forward(
    const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  const bool unbatched = check_input(input);
  const int64_t h_size = options.proj_size() > 0 ? options.proj_size() : options.hidden_size();
  Tensor hx, cx;
  if (hx_opt) std::tie(hx, cx) = *hx_opt;
  if (hx.defined() != cx.defined())
    throw Error("LSTM: the initial state (h_0, c_0) must have both tensors or neither");
  Tensor h0 = hidden_or_zeros(hx, input, unbatched, h_size, "h_0");
  Tensor c0 = hidden_or_zeros(cx, input, unbatched, options.hidden_size(), "c_0");
  Tensor h_n, c_n;
  Tensor out = run(to_time_major(input, unbatched), h0, c0, h_n, c_n);
  if (unbatched) h_n = h_n.squeeze(1), c_n = c_n.squeeze(1);
  return {from_time_major(out, unbatched), {h_n, c_n}};
}

// ---- GRU -----------------------------------------------------------------------------------
GRUImpl::GRUImpl(const GRUOptions& options_)
    : CloneableAs(base_of(tg::kGRU, options_)), options(options_) {}

std::tuple<Tensor, Tensor> GRUImpl::forward(const Tensor& input, Tensor hx) {
  const bool unbatched = check_input(input);
  Tensor h0 = hidden_or_zeros(hx, input, unbatched, options.hidden_size(), "hx");
  Tensor h_n, unused;
  Tensor out = run(to_time_major(input, unbatched), h0, Tensor(), h_n, unused);
  return {from_time_major(out, unbatched), unbatched ? h_n.squeeze(1) : h_n};
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
RNNImpl::RNNImpl(int64_t input_size, int64_t hidden_size)
    : RNNImpl(RNNOptions(input_size, hidden_size)) {}
LSTMImpl::LSTMImpl(int64_t input_size, int64_t hidden_size)
    : LSTMImpl(LSTMOptions(input_size, hidden_size)) {}
GRUImpl::GRUImpl(int64_t input_size, int64_t hidden_size)
    : GRUImpl(GRUOptions(input_size, hidden_size)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<GRUImpl, detail::RNNImplBase>;
template class detail::CloneableAs<LSTMImpl, detail::RNNImplBase>;
template class detail::CloneableAs<RNNImpl, detail::RNNImplBase>;
// forward()'s default arguments, for AnyModule and Sequential (any_value.hpp).
TG_FORWARD_DEFAULT_ARGS_DEFINED(RNNImpl, {1, AnyValue(Tensor())})
TG_FORWARD_DEFAULT_ARGS_DEFINED(GRUImpl, {1, AnyValue(Tensor())})

}  // namespace tg::nn
