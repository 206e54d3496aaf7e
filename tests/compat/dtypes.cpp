// The integer dtypes (kUInt8, kInt8, kInt16, kInt32 next to kInt64, kBool and the two floating
// types): creation, conversion (with libtorch's x86 results for NaN and overflow), the type
// promotion of every pair, arithmetic, comparison, reductions and indexing.
#include <cmath>
#include <cstdint>
#include <limits>

#include "common.hpp"

static const std::vector<torch::ScalarType> kAll = {torch::kFloat, torch::kDouble, torch::kLong,
                                                    torch::kBool,  torch::kByte,   torch::kChar,
                                                    torch::kShort, torch::kInt};
static const std::vector<torch::ScalarType> kInts = {torch::kByte, torch::kChar, torch::kShort,
                                                     torch::kInt, torch::kLong};

// 0 Float, 1 Double, 2 Long, 3 Bool, 4 Byte, 5 Char, 6 Short, 7 Int, 9 anything else.
static int code(torch::ScalarType s) {
  for (size_t i = 0; i < kAll.size(); ++i)
    if (kAll[i] == s) return int(i);
  return 9;
}
static std::string tag(torch::ScalarType s) { return std::to_string(code(s)); }
static void emit_dtype(const std::string& name, const Tensor& t) {
  std::printf("%s/dtype %d\n", name.c_str(), code(t.scalar_type()));
}
// Values and dtype.
static void emit_full(const std::string& name, const Tensor& t) {
  emit(name, t);
  emit_dtype(name, t);
}
// Small signed test values every dtype holds (Byte wraps the negatives: the point).
static Tensor vals(torch::ScalarType s) {
  return torch::tensor({-7, -2, 0, 3, 7, 100}, torch::kLong).to(s);
}

int main() {
  section("create", [](auto n) {
    for (auto s : kInts) {
      const std::string k = n + "/" + tag(s);
      emit_full(k + "/zeros", torch::zeros({2, 2}, s));
      emit_full(k + "/ones", torch::ones({3}, s));
      emit_full(k + "/full", torch::full({2}, 5, torch::dtype(s)));
      emit_full(k + "/full_frac", torch::full({2}, 2.7, torch::dtype(s)));
      emit_full(k + "/arange", torch::arange(0, 6, 2, s));
      emit_full(k + "/arange_frac", torch::arange(0.5, 3.0, 1.5, torch::dtype(s)));
      emit_full(k + "/arange_frac_start", torch::arange(0.2, 3.7, 1, torch::dtype(s)));
      expect_throw(k + "/arange_frac_step",
                   [&] { torch::arange(0.5, 3.0, 0.75, torch::dtype(s)); });
      emit_full(k + "/tensor", torch::tensor({1, 2, 3}, s));
      emit_full(k + "/eye", torch::eye(2, s));
      auto e = torch::empty({2, 3}, s);
      emit_dtype(k + "/empty", e);
      std::printf("%s/empty/numel %lld\n", k.c_str(), static_cast<long long>(e.numel()));
      std::printf("%s/element_size %d\n", k.c_str(), int(e.element_size()));
      emit_text(k + "/toString", e.toString());
      emit_flag(k + "/is_floating_point", e.is_floating_point());
      emit_full(k + "/zeros_like", torch::zeros_like(e));
      emit_full(k + "/ones_like_float", torch::ones_like(e, torch::kFloat));
    }
    emit_full(n + "/vector_uint8", torch::tensor(std::vector<uint8_t>{1, 200, 255}));
    emit_full(n + "/vector_int8", torch::tensor(std::vector<int8_t>{-128, 5, 127}));
    emit_full(n + "/vector_int16", torch::tensor(std::vector<int16_t>{-300, 5, 30000}));
    emit_full(n + "/vector_int", torch::tensor(std::vector<int>{1, 2}));
    emit_full(n + "/braced_int_kInt", torch::tensor({{1, 2}, {3, 4}}, torch::kInt));
    emit_full(n + "/full_neg_byte", torch::full({2}, -1, torch::dtype(torch::kByte)));
    expect_throw(n + "/full_300_byte", [] { torch::full({2}, 300, torch::dtype(torch::kByte)); });
    expect_throw(n + "/full_300f_byte",
                 [] { torch::full({2}, 300.0, torch::dtype(torch::kByte)); });
    expect_throw(n + "/full_neg_char", [] { torch::full({2}, -129, torch::dtype(torch::kChar)); });
    expect_throw(n + "/fill_300_byte", [] { torch::zeros({2}, torch::kByte).fill_(300); });
  });

  section("from_blob", [](auto n) {
    uint8_t pixels[6] = {0, 17, 128, 200, 254, 255};
    auto img = torch::from_blob(pixels, {2, 3}, torch::kUInt8);
    emit_full(n + "/u8", img);
    emit_full(n + "/as_float", img.to(torch::kFloat).div(255));
    pixels[1] = 99;  // libtorch wraps the caller's memory: the tensor sees the write
    emit(n + "/aliases", img);
    int32_t ints[3] = {-5, 0, 1 << 30};
    emit_full(n + "/i32", torch::from_blob(ints, {3}, torch::kInt32));
  });

  section("convert", [](auto n) {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto f = torch::tensor(
        {300.7, -300.7, 200.9, -1.9, 1.9, 70000.5, 3e9 + 7, -3e9 - 7, 1e10, inf, -inf, nan},
        torch::kDouble);
    for (auto s : kInts) {
      emit_full(n + "/double_to_" + tag(s), f.to(s));
      emit_full(n + "/float_to_" + tag(s), f.to(torch::kFloat).to(s));
      auto v = vals(s);
      emit_full(n + "/" + tag(s) + "_to_float", v.to(torch::kFloat));
      emit_full(n + "/" + tag(s) + "_to_double", v.to(torch::kDouble));
      emit_full(n + "/" + tag(s) + "_to_bool", v.to(torch::kBool));
      for (auto t : kInts)
        emit_full(n + "/wide_" + tag(s) + "_to_" + tag(t),
                  torch::tensor({300, -1, 65537, -129}, torch::kLong).to(s).to(t));
    }
    emit_full(n + "/bool_to_byte", torch::tensor({true, false, true}).to(torch::kByte));
  });

  section("item", [](auto n) {
    auto b = torch::full({}, 200, torch::dtype(torch::kByte));
    std::printf("%s/u8 %d\n", n.c_str(), int(b.item<uint8_t>()));
    std::printf("%s/u8_as_int %d\n", n.c_str(), b.item<int>());
    std::printf("%s/i8 %d\n", n.c_str(),
                int(torch::full({}, -100, torch::dtype(torch::kChar)).item<int8_t>()));
    std::printf("%s/i16 %d\n", n.c_str(),
                int(torch::full({}, -3000, torch::dtype(torch::kShort)).item<int16_t>()));
    std::printf("%s/i32 %d\n", n.c_str(),
                torch::full({}, 123456, torch::dtype(torch::kInt)).item<int32_t>());
    std::printf("%s/float_as_int %d\n", n.c_str(), torch::full({}, 2.9).item<int>());
    expect_throw(n + "/u8_overflow", [] { torch::full({}, 300).item<uint8_t>(); });
    expect_throw(n + "/i8_overflow", [] { torch::full({}, 200.0).item<int8_t>(); });
    auto t = torch::tensor({1, 2, 3}, torch::kInt);
    t.data_ptr<int32_t>()[1] = -40;
    emit(n + "/data_ptr_i32", t);
    auto u = torch::zeros({2}, torch::kByte);
    u.data_ptr<uint8_t>()[0] = 250;
    emit(n + "/data_ptr_u8", u);
    expect_throw(n + "/data_ptr_wrong", [] { torch::zeros({2}, torch::kByte).data_ptr<int8_t>(); });
  });

  section("promote", [](auto n) {
    for (auto a : kAll)
      for (auto b : kAll) {
        const std::string k = n + "/" + tag(a) + "_" + tag(b);
        auto x = torch::ones({2}, a), y = torch::ones({2}, b);
        emit_dtype(k + "/add",
                   a == torch::kBool && b == torch::kBool ? torch::logical_or(x, y) : x + y);
        emit_dtype(k + "/dim_0d", x + torch::ones({}, b));
        emit_dtype(k + "/eq", x == y);
      }
    for (auto a : kAll) {
      auto x = torch::ones({2}, a);
      emit_dtype(n + "/" + tag(a) + "/int_scalar", x * 2);
      emit_dtype(n + "/" + tag(a) + "/double_scalar", x * 2.5);
      emit_dtype(n + "/" + tag(a) + "/div", x / torch::ones({2}, a));
      emit_dtype(n + "/" + tag(a) + "/div_int", x / 2);
    }
  });

  section("arith", [](auto n) {
    for (auto s : kInts) {
      const std::string k = n + "/" + tag(s);
      auto a = vals(s), b = torch::tensor({2, -3, 5, 2, -2, 7}, torch::kLong).to(s);
      emit_full(k + "/add", a + b);
      emit_full(k + "/sub", a - b);
      emit_full(k + "/mul", a * b);
      emit_full(k + "/div", a / b);
      emit_full(k + "/floor_divide", a.floor_divide(b));
      emit_full(k + "/remainder", a.remainder(b));
      emit_full(k + "/add_scalar", a + 5);
      emit_full(k + "/mul_double", a * 0.5);
      emit_full(k + "/floor_divide_scalar", a.floor_divide(3));
      emit_full(k + "/remainder_scalar", a.remainder(3));
      emit_full(k + "/neg", -a);
      emit_full(k + "/abs", a.abs());
      emit_full(k + "/clamp", a.clamp(-2, 50));
      emit_full(k + "/maximum", torch::maximum(a, b));
      emit_full(k + "/pow2", a.pow(2));
      emit_full(k + "/where", torch::where(a > b, a, b));
      auto c = a.clone();
      c.add_(3);
      emit_full(k + "/add_", c);
      c.mul_(b);
      emit_full(k + "/mul_", c);
      expect_throw(k + "/div_", [&] { a.clone().div_(b); });
      expect_throw(k + "/floor_divide_zero", [&] { a.floor_divide(torch::zeros({6}, s)); });
      expect_throw(k + "/remainder_zero", [&] { a.remainder(0); });
      expect_throw(k + "/requires_grad", [&] { a.clone().requires_grad_(true); });
      expect_throw(k + "/mean", [&] { a.mean(); });
    }
    auto u = torch::tensor({250, 3}, torch::kLong).to(torch::kByte);
    emit_full(n + "/u8_wrap_add", u + torch::tensor({10, 5}, torch::kLong).to(torch::kByte));
    emit_full(n + "/u8_plus_300", u + 300);
    emit_full(n + "/u8_mul", u * u);
    emit_full(n + "/i8_wrap", torch::full({1}, 100, torch::dtype(torch::kChar)) * 3);
    emit_full(n + "/i32_plus_float0d",
              torch::tensor({5}, torch::kInt) + torch::tensor(1.5, torch::kDouble));
    emit_full(n + "/u8_plus_i8", u + torch::tensor({-1, -2}, torch::kLong).to(torch::kChar));
    emit_full(n + "/i32_plus_i64",
              torch::tensor({1, 2}, torch::kInt) + torch::tensor({1, 2}, torch::kLong));
    emit_full(
        n + "/float_floor_divide",
        torch::tensor({7.0, -7.0, 7.5, 0.0}).floor_divide(torch::tensor({2.0, 2.0, -2.0, 3.0})));
    emit_full(
        n + "/float_remainder",
        torch::tensor({7.0, -7.0, 7.5, -0.5}).remainder(torch::tensor({2.0, 2.0, -2.0, 3.0})));
    emit_full(n + "/mm_int", torch::mm(torch::tensor({{1, 2}, {3, 4}}, torch::kInt),
                                       torch::tensor({{5, 6}, {7, 8}}, torch::kInt)));
  });

  // Floating math of an integer tensor computes in Float (rows "float32/": 1e-5 tolerance).
  section("float32/math", [](auto n) {
    for (auto s : kInts) {
      auto a = torch::tensor({0, 1, 2, 5, 9}, torch::kLong).to(s);
      const std::string k = n + "/" + tag(s);
      emit_full(k + "/exp", a.exp());
      emit_full(k + "/log1p", a.log1p());
      emit_full(k + "/sqrt", a.sqrt());
      emit_full(k + "/sin", a.sin());
      emit_full(k + "/tanh", a.tanh());
      emit_full(k + "/sigmoid", a.sigmoid());
      emit_full(k + "/relu", (a - 3).relu());
      emit_full(k + "/square", a.square());
      emit_full(k + "/reciprocal", (a + 1).reciprocal());
    }
  });

  section("compare", [](auto n) {
    for (auto s : kInts) {
      auto a = vals(s), b = torch::tensor({2, -3, 0, 2, 9, 100}, torch::kLong).to(s);
      const std::string k = n + "/" + tag(s);
      emit_full(k + "/lt", a < b);
      emit_full(k + "/le", a <= b);
      emit_full(k + "/eq", a == b);
      emit_full(k + "/ne", a != b);
      emit_full(k + "/gt_scalar", a > 2);
      emit_full(k + "/ge_double", a >= 2.5);
      emit_full(k + "/vs_float", a < torch::full({6}, 2.5));
    }
    emit_full(n + "/u8_vs_neg", torch::tensor({0, 255}, torch::kLong).to(torch::kByte) > -1);
  });

  section("reduce", [](auto n) {
    for (auto s : kInts) {
      auto a = vals(s).reshape({2, 3});
      const std::string k = n + "/" + tag(s);
      emit_full(k + "/sum", a.sum());
      emit_full(k + "/sum0", a.sum(0));
      emit_full(k + "/sum1_keep", a.sum(1, true));
      emit_full(k + "/sum_as_double", a.sum(torch::kDouble));
      emit_full(k + "/prod", a.prod());
      emit_full(k + "/max", a.max());
      emit_full(k + "/min", a.min());
      emit_full(k + "/amax", a.amax(1));
      emit_full(k + "/argmax", a.argmax());
      emit_full(k + "/argmin1", a.argmin(1));
      auto mx = a.max(1);
      emit_full(k + "/max1/values", std::get<0>(mx));
      emit_full(k + "/max1/indices", std::get<1>(mx));
    }
    emit_full(n + "/u8_sum_big", torch::full({4}, 200, torch::dtype(torch::kByte)).sum());
  });

  section("index", [](auto n) {
    auto x = det({4, 3}, 1.0, 0.2).to(torch::kFloat);
    auto i32 = torch::tensor({3, 0, 3}, torch::kInt);
    emit_full(n + "/index_select_i32", x.index_select(0, i32));
    emit_full(n + "/index_select_i32_dim1", x.index_select(1, torch::tensor({2, 1}, torch::kInt)));
    auto ints = vals(torch::kShort);
    emit_full(n + "/index_select_of_short",
              ints.index_select(0, torch::tensor({5, 0}, torch::kLong)));
    emit_full(n + "/index_add_i32",
              torch::zeros({4}).index_add(0, torch::tensor({1, 1, 3}, torch::kInt),
                                          torch::tensor({1.0f, 2.0f, 3.0f})));
    expect_throw(n + "/gather_i32", [&] { x.gather(1, torch::zeros({4, 1}, torch::kInt)); });
    expect_throw(n + "/index_select_u8",
                 [&] { x.index_select(0, torch::zeros({1}, torch::kByte)); });
    auto ix = torch::tensor({1, 2, 3, 4}, torch::kInt);
    emit_full(n + "/where_mask", torch::where(ix > 2, ix, torch::zeros({}, torch::kInt)));
    emit_full(n + "/gather_of_int",
              vals(torch::kInt).gather(0, torch::tensor({5, 1}, torch::kLong)));
    emit_full(n + "/cat_bytes",
              torch::cat({torch::ones({2}, torch::kByte), torch::zeros({1}, torch::kByte)}));
    emit_full(n + "/transpose_char", vals(torch::kChar).reshape({2, 3}).t().contiguous());
  });
  return 0;
}
