// Reductions of api.md Tier 1 with their dim / keepdim overloads: values and gradients.
#include "common.hpp"

// libtorch quirk: a two-element list starting with 0, like {0, 2}, also matches DimnameList's
// (pointer, length) constructor, so such dim lists are spelled torch::IntArrayRef{0, 2}.

int main() {
  auto X = [] { return leaf({3, 4}, 1.0, 0.3); };
  auto X3 = [] { return leaf({2, 3, 4}, 1.0, 1.1); };
  auto Xpos = [] { return leaf({3, 4}, 0.4, 0.3, 1.0); };  // in [0.6, 1.4]: prod stays tame
  auto Xaway = [] { return leaf_away({3, 4}); };           // no zeros: norm p=1 / p=3 kinks

  section("sum", [&](auto n) {
    auto x = X();
    check(n, x.sum(), {x});
  });
  section("sum_dim1", [&](auto n) {
    auto x = X();
    check(n, x.sum({1}), {x});
  });
  section("sum_dim0_keep", [&](auto n) {
    auto x = X();
    check(n, x.sum({0}, true), {x});
  });
  section("sum_dimneg_keep", [&](auto n) {
    auto x = X3();
    check(n, torch::sum(x, {-1}, true), {x});
  });
  section("sum_dims02", [&](auto n) {
    auto x = X3();
    check(n, x.sum(torch::IntArrayRef{0, 2}), {x});
  });
  section("sum_dims_all", [&](auto n) {
    auto x = X3();
    check(n, x.sum({0, 1, 2}), {x});
  });
  section("mean", [&](auto n) {
    auto x = X();
    check(n, x.mean(), {x});
  });
  section("mean_dim1", [&](auto n) {
    auto x = X();
    check(n, torch::mean(x, {1}), {x});
  });
  section("mean_dim0_keep", [&](auto n) {
    auto x = X();
    check(n, x.mean({0}, true), {x});
  });
  section("mean_dims12_keep", [&](auto n) {
    auto x = X3();
    check(n, x.mean({1, 2}, true), {x});
  });
  section("prod", [&](auto n) {
    auto x = Xpos();
    check(n, x.prod(), {x});
  });
  section("prod_dim1", [&](auto n) {
    auto x = Xpos();
    check(n, x.prod(1), {x});
  });
  section("prod_dim0_keep", [&](auto n) {
    auto x = Xpos();
    check(n, torch::prod(x, 0, true), {x});
  });
  section("prod_signed", [&](auto n) {
    auto x = Xaway();
    check(n, x.prod(-1), {x});
  });

  section("max", [&](auto n) {
    auto x = X();
    check(n, x.max(), {x});
  });
  section("min", [&](auto n) {
    auto x = X();
    check(n, torch::min(x), {x});
  });
  section("max_dim1", [&](auto n) {
    auto x = X();
    auto [v, i] = x.max(1);
    emit(n + "/idx", i);
    check(n, v, {x});
  });
  section("max_dim0_keep", [&](auto n) {
    auto x = X3();
    auto [v, i] = torch::max(x, 0, true);
    emit(n + "/idx", i);
    check(n, v, {x});
  });
  section("min_dim1", [&](auto n) {
    auto x = X();
    auto [v, i] = x.min(1);
    emit(n + "/idx", i);
    check(n, v, {x});
  });
  section("min_dimneg_keep", [&](auto n) {
    auto x = X3();
    auto [v, i] = x.min(-1, true);
    emit(n + "/idx", i);
    check(n, v, {x});
  });
  section("amax_all", [&](auto n) {
    auto x = X();
    check(n, x.amax(), {x});
  });
  section("amax_dim1", [&](auto n) {
    auto x = X();
    check(n, x.amax({1}), {x});
  });
  section("amax_dims02_keep", [&](auto n) {
    auto x = X3();
    check(n, torch::amax(x, {0, 2}, true), {x});
  });
  section("amin_dim0", [&](auto n) {
    auto x = X();
    check(n, x.amin({0}), {x});
  });
  section("amin_dimneg_keep", [&](auto n) {
    auto x = X3();
    check(n, torch::amin(x, {-1}, true), {x});
  });
  section("argmax", [&](auto n) {
    auto x = X3();
    emit(n + "/all", x.argmax());
    emit(n + "/dim1", x.argmax(1));
    emit(n + "/dim2_keep", torch::argmax(x, 2, true));
    emit(n + "/dimneg", x.argmax(-1));
  });
  section("argmin", [&](auto n) {
    auto x = X3();
    emit(n + "/all", x.argmin());
    emit(n + "/dim0", x.argmin(0));
    emit(n + "/dim1_keep", torch::argmin(x, 1, true));
  });

  section("var", [&](auto n) {
    auto x = X();
    check(n, x.var(), {x});
  });
  section("var_biased", [&](auto n) {
    auto x = X();
    check(n, x.var(false), {x});
  });
  section("var_dim1", [&](auto n) {
    auto x = X();
    check(n, x.var({1}), {x});
  });
  section("var_dim0_biased_keep", [&](auto n) {
    auto x = X();
    check(n, x.var({0}, false, true), {x});
  });
  section("var_dims02", [&](auto n) {
    auto x = X3();
    check(n, torch::var(x, torch::IntArrayRef{0, 2}), {x});
  });
  section("std", [&](auto n) {
    auto x = X();
    check(n, x.std(), {x});
  });
  section("std_biased", [&](auto n) {
    auto x = X();
    check(n, torch::std(x, false), {x});
  });
  section("std_dim1", [&](auto n) {
    auto x = X();
    check(n, x.std({1}), {x});
  });
  section("std_dimneg_keep", [&](auto n) {
    auto x = X3();
    check(n, x.std({-1}, true, true), {x});
  });
  section("std_dims01_biased", [&](auto n) {
    auto x = X3();
    check(n, x.std(torch::IntArrayRef{0, 1}, false), {x});
  });

  section("norm", [&](auto n) {
    auto x = X();
    check(n, x.norm(), {x});
  });
  section("norm_p1", [&](auto n) {
    auto x = Xaway();
    check(n, x.norm(1), {x});
  });
  section("norm_p3", [&](auto n) {
    auto x = Xaway();
    check(n, torch::norm(x, 3), {x});
  });
  section("norm_dim1", [&](auto n) {
    auto x = X();
    check(n, x.norm(2, {1}), {x});
  });
  section("norm_p1_dim0_keep", [&](auto n) {
    auto x = Xaway();
    check(n, x.norm(1, {0}, true), {x});
  });
  section("norm_p3_dims12", [&](auto n) {
    auto x = X3();
    check(n, x.norm(3, {1, 2}), {x});
  });

  section("logsumexp_dim1", [&](auto n) {
    auto x = X();
    check(n, x.logsumexp({1}), {x});
  });
  section("logsumexp_dim0_keep", [&](auto n) {
    auto x = X();
    check(n, torch::logsumexp(x, {0}, true), {x});
  });
  section("logsumexp_dims02", [&](auto n) {
    auto x = X3();
    check(n, x.logsumexp(torch::IntArrayRef{0, 2}), {x});
  });
  // exp(1000) overflows float64: a stable logsumexp / softmax must still give finite values.
  section("logsumexp_large", [&](auto n) {
    auto x = leaf({3, 4}, 1000.0, 0.3);
    check(n, x.logsumexp({1}), {x});
  });
  section("softmax_dim0", [&](auto n) {
    auto x = X();
    check(n, x.softmax(0), {x});
  });
  section("softmax_dim1", [&](auto n) {
    auto x = X();
    check(n, torch::softmax(x, 1), {x});
  });
  section("softmax_dimneg", [&](auto n) {
    auto x = X3();
    check(n, x.softmax(-1), {x});
  });
  section("softmax_mid", [&](auto n) {
    auto x = X3();
    check(n, x.softmax(1), {x});
  });
  section("softmax_large", [&](auto n) {
    auto x = leaf({3, 4}, 1000.0, 0.3);
    check(n, x.softmax(1), {x});
  });
  section("log_softmax_dim1", [&](auto n) {
    auto x = X();
    check(n, x.log_softmax(1), {x});
  });
  section("log_softmax_dim0", [&](auto n) {
    auto x = X();
    check(n, torch::log_softmax(x, 0), {x});
  });
  section("log_softmax_mid", [&](auto n) {
    auto x = X3();
    check(n, x.log_softmax(1), {x});
  });
  section("log_softmax_large", [&](auto n) {
    auto x = leaf({3, 4}, 1000.0, 0.3);
    check(n, x.log_softmax(-1), {x});
  });

  // float32: accumulation in single precision must stay within 1e-5 of libtorch.
  auto F = [](std::vector<int64_t> s, double scale = 1.0) {
    return det(std::move(s), scale, 0.3).to(torch::kFloat32).requires_grad_(true);
  };
  section("float32/sum_mean", [&](auto n) {
    auto x = F({16, 32});
    check(n, x.sum({1}) + x.mean({1}), {x});
  });
  section("float32/var_std", [&](auto n) {
    auto x = F({4, 8});
    check(n, x.var({1}) + x.std({1}), {x});
  });
  section("float32/norm", [&](auto n) {
    auto x = F({4, 8});
    check(n, x.norm(2, {1}), {x});
  });
  section("float32/softmax", [&](auto n) {
    auto x = F({3, 5}, 3.0);
    check(n, x.softmax(1), {x});
  });
  section("float32/log_softmax", [&](auto n) {
    auto x = F({3, 5}, 3.0);
    check(n, x.log_softmax(1), {x});
  });
  section("float32/logsumexp", [&](auto n) {
    auto x = F({3, 5}, 100.0);
    check(n, x.logsumexp({1}), {x});
  });
  section("float32/amax_prod", [&](auto n) {
    auto x = F({3, 5});
    check(n, x.amax({1}) + x.prod(1), {x});
  });
  // 1e5 float32 terms: naive float accumulation drifts past 1e-5; libtorch sums pairwise.
  section("float32/sum_large", [&](auto n) { emit(n, F({1000, 100}).sum()); });
  return 0;
}
