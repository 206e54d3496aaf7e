// Multi-output ops on the tape (autograd/tape.hpp, "Several outputs"): unbind, split,
// split_with_sizes and chunk record one entry for the op plus one per piece, and their backward
// glues the pieces' gradients together once. Values and gradients against libtorch are in
// tests/compat/ops_shape.cpp, finite-difference checks in tests/test_gradcheck_ops.cpp.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "autograd/tape.hpp"
#include "helpers.hpp"
#include "tapegrad.hpp"

using test::error_of;
using test::values;
using tg::Tensor;

static Tensor arange_leaf(std::vector<int64_t> shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return tg::arange(n, tg::kDouble).reshape(shape).requires_grad_(true);
}

TEST_CASE("unbind: values are the selects, along any dim") {
  auto x = tg::arange(24, tg::kDouble).reshape({2, 3, 4});
  for (int64_t dim : {0, 1, 2, -1, -3}) {
    auto parts = x.unbind(dim);
    const int64_t d = dim < 0 ? dim + 3 : dim;
    REQUIRE(int64_t(parts.size()) == x.size(d));
    for (int64_t k = 0; k < x.size(d); ++k) {
      CHECK(parts[size_t(k)].sizes() == x.select(d, k).sizes());
      CHECK(values(parts[size_t(k)]) == values(x.select(d, k)));
    }
  }
  auto v = tg::unbind(tg::tensor({1.0, 2.0, 3.0}, tg::kDouble));  // 1-D: 0-d pieces
  REQUIRE(v.size() == 3);
  CHECK(v[2].dim() == 0);
  CHECK(v[2].item<double>() == 3.0);
  CHECK(tg::unbind(tg::zeros({0, 2})).empty());  // nothing to unbind: no pieces, as libtorch
}

TEST_CASE("unbind: gradient of every piece lands in its slot; unused pieces give zeros") {
  auto x = arange_leaf({3, 2});
  auto p = x.unbind(0);
  (p[0] * 2 + p[2] * p[2]).sum().backward();  // p[1] unused
  CHECK(values(x.grad()) == std::vector<double>{2, 2, 0, 0, 8, 10});

  auto y = arange_leaf({2, 3});
  auto q = y.unbind(1);  // inner dim: the pieces are copies, the gradient is interleaved back
  (q[1] * 10 + q[2]).sum().backward();
  CHECK(values(y.grad()) == std::vector<double>{0, 10, 1, 0, 10, 1});
}

TEST_CASE("split and chunk: one op for all pieces, gradients glued along the dim") {
  auto x = arange_leaf({2, 5});
  auto p = x.split_with_sizes({2, 0, 3}, 1);
  REQUIRE(p.size() == 3);
  CHECK(p[1].sizes() == tg::IntArrayRef({2, 0}));
  CHECK(values(p[2]) == std::vector<double>{2, 3, 4, 7, 8, 9});
  (p[0].sum() + p[2].sum() * 3).backward();
  CHECK(values(x.grad()) == std::vector<double>{1, 1, 3, 3, 3, 1, 1, 3, 3, 3});

  auto z = arange_leaf({5, 2});
  auto c = z.chunk(3);  // sizes 2, 2, 1
  REQUIRE(c.size() == 3);
  CHECK(values(c[2]) == std::vector<double>{8, 9});
  (c[1] * c[1]).sum().backward();
  CHECK(values(z.grad()) == std::vector<double>{0, 0, 0, 0, 8, 10, 12, 14, 0, 0});
}

TEST_CASE("unbind on the tape: n + 1 entries, printed as outputs of one op") {
  auto x = arange_leaf({3, 2});
  auto anchor = x * 1;  // pops whatever dead entries earlier tests left at the end
  const size_t before = tg::Tape::get().size();
  auto p = x.unbind(0);
  REQUIRE(tg::Tape::get().size() == before + 4);
  const int64_t op = p[0].unsafeGetTensorImpl()->node - 1;
  CHECK(std::string(tg::Tape::get().entry(op).op) == "unbind");
  CHECK(tg::Tape::get().entry(op).n_out == 3);
  CHECK(tg::Tape::get().entry(op + 3).in[0].output == 2);
  CHECK(p[2].unsafeGetTensorImpl()->node == op + 3);
  std::ostringstream table;
  tg::autograd::print_tape(table);
  CHECK(test::contains(table.str(), "#" + std::to_string(op) + ".2"));
  CHECK(test::contains(table.str(), "several outputs"));
  // Nothing is recorded without grad, and dropping every piece drops the whole group.
  {
    tg::NoGradGuard no_grad;
    auto q = x.unbind(0);
    CHECK(tg::Tape::get().size() == before + 4);
  }
  p.clear();
  auto next = x * 1;  // recording pops the dead tail: the pieces, then the op's own entry
  CHECK(tg::Tape::get().size() == before + 1);
}

TEST_CASE("unbind: hooks, retain_grad and autograd::grad see a piece's own gradient") {
  auto x = arange_leaf({2, 3});
  auto p = x.unbind(0);
  p[1].retain_grad();
  Tensor seen;
  p[0].register_hook([&](const Tensor& g) {
    seen = g.clone();
    return g * 2;  // the doubled gradient is what reaches x
  });
  (p[0] * 3 + p[1] * p[1]).sum().backward({}, true);
  CHECK(values(seen) == std::vector<double>{3, 3, 3});
  CHECK(values(p[1].grad()) == std::vector<double>{6, 8, 10});
  CHECK(values(x.grad()) == std::vector<double>{6, 6, 6, 6, 8, 10});
  auto g = tg::autograd::grad({(p[0] * p[1]).sum()}, {p[1], x});
  CHECK(values(g[0]) == std::vector<double>{0, 1, 2});
  // d/dx0 = x1, doubled by p[0]'s hook; d/dx1 = x0
  CHECK(values(g[1]) == std::vector<double>{6, 8, 10, 0, 1, 2});
}

TEST_CASE("unbind: retain_graph, a second backward, and create_graph") {
  auto x = arange_leaf({2, 2});
  auto p = x.unbind(1);
  auto y = (p[0] * p[1]).sum();
  y.backward({}, true);
  y.backward();  // kept graph: the gradients add up
  CHECK(values(x.grad()) == std::vector<double>{2, 0, 6, 4});
  CHECK(test::contains(error_of([&] { y.backward(); }), "second time"));

  // Second derivatives through the op: y = sum_k x[k,0]^2 x[k,1], d2y/dx[k,0]dx[k,1] = 2 x[k,0].
  auto w = arange_leaf({2, 2});
  auto q = w.unbind(1);
  auto dw = tg::autograd::grad({(q[0] * q[0] * q[1]).sum()}, {w}, {}, true, true)[0];
  CHECK(dw.requires_grad());
  CHECK(values(dw) == std::vector<double>{0, 0, 12, 4});         // (2 x0 x1, x0^2) per row
  auto h = tg::autograd::grad({dw.select(1, 1).sum()}, {w})[0];  // d/dw sum_k x[k,0]^2
  CHECK(values(h) == std::vector<double>{0, 0, 4, 0});
}

TEST_CASE("unbind, split, chunk: bad arguments are tg::Errors naming the op and the shape") {
  auto x = tg::zeros({2, 3});
  std::string m = error_of([&] { x.unbind(2); });
  CHECK(test::contains(m, "unbind"));
  CHECK(test::contains(m, "[2, 3]"));
  CHECK(test::contains(error_of([&] { x.unbind(-3); }), "[2, 3]"));
  m = error_of([&] { tg::unbind(tg::tensor(1.0)); });
  CHECK(test::contains(m, "unbind"));
  CHECK(test::contains(m, "0-dim"));
  CHECK(test::contains(error_of([&] { tg::unbind(Tensor()); }), "unbind"));
  m = error_of([&] { x.split_with_sizes({1, 1}, 1); });
  CHECK(test::contains(m, "split_with_sizes"));
  CHECK(test::contains(m, "[2, 3]"));
  m = error_of([&] { x.split({4, -1}, 1); });
  CHECK(test::contains(m, "negative"));
  CHECK(test::contains(m, "[2, 3]"));
  m = error_of([&] { x.split(0, 1); });
  CHECK(test::contains(m, "split"));
  CHECK(test::contains(m, "[2, 3]"));
  CHECK(test::contains(error_of([&] { x.split(1, 5); }), "split"));
  CHECK(test::contains(error_of([&] { x.chunk(2, -3); }), "chunk"));
  CHECK(test::contains(error_of([&] { x.chunk(0); }), "chunk"));
  CHECK(test::contains(error_of([&] { tg::chunk(tg::tensor(1.0), 2); }), "chunk"));
}

// The LSTM's time loop slices with unbind and chunk: its second derivatives (create_graph through
// both ops' backward) match finite differences of its first derivatives, as do the GRU's.
TEST_CASE("LSTM and GRU: gradgradcheck through unbind and chunk") {
  auto x = test::seq({3, 2, 2}, 0.2).requires_grad_(true);  // (T, B, in)
  tg::nn::LSTM lstm(tg::nn::LSTMOptions(2, 2));
  tg::nn::GRU gru(tg::nn::GRUOptions(2, 2));
  lstm->to(tg::kDouble);
  gru->to(tg::kDouble);
  auto l = [&](const tg::TensorList& in) { return std::get<0>(lstm->forward(in[0])).tanh(); };
  auto g = [&](const tg::TensorList& in) { return std::get<0>(gru->forward(in[0])).tanh(); };
  CHECK(tg::autograd::gradgradcheck(l, {x}));
  CHECK(tg::autograd::gradgradcheck(g, {x}));
}
