#include <doctest/doctest.h>

#include "gradcheck_table.hpp"
// Gradcheck rows (see test_gradcheck_ops.cpp for the row format) of the normalisation,
// embedding-bag and recurrent-cell ops: instance_norm, group_norm, local_response_norm,
// CrossMapLRN2d, normalize, rnn_tanh_cell / rnn_relu_cell / lstm_cell / gru_cell, embedding_bag,
// unflatten. kGradOnly rows: the second derivative is not what they are about (the composites
// are made of ops whose own rows gradgradcheck them) and a gradgradcheck over the whole
// Jacobian of these multi-input ops costs seconds per row.

namespace {
namespace F = tg::nn::functional;
Tensor idx(std::vector<int64_t> v) { return tg::tensor(v, tg::kLong); }
const ShapeSets kNormIn = {{{2, 4, 3}}, {{3, 4, 2, 2}}};
const ShapeSets kNormAffine = {{{2, 4, 3}, {4}, {4}}, {{2, 4, 2, 2}, {4}, {4}}};
// input (B, in), hx (B, H), w_ih (G H, in), w_hh (G H, H), b_ih, b_hh (G H), with in = 3, H = 2.
ShapeSets cell_shapes(int64_t gates) {
  return {{{2, 3}, {2, 2}, {gates * 2, 3}, {gates * 2, 2}, {gates * 2}, {gates * 2}}};
}
}  // namespace

GC_ROW(
    "instance_norm", kNormIn, "a", kGradOnly,
    FN { return tg::instance_norm(in[0], {}, {}, {}, {}, true, 0.1, 1e-5); })
GC_ROW(
    "instance_norm affine", kNormAffine, "a", kGradOnly,
    FN { return tg::instance_norm(in[0], in[1], in[2], {}, {}, true, 0.1, 1e-5); })
GC_ROW(
    "group_norm", kNormAffine, "a", kGradOnly,
    FN { return tg::group_norm(in[0], 2, in[1], in[2], 1e-5); })
GC_ROW(
    "group_norm one group", kNormIn, "a", kGradOnly, FN { return tg::group_norm(in[0], 1); })
GC_ROW(
    "local_response_norm", kNormIn, "a", kGradOnly,
    FN { return F::local_response_norm(in[0], F::LocalResponseNormFuncOptions(3).alpha(0.5)); })
GC_ROW(
    "CrossMapLRN2d", ShapeSets({{{2, 3, 2, 2}}, {{1, 1, 3, 3}}}), "a", kGradOnly, FN {
      tg::nn::CrossMapLRN2d m(tg::nn::CrossMapLRN2dOptions(3).alpha(0.5).k(2));
      return m(in[0]);
    })
GC_ROW(
    "normalize p2", kNormIn, "w", kGradOnly, FN { return F::normalize(in[0]); })
GC_ROW(
    "normalize p1 dim -1", kNormIn, "w", kGradOnly,
    FN { return F::normalize(in[0], F::NormalizeFuncOptions().p(1).dim(-1)); })
GC_ROW(
    "rnn_tanh_cell", cell_shapes(1), "a", kGradOnly,
    FN { return tg::rnn_tanh_cell(in[0], in[1], in[2], in[3], in[4], in[5]); })
GC_ROW(
    "rnn_relu_cell", cell_shapes(1), "a", kGradOnly, FN {
      // The bias shift keeps every pre-activation positive, away from relu's kink.
      return tg::rnn_relu_cell(in[0], in[1], in[2], in[3], in[4] + 10.0, in[5]);
    })
GC_ROW(
    "lstm_cell", ShapeSets({{{2, 3}, {2, 2}, {2, 2}, {8, 3}, {8, 2}, {8}, {8}}}), "a", kGradOnly,
    FN {
      auto [h, c] = tg::lstm_cell(in[0], {in[1], in[2]}, in[3], in[4], in[5], in[6]);
      return tg::cat({h, c * 2.0}, 1);
    })
GC_ROW(
    "gru_cell", cell_shapes(3), "a", kGradOnly,
    FN { return tg::gru_cell(in[0], in[1], in[2], in[3], in[4], in[5]); })
GC_ROW(
    "embedding_bag sum weights", ShapeSets({{{5, 3}, {6}}}), "a", kGradOnly, FN {
      return std::get<0>(tg::embedding_bag(in[0], idx({1, 2, 4, 1, 0, 3}), idx({0, 2, 2}), false, 0,
                                           false, in[1]));
    })
GC_ROW(
    "embedding_bag mean padding", ShapeSets({{{5, 3}}}), "a", kGradOnly, FN {
      return std::get<0>(tg::embedding_bag(in[0], idx({1, 2, 4, 1, 0, 3}), idx({0, 3}), false, 1,
                                           false, {}, false, 4));
    })
GC_ROW(
    "embedding_bag max", ShapeSets({{{5, 3}}}), "a", kGradOnly, FN {
      return std::get<0>(tg::embedding_bag(in[0], idx({1, 2, 4, 1, 0, 3}), idx({0, 3, 6}), false, 2,
                                           false, {},
                                           /*include_last_offset=*/true));
    })
GC_ROW(
    "unflatten", ShapeSets({{{2, 6}}, {{6}}}), "a", kGradGrad, FN {
      return in[0].unflatten(-1, {3, -1}) * in[0].unflatten(-1, {3, -1});
    })
