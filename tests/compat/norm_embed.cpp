// Normalisation layers (BatchNorm3d, InstanceNorm, GroupNorm, LocalResponseNorm, CrossMapLRN2d,
// F::normalize), EmbeddingBag, the recurrent cells, Unflatten and one_hot, written once as
// libtorch code: float64, fixed det() inputs and weights; outputs, running statistics and the
// gradients of the input and every parameter; what `std::cout << module` prints.
#include <sstream>

#include "common.hpp"

namespace nn = torch::nn;
namespace F = torch::nn::functional;

template <class M>
static std::vector<Tensor> leaves_of(const Tensor& x, M& module) {
  std::vector<Tensor> leaves{x};
  for (auto& p : module->parameters()) leaves.push_back(p);
  return leaves;
}

template <class M>
static void emit_printed(const std::string& name, const M& module) {
  std::ostringstream s;
  s << module;
  emit_text(name, s.str());
}

int main() {
  section("batchnorm3d_train", [](auto n) {
    nn::BatchNorm3d bn(3);
    fix_params(bn);
    auto x = leaf({2, 3, 2, 2, 2});
    check(n, bn(x), leaves_of(x, bn));
    emit(n + "/running_mean", bn->running_mean);
    emit(n + "/running_var", bn->running_var);
  });
  section("instancenorm1d_affine_tracking", [](auto n) {
    nn::InstanceNorm1d in(nn::InstanceNorm1dOptions(3).affine(true).track_running_stats(true));
    fix_params(in);
    auto x = leaf({2, 3, 5});
    check(n, in(x), leaves_of(x, in));
    emit(n + "/running_mean", in->running_mean);
    emit(n + "/running_var", in->running_var);
    in->eval();
    emit(n + "/eval", in(x.detach()));
  });
  section("instancenorm2d_unbatched", [](auto n) {
    nn::InstanceNorm2d in(3);
    auto x = leaf({3, 2, 3});
    check(n, in(x), {x});
  });
  section("groupnorm", [](auto n) {
    nn::GroupNorm gn(nn::GroupNormOptions(2, 4).eps(1e-3));
    fix_params(gn);
    auto x = leaf({2, 4, 3});
    check(n, gn(x), leaves_of(x, gn));
  });
  section("local_response_norm_4d", [](auto n) {
    nn::LocalResponseNorm lrn(nn::LocalResponseNormOptions(3).alpha(0.3).beta(0.6).k(1.5));
    auto x = leaf({2, 5, 2, 2});
    check(n, lrn(x), {x});
  });
  section("local_response_norm_3d", [](auto n) {
    auto x = leaf({2, 4, 3});
    check(n, F::local_response_norm(x, F::LocalResponseNormFuncOptions(2).alpha(0.5)), {x});
  });
  section("crossmaplrn2d_one_channel", [](auto n) {
    nn::CrossMapLRN2d m(nn::CrossMapLRN2dOptions(3).alpha(0.4).beta(0.7).k(2));
    auto x = leaf({2, 1, 2, 3});
    check(n, m(x), {x});
  });
  section("crossmaplrn2d_channels", [](auto n) {
    nn::CrossMapLRN2d m(nn::CrossMapLRN2dOptions(3).alpha(0.4).beta(0.7).k(2));
    auto x = leaf({2, 6, 2, 2});
    emit(n, m(x));
  });
  section("normalize", [](auto n) {
    auto x = leaf({2, 3, 4});
    check(n, F::normalize(x, F::NormalizeFuncOptions().p(3).dim(1)), {x});
  });
  section("rnn_cell_relu", [](auto n) {
    nn::RNNCell cell(nn::RNNCellOptions(3, 4).nonlinearity(torch::kReLU));
    fix_params(cell);
    auto x = leaf({2, 3}), h = leaf({2, 4}, 1.0, 0.9);
    check(n, cell(x, h), {x, h, cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh});
  });
  section("lstm_cell", [](auto n) {
    nn::LSTMCell cell(3, 4);
    fix_params(cell);
    auto x = leaf({2, 3}), h = leaf({2, 4}, 1.0, 0.9), c = leaf({2, 4}, 1.0, 1.7);
    auto out = cell(x, std::make_tuple(h, c));
    check_list(n, {std::get<0>(out), std::get<1>(out)},
               {x, h, c, cell->weight_ih, cell->weight_hh, cell->bias_ih, cell->bias_hh});
  });
  section("gru_cell_no_bias", [](auto n) {
    nn::GRUCell cell(nn::GRUCellOptions(3, 4).bias(false));
    fix_params(cell);
    auto x = leaf({2, 3});
    check(n, cell(x), {x, cell->weight_ih, cell->weight_hh});
  });
  section("embedding_bag_sum_psw", [](auto n) {
    auto w = leaf({6, 3});
    auto psw = leaf({7}, 1.0, 0.8);
    auto idx = torch::tensor({1, 2, 4, 1, 0, 5, 2}, torch::kLong);
    auto off = torch::tensor({0, 3, 3}, torch::kLong);
    check(n,
          F::embedding_bag(
              idx, w,
              F::EmbeddingBagFuncOptions().mode(torch::kSum).offsets(off).per_sample_weights(psw)),
          {w, psw});
  });
  section("embedding_bag_mean_padding", [](auto n) {
    nn::EmbeddingBag bag(nn::EmbeddingBagOptions(6, 3).padding_idx(2));
    fix_params(bag);
    auto idx = torch::tensor({{1, 2, 4}, {2, 2, 2}, {0, 5, 1}}, torch::kLong);
    check(n, bag(idx), {bag->weight});
  });
  section("embedding_bag_max_last_offset", [](auto n) {
    nn::EmbeddingBag bag(nn::EmbeddingBagOptions(6, 3).mode(torch::kMax).include_last_offset(true));
    fix_params(bag);
    auto idx = torch::tensor({1, 2, 4, 1, 0, 5}, torch::kLong);
    check(n, bag(idx, torch::tensor({0, 2, 6}, torch::kLong)), {bag->weight});
  });
  section("unflatten_one_hot", [](auto n) {
    auto x = leaf({2, 12});
    check(n, nn::Unflatten(nn::UnflattenOptions(1, {2, -1, 3}))(x), {x});
    emit(n + "/one_hot", F::one_hot(torch::tensor({{0, 3}, {2, 1}}, torch::kLong), 5));
  });
  emit_printed("print_bn3d", nn::BatchNorm3d(nn::BatchNorm3dOptions(4).momentum(torch::nullopt)));
  emit_printed("print_in2d", nn::InstanceNorm2d(nn::InstanceNorm2dOptions(4).eps(1e-3)));
  emit_printed("print_gn", nn::GroupNorm(3, 6));
  emit_printed("print_lrn", nn::LocalResponseNorm(nn::LocalResponseNormOptions(3).k(0.5)));
  emit_printed("print_cmlrn", nn::CrossMapLRN2d(nn::CrossMapLRN2dOptions(5).beta(2)));
  emit_printed(
      "print_bag",
      nn::EmbeddingBag(nn::EmbeddingBagOptions(5, 2).mode(torch::kMax).include_last_offset(true)));
  emit_printed("print_cells", nn::Sequential(nn::RNNCell(2, 3), nn::LSTMCell(2, 3),
                                             nn::GRUCell(nn::GRUCellOptions(2, 3).bias(false))));
  emit_printed("print_unflatten", nn::Unflatten(nn::UnflattenOptions(-1, {4, 1, 2})));
  return 0;
}
