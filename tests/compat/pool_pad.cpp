// Pooling beyond 2-D and padding: values and gradients of max/avg pooling in 1-D and 3-D
// (padding, dilation, ceil_mode, count_include_pad, divisor_override), adaptive max/avg
// pooling, max unpooling, fractional max pooling with given samples, LP pooling, and F::pad in
// every mode (negative pads included) and the padding layers.
#include "common.hpp"

namespace F = torch::nn::functional;
namespace nn = torch::nn;

int main() {
  auto X1 = [] { return leaf({2, 3, 9}, 1.0, 0.3); };
  auto X2 = [] { return leaf({2, 2, 5, 6}, 1.0, 0.7); };
  auto X3 = [] { return leaf({1, 2, 5, 4, 6}, 1.0, 1.1); };
  auto first = [](std::tuple<Tensor, Tensor> t) { return std::get<0>(t); };
  auto second = [](std::tuple<Tensor, Tensor> t) { return std::get<1>(t).to(torch::kDouble); };

  // ---- max pooling ----
  section("max_pool1d", [&](auto n) {
    auto x = X1();
    auto r = F::max_pool1d_with_indices(x, F::MaxPool1dFuncOptions(3).stride(2).padding(1));
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("max_pool1d_dilation_ceil", [&](auto n) {
    auto x = X1();
    check(n, F::max_pool1d(x, F::MaxPool1dFuncOptions(2).stride(3).dilation(2).ceil_mode(true)),
          {x});
  });
  section("max_pool3d", [&](auto n) {
    auto x = X3();
    auto r = F::max_pool3d_with_indices(
        x, F::MaxPool3dFuncOptions({2, 3, 2}).stride({2, 1, 2}).padding({1, 1, 0}));
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("max_pool3d_module_ceil", [&](auto n) {
    auto x = X3();
    nn::MaxPool3d m(nn::MaxPool3dOptions(2).ceil_mode(true));
    check(n, m(x), {x});
  });
  // ---- average pooling ----
  section("avg_pool1d", [&](auto n) {
    auto x = X1();
    check(n, F::avg_pool1d(x, F::AvgPool1dFuncOptions(4).stride(2).padding(2).ceil_mode(true)),
          {x});
  });
  section("avg_pool1d_exclude_pad", [&](auto n) {
    auto x = X1();
    check(
        n,
        F::avg_pool1d(x, F::AvgPool1dFuncOptions(3).stride(2).padding(1).count_include_pad(false)),
        {x});
  });
  section("avg_pool3d", [&](auto n) {
    auto x = X3();
    check(n, F::avg_pool3d(x, F::AvgPool3dFuncOptions({2, 3, 2}).stride(2).padding({1, 1, 0})),
          {x});
  });
  section("avg_pool3d_ceil_exclude", [&](auto n) {
    auto x = X3();
    check(n,
          F::avg_pool3d(
              x, F::AvgPool3dFuncOptions(3).stride(2).padding(1).ceil_mode(true).count_include_pad(
                     false)),
          {x});
  });
  section("avg_pool3d_divisor", [&](auto n) {
    auto x = X3();
    check(n, F::avg_pool3d(x, F::AvgPool3dFuncOptions(2).divisor_override(3)), {x});
  });
  // ---- adaptive ----
  section("adaptive_max_pool1d", [&](auto n) {
    auto x = X1();
    auto r = F::adaptive_max_pool1d_with_indices(x, F::AdaptiveMaxPool1dFuncOptions(4));
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("adaptive_max_pool2d", [&](auto n) {
    auto x = X2();
    auto r = F::adaptive_max_pool2d_with_indices(x, F::AdaptiveMaxPool2dFuncOptions({3, 4}));
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("adaptive_max_pool3d", [&](auto n) {
    auto x = X3();
    auto r = F::adaptive_max_pool3d_with_indices(x, F::AdaptiveMaxPool3dFuncOptions({3, 4, 4}));
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("adaptive_avg_pool1d", [&](auto n) {
    auto x = X1();
    check(n, F::adaptive_avg_pool1d(x, F::AdaptiveAvgPool1dFuncOptions(4)), {x});
  });
  section("adaptive_avg_pool3d", [&](auto n) {
    auto x = X3();
    check(n, F::adaptive_avg_pool3d(x, F::AdaptiveAvgPool3dFuncOptions({3, 3, 4})), {x});
  });
  // ---- unpooling ----
  section("max_unpool1d", [&](auto n) {
    auto x = X1();
    auto r = F::max_pool1d_with_indices(x.detach(), F::MaxPool1dFuncOptions(2));
    auto v = std::get<0>(r).clone().requires_grad_(true);
    check(n,
          F::max_unpool1d(v, std::get<1>(r),
                          F::MaxUnpool1dFuncOptions(2).output_size(std::vector<int64_t>{2, 3, 9})),
          {v});
  });
  section("max_unpool2d", [&](auto n) {
    auto x = X2();
    auto r = F::max_pool2d_with_indices(x.detach(), F::MaxPool2dFuncOptions(2));
    auto v = std::get<0>(r).clone().requires_grad_(true);
    check(n, F::max_unpool2d(v, std::get<1>(r), F::MaxUnpool2dFuncOptions(2)), {v});
  });
  section("max_unpool3d", [&](auto n) {
    auto x = X3();
    auto r = F::max_pool3d_with_indices(x.detach(), F::MaxPool3dFuncOptions(2));
    auto v = std::get<0>(r).clone().requires_grad_(true);
    nn::MaxUnpool3d m(nn::MaxUnpool3dOptions(2));
    check(n, m(v, std::get<1>(r), std::vector<int64_t>{1, 2, 5, 4, 6}), {v});
  });
  // ---- fractional, LP ----
  section("fractional_max_pool2d", [&](auto n) {
    auto x = X2();
    auto u = det({2, 2, 2}, 0.45, 0.2).add(0.5);
    auto r =
        F::fractional_max_pool2d_with_indices(x, F::FractionalMaxPool2dFuncOptions({2, 3})
                                                     .output_size(torch::ExpandingArray<2>({3, 3}))
                                                     ._random_samples(u));
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("fractional_max_pool3d", [&](auto n) {
    auto x = X3();
    auto u = det({1, 2, 3}, 0.45, 0.9).add(0.5);
    auto r = F::fractional_max_pool3d_with_indices(
        x, F::FractionalMaxPool3dFuncOptions(2)
               .output_size(torch::ExpandingArray<3>({3, 2, 4}))
               ._random_samples(u));
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("fractional_max_pool2d_ratio", [&](auto n) {
    auto x = X2();
    auto u = det({2, 2, 2}, 0.45, 1.7).add(0.5);
    check(n,
          first(F::fractional_max_pool2d_with_indices(
              x, F::FractionalMaxPool2dFuncOptions(2)
                     .output_ratio(std::vector<double>{0.5, 0.7})
                     ._random_samples(u))),
          {x});
  });
  section("fractional_max_pool2d_drawn_samples", [&](auto n) {
    torch::manual_seed(3);  // the samples come from torch::rand, as libtorch draws them
    auto x = X2();
    nn::FractionalMaxPool2d m(
        nn::FractionalMaxPool2dOptions(2).output_size(torch::ExpandingArray<2>({3, 3})));
    auto r = m->forward_with_indices(x);
    emit(n + "/idx", second(r));
    check(n, std::get<0>(r), {x});
  });
  section("lp_pool1d", [&](auto n) {
    auto x = leaf({2, 3, 9}, 0.4, 0.3, 1.0);
    check(n, F::lp_pool1d(x, F::LPPool1dFuncOptions(2, 3).stride(2)), {x});
  });
  section("lp_pool2d", [&](auto n) {
    auto x = leaf({2, 2, 5, 6}, 0.4, 0.7, 1.0);
    nn::LPPool2d m(nn::LPPool2dOptions(3, {2, 3}).stride(1).ceil_mode(true));
    check(n, m(x), {x});
  });
  // ---- padding ----
  section("pad_constant", [&](auto n) {
    auto x = X2();
    check(n, F::pad(x, F::PadFuncOptions({2, -1, 0, 3, 1, 1}).value(0.5)), {x});
  });
  section("pad_reflect_1d", [&](auto n) {
    auto x = X1();
    check(n, F::pad(x, F::PadFuncOptions({3, 8}).mode(torch::kReflect)), {x});
  });
  section("pad_reflect_2d_negative", [&](auto n) {
    auto x = X2();
    check(n, F::pad(x, F::PadFuncOptions({-1, 2, 3, 1}).mode(torch::kReflect)), {x});
  });
  section("pad_reflect_3d", [&](auto n) {
    auto x = X3();
    check(n, F::pad(x, F::PadFuncOptions({1, 2, 0, 3, 4, 1}).mode(torch::kReflect)), {x});
  });
  section("pad_replicate", [&](auto n) {
    auto x = X3();
    check(n, F::pad(x, F::PadFuncOptions({1, 7, -2, 2, 0, 3}).mode(torch::kReplicate)), {x});
  });
  section("pad_circular", [&](auto n) {
    auto x = X2();
    check(n, F::pad(x, F::PadFuncOptions({-1, 3, 5, 2}).mode(torch::kCircular)), {x});
  });
  section("pad_layers", [&](auto n) {
    auto x = X2();
    auto y = nn::ReflectionPad2d(nn::ReflectionPad2dOptions({1, 2, 3, 0}))(x) * 1.0;
    auto z = nn::ReplicationPad1d(nn::ReplicationPad1dOptions(2))(x.flatten(2));
    auto w = nn::ConstantPad3d(nn::ConstantPad3dOptions({1, 0, 0, 2, 1, 1}, -2.5))(x);
    auto v = nn::ZeroPad2d(nn::ZeroPad2dOptions({1, 1, 2, 0}))(x);
    check(n, y.sum() + z.pow(2).sum() + w.sin().sum() + v.cos().sum(), {x});
    emit(n + "/w", w);
  });
  return 0;
}
