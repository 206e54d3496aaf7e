// Tensor indexing (torch::indexing) and the ATen free functions beside it: values and
// gradients of index with every index form, index_put_ (values and where the gradient goes),
// masked_fill, any / all, the accessor.
#include <cmath>

#include "common.hpp"

using namespace torch::indexing;

int main() {
  auto M = [] { return leaf({3, 4}, 1.0, 1.1); };
  auto X = [] { return leaf({2, 3, 4}, 1.0, 0.3); };
  auto idx = [](std::vector<int64_t> v) { return torch::tensor(v, torch::kLong); };

  // ---- index: basic forms ----
  section("index_int", [&](auto n) {
    auto x = X();
    check(n, x.index({1}), {x});
  });
  section("index_int_int", [&](auto n) {
    auto x = X();
    check(n, x.index({-1, 2}), {x});
  });
  section("index_slice", [&](auto n) {
    auto x = X();
    check(n, x.index({Slice(), Slice(1, None)}), {x});
  });
  section("index_slice_step", [&](auto n) {
    auto x = X();
    check(n, x.index({Slice(), Slice(None, None, 2), Slice(1, None, 2)}), {x});
  });
  section("index_slice_clamped", [&](auto n) {
    auto x = M();
    check(n, x.index({Slice(-2, 100), Slice(-100, -1)}), {x});
  });
  section("index_slice_empty", [&](auto n) {
    auto x = M();
    auto y = x.index({Slice(3, 1)});
    emit(n + "/shape", torch::tensor(y.sizes().vec()));
  });
  section("index_none", [&](auto n) {
    auto x = M();
    auto y = x.index({None, Slice(), None, 1});
    emit(n + "/shape", torch::tensor(y.sizes().vec()));
    check(n, y, {x});
  });
  section("index_ellipsis", [&](auto n) {
    auto x = X();
    check(n, x.index({"...", 2}), {x});
  });
  section("index_ellipsis_mid", [&](auto n) {
    auto x = X();
    check(n, x.index({1, Ellipsis, Slice(1, 3)}), {x});
  });
  section("index_bool_true", [&](auto n) {
    auto x = M();
    auto y = x.index({true});
    emit(n + "/shape", torch::tensor(y.sizes().vec()));
    check(n, y, {x});
  });
  section("index_bool_false", [&](auto n) {
    auto y = M().index({Slice(), false});
    emit(n + "/shape", torch::tensor(y.sizes().vec()));
  });
  // ---- index: tensors and masks ----
  section("index_tensor", [&](auto n) {
    auto x = M();
    check(n, x.index({idx({2, 0, 2})}), {x});
  });
  section("index_tensor_slice", [&](auto n) {
    auto x = X();
    check(n, x.index({Slice(), idx({2, 0}), Slice(1, None, 2)}), {x});
  });
  section("index_two_tensors", [&](auto n) {
    auto x = M();
    check(n, x.index({idx({0, 2, 2}), idx({3, -1, 0})}), {x});
  });
  section("index_broadcast_tensors", [&](auto n) {
    auto x = M();
    check(n, x.index({torch::tensor({{0}, {2}}, torch::kLong), idx({1, 3, 1})}), {x});
  });
  section("index_tensors_apart", [&](auto n) {
    auto x = X();
    auto y = x.index({idx({1, 0, 1}), Slice(), idx({3, 0, 2})});
    emit(n + "/shape", torch::tensor(y.sizes().vec()));
    check(n, y, {x});
  });
  section("index_tensors_adjacent_late", [&](auto n) {
    auto x = X();
    auto y = x.index({Slice(), idx({2, 0}), idx({1, 3})});
    emit(n + "/shape", torch::tensor(y.sizes().vec()));
    check(n, y, {x});
  });
  section("index_mask", [&](auto n) {
    auto x = M();
    check(n, x.index({x.detach() > 0.2}), {x});
  });
  section("index_mask_rows", [&](auto n) {
    auto x = M();
    check(n, x.index({torch::tensor({true, false, true})}), {x});
  });
  section("index_mask_cols", [&](auto n) {
    auto x = X();
    check(n, x.index({Slice(), Slice(), torch::tensor({false, true, true, false})}), {x});
  });
  section("index_0d_tensor", [&](auto n) {
    auto x = M();
    check(n, x.index({torch::scalar_tensor(2, torch::kLong), Slice(1, 3)}), {x});
  });
  section("index_fn", [&](auto n) {
    auto x = M();
    check(n, torch::index(x, {None, idx({3, 1})}), {x});
  });
  section("slice_method", [&](auto n) {
    auto x = X();
    check(n, x.slice(2, 1, None, 2), {x});
  });
  section("slice_method_neg", [&](auto n) {
    auto x = X();
    check(n, x.slice(-2, -2) * 2.0 + x.slice(0, 0, 1).slice(1, 1), {x});
  });
  section("index_errors", [&](auto n) {
    auto x = M();
    expect_throw(n + "/oob_int", [&] { x.index({3}); });
    expect_throw(n + "/too_many", [&] { x.index({0, 0, 0}); });
    expect_throw(n + "/oob_tensor", [&] { x.index({idx({5})}); });
    expect_throw(n + "/broadcast", [&] { x.index({idx({0, 1}), idx({0, 1, 2})}); });
    expect_throw(n + "/mask_shape", [&] { x.index({torch::tensor({true, false})}); });
    expect_throw(n + "/neg_step", [&] { x.index({Slice(None, None, -1)}); });
    expect_throw(n + "/float_index", [&] { x.index({x}); });
  });

  // ---- index_put_ ----
  section("put_scalar_forms", [&](auto n) {
    auto x = torch::zeros({3, 4}, torch::kDouble);
    x.index_put_({1}, 5.0);
    x.index_put_({0, Slice(1, None, 2)}, 7);
    x.index_put_({Slice(), -1}, -2.5);
    x.index_put_({"...", 0}, 1);
    emit(n, x);
  });
  section("put_tensor_forms", [&](auto n) {
    auto x = torch::zeros({3, 4}, torch::kDouble);
    x.index_put_({Slice(), 0}, torch::tensor({1.0, 2.0, 3.0}, torch::kDouble));
    x.index_put_({idx({2, 2}), idx({3, 2})}, torch::tensor({8.0, 9.0}, torch::kDouble));
    x.index_put_({Slice(1, None), Slice(1, 3)}, torch::tensor({{10.0, 20.0}}, torch::kDouble));
    x.index_put_({idx({0})}, torch::tensor({{{4.0, 3.0, 2.0, 1.0}}}, torch::kDouble));
    emit(n, x);
  });
  section("put_mask", [&](auto n) {
    auto x = det({3, 4});
    x.index_put_({x > 0.3}, 0.0);
    emit(n, x);
    auto y = det({3, 4}, 1.0, 0.5);
    y.index_put_({y < 0.0}, torch::tensor(-9.0, torch::kDouble));
    emit(n + "/tensor0d", y);
  });
  section("put_long_from_double", [&](auto n) {
    auto l = torch::zeros({4}, torch::kLong);
    l.index_put_({idx({1, 3})}, 2.9);
    emit(n, l);
  });
  section("put_errors", [&](auto n) {
    auto x = torch::zeros({3, 4}, torch::kDouble);
    expect_throw(n + "/value_shape", [&] { x.index_put_({idx({0, 1})}, torch::ones({3})); });
    auto leaf_x = leaf({3});
    expect_throw(n + "/leaf", [&] { leaf_x.index_put_({0}, 1.0); });
  });
  section("put_grad", [&](auto n) {
    auto w = leaf({3, 4});
    auto v = leaf({2, 4}, 2.0, 0.9);
    auto y = w * 1.5;
    y.index_put_({idx({2, 0})}, v * 3.0);
    check(n, y, {w, v});
  });
  section("put_grad_broadcast_value", [&](auto n) {
    auto w = leaf({3, 4});
    auto v = leaf({2}, 2.0, 0.9);
    auto y = w.sin();  // (not exp: it saves its output, which the write would change)
    y.index_put_({Slice(), Slice(1, 3)}, v);
    check(n, y, {w, v});
  });
  section("put_grad_into_buffer", [&](auto n) {
    auto r = leaf({4});
    auto buf = torch::zeros({2, 4}, torch::kDouble);
    buf.index_put_({1}, r.sin());
    check(n, buf, {r});
  });
  section("put_grad_mask", [&](auto n) {
    auto w = leaf({3, 4});
    auto s = leaf({}, 1.0, 0.2);
    auto y = w * w;
    y.index_put_({w.detach() < 0.0}, s);
    check(n, y, {w, s});
  });
  section("index_put_fn_accumulate", [&](auto n) {
    auto x = leaf({5});
    auto v = leaf({3}, 1.0, 0.4);
    check(n, torch::index_put(x, {idx({1, 3, 1})}, v, true), {x, v});
  });
  section("index_put_fn", [&](auto n) {
    auto x = leaf({3, 4});
    auto v = leaf({4}, 1.0, 0.4);
    check(n, torch::index_put(x, {idx({1})}, v), {x, v});
  });

  // ---- masked_fill, any, all, accessor ----
  section("masked_fill", [&](auto n) {
    auto x = M();
    check(n, x.masked_fill(x.detach() > 0.0, -0.5), {x});
  });
  section("masked_fill_broadcast_mask", [&](auto n) {
    auto x = X();
    check(n, torch::masked_fill(x, torch::tensor({true, false, false, true}), 2), {x});
  });
  section("masked_fill_tensor_value", [&](auto n) {
    auto x = M();
    auto v = leaf({}, 1.0, 0.7);
    check(n, x.masked_fill(x.detach() < 0.0, v), {x, v});
  });
  section("masked_fill_", [&](auto n) {
    auto x = det({3, 4});
    x.masked_fill_(x.abs() < 0.5, 3);
    emit(n, x);
    auto w = leaf({3, 4});
    auto y = w.sin();
    y.masked_fill_(w.detach() > 0.5, 0.25);
    check(n + "/grad", y, {w});
  });
  section("masked_fill_errors", [&](auto n) {
    auto x = det({3, 4});
    emit(n + "/long_mask", x.masked_fill(x.gt(0.0).to(torch::kLong), 1.0));
    expect_throw(n + "/long_mask_2", [&] { x.masked_fill(x.gt(0.0).to(torch::kLong) * 2, 1.0); });
    expect_throw(n + "/1d_value", [&] { x.masked_fill(x.gt(0.0), torch::ones({1})); });
    expect_throw(n + "/inplace_broadcast", [&] {
      x.masked_fill_(torch::ones({2, 3, 4}, torch::kBool), 1.0);
    });
  });
  section("any_all", [&](auto n) {
    auto b = det({3, 4}) > 0.5;
    emit(n + "/any", b.any());
    emit(n + "/all", b.all());
    emit(n + "/any0", b.any(0));
    emit(n + "/all1", b.all(1));
    emit(n + "/any1_keep", b.any(1, true));
    emit(n + "/all0_keep", torch::all(b, 0, true));
    emit(n + "/any_double", torch::any(det({2, 3}).gt(2.0)));
    emit(n + "/all_long", torch::all(torch::tensor({1, 2, 0}), 0));
    emit(n + "/all_empty", torch::all(torch::zeros({0})));
    emit(n + "/any_empty", torch::any(torch::zeros({0})));
  });
  section("accessor", [&](auto n) {
    auto x = torch::zeros({2, 3}, torch::kDouble);
    auto a = x.accessor<double, 2>();
    for (int64_t i = 0; i < a.size(0); ++i)
      for (int64_t j = 0; j < a.size(1); ++j) a[i][j] = 10.0 * double(i) - double(j);
    emit(n, x);
    auto l = torch::arange(6).reshape({1, 2, 3});
    auto la = l.accessor<int64_t, 3>();
    emit(n + "/read", torch::tensor({la[0][1][2], la[0][0][1], la.size(2), la.stride(1)}));
  });
  // ---- the add* family ----
  section("addmm", [&](auto n) {
    auto s = leaf({3, 4}), a = leaf({3, 2}, 1.0, 0.7), b = leaf({2, 4}, 1.0, 1.9);
    check(n, torch::addmm(s, a, b, 0.5, 2.0), {s, a, b});
  });
  section("addmm_method_bias_row", [&](auto n) {
    auto s = leaf({4}), a = leaf({3, 2}, 1.0, 0.7), b = leaf({2, 4}, 1.0, 1.9);
    check(n, s.addmm(a, b), {s, a, b});
  });
  section("addmv_beta0", [&](auto n) {
    auto s = torch::full({3}, std::nan(""), torch::kDouble);
    auto m = leaf({3, 4}, 1.0, 0.7), v = leaf({4}, 1.0, 1.9);
    check(n, torch::addmv(s, m, v, 0, 3), {m, v});
  });
  section("addbmm", [&](auto n) {
    auto s = leaf({3, 4}), a = leaf({2, 3, 5}, 1.0, 0.7), b = leaf({2, 5, 4}, 1.0, 1.9);
    check(n, torch::addbmm(s, a, b, 1, 0.5), {s, a, b});
  });
  section("baddbmm", [&](auto n) {
    auto s = leaf({2, 3, 4}), a = leaf({2, 3, 5}, 1.0, 0.7), b = leaf({2, 5, 4}, 1.0, 1.9);
    check(n, torch::baddbmm(s, a, b, 2), {s, a, b});
  });
  section("addcmul", [&](auto n) {
    auto s = leaf({2, 3}), a = leaf({2, 3}, 1.0, 0.7), b = leaf({3}, 1.0, 1.9);
    check(n, torch::addcmul(s, a, b, 0.5), {s, a, b});
  });
  section("addcdiv", [&](auto n) {
    auto s = leaf({2, 3}), a = leaf({2, 3}, 1.0, 0.7), b = leaf_away({3}, 0.5, 1.9);
    check(n, s.addcdiv(a, b, -2), {s, a, b});
  });
  section("addc_inplace", [&](auto n) {
    auto s = det({2, 3});
    s.addcmul_(det({2, 3}, 1.0, 0.5), det({2, 3}, 1.0, 0.9), 0.1);
    emit(n + "/mul", s);
    s.addcdiv_(det({2, 3}, 1.0, 0.5), det({2, 3}, 1.0, 0.9).abs().add(0.5));
    emit(n + "/div", s);
  });

  // ---- sort, argsort, topk ----
  section("sort", [&](auto n) {
    auto x = leaf({3, 5});
    auto r = torch::sort(x);
    emit(n + "/indices", std::get<1>(r));
    check(n, std::get<0>(r), {x});
  });
  section("sort_desc_dim0", [&](auto n) {
    auto x = leaf({3, 5});
    auto r = x.sort(0, true);
    emit(n + "/indices", std::get<1>(r));
    check(n, std::get<0>(r), {x});
  });
  section("sort_stable_ties", [&](auto n) {
    auto t = torch::tensor({2, 1, 2, 1, 3, 1});
    emit(n + "/asc", std::get<1>(torch::sort(t, true, 0, false)));
    emit(n + "/desc", std::get<1>(torch::sort(t, true, 0, true)));
    emit(n + "/values", std::get<0>(torch::sort(t, true, -1, true)));
  });
  section("argsort", [&](auto n) {
    auto x = det({2, 3, 4});
    emit(n, x.argsort(int64_t{1}));  // (a plain 1 is ambiguous in libtorch)
    emit(n + "/desc", torch::argsort(x, -1, true));
  });
  section("topk", [&](auto n) {
    auto x = leaf({3, 5});
    auto r = torch::topk(x, 2);
    emit(n + "/indices", std::get<1>(r));
    check(n, std::get<0>(r), {x});
  });
  section("topk_smallest_dim0", [&](auto n) {
    auto x = leaf({4, 3});
    auto r = x.topk(3, 0, false);
    emit(n + "/indices", std::get<1>(r));
    check(n, std::get<0>(r), {x});
  });
  section("topk_errors",
          [&](auto n) { expect_throw(n + "/k_too_big", [&] { torch::topk(det({3}), 4); }); });

  // ---- meshgrid, einsum ----
  section("meshgrid_ij", [&](auto n) {
    auto a = leaf({3}), b = leaf({2}, 1.0, 0.8);
    check_list(n, torch::meshgrid({a, b}, "ij"), {a, b});
  });
  section("meshgrid_xy", [&](auto n) {
    auto a = leaf({3}), b = leaf({2}, 1.0, 0.8), c = leaf({4}, 1.0, 1.6);
    check_list(n, torch::meshgrid({a, b, c}, "xy"), {a, b, c});
  });
  auto ein = [&](const std::string& name, const std::string& eq,
                 std::vector<std::vector<int64_t>> shapes) {
    section(name, [&](auto n) {
      std::vector<Tensor> in;
      for (size_t k = 0; k < shapes.size(); ++k) in.push_back(leaf(shapes[k], 1.0, 0.3 + k));
      check(n, torch::einsum(eq, in), in);
    });
  };
  ein("einsum_mm", "ij,jk->ik", {{2, 3}, {3, 4}});
  ein("einsum_implicit", "ij,jk", {{2, 3}, {3, 4}});
  ein("einsum_bmm", "bij,bjk->bik", {{2, 2, 3}, {2, 3, 4}});
  ein("einsum_batch_shared", "bij,jk->bik", {{2, 2, 3}, {3, 4}});
  ein("einsum_diag", "ii->i", {{3, 3}});
  ein("einsum_trace", "ii", {{3, 3}});
  ein("einsum_transpose", "ij->ji", {{2, 3}});
  ein("einsum_outer", "i,j->ij", {{3}, {2}});
  ein("einsum_frobenius", "ij,ij->", {{2, 3}, {2, 3}});
  ein("einsum_sum_out", "ijk,ik->j", {{2, 3, 4}, {2, 4}});
  ein("einsum_three", "ij,jk,kl->il", {{2, 3}, {3, 4}, {4, 2}});
  ein("einsum_row_sums", "ij->i", {{3, 4}});
  ein("einsum_bilinear", "bn,anm,bm->ba", {{2, 3}, {4, 3, 5}, {2, 5}});
  section("einsum_errors", [&](auto n) {
    expect_throw(n + "/operands", [&] { torch::einsum("ij,jk->ik", {det({2, 3})}); });
    expect_throw(n + "/dims", [&] { torch::einsum("ij->i", {det({2, 3, 4})}); });
    expect_throw(n + "/sizes", [&] { torch::einsum("ij,jk->ik", {det({2, 3}), det({4, 2})}); });
    expect_throw(n + "/out_label", [&] { torch::einsum("ij->k", {det({2, 3})}); });
  });
  return 0;
}
