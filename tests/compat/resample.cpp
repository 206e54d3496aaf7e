// Conv3d, ConvTranspose1d/2d/3d, Fold/Unfold, PixelShuffle/PixelUnshuffle and
// interpolate/Upsample: values and gradients against libtorch (float64), and what the modules
// print.
#include <sstream>

#include "common.hpp"

namespace F = torch::nn::functional;
namespace nn = torch::nn;

template <class M>
static void print_row(const std::string& name, const M& m) {
  std::ostringstream s;
  s << m;
  emit_text(name, s.str());
}

int main() {
  // ---- convolutions ----
  section("conv3d", [](auto n) {
    auto x = leaf({2, 2, 4, 3, 5}), w = leaf({3, 2, 2, 2, 3}, 1.0, 1.1), b = leaf({3}, 1.0, 2.0);
    check(n, torch::conv3d(x, w, b, {1, 2, 1}, {1, 0, 1}, {1, 1, 2}), {x, w, b});
  });
  section("conv3d_groups_same", [](auto n) {
    auto x = leaf({1, 4, 3, 4, 3}), w = leaf({2, 2, 3, 2, 1}, 1.0, 1.1);
    check(n, F::conv3d(x, w, F::Conv3dFuncOptions().padding(torch::kSame).groups(2)), {x, w});
  });
  section("conv_transpose1d", [](auto n) {
    auto x = leaf({2, 4, 5}), w = leaf({4, 3, 3}, 1.0, 1.1), b = leaf({6}, 1.0, 2.0);
    check(n,
          F::conv_transpose1d(x, w,
                              F::ConvTranspose1dFuncOptions()
                                  .bias(b)
                                  .stride(3)
                                  .padding(1)
                                  .output_padding(2)
                                  .groups(2)
                                  .dilation(2)),
          {x, w, b});
  });
  section("conv_transpose2d", [](auto n) {
    auto x = leaf({1, 2, 3, 4}), w = leaf({2, 3, 3, 2}, 1.0, 1.1), b = leaf({3}, 1.0, 2.0);
    check(n, torch::conv_transpose2d(x, w, b, {2, 1}, {1, 0}, {1, 0}, 1, {1, 2}), {x, w, b});
  });
  section("conv_transpose3d", [](auto n) {
    auto x = leaf({2, 2, 2, 3, 2}), w = leaf({2, 2, 2, 2, 3}, 1.0, 1.1);
    check(n, torch::conv_transpose3d(x, w, {}, 2, 1, 1), {x, w});
  });
  section("conv_transpose2d_module_output_size", [](auto n) {
    nn::ConvTranspose2d m(nn::ConvTranspose2dOptions(2, 3, 3).stride(2).padding(1));
    fix_params(m);
    auto x = leaf({1, 2, 3, 4});
    check(n, m->forward(x, torch::IntArrayRef({6, 8})), {x});
  });
  section("conv2d_circular", [](auto n) {
    nn::Conv2d m(nn::Conv2dOptions(2, 2, 3).padding({1, 2}).padding_mode(torch::kCircular));
    fix_params(m);
    auto x = leaf({1, 2, 4, 5});
    check(n, m(x), {x});
  });
  section("conv1d_reflect", [](auto n) {
    nn::Conv1d m(nn::Conv1dOptions(2, 2, 3).padding(2).padding_mode(torch::kReflect));
    fix_params(m);
    auto x = leaf({2, 2, 5});
    check(n, m(x), {x});
  });
  section("conv3d_replicate_same", [](auto n) {
    nn::Conv3d m(
        nn::Conv3dOptions(1, 2, {2, 3, 2}).padding(torch::kSame).padding_mode(torch::kReplicate));
    fix_params(m);
    auto x = leaf({1, 1, 3, 3, 4});
    check(n, m(x), {x});
  });
  // ---- fold, unfold, pixel shuffle ----
  section("unfold", [](auto n) {
    auto x = leaf({2, 2, 4, 5});
    check(n, F::unfold(x, F::UnfoldFuncOptions({2, 3}).padding({1, 0}).stride(2).dilation(1)), {x});
  });
  section("fold", [](auto n) {
    auto x = leaf({2, 8, 8});
    check(n, F::fold(x, F::FoldFuncOptions({4, 5}, {2, 2}).stride({2, 1}).padding(0)), {x});
  });
  section("pixel_shuffle", [](auto n) {
    auto x = leaf({2, 8, 2, 3});
    check(n, F::pixel_shuffle(x, 2), {x});
  });
  section("pixel_unshuffle", [](auto n) {
    auto x = leaf({1, 2, 4, 6});
    check(n, torch::pixel_unshuffle(x, 2), {x});
  });
  // ---- interpolate ----
  struct Case {
    const char* name;
    std::vector<int64_t> shape;
    F::InterpolateFuncOptions o;
  };
  using V = std::vector<double>;
  using I = std::vector<int64_t>;
  std::vector<Case> cases = {
      {"nearest1d_size", {1, 2, 5}, F::InterpolateFuncOptions().size(I{7})},
      {"nearest2d_scale", {1, 1, 3, 4}, F::InterpolateFuncOptions().scale_factor(V{1.7, 0.6})},
      {"nearest3d_size", {1, 1, 2, 3, 2}, F::InterpolateFuncOptions().size(I{3, 5, 4})},
      {"linear_false",
       {2, 1, 5},
       F::InterpolateFuncOptions().size(I{8}).mode(torch::kLinear).align_corners(false)},
      {"linear_true",
       {1, 2, 5},
       F::InterpolateFuncOptions().scale_factor(V{1.5}).mode(torch::kLinear).align_corners(true)},
      {"bilinear_scale",
       {1, 2, 3, 4},
       F::InterpolateFuncOptions()
           .scale_factor(V{1.5, 2.3})
           .mode(torch::kBilinear)
           .align_corners(false)},
      {"bilinear_recompute",
       {1, 1, 3, 4},
       F::InterpolateFuncOptions()
           .scale_factor(V{1.5, 2.3})
           .mode(torch::kBilinear)
           .align_corners(false)
           .recompute_scale_factor(true)},
      {"bilinear_down_true",
       {1, 1, 5, 6},
       F::InterpolateFuncOptions().size(I{3, 4}).mode(torch::kBilinear).align_corners(true)},
      {"bicubic_false",
       {1, 1, 4, 5},
       F::InterpolateFuncOptions().size(I{7, 3}).mode(torch::kBicubic).align_corners(false)},
      {"bicubic_true",
       {1, 2, 3, 3},
       F::InterpolateFuncOptions()
           .scale_factor(V{2, 1.5})
           .mode(torch::kBicubic)
           .align_corners(true)},
      {"trilinear",
       {1, 1, 2, 3, 4},
       F::InterpolateFuncOptions().size(I{3, 5, 2}).mode(torch::kTrilinear).align_corners(false)},
  };
  for (auto& c : cases)
    section(std::string("interpolate_") + c.name, [&](auto n) {
      auto x = leaf(c.shape);
      check(n, F::interpolate(x, c.o), {x});
    });
  section("upsample_module", [](auto n) {
    nn::Upsample m(nn::UpsampleOptions()
                       .scale_factor(std::vector<double>{2.5})
                       .mode(torch::kLinear)
                       .align_corners(false));
    auto x = leaf({1, 2, 4});
    check(n, m(x), {x});
  });
  // ---- affine_grid, grid_sample ----
  section("affine_grid_2d", [](auto n) {
    auto theta = leaf({2, 2, 3});
    check(n, F::affine_grid(theta, {2, 1, 3, 4}, false), {theta});
  });
  section("affine_grid_3d_aligned", [](auto n) {
    auto theta = leaf({1, 3, 4});
    check(n, F::affine_grid(theta, {1, 2, 2, 3, 2}, true), {theta});
  });
  for (int mode = 0; mode < 2; ++mode)
    for (int pad = 0; pad < 3; ++pad)
      for (bool align : {false, true})
        section("grid_sample_" + std::to_string(mode) + std::to_string(pad) +
                    std::to_string(int(align)),
                [&](auto n) {
                  auto x = leaf({2, 2, 3, 4});
                  // Grid values reach past [-1, 1] (padding rules) and avoid pixel centres.
                  auto g = leaf({2, 3, 2, 2}, 1.37, 0.9);
                  auto o = F::GridSampleFuncOptions().align_corners(align);
                  if (mode == 1) o.mode(torch::kNearest);
                  if (pad == 1) o.padding_mode(torch::kBorder);
                  if (pad == 2) o.padding_mode(torch::kReflection);
                  check(n, F::grid_sample(x, g, o),
                        mode == 0 ? std::vector<Tensor>{x, g} : std::vector<Tensor>{x});
                });
  // ---- printing ----
  print_row("print_convtranspose2d",
            nn::ConvTranspose2d(
                nn::ConvTranspose2dOptions(3, 4, {2, 3}).stride(2).output_padding(1).bias(false)));
  print_row("print_conv3d", nn::Conv3d(nn::Conv3dOptions(2, 4, 3).padding(torch::kSame)));
  print_row("print_fold", nn::Fold(nn::FoldOptions({4, 5}, 2).stride(2)));
  print_row("print_unfold", nn::Unfold(nn::UnfoldOptions(3).padding(1)));
  print_row("print_pixel_shuffle", nn::PixelShuffle(3));
  print_row("print_pixel_unshuffle", nn::PixelUnshuffle(2));
  print_row("print_upsample",
            nn::Upsample(nn::UpsampleOptions().scale_factor(std::vector<double>{0.5, 1.25})));
  print_row("print_upsample_size", nn::Upsample(nn::UpsampleOptions()
                                                    .size(std::vector<int64_t>{3})
                                                    .mode(torch::kLinear)
                                                    .align_corners(true)));
  return 0;
}
