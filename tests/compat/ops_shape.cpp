// Shape and indexing ops of api.md Tier 1: values and gradients (the adjoint of each
// rearrangement must put every gradient element back where its value came from).
#include "common.hpp"

int main() {
  auto X = [] { return leaf({2, 3, 4}, 1.0, 0.3); };
  auto M = [] { return leaf({3, 4}, 1.0, 1.1); };
  auto idx = [](std::vector<int64_t> v) { return torch::tensor(v, torch::kLong); };

  section("view", [&](auto n) {
    auto x = X();
    check(n, x.view({6, 4}), {x});
  });
  section("view_infer", [&](auto n) {
    auto x = X();
    check(n, x.view({-1, 2}), {x});
  });
  section("reshape", [&](auto n) {
    auto x = X();
    check(n, x.reshape({4, -1}), {x});
  });
  section("reshape_fn", [&](auto n) {
    auto x = X();
    check(n, torch::reshape(x, {3, 8}), {x});
  });
  // Reshaping a transposed tensor must copy in logical (not storage) order.
  section("reshape_transposed", [&](auto n) {
    auto x = X();
    check(n, x.transpose(0, 2).reshape({-1}), {x});
  });
  section("reshape_0d", [&](auto n) {
    auto x = leaf({1, 1});
    check(n, x.reshape({}) * 3.0, {x});
  });
  section("flatten", [&](auto n) {
    auto x = X();
    check(n, x.flatten(), {x});
  });
  section("flatten_1", [&](auto n) {
    auto x = X();
    check(n, x.flatten(1), {x});
  });
  section("flatten_01", [&](auto n) {
    auto x = X();
    check(n, torch::flatten(x, 0, 1), {x});
  });
  section("squeeze", [&](auto n) {
    auto x = leaf({1, 3, 1, 2});
    check(n, x.squeeze(), {x});
  });
  section("squeeze_dim", [&](auto n) {
    auto x = leaf({1, 3, 1, 2});
    check(n, x.squeeze(2), {x});
  });
  section("squeeze_dim_noop", [&](auto n) {
    auto x = leaf({1, 3, 1, 2});
    check(n, x.squeeze(1), {x});
  });
  section("squeeze_neg", [&](auto n) {
    auto x = leaf({3, 1});
    check(n, torch::squeeze(x, -1), {x});
  });
  section("unsqueeze0", [&](auto n) {
    auto x = M();
    check(n, x.unsqueeze(0), {x});
  });
  section("unsqueeze_neg", [&](auto n) {
    auto x = M();
    check(n, torch::unsqueeze(x, -1), {x});
  });
  section("unsqueeze_mid", [&](auto n) {
    auto x = M();
    check(n, x.unsqueeze(1), {x});
  });
  section("transpose", [&](auto n) {
    auto x = X();
    check(n, x.transpose(0, 1), {x});
  });
  section("transpose_neg", [&](auto n) {
    auto x = X();
    check(n, torch::transpose(x, -1, -3), {x});
  });
  section("t", [&](auto n) {
    auto x = M();
    check(n, x.t(), {x});
  });
  section("t_fn_1d", [&](auto n) {
    auto x = leaf({4});
    check(n, torch::t(x), {x});
  });
  section("permute", [&](auto n) {
    auto x = X();
    check(n, x.permute({2, 0, 1}), {x});
  });
  section("permute_fn", [&](auto n) {
    auto x = X();
    check(n, torch::permute(x, {1, 2, 0}), {x});
  });
  section("expand", [&](auto n) {
    auto x = leaf({3, 1});
    check(n, x.expand({2, 3, 4}), {x});
  });
  section("expand_infer", [&](auto n) {
    auto x = leaf({1, 4});
    check(n, x.expand({3, -1}), {x});
  });
  section("expand_0d", [&](auto n) {
    auto x = leaf({}, 1.0, 0.9);
    check(n, x.expand({2, 2}), {x});
  });
  section("narrow", [&](auto n) {
    auto x = X();
    check(n, x.narrow(1, 1, 2), {x});
  });
  section("narrow_neg", [&](auto n) {
    auto x = X();
    check(n, torch::narrow(x, -1, 0, 3), {x});
  });
  section("select", [&](auto n) {
    auto x = X();
    check(n, x.select(0, 1), {x});
  });
  section("select_neg", [&](auto n) {
    auto x = X();
    check(n, torch::select(x, 2, -1), {x});
  });
  section("select_1d", [&](auto n) {
    auto x = leaf({4});
    check(n, x.select(0, 2), {x});
  });
  // Repeated indices: the gradient of a row picked twice is the sum of both uses.
  section("index_select", [&](auto n) {
    auto x = X();
    check(n, x.index_select(1, idx({2, 0, 2})), {x});
  });
  section("index_select_0", [&](auto n) {
    auto x = M();
    check(n, torch::index_select(x, 0, idx({1})), {x});
  });
  section("index_select_neg", [&](auto n) {
    auto x = M();
    check(n, x.index_select(-1, idx({3, 3, 1, 0, 2})), {x});
  });
  section("gather", [&](auto n) {
    auto x = M();
    check(n, x.gather(1, torch::tensor({{0, 0}, {3, 1}, {2, 2}}, torch::kLong)), {x});
  });
  section("gather_0", [&](auto n) {
    auto x = M();
    check(n, torch::gather(x, 0, torch::tensor({{2, 1, 0, 0}, {0, 0, 1, 2}}, torch::kLong)), {x});
  });
  section("gather_3d", [&](auto n) {
    auto x = X();
    check(n, x.gather(2, X().detach().argmax(2, true)), {x});
  });

  section("cat0", [&](auto n) {
    auto a = leaf({2, 3}), b = leaf({1, 3}, 0.8, 1.1);
    check(n, torch::cat({a, b}), {a, b});
  });
  section("cat1_three", [&](auto n) {
    auto a = leaf({2, 1}), b = leaf({2, 3}, 0.8, 1.1), c = leaf({2, 2}, 0.6, 1.9);
    check(n, torch::cat({a, b, c}, 1), {a, b, c});
  });
  section("cat_neg", [&](auto n) {
    auto a = leaf({2, 2, 2}), b = leaf({2, 2, 1}, 0.8, 1.1);
    check(n, torch::cat({a, b}, -1), {a, b});
  });
  section("cat_same_twice", [&](auto n) {
    auto a = leaf({2, 2});
    check(n, torch::cat({a, a * 2.0}, 0), {a});
  });
  section("stack0", [&](auto n) {
    auto a = leaf({2, 3}), b = leaf({2, 3}, 0.8, 1.1);
    check(n, torch::stack({a, b}), {a, b});
  });
  section("stack1_three", [&](auto n) {
    auto a = leaf({2, 3}), b = leaf({2, 3}, 0.8, 1.1), c = leaf({2, 3}, 0.6, 1.9);
    check(n, torch::stack({a, b, c}, 1), {a, b, c});
  });
  section("stack_neg", [&](auto n) {
    auto a = leaf({3}), b = leaf({3}, 0.8, 1.1);
    check(n, torch::stack({a, b}, -1), {a, b});
  });
  section("chunk2", [&](auto n) {
    auto x = X();
    check_list(n, x.chunk(2, 2), {x});
  });
  section("chunk_uneven", [&](auto n) {
    auto x = leaf({5, 2});
    check_list(n, x.chunk(3), {x});
  });
  section("chunk_fn", [&](auto n) {
    auto x = X();
    check_list(n, torch::chunk(x, 3, 1), {x});
  });
  section("split", [&](auto n) {
    auto x = X();
    check_list(n, x.split(3, 2), {x});
  });
  section("split_fn", [&](auto n) {
    auto x = leaf({5, 2});
    check_list(n, torch::split(x, 2), {x});
  });
  section("split_sizes", [&](auto n) {
    auto x = X();
    check_list(n, x.split({1, 3}, 2), {x});
  });
  // A piece left unused still gets a (zero) gradient slot in its input.
  section("split_partial", [&](auto n) {
    auto x = M();
    auto parts = x.split(2, 1);
    check(n, parts[1] * 2.0, {x});
  });
  section("split_with_sizes", [&](auto n) {
    auto x = X();
    check_list(n, x.split_with_sizes({2, 0, 1}, 1), {x});
  });
  section("split_with_sizes_fn", [&](auto n) {
    auto x = leaf({5, 2});
    check_list(n, torch::split_with_sizes(x, {4, 1}), {x});
  });
  section("unbind", [&](auto n) {
    auto x = X();
    check_list(n, x.unbind(), {x});
  });
  section("unbind_inner", [&](auto n) {
    auto x = X();
    check_list(n, x.unbind(1), {x});
  });
  section("unbind_fn_neg", [&](auto n) {
    auto x = X();
    check_list(n, torch::unbind(x, -1), {x});
  });
  section("unbind_1d", [&](auto n) {
    auto x = leaf({4});
    check_list(n, x.unbind(0), {x});
  });
  section("unbind_partial", [&](auto n) {
    auto x = X();
    auto parts = x.unbind(2);
    check(n, parts[0] * parts[3], {x});
  });

  // Chains: views of views, and a view feeding a reduction.
  section("chain/permute_reshape_sum", [&](auto n) {
    auto x = X();
    check(n, x.permute({1, 0, 2}).reshape({3, 8}).narrow(1, 2, 4).sum({0}), {x});
  });
  section("chain/expand_mul", [&](auto n) {
    auto a = leaf({3, 1}), b = leaf({1, 4}, 0.8, 1.1);
    check(n, a.expand({3, 4}) * b.expand({3, 4}).t().t(), {a, b});
  });
  section("chain/unsqueeze_cat_select", [&](auto n) {
    auto a = leaf({3}), b = leaf({3}, 0.8, 1.1);
    auto s = torch::cat({a.unsqueeze(0), b.unsqueeze(0)}, 0);
    check(n, s.select(1, 2) + s.select(0, 0).sum(), {a, b});
  });

  // float32 rows.
  auto F = [](std::vector<int64_t> s) {
    return det(std::move(s), 1.0, 0.3).to(torch::kFloat32).requires_grad_(true);
  };
  section("float32/transpose_reshape", [&](auto n) {
    auto x = F({2, 3, 4});
    check(n, x.transpose(1, 2).reshape({4, 6}), {x});
  });
  section("float32/cat_stack", [&](auto n) {
    auto a = F({2, 3}), b = F({2, 3});
    check(n, torch::cat({torch::stack({a, b}), a.unsqueeze(0)}), {a, b});
  });
  section("float32/gather_index_select", [&](auto n) {
    auto x = F({3, 4});
    check(n, x.index_select(0, idx({2, 2, 0})).gather(1, idx({1, 0, 3}).unsqueeze(1)), {x});
  });
  return 0;
}
