// matmul (every dimensionality case of torch.matmul's rules), mm, bmm, dot, t.
#include "common.hpp"

using Shp = std::vector<int64_t>;

int main() {
  // (a shape, b shape): 1-D.1-D is a dot product, a 1-D operand is unsqueezed then squeezed
  // away, batch dims broadcast (and their gradients sum back over the broadcast batch).
  const std::vector<std::pair<Shp, Shp>> cases = {{{4}, {4}},
                                                  {{4}, {4, 3}},
                                                  {{2, 4}, {4}},
                                                  {{2, 4}, {4, 3}},
                                                  {{5, 2, 4}, {5, 4, 3}},
                                                  {{5, 2, 4}, {4, 3}},
                                                  {{2, 4}, {5, 4, 3}},
                                                  {{2, 1, 3, 4}, {5, 4, 2}},
                                                  {{4}, {5, 4, 3}},
                                                  {{5, 2, 4}, {4}},
                                                  {{1, 2, 4}, {3, 4, 2}}};
  for (const auto& [sa, sb] : cases) {
    section("matmul/" + shape_tag(sa) + "_" + shape_tag(sb), [&](auto n) {
      auto a = leaf(sa, 1.0, 0.3), b = leaf(sb, 0.8, 1.1);
      check(n, a.matmul(b), {a, b});
    });
  }
  section("matmul_fn", [&](auto n) {
    auto a = leaf({3, 4}), b = leaf({4, 2}, 0.8, 1.1);
    check(n, torch::matmul(a, b), {a, b});
  });
  section("mm", [&](auto n) {
    auto a = leaf({3, 4}), b = leaf({4, 5}, 0.8, 1.1);
    check(n, a.mm(b), {a, b});
  });
  section("mm_fn_transposed", [&](auto n) {
    auto a = leaf({4, 3}), b = leaf({5, 4}, 0.8, 1.1);
    check(n, torch::mm(a.t(), b.t()), {a, b});
  });
  section("bmm", [&](auto n) {
    auto a = leaf({3, 2, 4}), b = leaf({3, 4, 2}, 0.8, 1.1);
    check(n, a.bmm(b), {a, b});
  });
  section("bmm_fn", [&](auto n) {
    auto a = leaf({2, 3, 3}), b = leaf({2, 3, 1}, 0.8, 1.1);
    check(n, torch::bmm(a, b), {a, b});
  });
  section("dot", [&](auto n) {
    auto a = leaf({6}), b = leaf({6}, 0.8, 1.1);
    check(n, a.dot(b), {a, b});
  });
  section("dot_fn_self", [&](auto n) {
    auto a = leaf({5});
    check(n, torch::dot(a, a), {a});
  });
  section("t_mm_self", [&](auto n) {
    auto a = leaf({3, 2});
    check(n, a.t().mm(a), {a});
  });
  // A small MLP forward: matmul + bias broadcast + tanh + matmul, gradients to every weight.
  section("mlp", [&](auto n) {
    auto x = leaf({4, 3}), w1 = leaf({3, 5}, 0.5, 0.7), b1 = leaf({5}, 0.1, 1.3);
    auto w2 = leaf({5, 2}, 0.5, 2.1), b2 = leaf({2}, 0.1, 0.2);
    check(n, (x.matmul(w1) + b1).tanh().matmul(w2) + b2, {x, w1, b1, w2, b2});
  });

  auto F = [](Shp s, double phase) {
    return det(std::move(s), 1.0, phase).to(torch::kFloat32).requires_grad_(true);
  };
  section("float32/mm", [&](auto n) {
    auto a = F({8, 16}, 0.3), b = F({16, 4}, 1.1);
    check(n, a.mm(b), {a, b});
  });
  section("float32/matmul_batched", [&](auto n) {
    auto a = F({3, 2, 5}, 0.3), b = F({5, 4}, 1.1);
    check(n, torch::matmul(a, b), {a, b});
  });
  section("float32/bmm", [&](auto n) {
    auto a = F({2, 3, 4}, 0.3), b = F({2, 4, 3}, 1.1);
    check(n, a.bmm(b), {a, b});
  });
  section("float32/dot", [&](auto n) {
    auto a = F({64}, 0.3), b = F({64}, 1.1);
    check(n, a.dot(b), {a, b});
  });
  section("float32/matmul_vec", [&](auto n) {
    auto a = F({3, 7}, 0.3), b = F({7}, 1.1);
    check(n, a.matmul(b), {a, b});
  });
  return 0;
}
