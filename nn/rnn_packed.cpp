// RNN, LSTM, GRU over packed sequences (forward_with_packed_input): the layers' time loop of
// rnn.cpp on the packed data, with the hidden states reordered by the sequence's
// sorted/unsorted indices as libtorch's permute_hidden.
#include "rnn.hpp"

namespace tg::nn {

namespace {
// libtorch's apply_permutation: the batch dimension (1) reordered.
Tensor permute_hidden(const Tensor& hx, const Tensor& permutation) {
  return permutation.defined() ? hx.index_select(1, permutation) : hx;
}
}  // namespace

namespace detail {
Tensor RNNImplBase::packed_hidden(const Tensor& hx, const utils::rnn::PackedSequence& packed,
                                  int64_t size, const char* what) const {
  const int64_t states = options_base.num_layers() * (options_base.bidirectional() ? 2 : 1);
  const int64_t max_batch = packed.batch_sizes()[0].item<int64_t>();
  const Shape want{states, max_batch, size};
  if (!hx.defined()) return zeros(want, packed.data().scalar_type());
  Tensor h = permute_hidden(hx, packed.sorted_indices());
  if (h.sizes() != want.ref())
    throw Error(std::string(kind()) + ": expected " + what + " of shape " + to_string(want) +
                ", got " + to_string(h.sizes()));
  return h;
}
}  // namespace detail

namespace {
std::vector<int64_t> sizes_of(const utils::rnn::PackedSequence& p) {
  Tensor b = p.batch_sizes().to(kLong);
  const int64_t* d = b.data_ptr<int64_t>();
  return std::vector<int64_t>(d, d + b.numel());
}
}  // namespace

std::tuple<utils::rnn::PackedSequence, Tensor> RNNImpl::forward_with_packed_input(
    const utils::rnn::PackedSequence& packed_input, Tensor hx) {
  const Tensor& data = packed_input.data();
  check_input(data);
  Tensor h0 = packed_hidden(hx, packed_input, options.hidden_size(), "hx");
  const std::vector<int64_t> bs = sizes_of(packed_input);
  Tensor h_n, unused;
  Tensor out = run(data, h0, Tensor(), h_n, unused, &bs);
  return {utils::rnn::PackedSequence(out, packed_input.batch_sizes(), packed_input.sorted_indices(),
                                     packed_input.unsorted_indices()),
          permute_hidden(h_n, packed_input.unsorted_indices())};
}

std::tuple<utils::rnn::PackedSequence, Tensor> GRUImpl::forward_with_packed_input(
    const utils::rnn::PackedSequence& packed_input, Tensor hx) {
  const Tensor& data = packed_input.data();
  check_input(data);
  Tensor h0 = packed_hidden(hx, packed_input, options.hidden_size(), "hx");
  const std::vector<int64_t> bs = sizes_of(packed_input);
  Tensor h_n, unused;
  Tensor out = run(data, h0, Tensor(), h_n, unused, &bs);
  return {utils::rnn::PackedSequence(out, packed_input.batch_sizes(), packed_input.sorted_indices(),
                                     packed_input.unsorted_indices()),
          permute_hidden(h_n, packed_input.unsorted_indices())};
}

std::tuple<utils::rnn::PackedSequence, std::tuple<Tensor, Tensor>>
LSTMImpl::forward_with_packed_input(const utils::rnn::PackedSequence& packed_input,
                                    std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  const Tensor& data = packed_input.data();
  check_input(data);
  const int64_t h_size = options.proj_size() > 0 ? options.proj_size() : options.hidden_size();
  Tensor hx, cx;
  if (hx_opt) std::tie(hx, cx) = *hx_opt;
  if (hx.defined() != cx.defined())
    throw Error("LSTM: the initial state (h_0, c_0) must have both tensors or neither");
  Tensor h0 = packed_hidden(hx, packed_input, h_size, "h_0");
  Tensor c0 = packed_hidden(cx, packed_input, options.hidden_size(), "c_0");
  const std::vector<int64_t> bs = sizes_of(packed_input);
  Tensor h_n, c_n;
  Tensor out = run(data, h0, c0, h_n, c_n, &bs);
  return {utils::rnn::PackedSequence(out, packed_input.batch_sizes(), packed_input.sorted_indices(),
                                     packed_input.unsorted_indices()),
          {permute_hidden(h_n, packed_input.unsorted_indices()),
           permute_hidden(c_n, packed_input.unsorted_indices())}};
}

}  // namespace tg::nn
