// libtorch's conventions where the math leaves a choice, kept apart from the other programs
// (which stay away from kinks on purpose): gradients at kinks and ties, empty tensors, writes
// through views, and mixed-dtype gradients. Each is what libtorch 1.13 does; tapegrad promises
// the same numbers, so a difference here is a deliberate decision to document, or a bug.
#include "common.hpp"

int main() {
  // Kinks: x holds exact zeros and values exactly at the clamp bounds.
  auto K = [] {
    return torch::tensor({-1.0, 0.0, 0.5, -0.5, 2.0}, torch::kDouble).requires_grad_(true);
  };
  section("kink/abs", [&](auto n) {
    auto x = K();
    check(n, x.abs(), {x});
  });  // sign(0) = 0
  section("kink/relu", [&](auto n) {
    auto x = K();
    check(n, x.relu(), {x});
  });  // 0 at 0
  section("kink/sign", [&](auto n) {
    auto x = K();
    check(n, x.sign(), {x});
  });
  section("kink/clamp", [&](auto n) {
    auto x = K();
    check(n, x.clamp(-0.5, 0.5), {x});
  });  // bounds pass
  section("kink/clamp_min", [&](auto n) {
    auto x = K();
    check(n, x.clamp_min(0.0), {x});
  });
  section("kink/sqrt0", [&](auto n) {
    auto x = torch::tensor({0.0, 4.0}, torch::kDouble).requires_grad_(true);
    check(n, x.sqrt(), {x});  // inf gradient at 0
  });
  section("kink/norm0", [&](auto n) {
    auto x = torch::zeros({3}, torch::kDouble).requires_grad_(true);
    check(n, x.norm(), {x});  // libtorch defines the subgradient 0
  });
  section("kink/pow0", [&](auto n) {
    auto x = torch::tensor({0.0, 2.0}, torch::kDouble).requires_grad_(true);
    check(n, x.pow(2) + x.pow(0), {x});
  });

  // Ties: equal candidates for maximum / max / amax / argmax.
  auto T = [] {
    return torch::tensor({{1.0, 3.0, 3.0}, {2.0, 2.0, 0.0}}, torch::kDouble).requires_grad_(true);
  };
  section("tie/maximum", [&](auto n) {
    auto a = T(), b = torch::tensor({1.0, 2.0, 0.0}, torch::kDouble).requires_grad_(true);
    check(n, torch::maximum(a, b), {a, b});
  });
  section("tie/minimum", [&](auto n) {
    auto a = T(), b = torch::tensor({1.0, 2.0, 0.0}, torch::kDouble).requires_grad_(true);
    check(n, torch::minimum(a, b), {a, b});
  });
  section("tie/max_all", [&](auto n) {
    auto x = T();
    check(n, x.max(), {x});
  });
  section("tie/amax_dim", [&](auto n) {
    auto x = T();
    check(n, x.amax({1}), {x});
  });
  section("tie/amin_all", [&](auto n) {
    auto x = T();
    check(n, x.amin(torch::IntArrayRef{0, 1}), {x});
  });
  section("tie/max_dim", [&](auto n) {
    auto x = T();
    auto [v, i] = x.max(1);
    emit(n + "/idx", i);
    check(n, v, {x});
  });
  section("tie/min_dim", [&](auto n) {
    auto x = T();
    auto [v, i] = x.min(1);
    emit(n + "/idx", i);
    check(n, v, {x});
  });
  section("tie/argmax", [&](auto n) {
    auto x = T();
    emit(n + "/all", x.argmax());
    emit(n + "/dim1", x.argmax(1));
    emit(n + "/argmin_dim1", x.argmin(1));
  });

  // Empty tensors.
  section("empty", [&](auto n) {
    emit(n + "/sum", torch::zeros({0}, torch::kDouble).sum());
    emit(n + "/sum_dim", torch::ones({2, 0}, torch::kDouble).sum({1}));
    emit(n + "/prod", torch::zeros({0}, torch::kDouble).prod());
    emit(n + "/mean", torch::zeros({0}, torch::kDouble).mean());  // nan
    emit(n + "/cat", torch::cat({torch::zeros({0, 2}, torch::kDouble), det({1, 2})}));
    emit(n + "/matmul", det({2, 0}).matmul(det({0, 3})));  // zeros (2, 3)
  });
  expect_throw("empty/max_throws", [] { torch::zeros({0}).max(); });
  expect_throw("empty/argmax_throws", [] { torch::zeros({0}).argmax(); });

  // Writes through views reach the base tensor (libtorch views share storage, strided or not).
  auto B = [] { return det({2, 3}, 1.0, 0.3); };
  section("view_write/view", [&](auto n) {
    auto x = B();
    x.view({3, 2}).mul_(2.0);
    emit(n, x);
  });
  section("view_write/reshape", [&](auto n) {
    auto x = B();
    x.reshape({6}).add_(1.0);
    emit(n, x);
  });
  section("view_write/select0", [&](auto n) {
    auto x = B();
    x.select(0, 1).fill_(7.0);
    emit(n, x);
  });
  section("view_write/index_op", [&](auto n) {
    auto x = B();
    x[0].zero_();
    emit(n, x);
  });
  section("view_write/narrow0", [&](auto n) {
    auto x = B();
    x.narrow(0, 1, 1).copy_(det({1, 3}, 2.0));
    emit(n, x);
  });
  section("view_write/unsqueeze", [&](auto n) {
    auto x = B();
    x.unsqueeze(0).sub_(0.5);
    emit(n, x);
  });
  section("view_write/chunk0", [&](auto n) {
    auto x = B();
    x.chunk(2)[1].mul_(-1.0);
    emit(n, x);
  });
  section("view_write/narrow1", [&](auto n) {
    auto x = B();
    x.narrow(1, 1, 2).fill_(0.0);
    emit(n, x);
  });
  section("view_write/select1", [&](auto n) {
    auto x = B();
    x.select(1, 0).fill_(3.0);
    emit(n, x);
  });
  section("view_write/transpose", [&](auto n) {
    auto x = B();
    x.t().add_(det({3, 2}, 1.0, 2.0));
    emit(n, x);
  });
  section("view_write/expand_read", [&](auto n) {
    auto x = det({3}, 1.0, 0.3);
    auto e = x.expand({2, 3});
    x.mul_(10.0);  // an expanded view sees later writes to its base
    emit(n, e);
  });
  // In-place through a view inside a graph: libtorch rewrites the base's history.
  section("view_write/in_graph", [&](auto n) {
    auto x = leaf({2, 3});
    auto y = x * 1.0;
    y.narrow(0, 0, 1).mul_(2.0);
    check(n, y, {x});
  });

  // Mixed dtypes: the float32 leaf's gradient comes back as float32.
  section("mixed/float_times_double", [&](auto n) {
    auto a = det({3}, 1.0, 0.3).to(torch::kFloat32).requires_grad_(true);
    auto b = leaf({3}, 1.0, 1.1);
    auto y = a * b;
    std::printf("%s/dtype %d\n", n.c_str(), y.scalar_type() == torch::kDouble ? 1 : 0);
    check(n, y, {a, b});
    std::printf("%s/grad_dtype %d\n", n.c_str(), a.grad().scalar_type() == torch::kFloat32 ? 0 : 1);
  });
  section("mixed/to_double_and_back", [&](auto n) {
    auto a = det({3}, 1.0, 0.3).to(torch::kFloat32).requires_grad_(true);
    check(n, a.to(torch::kDouble).exp(), {a});
  });
  return 0;
}
