// The integer dtypes Byte (uint8), Char (int8), Short (int16) and Int (int32) beside Long, Bool
// and the floating types: creation, conversion, promotion, integer arithmetic, reductions,
// indexing, from_blob's aliasing and the errors libtorch gives.
#include <cmath>
#include <cstdint>
#include <limits>

#include "helpers.hpp"

using test::contains;
using test::error_of;
using test::values;
using tg::Tensor;

TEST_CASE("dtypes: names, sizes and aliases of the integer types") {
  CHECK(tg::kUInt8 == tg::kByte);
  CHECK(tg::kInt8 == tg::kChar);
  CHECK(tg::kInt16 == tg::kShort);
  CHECK(tg::kInt32 == tg::kInt);
  const std::vector<std::pair<tg::ScalarType, size_t>> sizes = {
      {tg::kByte, 1}, {tg::kChar, 1}, {tg::kShort, 2}, {tg::kInt, 4}, {tg::kLong, 8}};
  for (auto [t, n] : sizes) {
    auto x = tg::zeros({3}, t);
    CHECK(x.element_size() == n);
    CHECK(x.scalar_type() == t);
    CHECK_FALSE(x.is_floating_point());
  }
  CHECK(tg::zeros({1}, tg::kByte).toString() == "CPUByteType");
  CHECK(tg::zeros({1}, tg::kChar).toString() == "CPUCharType");
  CHECK(tg::zeros({1}, tg::kShort).toString() == "CPUShortType");
  CHECK(tg::zeros({1}, tg::kInt).toString() == "CPUIntType");
  std::ostringstream s;
  s << tg::kByte << " " << tg::kInt;
  CHECK(s.str() == "Byte Int");
}

TEST_CASE("dtypes: creation with the integer types") {
  auto a = tg::arange(0, 10, 3, tg::kInt);
  CHECK(a.scalar_type() == tg::kInt);
  CHECK(values(a) == std::vector<double>{0, 3, 6, 9});
  CHECK(values(tg::arange(0.5, 3.0, 1.5, tg::kShort)) == std::vector<double>{0, 1});
  CHECK(values(tg::arange(0.2, 3.7, 1, tg::kShort)) == std::vector<double>{0, 1, 2, 3});
  CHECK(contains(error_of([] { tg::arange(0.5, 3.0, 0.75, tg::kShort); }), "step must be nonzero"));
  CHECK(values(tg::full({2}, 2.7, tg::kChar)) == std::vector<double>{2, 2});
  CHECK(values(tg::full({2}, -1, tg::kByte)) == std::vector<double>{255, 255});  // as libtorch
  CHECK(values(tg::ones({2}, tg::kByte)) == std::vector<double>{1, 1});
  auto t = tg::tensor({{1, 2}, {3, 4}}, tg::kInt);
  CHECK(t.scalar_type() == tg::kInt);
  CHECK(values(t) == std::vector<double>{1, 2, 3, 4});
  CHECK(tg::tensor(std::vector<uint8_t>{1, 255}).scalar_type() == tg::kByte);
  CHECK(tg::tensor(std::vector<int8_t>{-1}).scalar_type() == tg::kChar);
  CHECK(tg::tensor(std::vector<int16_t>{-1}).scalar_type() == tg::kShort);
  CHECK(tg::tensor(std::vector<int>{1, 2}).scalar_type() == tg::kLong);  // int -> Long, as libtorch
  CHECK(contains(error_of([] { tg::full({2}, 300, tg::kByte); }),
                 "value cannot be converted to type uint8_t without overflow"));
  CHECK(contains(error_of([] { tg::full({2}, 1e10, tg::kInt); }),
                 "value cannot be converted to type int without overflow"));
  CHECK(contains(error_of([] { tg::zeros({2}, tg::kChar).fill_(128); }),
                 "value cannot be converted to type int8_t without overflow"));
}

TEST_CASE("dtypes: conversion truncates, wraps, and gives x86's results for NaN and overflow") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto f = tg::tensor({300.7, -300.7, -1.9, 1e10, 3e9 + 7, nan}, tg::kDouble);
  // Char/Short/Int go through int32 (out of range or NaN: INT32_MIN), Byte/Long through int64.
  CHECK(values(f.to(tg::kByte)) == std::vector<double>{44, 212, 255, 0, 7, 0});
  CHECK(values(f.to(tg::kChar)) == std::vector<double>{44, -44, -1, 0, 0, 0});
  CHECK(values(f.to(tg::kShort)) == std::vector<double>{300, -300, -1, 0, 0, 0});
  CHECK(values(f.to(tg::kInt)) ==
        std::vector<double>{300, -300, -1, -2147483648.0, -2147483648.0, -2147483648.0});
  CHECK(values(f.to(tg::kLong)) ==
        std::vector<double>{300, -300, -1, 1e10, 3e9 + 7, -9223372036854775808.0});
  auto w = tg::tensor({300, -1, 65537}, tg::kLong);
  CHECK(values(w.to(tg::kByte)) == std::vector<double>{44, 255, 1});
  CHECK(values(w.to(tg::kShort)) == std::vector<double>{300, -1, 1});
  CHECK(values(tg::tensor({0, 5}, tg::kInt).to(tg::kBool)) == std::vector<double>{0, 1});
  CHECK(values(tg::tensor({200}, tg::kByte).to(tg::kFloat)) == std::vector<double>{200});
}

TEST_CASE("dtypes: item<T>, data_ptr<T> and requires_grad") {
  CHECK(tg::full({}, 200, tg::kByte).item<uint8_t>() == 200);
  CHECK(tg::full({}, -100, tg::kChar).item<int8_t>() == -100);
  CHECK(tg::full({}, -3000, tg::kShort).item<int16_t>() == -3000);
  CHECK(tg::full({}, 123456, tg::kInt).item<int>() == 123456);
  CHECK(tg::full({}, 2.9).item<int>() == 2);
  CHECK(contains(error_of([] { tg::full({}, 300).item<uint8_t>(); }), "uint8_t without overflow"));
  auto t = tg::tensor({1, 2, 3}, tg::kInt);
  t.data_ptr<int32_t>()[1] = -40;
  CHECK(values(t) == std::vector<double>{1, -40, 3});
  CHECK(contains(error_of([&] { t.data_ptr<int8_t>(); }), "expected scalar type Int"));
  CHECK(contains(error_of([&] { t.requires_grad_(true); }),
                 "Only Tensors of floating point and complex dtype can require gradients"));
}

TEST_CASE("dtypes: promotion follows c10's table") {
  auto promote = [](tg::ScalarType a, tg::ScalarType b) {
    return (tg::ones({1}, a) + tg::ones({1}, b)).scalar_type();
  };
  CHECK(promote(tg::kByte, tg::kChar) == tg::kShort);
  CHECK(promote(tg::kByte, tg::kShort) == tg::kShort);
  CHECK(promote(tg::kByte, tg::kBool) == tg::kByte);
  CHECK(promote(tg::kChar, tg::kInt) == tg::kInt);
  CHECK(promote(tg::kInt, tg::kLong) == tg::kLong);
  CHECK(promote(tg::kInt, tg::kFloat) == tg::kFloat);
  CHECK(promote(tg::kShort, tg::kDouble) == tg::kDouble);
  auto i = tg::tensor({1, 2}, tg::kInt), u = tg::tensor({1, 2}, tg::kByte);
  CHECK((i + u).scalar_type() == tg::kInt);
  CHECK((u + tg::tensor({1, 2}, tg::kChar)).scalar_type() == tg::kShort);
  CHECK((i * 2).scalar_type() == tg::kInt);                          // a number keeps the tensor's
  CHECK((i * 2.5).scalar_type() == tg::kFloat);                      // ... unless it is floating
  CHECK((u + tg::tensor(5, tg::kLong)).scalar_type() == tg::kByte);  // 0-d: same category
  CHECK((i + tg::tensor(1.5, tg::kDouble)).scalar_type() == tg::kDouble);  // higher category
  CHECK((i + tg::ones({2}, tg::kFloat)).scalar_type() == tg::kFloat);
  CHECK((i < u).scalar_type() == tg::kBool);
}

TEST_CASE("dtypes: integer arithmetic wraps and divides as libtorch") {
  auto u = tg::tensor({250, 3}, tg::kLong).to(tg::kByte);
  CHECK(values(u + tg::tensor({10, 5}, tg::kLong).to(tg::kByte)) == std::vector<double>{4, 8});
  CHECK(values(u + 300) == std::vector<double>{38, 47});  // the 300 wraps to 44 first
  CHECK(values(-u) == std::vector<double>{6, 253});
  CHECK(values(tg::full({1}, 100, tg::kChar) * 3) == std::vector<double>{44});
  auto a = tg::tensor({7, -7, 7, -7}, tg::kInt), b = tg::tensor({2, 2, -2, -2}, tg::kInt);
  auto d = a / b;
  CHECK(d.scalar_type() == tg::kFloat);
  CHECK(values(d) == std::vector<double>{3.5, -3.5, -3.5, 3.5});
  auto q = a.floor_divide(b);
  CHECK(q.scalar_type() == tg::kInt);
  CHECK(values(q) == std::vector<double>{3, -4, -4, 3});
  CHECK(values(a.remainder(b)) == std::vector<double>{1, 1, -1, -1});
  CHECK(values(a.remainder(3)) == std::vector<double>{1, 2, 1, 2});
  CHECK(values(tg::tensor({7.0, -7.0}).floor_divide(2.0)) == std::vector<double>{3, -4});
  CHECK(values(tg::tensor({7.5, -0.5}).remainder(2.0)) == std::vector<double>{1.5, 1.5});
  CHECK(contains(error_of([&] { a.floor_divide(0); }), "ZeroDivisionError"));
  CHECK(contains(error_of([&] { a.remainder(tg::zeros({4}, tg::kInt)); }), "ZeroDivisionError"));
  CHECK(contains(error_of([&] { a.clone().div_(b); }), "can't be cast to the desired output type"));
  auto c = a.clone();
  c.mul_(b);
  CHECK(values(c) == std::vector<double>{14, -14, -14, 14});
  CHECK(c.scalar_type() == tg::kInt);
  CHECK(values(tg::mm(tg::tensor({{1, 2}, {3, 4}}, tg::kShort),
                      tg::tensor({{5}, {6}}, tg::kShort))) == std::vector<double>{17, 39});
}

TEST_CASE("dtypes: floating math of an integer tensor computes in Float") {
  auto a = tg::tensor({0, 4}, tg::kInt);
  CHECK(a.exp().scalar_type() == tg::kFloat);
  CHECK(values(a.sqrt()) == std::vector<double>{0, 2});
  CHECK(values(a.sigmoid())[0] == 0.5);
  CHECK(a.relu().scalar_type() == tg::kInt);  // relu keeps the integer dtype
}

TEST_CASE("dtypes: comparisons, reductions and indexing with the small integer types") {
  auto a = tg::tensor({-7, -2, 0, 3, 7, 100}, tg::kChar).reshape({2, 3});
  CHECK(values(a > 0) == std::vector<double>{0, 0, 0, 1, 1, 1});
  CHECK(values(a >= 2.5) == std::vector<double>{0, 0, 0, 1, 1, 1});
  auto s = a.sum();
  CHECK(s.scalar_type() == tg::kLong);
  CHECK(s.item<int64_t>() == 101);
  CHECK(values(a.sum(0)) == std::vector<double>{-4, 5, 100});
  CHECK(a.sum(0).scalar_type() == tg::kLong);
  CHECK(tg::full({4}, 200, tg::kByte).sum().item<int64_t>() == 800);
  auto si = a.sum(0, false, tg::kInt);  // a dtype given is the result's
  CHECK(si.scalar_type() == tg::kInt);
  CHECK(values(si) == std::vector<double>{-4, 5, 100});
  CHECK(tg::full({3}, 100, tg::kByte).sum(tg::kByte).item<int>() == 44);  // 300 wraps
  CHECK(a.prod().scalar_type() == tg::kLong);
  CHECK(a.max().scalar_type() == tg::kChar);
  CHECK(a.max().item<int>() == 100);
  CHECK(a.argmin().item<int64_t>() == 0);
  CHECK(values(a.argmax(1)) == std::vector<double>{2, 2});
  CHECK(contains(error_of([&] { a.mean(); }), "Input dtype must be either a floating point"));
  auto x = tg::arange(12, tg::kFloat).reshape({4, 3});
  CHECK(values(x.index_select(0, tg::tensor({3, 0}, tg::kInt))) ==
        std::vector<double>{9, 10, 11, 0, 1, 2});
  CHECK(values(tg::zeros({3}).index_add(0, tg::tensor({1, 1}, tg::kInt), tg::ones({2}))) ==
        std::vector<double>{0, 2, 0});
  CHECK(contains(error_of([&] {
                   x.gather(0, tg::zeros({1, 3}, tg::kInt));
                 }),
                 "Expected dtype int64 for index"));
  CHECK(contains(error_of([&] { x.index_select(0, tg::zeros({1}, tg::kByte)); }),
                 "Expected dtype int32 or int64 for index"));
}

TEST_CASE("dtypes: from_blob wraps uint8 image data without copying") {
  uint8_t pixels[4] = {0, 51, 204, 255};
  auto img = tg::from_blob(pixels, {2, 2}, tg::kUInt8);
  CHECK(img.data_ptr<uint8_t>() == pixels);
  CHECK(values(img.to(tg::kFloat).div(255)) == std::vector<double>{0, 0.2f, 0.8f, 1});
  pixels[0] = 7;
  CHECK(img[0][0].item<int>() == 7);
  img[1].fill_(9);  // and writes reach the caller's buffer
  CHECK(pixels[2] == 9);
  int freed = 0;
  {
    auto* owned = new int32_t[3]{1, 2, 3};
    auto t = tg::from_blob(
        owned, {3}, [&freed](void* p) { delete[] static_cast<int32_t*>(p), ++freed; }, tg::kInt);
    auto v = t.reshape({3, 1});  // a view keeps the memory alive
    t = Tensor();
    CHECK(freed == 0);
    CHECK(values(v) == std::vector<double>{1, 2, 3});
  }
  CHECK(freed == 1);
}
