#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// Packed sequences (tg::nn::utils::rnn) and RNN/LSTM/GRU forward_with_packed_input: values from
// PyTorch 1.13's tests (test/cpp/api/nn_utils.cpp, rnn.cpp), libtorch's error messages,
// gradients through packing (gradcheck), and packed runs against one sequence at a time.

#include <string>
#include <tuple>
#include <vector>

namespace {

using test::contains;
using test::error_of;
using test::expect_near;
using test::seq;
using test::values;
using tg::Tensor;
namespace nn = tg::nn;
namespace rnn_utils = tg::nn::utils::rnn;

std::vector<double> dv(std::initializer_list<double> l) { return l; }

}  // namespace

TEST_CASE("pad_sequence pads with a value, time-major or batch-first") {
  Tensor a = tg::tensor({1, 2, 3}), b = tg::tensor({4, 5}), c = tg::tensor({6});
  Tensor bf = rnn_utils::pad_sequence({b, a, c}, /*batch_first=*/true);
  CHECK(bf.sizes() == tg::IntArrayRef{3, 3});
  CHECK(bf.scalar_type() == tg::kLong);
  CHECK(values(bf) == dv({4, 5, 0, 1, 2, 3, 6, 0, 0}));
  CHECK(values(rnn_utils::pad_sequence({b, a, c})) == dv({4, 1, 6, 5, 2, 0, 0, 3, 0}));
  CHECK(values(rnn_utils::pad_sequence({b, a, c}, true, 1)) == dv({4, 5, 1, 1, 2, 3, 6, 1, 1}));
  // Trailing dimensions are kept: (L_max, B, 2).
  Tensor p = rnn_utils::pad_sequence({tg::ones({1, 2}), tg::ones({3, 2})}, false, -1);
  CHECK(p.sizes() == tg::IntArrayRef{3, 2, 2});
  CHECK(values(p) == dv({1, 1, 1, 1, -1, -1, 1, 1, -1, -1, 1, 1}));
  CHECK(contains(error_of([] { rnn_utils::pad_sequence(std::vector<Tensor>{}); }),
                 "received an empty list of sequences"));
}

TEST_CASE("pack_sequence: data, batch_sizes and the sorting indices") {
  Tensor a = tg::tensor({1, 2, 3}), b = tg::tensor({4, 5}), c = tg::tensor({6});
  auto sorted = rnn_utils::pack_sequence({a, b, c});
  CHECK(values(sorted.data()) == dv({1, 4, 6, 2, 5, 3}));
  CHECK(values(sorted.batch_sizes()) == dv({3, 2, 1}));
  CHECK(sorted.batch_sizes().scalar_type() == tg::kLong);
  CHECK(!sorted.sorted_indices().defined());
  CHECK(!sorted.unsorted_indices().defined());

  auto unsorted = rnn_utils::pack_sequence({b, c, a}, /*enforce_sorted=*/false);
  CHECK(values(unsorted.data()) == dv({1, 4, 6, 2, 5, 3}));
  CHECK(values(unsorted.sorted_indices()) == dv({2, 0, 1}));
  CHECK(values(unsorted.unsorted_indices()) == dv({1, 2, 0}));
  auto [padded, lengths] = rnn_utils::pad_packed_sequence(unsorted, /*batch_first=*/true);
  CHECK(values(padded) == dv({4, 5, 0, 6, 0, 0, 1, 2, 3}));
  CHECK(values(lengths) == dv({2, 1, 3}));

  const std::string e = error_of([&] { rnn_utils::pack_sequence({b, c, a}); });
  CHECK(contains(e,
                 "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                 "True. You can pass `enforce_sorted=False`"));

  // to(): the same sequence when nothing changes, converted data otherwise.
  CHECK(unsorted.to(tg::kCPU).data().is_same(unsorted.data()));
  auto f = unsorted.to(tg::TensorOptions().dtype(tg::kFloat));
  CHECK(f.data().scalar_type() == tg::kFloat);
  CHECK(f.sorted_indices().is_same(unsorted.sorted_indices()));
  CHECK(!unsorted.is_pinned());
  CHECK(!unsorted.is_cuda());
}

TEST_CASE("pad_packed_sequence: total_length, padding value and libtorch's errors") {
  auto p = rnn_utils::pack_sequence({tg::tensor({1., 2., 3.}), tg::tensor({4.})});
  auto [y, lengths] = rnn_utils::pad_packed_sequence(p, false, /*padding_value=*/9, 5);
  CHECK(y.sizes() == tg::IntArrayRef{5, 2});
  CHECK(values(y) == dv({1, 4, 2, 9, 3, 9, 9, 9, 9, 9}));
  CHECK(values(lengths) == dv({3, 1}));
  CHECK(contains(error_of([&] { rnn_utils::pad_packed_sequence(p, false, 0.0, 2); }),
                 "Expected total_length to be at least the length of the longest sequence in "
                 "input, but got total_length=2 and max sequence length being 3"));
  CHECK(contains(
      error_of([] {
        rnn_utils::pack_padded_sequence(tg::randn({0, 0}), tg::tensor(std::vector<double>{}));
      }),
      "Cannot pack empty tensors."));
  CHECK(contains(
      error_of([] {
        rnn_utils::pack_padded_sequence(tg::randn({3, 2}), tg::tensor({3, 0}));
      }),
      "Length of all samples has to be greater than 0, but found an element in 'lengths' that "
      "is <= 0"));
  CHECK(contains(error_of([] {
                   rnn_utils::pack_padded_sequence(tg::randn({3, 2}), tg::tensor({3, 2, 1}));
                 }),
                 "Expected `len(lengths)` to be equal to batch_size, but got 3 (batch_size=2)"));
}

TEST_CASE("pack_padded_sequence and pad_packed_sequence are differentiable (gradcheck)") {
  Tensor x = seq({4, 3, 2}, 0.2).requires_grad_(true);
  Tensor lengths = tg::tensor({2, 4, 3});
  for (bool batch_first : {false, true}) {
    auto fn = [&](const tg::TensorList& in) {
      Tensor src = batch_first ? in[0].transpose(0, 1) : in[0];
      auto packed = rnn_utils::pack_padded_sequence(src, lengths, batch_first, false);
      Tensor y = std::get<0>(rnn_utils::pad_packed_sequence(packed, batch_first, 0.5, 6));
      return tg::cat({(packed.data() * 2).reshape({-1}), (y * y).reshape({-1})});
    };
    auto report = tg::autograd::gradcheck(fn, {x});
    CHECK_MESSAGE(report.ok, report.message);
  }
  // Padding steps receive no gradient.
  Tensor x2 = seq({3, 2}, 0.4).requires_grad_(true);
  auto packed = rnn_utils::pack_padded_sequence(x2, tg::tensor({3, 1}));
  packed.data().sum().backward();
  CHECK(values(x2.grad()) == dv({1, 1, 1, 0, 1, 0}));
}

TEST_CASE("forward_with_packed_input: PyTorch's values (manual_seed(0))") {
  auto packed = rnn_utils::pack_sequence({tg::ones({3, 2})});
  tg::manual_seed(0);
  nn::RNN rnn(2, 3);
  expect_near(std::get<0>(rnn->forward_with_packed_input(packed)).data(),
              {-0.0645, -0.7274, 0.4531, -0.3970, -0.6950, 0.6009, -0.3877, -0.7310, 0.6806}, "rnn",
              0, 2e-4);
  tg::manual_seed(0);
  nn::LSTM lstm(2, 3);
  expect_near(std::get<0>(lstm->forward_with_packed_input(packed, std::nullopt)).data(),
              {-0.2693, -0.1240, 0.0744, -0.3889, -0.1919, 0.1183, -0.4425, -0.2314, 0.1386},
              "lstm", 0, 2e-4);
  tg::manual_seed(0);
  nn::GRU gru(2, 3);
  expect_near(std::get<0>(gru->forward_with_packed_input(packed, Tensor())).data(),
              {-0.1134, 0.0467, 0.2336, -0.1189, 0.0502, 0.2960, -0.1138, 0.0484, 0.3110}, "gru", 0,
              2e-4);
}

TEST_CASE("forward_with_packed_input equals running each sequence alone") {
  // A bidirectional 2-layer LSTM and GRU over sequences of lengths 2, 4, 3 (unsorted), with
  // given initial states: the packed run's outputs and final states must be those of three
  // separate runs.
  std::vector<Tensor> s = {seq({2, 2}, 0.1), seq({4, 2}, 0.6), seq({3, 2}, 1.3)};
  auto packed = rnn_utils::pack_sequence(s, /*enforce_sorted=*/false);
  tg::manual_seed(1);
  nn::LSTM lstm(nn::LSTMOptions(2, 3).num_layers(2).bidirectional(true));
  nn::GRU gru(nn::GRUOptions(2, 3).num_layers(2).bidirectional(true));
  lstm->to(tg::kDouble);
  gru->to(tg::kDouble);
  Tensor h0 = seq({4, 3, 3}, 0.9, 0.5), c0 = seq({4, 3, 3}, 1.9, 0.5);
  auto [lout, lstate] = lstm->forward_with_packed_input(packed, std::make_tuple(h0, c0));
  auto [gout, gh] = gru->forward_with_packed_input(packed, h0);
  Tensor ly = std::get<0>(rnn_utils::pad_packed_sequence(lout));
  Tensor gy = std::get<0>(rnn_utils::pad_packed_sequence(gout));
  for (int64_t b = 0; b < 3; ++b) {
    const int64_t len = s[size_t(b)].size(0);
    Tensor hb = h0.narrow(1, b, 1), cb = c0.narrow(1, b, 1);
    auto [lo, ls] = lstm(s[size_t(b)].unsqueeze(1), std::make_tuple(hb, cb));
    expect_near(ly.narrow(0, 0, len).narrow(1, b, 1), values(lo), "lstm output");
    expect_near(std::get<0>(lstate).narrow(1, b, 1), values(std::get<0>(ls)), "lstm h_n");
    expect_near(std::get<1>(lstate).narrow(1, b, 1), values(std::get<1>(ls)), "lstm c_n");
    auto [go_, gs] = gru(s[size_t(b)].unsqueeze(1), hb);
    expect_near(gy.narrow(0, 0, len).narrow(1, b, 1), values(go_), "gru output");
    expect_near(gh.narrow(1, b, 1), values(gs), "gru h_n");
  }
}
