// Convolution, pooling, normalisation and the wrapper layers, written once as libtorch code:
// modules with their Options, the functional forms and the free functions, in float64 with
// fixed weights; values and gradients, running statistics, eval mode, and misuse that throws.
#include "common.hpp"

namespace nn = torch::nn;
namespace F = torch::nn::functional;

// Emits y and the gradient of sum(y * w) for the input and for every parameter of `module`.
template <class M>
static void module_rows(const std::string& name, M& module, const Tensor& x, const Tensor& y) {
  std::vector<Tensor> leaves{x};
  for (auto& p : module->parameters()) leaves.push_back(p);
  check(name, y, leaves);
}

int main() {
  section("conv2d_module", [](auto n) {
    nn::Conv2d conv(nn::Conv2dOptions(3, 4, {3, 2}).stride({2, 1}).padding({1, 0}).dilation(1));
    fix_params(conv);
    auto x = leaf({2, 3, 6, 5}, 1.0, 0.2);
    module_rows(n, conv, x, conv(x));
  });
  section("conv2d_groups_dilation", [](auto n) {
    nn::Conv2d conv(nn::Conv2dOptions(4, 6, 3).padding(2).dilation(2).groups(2).bias(false));
    fix_params(conv);
    auto x = leaf({1, 4, 5, 6}, 1.0, 0.4);
    module_rows(n, conv, x, conv(x));
  });
  section("conv2d_same", [](auto n) {
    nn::Conv2d conv(nn::Conv2dOptions(2, 3, {2, 3}).padding(torch::kSame));
    fix_params(conv);
    auto x = leaf({2, 2, 4, 5}, 1.0, 0.6);
    module_rows(n, conv, x, conv(x));
  });
  section("conv2d_free", [](auto n) {
    auto x = leaf({1, 2, 5, 5}, 1.0, 0.1), w = leaf({4, 1, 2, 2}, 0.5, 0.9),
         b = leaf({4}, 0.3, 1.2);
    check(n, torch::conv2d(x, w, b, 2, 1, 1, 2), {x, w, b});
  });
  section("conv2d_fn", [](auto n) {
    auto x = leaf({2, 3, 4, 4}, 1.0, 0.3), w = leaf({2, 3, 3, 3}, 0.5, 0.7);
    check(n, F::conv2d(x, w, F::Conv2dFuncOptions().stride(1).padding(1)), {x, w});
  });
  section("conv1d_module", [](auto n) {
    nn::Conv1d conv(nn::Conv1dOptions(2, 4, 3).stride(2).padding(1).groups(2));
    fix_params(conv);
    auto x = leaf({2, 2, 9}, 1.0, 0.5);
    module_rows(n, conv, x, conv(x));
  });
  section("conv1d_fn", [](auto n) {
    auto x = leaf({1, 3, 8}, 1.0, 0.2), w = leaf({2, 3, 2}, 0.5, 0.8);
    check(n, F::conv1d(x, w, F::Conv1dFuncOptions().dilation(3)), {x, w});
  });
  section("maxpool2d", [](auto n) {
    nn::MaxPool2d pool(nn::MaxPool2dOptions(3).stride(2).padding(1));
    auto x = leaf({2, 2, 7, 6}, 1.0, 0.3);
    check(n, pool(x), {x});
  });
  section("maxpool2d_ceil_dilation", [](auto n) {
    auto x = leaf({1, 2, 9, 8}, 1.0, 0.7);
    check(n,
          F::max_pool2d(x,
                        F::MaxPool2dFuncOptions({3, 2}).stride(2).dilation({2, 1}).ceil_mode(true)),
          {x});
  });
  section("maxpool2d_free", [](auto n) {
    auto x = leaf({3, 6, 6}, 1.0, 0.9);
    check(n, torch::max_pool2d(x, 2), {x});
  });
  section("avgpool2d", [](auto n) {
    nn::AvgPool2d pool(nn::AvgPool2dOptions(3).stride(2).padding(1).count_include_pad(false));
    auto x = leaf({2, 2, 7, 6}, 1.0, 0.3);
    check(n, pool(x), {x});
  });
  section("avgpool2d_ceil_divisor", [](auto n) {
    auto x = leaf({1, 2, 7, 7}, 1.0, 0.4);
    check(n,
          F::avg_pool2d(
              x, F::AvgPool2dFuncOptions({2, 3}).stride(2).ceil_mode(true).divisor_override(5)),
          {x});
  });
  section("adaptive_avgpool2d", [](auto n) {
    nn::AdaptiveAvgPool2d pool(nn::AdaptiveAvgPool2dOptions({3, 4}));
    auto x = leaf({2, 2, 7, 5}, 1.0, 0.8);
    check(n, pool(x), {x});
  });
  section("batchnorm2d", [](auto n) {
    nn::BatchNorm2d bn(nn::BatchNorm2dOptions(3).momentum(0.2));
    fix_params(bn);
    auto x = leaf({4, 3, 2, 3}, 2.0, 0.2);
    module_rows(n, bn, x, bn(x));
    bn(det({4, 3, 2, 3}, 1.5, 1.1).add(0.5));
    emit(n + "/running_mean", bn->running_mean);
    emit(n + "/running_var", bn->running_var);
    emit(n + "/num_batches_tracked", bn->num_batches_tracked.to(torch::kDouble));
    bn->eval();
    auto xe = leaf({2, 3, 2, 2}, 1.0, 0.6);
    check(n + "_eval", bn(xe), {xe});
  });
  section("batchnorm1d_cumulative", [](auto n) {
    nn::BatchNorm1d bn(nn::BatchNorm1dOptions(4).momentum({}).affine(false));
    bn->to(torch::kDouble);
    auto x = leaf({5, 4}, 1.0, 0.3);
    check(n, bn(x), {x});
    bn(det({5, 4}, 2.0, 0.9));
    bn(det({5, 4}, 0.5, 1.9));
    emit(n + "/running_mean", bn->running_mean);
    emit(n + "/running_var", bn->running_var);
  });
  section("batch_norm_fn", [](auto n) {
    auto x = leaf({3, 2, 4}, 1.0, 0.5), w = leaf({2}, 0.5, 0.2), b = leaf({2}, 0.5, 0.9);
    auto rm = det({2}, 0.1, 0.3), rv = det({2}, 0.2, 0.4).add(1.0);
    check(n, F::batch_norm(x, rm, rv, F::BatchNormFuncOptions().weight(w).bias(b).training(true)),
          {x, w, b});
    emit(n + "/running_mean", rm);
    emit(n + "/running_var", rv);
  });
  section("layernorm", [](auto n) {
    nn::LayerNorm ln(nn::LayerNormOptions({3, 4}).eps(1e-6));
    fix_params(ln);
    auto x = leaf({2, 3, 4}, 1.5, 0.6);
    module_rows(n, ln, x, ln(x));
  });
  section("layer_norm_fn", [](auto n) {
    auto x = leaf({3, 5}, 1.0, 0.1);
    check(n, F::layer_norm(x, F::LayerNormFuncOptions({5})), {x});
  });
  section("cnn", [](auto n) {
    nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 4, 3).padding(1)), nn::BatchNorm2d(4),
                       nn::ReLU(), nn::MaxPool2d(2), nn::Conv2d(4, 4, 2), nn::Flatten(),
                       nn::Dropout(0.0), nn::Identity(), nn::Linear(36, 3));
    fix_params(net);
    auto x = leaf({2, 1, 8, 8}, 1.0, 0.1);
    module_rows(n, net, x, net->forward(x));
  });
  section("dropout_eval", [](auto n) {
    nn::Dropout drop(0.5);
    drop->eval();
    auto x = leaf({2, 3}, 1.0, 0.2);
    check(n, drop(x), {x});
    emit(n + "/fn", F::dropout(x, F::DropoutFuncOptions().p(0.3).training(false)));
  });
  section("modulelist_functional", [](auto n) {
    nn::ModuleList list(nn::Linear(3, 2), nn::Functional(torch::tanh));
    fix_params(list);
    auto x = leaf({4, 3}, 1.0, 0.3);
    auto y = list[1]->as<nn::Functional>()->forward(list[0]->as<nn::Linear>()->forward(x));
    module_rows(n, list, x, y);
    emit_flag(n + "/size", list->size() == 2);
  });
  section("flatten", [](auto n) {
    auto x = leaf({2, 3, 2, 2}, 1.0, 0.4);
    check(n, nn::Flatten(nn::FlattenOptions().start_dim(0).end_dim(2))(x), {x});
  });

  expect_throw("err_conv_channels", [] { nn::Conv2d(3, 4, 3)(torch::zeros({1, 2, 5, 5})); });
  expect_throw("err_conv_kernel", [] { nn::Conv2d(3, 4, 3)(torch::zeros({1, 3, 2, 5})); });
  expect_throw("err_conv_dims", [] { nn::Conv2d(3, 4, 3)(torch::zeros({3, 5})); });
  expect_throw("err_conv_groups", [] { nn::Conv2d(nn::Conv2dOptions(3, 4, 3).groups(2)); });
  expect_throw("err_pool_small", [] { nn::MaxPool2d(3)(torch::zeros({1, 1, 2, 2})); });
  expect_throw("err_pool_pad", [] {
    nn::AvgPool2d(nn::AvgPool2dOptions(2).padding(2))(torch::zeros({1, 1, 6, 6}));
  });
  expect_throw("err_bn_channels", [] { nn::BatchNorm2d(3)(torch::zeros({2, 4, 2, 2})); });
  expect_throw("err_bn_dims", [] { nn::BatchNorm2d(3)(torch::zeros({2, 3})); });
  expect_throw("err_bn_one_value", [] { nn::BatchNorm1d(3)(torch::zeros({1, 3})); });
  expect_throw("err_ln_shape", [] {
    nn::LayerNorm(nn::LayerNormOptions({4}))(torch::zeros({2, 5}));
  });
  expect_throw("err_dropout_p", [] { nn::Dropout(1.5); });
  return 0;
}
