#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// 1-D/3-D, adaptive max, unpooling, fractional and LP pooling, and padding: values from
// PyTorch's own C++ API tests (test/cpp/api/modules.cpp, functional.cpp) and libtorch's prints.

#include <sstream>
#include <string>
#include <vector>

namespace {

using tg::Tensor;
namespace nn = tg::nn;
namespace F = tg::nn::functional;
using Ints = std::vector<int64_t>;

template <class M>
std::string str(const M& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}
bool same(const Tensor& a, const Tensor& b) { return a.sizes() == b.sizes() && tg::allclose(a, b); }
Tensor f(tg::TensorData d) { return tg::tensor(d, tg::kFloat); }
Tensor l(tg::TensorData d) { return tg::tensor(d, tg::kLong); }

}  // namespace

TEST_CASE("max_pool1d/3d: values, indices and gradients") {
  nn::MaxPool1d m1(nn::MaxPool1dOptions(3).stride(2));
  auto x = tg::ones({1, 1, 5}, tg::requires_grad());
  auto [y, idx] = m1->forward_with_indices(x);
  CHECK(same(y, tg::ones({1, 1, 2})));
  CHECK(tg::equal(idx, l({{{0, 2}}})));
  y.sum().backward();
  CHECK(tg::equal(x.grad(), f({{{1, 0, 1, 0, 0}}})));

  nn::MaxPool3d m3(nn::MaxPool3dOptions(3).stride(2));
  auto [y3, i3] = m3->forward_with_indices(tg::ones({2, 5, 5, 5}));
  CHECK(y3.sizes() == Ints{2, 2, 2, 2});
  CHECK(tg::equal(i3, l({{{{0, 2}, {10, 12}}, {{50, 52}, {60, 62}}},
                         {{{0, 2}, {10, 12}}, {{50, 52}, {60, 62}}}})));
  auto a = tg::arange(0., 40).reshape({1, 2, 4, 5});
  CHECK(tg::equal(
      F::max_pool3d(a.unsqueeze(0), F::MaxPool3dFuncOptions({1, 2, 2}).padding({0, 1, 1})),
      F::max_pool2d(a, F::MaxPool2dFuncOptions(2).padding(1)).unsqueeze(0)));
}

TEST_CASE("avg_pool1d/3d") {
  CHECK(same(F::avg_pool1d(tg::ones({1, 1, 5}), F::AvgPool1dFuncOptions(3).stride(2)),
             tg::ones({1, 1, 2})));
  auto x = tg::arange(0., 8).reshape({1, 1, 8});
  CHECK(same(F::avg_pool1d(x, F::AvgPool1dFuncOptions(3).stride(2).padding(1)),
             f({{{1. / 3., 2., 4., 6.}}})));
  CHECK(same(
      F::avg_pool1d(x, F::AvgPool1dFuncOptions(3).stride(2).padding(1).count_include_pad(false)),
      f({{{0.5, 2., 4., 6.}}})));
  auto x3 = tg::arange(0., 27).reshape({1, 3, 3, 3});
  CHECK(same(F::avg_pool3d(x3, F::AvgPool3dFuncOptions(2).stride(1)),
             f({{{{6.5, 7.5}, {9.5, 10.5}}, {{15.5, 16.5}, {18.5, 19.5}}}})));
  // One window over cells {0, 1}^3 (sum 52) of the padded 3x3x3 input.
  CHECK(same(F::avg_pool3d(x3, F::AvgPool3dFuncOptions(3).padding(1).divisor_override(2)),
             f({{{{26}}}})));
  CHECK(same(F::avg_pool3d(x3, F::AvgPool3dFuncOptions(3).padding(1)), f({{{{52. / 27}}}})));
  CHECK(same(F::avg_pool3d(x3, F::AvgPool3dFuncOptions(3).padding(1).count_include_pad(false)),
             f({{{{52. / 8}}}})));
  CHECK(same(F::avg_pool3d(x3, F::AvgPool3dFuncOptions(3)), f({{{{13}}}})));
}

TEST_CASE("adaptive max/avg pools") {
  nn::AdaptiveMaxPool1d m(3);
  auto x = f({{{1, 2, 3, 4, 5}}});
  auto [y, idx] = m->forward_with_indices(x);
  CHECK(same(y, f({{{2, 4, 5}}})));
  CHECK(tg::equal(idx, l({{{1, 3, 4}}})));
  auto a = tg::arange(0., 40).reshape({2, 5, 4});
  auto [y2, i2] =
      nn::AdaptiveMaxPool2d(nn::AdaptiveMaxPool2dOptions({3, 2}))->forward_with_indices(a);
  CHECK(same(y2, f({{{5, 7}, {13, 15}, {17, 19}}, {{25, 27}, {33, 35}, {37, 39}}})));
  CHECK(tg::equal(i2, l({{{5, 7}, {13, 15}, {17, 19}}, {{5, 7}, {13, 15}, {17, 19}}})));
  auto b = tg::arange(0., 64).reshape({1, 4, 4, 4});
  CHECK(same(nn::AdaptiveMaxPool3d(3)(b).squeeze(0),
             f({{{21, 22, 23}, {25, 26, 27}, {29, 30, 31}},
                {{37, 38, 39}, {41, 42, 43}, {45, 46, 47}},
                {{53, 54, 55}, {57, 58, 59}, {61, 62, 63}}})));
  CHECK(same(nn::AdaptiveAvgPool1d(3)(x), f({{{1.5, 3.0, 4.5}}})));
  CHECK(same(nn::AdaptiveAvgPool3d(3)(b).squeeze(0),
             f({{{10.5, 11.5, 12.5}, {14.5, 15.5, 16.5}, {18.5, 19.5, 20.5}},
                {{26.5, 27.5, 28.5}, {30.5, 31.5, 32.5}, {34.5, 35.5, 36.5}},
                {{42.5, 43.5, 44.5}, {46.5, 47.5, 48.5}, {50.5, 51.5, 52.5}}})));
  CHECK(nn::AdaptiveMaxPool2d(nn::AdaptiveMaxPool2dOptions({3, std::nullopt}))(a).sizes() ==
        Ints{2, 3, 4});
}

TEST_CASE("max_unpool1d/2d/3d") {
  nn::MaxPool1d pool{nn::MaxPool1dOptions(2).stride(2)};
  nn::MaxUnpool1d unpool{nn::MaxUnpool1dOptions(2).stride(2)};
  auto input = f({{{1, 2, 3, 4, 5, 6, 7, 8, 9}}});
  auto [out, idx] = pool->forward_with_indices(input);
  CHECK(same(unpool(out, idx, input.sizes().vec()), f({{{0, 2, 0, 4, 0, 6, 0, 8, 0}}})));
  CHECK(same(unpool(out, idx), f({{{0, 2, 0, 4, 0, 6, 0, 8}}})));
  auto y = F::max_unpool1d(f({{{2, 4, 5}}}), l({{{1, 3, 4}}}),
                           F::MaxUnpool1dFuncOptions(3).stride(2).padding(1));
  CHECK(same(y, f({{{0, 2, 0, 4, 5}}})));
  nn::MaxPool2d pool2{nn::MaxPool2dOptions(2).stride(2)};
  nn::MaxUnpool2d unpool2{nn::MaxUnpool2dOptions(2).stride(2)};
  auto in2 = f({{{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}}}});
  auto [o2, i2] = pool2->forward_with_indices(in2);
  CHECK(same(unpool2(o2, i2, Ints{1, 1, 5, 5}), f({{{{0, 0, 0, 0, 0},
                                                     {6, 0, 8, 0, 0},
                                                     {0, 0, 0, 14, 0},
                                                     {16, 0, 0, 0, 0},
                                                     {0, 0, 0, 0, 0}}}})));
  auto y3 = nn::MaxUnpool3d { 3 } -> forward(f({{{{{26}}}}}), l({{{{{26}}}}}));
  CHECK(y3.sizes() == Ints{1, 1, 3, 3, 3});
  CHECK(y3.flatten()[26].item<double>() == 26);
  CHECK(test::contains(test::error_of([&] {
                         unpool2(o2, i2, Ints{1, 1, 9, 9});
                       }),
                       "invalid output_size"));
}

TEST_CASE("fractional_max_pool2d/3d") {
  auto x = tg::ones({2, 5, 5});
  auto [y, idx] =
      F::fractional_max_pool2d_with_indices(x, F::FractionalMaxPool2dFuncOptions(3).output_size(2));
  CHECK(same(y, tg::ones({2, 2, 2})));
  CHECK(tg::equal(idx, l({{{0, 2}, {10, 12}}, {{0, 2}, {10, 12}}})));
  // Windows from given samples: u = 0.5 over a 7-wide input, kernel 2, 3 outputs:
  // alpha = 5 / 2, starts int((i + .5) 2.5) - int(1.25) = 0, 2, then 5 (the last).
  auto a = tg::arange(0., 49).reshape({1, 1, 7, 7});
  auto u = tg::full({1, 1, 2}, 0.5);
  auto [ya, ia] = F::fractional_max_pool2d_with_indices(
      a, F::FractionalMaxPool2dFuncOptions(2).output_size(3)._random_samples(u));
  CHECK(tg::equal(ia, l({{{{8, 10, 13}, {22, 24, 27}, {43, 45, 48}}}})));
  nn::FractionalMaxPool3d m3(nn::FractionalMaxPool3dOptions(3).output_size(2));
  auto [y3, i3] = m3->forward_with_indices(tg::ones({2, 5, 5, 5}));
  CHECK(tg::equal(i3, l({{{{0, 2}, {10, 12}}, {{50, 52}, {60, 62}}},
                         {{{0, 2}, {10, 12}}, {{50, 52}, {60, 62}}}})));
  CHECK(test::contains(
      test::error_of([] { nn::FractionalMaxPool2d(nn::FractionalMaxPool2dOptions(2)); }),
      "FractionalMaxPool2d requires specifying either an output size, or a pooling ratio"));
}

TEST_CASE("lp_pool1d/2d") {
  auto y = nn::LPPool1d(nn::LPPool1dOptions(2, 3).stride(2))(tg::ones({1, 1, 5}));
  CHECK(same(y, tg::full({1, 1, 2}, std::sqrt(3.0))));
  auto y2 = F::lp_pool2d(tg::ones({1, 2, 5}), F::LPPool2dFuncOptions(2, Ints{2, 3}).stride(2));
  CHECK(same(y2, tg::full({1, 1, 2}, std::sqrt(6.0))));
  auto x = f({{{1, -2, 3, 4}}});
  CHECK(same(F::lp_pool1d(x, F::LPPool1dFuncOptions(1, 2)), f({{{-1, 7}}})));
}

TEST_CASE("F::pad: modes, negative pads, errors") {
  auto x = tg::arange(6, tg::kDouble).reshape({1, 2, 3});
  CHECK(same(F::pad(x, F::PadFuncOptions({1, 2}).mode(tg::kCircular)),
             tg::tensor({{{2., 0., 1., 2., 0., 1.}, {5., 3., 4., 5., 3., 4.}}})));
  CHECK(same(F::pad(x, F::PadFuncOptions({2, 1}).mode(tg::kReflect)),
             tg::tensor({{{2., 1., 0., 1., 2., 1.}, {5., 4., 3., 4., 5., 4.}}})));
  CHECK(same(F::pad(x, F::PadFuncOptions({2, 1}).mode(tg::kReplicate)),
             tg::tensor({{{0., 0., 0., 1., 2., 2.}, {3., 3., 3., 4., 5., 5.}}})));
  CHECK(same(F::pad(x, F::PadFuncOptions({-1, 2}).value(7)),
             tg::tensor({{{1., 2., 7., 7.}, {4., 5., 7., 7.}}})));
  CHECK(same(F::pad(x, F::PadFuncOptions({1, 0, 0, 1})),
             tg::tensor({{{0., 0., 1., 2.}, {0., 3., 4., 5.}, {0., 0., 0., 0.}}})));
  CHECK(same(F::pad(x, F::PadFuncOptions({-1, 1}).mode(tg::kCircular)),
             tg::tensor({{{1., 2., 1.}, {4., 5., 4.}}})));
  CHECK(test::contains(test::error_of([&] {
                         F::pad(x, F::PadFuncOptions({3, 0}).mode(tg::kReflect));
                       }),
                       "Padding size should be less than the corresponding input dimension"));
  CHECK(
      test::contains(test::error_of([&] { F::pad(x, F::PadFuncOptions({1}).mode(tg::kReflect)); }),
                     "Padding length must be divisible by 2"));
  CHECK(test::contains(test::error_of([&] {
                         F::pad(x, F::PadFuncOptions({1, 1}).mode(tg::kReflect).value(1));
                       }),
                       "Padding mode \"reflect\" doesn't take in value argument"));
  CHECK(F::pad(tg::ones({1, 1, 1, 1}), F::PadFuncOptions({1, 1})).sizes() == Ints{1, 1, 1, 3});
}

TEST_CASE("padding layers") {
  auto x = tg::arange(9, tg::kFloat).reshape({1, 1, 3, 3});
  CHECK(same(nn::ReflectionPad2d(nn::ReflectionPad2dOptions({1, 1, 2, 0}))(x),
             f({{{{7., 6., 7., 8., 7.},
                  {4., 3., 4., 5., 4.},
                  {1., 0., 1., 2., 1.},
                  {4., 3., 4., 5., 4.},
                  {7., 6., 7., 8., 7.}}}})));
  CHECK(same(nn::ReplicationPad2d(nn::ReplicationPad2dOptions({1, 1, 2, 0}))(x),
             f({{{{0., 0., 1., 2., 2.},
                  {0., 0., 1., 2., 2.},
                  {0., 0., 1., 2., 2.},
                  {3., 3., 4., 5., 5.},
                  {6., 6., 7., 8., 8.}}}})));
  CHECK(same(nn::ZeroPad2d(nn::ZeroPad2dOptions({1, 1, 2, 0}))(x), f({{{{0., 0., 0., 0., 0.},
                                                                        {0., 0., 0., 0., 0.},
                                                                        {0., 0., 1., 2., 0.},
                                                                        {0., 3., 4., 5., 0.},
                                                                        {0., 6., 7., 8., 0.}}}})));
  auto y = nn::ConstantPad1d(nn::ConstantPad1dOptions({3, 1}, 3.5))(
      tg::arange(6, tg::kFloat).reshape({1, 2, 3}));
  CHECK(same(y, f({{{3.5, 3.5, 3.5, 0., 1., 2., 3.5}, {3.5, 3.5, 3.5, 3., 4., 5., 3.5}}})));
  auto z = nn::ReflectionPad3d(nn::ReflectionPad3dOptions({0, 1, 1, 0, 1, 2}))(
      tg::arange(16, tg::kFloat).reshape({1, 1, 4, 2, 2}));
  CHECK(z.sizes() == Ints{1, 1, 7, 3, 3});
  CHECK(same(z[0][0][0], f({{6., 7., 6.}, {4., 5., 4.}, {6., 7., 6.}})));
}

TEST_CASE("pooling and padding layers print as libtorch") {
  CHECK(str(nn::MaxPool1d(5)) ==
        "torch::nn::MaxPool1d(kernel_size=5, stride=5, padding=0, dilation=1, ceil_mode=false)");
  CHECK(str(nn::MaxPool3d(nn::MaxPool3dOptions(5).stride(2))) ==
        "torch::nn::MaxPool3d(kernel_size=[5, 5, 5], stride=[2, 2, 2], padding=[0, 0, 0], "
        "dilation=[1, 1, 1], ceil_mode=false)");
  CHECK(str(nn::AvgPool1d(5)) == "torch::nn::AvgPool1d(kernel_size=5, stride=5, padding=0)");
  CHECK(str(nn::AvgPool3d(5)) ==
        "torch::nn::AvgPool3d(kernel_size=[5, 5, 5], stride=[5, 5, 5], padding=[0, 0, 0])");
  CHECK(str(nn::FractionalMaxPool2d(nn::FractionalMaxPool2dOptions(5).output_size(1))) ==
        "torch::nn::FractionalMaxPool2d()");
  CHECK(str(nn::LPPool1d(nn::LPPool1dOptions(1, 2).stride(5).ceil_mode(true))) ==
        "torch::nn::LPPool1d(norm_type=1, kernel_size=2, stride=5, ceil_mode=true)");
  CHECK(str(nn::LPPool2d(2, Ints({1, 2}))) ==
        "torch::nn::LPPool2d(norm_type=2, kernel_size=[1, 2], stride=[1, 2], ceil_mode=false)");
  CHECK(str(nn::AdaptiveMaxPool1d(5)) == "torch::nn::AdaptiveMaxPool1d(output_size=5)");
  CHECK(str(nn::AdaptiveMaxPool3d(nn::AdaptiveMaxPool3dOptions({5, std::nullopt, 7}))) ==
        "torch::nn::AdaptiveMaxPool3d(output_size=[5, None, 7])");
  CHECK(str(nn::AdaptiveAvgPool1d(5)) == "torch::nn::AdaptiveAvgPool1d(output_size=5)");
  CHECK(str(nn::AdaptiveAvgPool3d(5)) == "torch::nn::AdaptiveAvgPool3d(output_size=[5, 5, 5])");
  CHECK(str(nn::MaxUnpool1d(nn::MaxUnpool1dOptions(5).stride(3).padding(1))) ==
        "torch::nn::MaxUnpool1d(kernel_size=5, stride=3, padding=1)");
  CHECK(str(nn::MaxUnpool2d(Ints{5, 6})) ==
        "torch::nn::MaxUnpool2d(kernel_size=[5, 6], stride=[5, 6], padding=[0, 0])");
  CHECK(str(nn::ReflectionPad1d(nn::ReflectionPad1dOptions(2))) ==
        "torch::nn::ReflectionPad1d(padding=[2, 2])");
  CHECK(str(nn::ReplicationPad3d(nn::ReplicationPad3dOptions(1))) ==
        "torch::nn::ReplicationPad3d(padding=[1, 1, 1, 1, 1, 1])");
  CHECK(str(nn::ZeroPad2d(nn::ZeroPad2dOptions({1, 1, 2, 0}))) ==
        "torch::nn::ZeroPad2d(padding=[1, 1, 2, 0])");
  CHECK(str(nn::ConstantPad2d(nn::ConstantPad2dOptions({3, 0, 2, 1}, 3.5))) ==
        "torch::nn::ConstantPad2d(padding=[3, 0, 2, 1], value=3.5)");
}
