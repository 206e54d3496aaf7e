// The tensor handle of api.md Tier 1: creation, dtypes and their promotion, metadata,
// conversions, storage sharing, and the random functions (checked by range and statistics:
// the two libraries' generators differ, so their values cannot be compared).
#include <cmath>

#include "common.hpp"

// 0 float32, 1 float64, 2 int64, 3 bool, 9 anything else.
static int dtype_code(const Tensor& t) {
  auto s = t.scalar_type();
  return s == torch::kFloat32   ? 0
         : s == torch::kFloat64 ? 1
         : s == torch::kInt64   ? 2
         : s == torch::kBool    ? 3
                                : 9;
}
// A tensor's values, then its dtype code and its shape as separate rows.
static void emit_full(const std::string& name, const Tensor& t) {
  emit(name, t);
  std::printf("%s/dtype %d\n%s/shape", name.c_str(), dtype_code(t), name.c_str());
  for (auto s : t.sizes()) std::printf(" %lld", static_cast<long long>(s));
  std::printf("\n");
}
static Tensor scalar_row(double v) { return torch::tensor(v, torch::kDouble); }

int main() {
  section("create", [](auto n) {
    emit_full(n + "/zeros", torch::zeros({2, 3}));
    emit_full(n + "/ones_double", torch::ones({2}, torch::kDouble));
    emit_full(n + "/full", torch::full({2, 2}, 1.5));
    emit_full(n + "/full_double", torch::full({3}, -0.25, torch::dtype(torch::kDouble)));
    emit_full(n + "/eye", torch::eye(3));
    emit_full(n + "/eye_rect", torch::eye(2, 3, torch::kDouble));
    emit_full(n + "/arange", torch::arange(5));
    emit_full(n + "/arange_double", torch::arange(5, torch::kDouble));
    emit_full(n + "/arange_start", torch::arange(2, 6));
    emit_full(n + "/arange_step", torch::arange(0, 1, 0.25));
    emit_full(n + "/arange_step_double", torch::arange(0.5, 2.0, 0.5, torch::kDouble));
    emit_full(n + "/linspace", torch::linspace(0, 1, 5));
    emit_full(n + "/linspace_double", torch::linspace(-1, 1, 4, torch::kDouble));
    emit_full(n + "/empty_shape", torch::zeros_like(torch::empty({2, 0, 3})));
    auto x = det({2, 3});
    emit_full(n + "/zeros_like", torch::zeros_like(x));
    emit_full(n + "/ones_like", torch::ones_like(x));
    emit_full(n + "/ones_like_float", torch::ones_like(x, torch::kFloat32));
    double buf[4] = {1.5, -2.0, 3.25, 0.125};
    emit_full(n + "/from_blob", torch::from_blob(buf, {2, 2}, torch::kDouble));
    float fbuf[3] = {0.1f, 0.2f, 0.3f};
    emit_full(n + "/from_blob_float", torch::from_blob(fbuf, {3}));
  });
  section("literal", [](auto n) {
    emit_full(n + "/scalar", torch::tensor(2.5));
    emit_full(n + "/scalar_double", torch::tensor(2.5, torch::kDouble));
    emit_full(n + "/list", torch::tensor({1.0, 2.0, 3.5}));
    emit_full(n + "/list_double", torch::tensor({1.0, 2.0, 3.5}, torch::kDouble));
    emit_full(n + "/nested", torch::tensor({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}}, torch::kDouble));
    emit_full(n + "/vector", torch::tensor(std::vector<double>{0.5, 0.25}, torch::kDouble));
    emit_full(n + "/long", torch::tensor({3, 1, 2}, torch::kLong));
    emit_full(n + "/bool", torch::tensor({true, false, true}));
  });
  section("meta", [](auto n) {
    auto x = det({2, 3, 4});
    emit(n + "/dim", scalar_row(double(x.dim())));
    emit(n + "/numel", scalar_row(double(x.numel())));
    emit(n + "/size", torch::tensor(std::vector<double>{double(x.size(0)), double(x.size(-1)),
                                                        double(x.size(-2))},
                                    torch::kDouble));
    emit(n + "/sizes1", scalar_row(double(x.sizes()[1])));
    emit(n + "/item", scalar_row(x.sum().item<double>()));
    emit(n + "/item_float", scalar_row(double(x.to(torch::kFloat32).max().item<float>())));
    emit(n + "/item_long", scalar_row(double(torch::arange(7).sum().item<int64_t>())));
    emit(n + "/data_ptr", scalar_row(x.data_ptr<double>()[5]));
    emit(n + "/contiguous", x.transpose(0, 2).contiguous().reshape({-1}).narrow(0, 0, 6));
  });
  section("convert", [](auto n) {
    auto x = torch::tensor({0.1, -1.7, 2.5, 0.0}, torch::kDouble);
    emit_full(n + "/to_float", x.to(torch::kFloat32));  // rounding to float, printed exactly
    emit_full(n + "/to_long", x.to(torch::kLong));      // truncation toward zero
    emit_full(n + "/to_bool", x.to(torch::kBool));
    emit_full(n + "/bool_to_double", x.gt(0.0).to(torch::kDouble));
    emit_full(n + "/to_options", x.to(torch::dtype(torch::kFloat32)));
  });
  section("storage", [](auto n) {
    auto x = det({3}, 1.0, 0.3);
    auto c = x.clone();
    c.add_(1.0);  // a clone is independent
    emit(n + "/after_clone_add", x);
    auto d = x.detach();
    d.mul_(2.0);  // detach shares storage, as in libtorch
    emit(n + "/after_detach_mul", x);
    auto v = x.view({3, 1});
    v.sub_(0.5);  // so does view
    emit(n + "/after_view_sub", x);
  });
  // Type promotion: integer tensors with float scalars give the default dtype; two tensors of
  // different float dtypes give the wider one; a 0-d tensor does not widen a dimensioned one.
  section("promote", [](auto n) {
    auto l = torch::arange(6).reshape({2, 3});
    emit_full(n + "/long_mul_double_scalar", l * 0.5);
    emit_full(n + "/long_add_long", l + l);
    emit_full(n + "/long_mul_int_scalar", l * 3);
    emit_full(n + "/long_div_long", l / torch::full({3}, 4, torch::kLong));
    emit_full(n + "/long_add_double", l + det({3}));
    emit_full(n + "/float_add_double", det({3}).to(torch::kFloat32) + det({3}, 1.0, 0.5));
    emit_full(n + "/float_mul_double_0d",
              det({3}).to(torch::kFloat32) * torch::tensor(0.5, torch::kDouble));
    emit_full(n + "/bool_sum", torch::tensor({true, false, true}).sum());
    emit_full(n + "/long_sum_dim", l.sum({1}));
    emit_full(n + "/argmax_dtype", det({5}).argmax());
    emit_full(n + "/compare_dtype", l.gt(2));
    emit_full(n + "/where_scalar", torch::where(l.gt(2), det({2, 3}), 0.0));
  });
  section("grad_options", [](auto n) {
    auto a = torch::ones({2}, torch::requires_grad());
    emit_flag(n + "/requires_grad", a.requires_grad());
    std::printf("%s/dtype %d\n", n.c_str(), dtype_code(a));
    auto b = torch::zeros({2}, torch::dtype(torch::kDouble).requires_grad(true));
    emit_flag(n + "/requires_grad_double", b.requires_grad() && dtype_code(b) == 1);
  });
  // Random: shapes, dtypes, ranges, reproducibility under manual_seed, rough moments.
  section("random", [](auto n) {
    torch::manual_seed(7);
    auto a = torch::randn({4000});
    torch::manual_seed(7);
    auto b = torch::randn({4000});
    emit_flag(n + "/seed_repeats", a.equal(b));
    emit_flag(n + "/randn_float", dtype_code(a) == 0);
    emit_flag(n + "/randn_mean", std::fabs(a.mean().item<float>()) < 0.08);
    emit_flag(n + "/randn_std", std::fabs(a.std().item<float>() - 1.0) < 0.08);
    auto u = torch::rand({4000}, torch::kDouble);
    emit_flag(n + "/rand_range", u.min().item<double>() >= 0.0 && u.max().item<double>() < 1.0);
    emit_flag(n + "/rand_mean", std::fabs(u.mean().item<double>() - 0.5) < 0.03);
    auto r = torch::randint(3, 9, {500});
    emit_flag(n + "/randint_range", r.min().item<int64_t>() == 3 && r.max().item<int64_t>() == 8);
    emit_flag(n + "/randint_long", dtype_code(r) == 2);
    auto r2 = torch::randint(4, {2, 3});
    emit_flag(n + "/randint_high_shape",
              r2.size(0) == 2 && r2.size(1) == 3 && r2.max().item<int64_t>() < 4);
    auto l = torch::randn_like(det({3, 2}));
    emit_flag(n + "/randn_like", l.size(0) == 3 && l.size(1) == 2 && dtype_code(l) == 1);
  });
  return 0;
}
