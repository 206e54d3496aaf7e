// Packed sequences (torch::nn::utils::rnn) written once as libtorch code: pad_sequence,
// pack_sequence and pack_padded_sequence (sorted and not, batch_first), pad_packed_sequence with
// a total length and a padding value, gradients through pack and pad, and RNN/LSTM/GRU's
// forward_with_packed_input (bidirectional, two layers, given states) in float64 with det()
// weights; plus the error messages.
#include "common.hpp"

namespace nn = torch::nn;
namespace rnn_utils = torch::nn::utils::rnn;

// Rows for a packed sequence: data, batch_sizes and the two index tensors when defined.
static void emit_packed(const std::string& name, const rnn_utils::PackedSequence& p) {
  emit(name + "/data", p.data());
  emit(name + "/batch_sizes", p.batch_sizes());
  if (p.sorted_indices().defined()) emit(name + "/sorted", p.sorted_indices());
  if (p.unsorted_indices().defined()) emit(name + "/unsorted", p.unsorted_indices());
}

// Three sequences of lengths 2, 4, 3 (unsorted) with two features.
static std::vector<Tensor> three_sequences() {
  return {leaf({2, 2}, 1.0, 0.1), leaf({4, 2}, 1.0, 0.6), leaf({3, 2}, 1.0, 1.3)};
}

// The first line of the message `f` throws (libtorch appends its C++ stack trace after it),
// as text bytes; "no-error" when it does not throw.
static void error_row(const std::string& name, const std::function<void()>& f) {
  std::string m = "no-error";
  try {
    f();
  } catch (const std::exception& e) {
    m = e.what();
    m = m.substr(0, m.find('\n'));
  }
  emit_text(name, m);
}

int main() {
  section("pad_sequence", [](auto n) {
    auto s = three_sequences();
    check(n + "/tf", rnn_utils::pad_sequence(s), s);
    auto s2 = three_sequences();
    check(n + "/bf", rnn_utils::pad_sequence(s2, /*batch_first=*/true, /*padding_value=*/-1.5), s2);
  });
  section("pack_sequence_unsorted", [](auto n) {
    auto s = three_sequences();
    auto p = rnn_utils::pack_sequence(s, /*enforce_sorted=*/false);
    emit_packed(n, p);
    auto [padded, lengths] = rnn_utils::pad_packed_sequence(p, /*batch_first=*/true, 0.5, 6);
    emit(n + "/lengths", lengths);
    check(n + "/padded", padded, s);
  });
  section("pack_padded_sorted", [](auto n) {
    auto x = leaf({4, 3, 2}, 1.0, 0.2);
    auto p = rnn_utils::pack_padded_sequence(x, torch::tensor({4, 3, 1}));
    emit_packed(n, p);
    check(n + "/grad", p.data(), {x});
  });
  section("pack_padded_batch_first_unsorted", [](auto n) {
    auto x = leaf({3, 4, 2}, 1.0, 0.7);
    auto p = rnn_utils::pack_padded_sequence(x, torch::tensor({2, 4, 3}), /*batch_first=*/true,
                                             /*enforce_sorted=*/false);
    emit_packed(n, p);
    auto [y, lengths] = rnn_utils::pad_packed_sequence(p, /*batch_first=*/true);
    emit(n + "/lengths", lengths);
    check(n + "/roundtrip", y, {x});
  });
  section("pack_padded_ties", [](auto n) {  // equal lengths: the order sort() gives them
    auto x = leaf({3, 5, 1}, 1.0, 0.5);
    auto p = rnn_utils::pack_padded_sequence(x, torch::tensor({2, 3, 2, 3, 1}), false, false);
    emit_packed(n, p);
    auto [y, lengths] = rnn_utils::pad_packed_sequence(p);
    emit(n + "/lengths", lengths);
    check(n + "/roundtrip", y, {x});
  });
  section("lstm_packed", [](auto n) {
    nn::LSTM lstm(nn::LSTMOptions(2, 3).num_layers(2).bidirectional(true));
    fix_params(lstm);
    auto s = three_sequences();
    auto p = rnn_utils::pack_sequence(s, /*enforce_sorted=*/false);
    auto h0 = leaf({4, 3, 3}, 0.5, 0.9), c0 = leaf({4, 3, 3}, 0.5, 1.9);
    auto [out, state] = lstm->forward_with_packed_input(p, std::make_tuple(h0, c0));
    emit(n + "/batch_sizes", out.batch_sizes());
    auto leaves = s;
    leaves.push_back(h0);
    leaves.push_back(c0);
    check_list(n, {out.data(), std::get<0>(state), std::get<1>(state)}, leaves);
  });
  section("gru_packed", [](auto n) {
    nn::GRU gru(nn::GRUOptions(2, 3).bidirectional(true));
    fix_params(gru);
    auto s = three_sequences();
    auto p = rnn_utils::pack_sequence(s, /*enforce_sorted=*/false);
    auto h0 = leaf({2, 3, 3}, 0.5, 0.4);
    auto [out, h] = gru->forward_with_packed_input(p, h0);
    auto [y, lengths] = rnn_utils::pad_packed_sequence(out);
    auto leaves = s;
    leaves.push_back(h0);
    check_list(n, {y, h}, leaves);
  });
  section("rnn_packed_sorted", [](auto n) {
    nn::RNN rnn(nn::RNNOptions(2, 3).num_layers(2));
    fix_params(rnn);
    auto x = leaf({4, 3, 2}, 1.0, 0.3);
    auto p = rnn_utils::pack_padded_sequence(x, torch::tensor({4, 2, 2}));
    auto [out, h] = rnn->forward_with_packed_input(p);
    check_list(n, {out.data(), h}, {x});
  });
  section("errors", [](auto n) {
    error_row(n + "/unsorted", [] {
      rnn_utils::pack_padded_sequence(torch::randn({3, 3}), torch::tensor({1, 3, 2}));
    });
    error_row(n + "/empty", [] {
      rnn_utils::pack_padded_sequence(torch::randn({0, 0}), torch::tensor({}));
    });
    error_row(n + "/zero_length", [] {
      rnn_utils::pack_padded_sequence(torch::randn({3, 2}), torch::tensor({3, 0}));
    });
    error_row(n + "/lengths_count", [] {
      rnn_utils::pack_padded_sequence(torch::randn({3, 2}), torch::tensor({3, 2, 1}));
    });
    error_row(n + "/total_length", [] {
      auto p = rnn_utils::pack_sequence({torch::ones({3}), torch::ones({2})});
      rnn_utils::pad_packed_sequence(p, false, 0.0, 2);
    });
  });
  return 0;
}
