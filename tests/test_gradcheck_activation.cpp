// Gradcheck rows of ATen's activation functions (autograd/functions_activation.hpp, ATen-level
// torch::elu, hardtanh, prelu, ...) and distances (functions_distance.hpp); the row format is
// described in test_gradcheck_ops.cpp.
// Inputs in the 'w' domain lie in [-1.2, -0.3] and [0.3, 1.2], scaled where an op's kinks
// (shrink thresholds, hardtanh's bounds) must stay away from them.
#include "gradcheck_table.hpp"

GC_ROW(
    "elu", kUnary, "w", kGradGrad, FN { return tg::elu(in[0], 0.7); })
GC_ROW(
    "elu scale input_scale", kUnary, "w", kGradGrad, FN { return tg::elu(in[0], 0.7, 1.5, 2.0); })
GC_ROW(
    "selu", kUnary, "w", kGradGrad, FN { return tg::selu(in[0]); })
GC_ROW(
    "celu", kUnary, "w", kGradGrad, FN { return tg::celu(in[0], 2.0); })
GC_ROW(
    "leaky_relu", kUnary, "w", kGradGrad, FN { return tg::leaky_relu(in[0], 0.2); })
GC_ROW(
    "hardshrink", kUnary, "w", kGradGrad, FN { return tg::hardshrink(in[0] * 3.0, 0.5); })
GC_ROW(
    "softshrink", kUnary, "w", kGradGrad, FN { return tg::softshrink(in[0] * 3.0, 0.5); })
GC_ROW(
    "hardtanh", kUnary, "w", kGradGrad, FN { return tg::hardtanh(in[0] * 3.0, -2.0, 0.5); })
GC_ROW(
    "relu6", kUnary, "w", kGradGrad, FN { return tg::relu6(in[0] * 8.0 + 0.2); })
GC_ROW(
    "threshold", kUnary, "w", kGradGrad, FN { return tg::threshold(in[0] * 3.0, 0.5, -4.0); })
GC_ROW(
    "glu", kMat, "a", kGradGrad, FN { return tg::glu(in[0].narrow(1, 0, 2), 1); })
GC_ROW(
    "glu dim 0", k3d, "a", kGradGrad, FN { return tg::glu(in[0], 0); })
GC_ROW(
    "gelu", kUnary, "a", kGradGrad, FN { return tg::gelu(in[0] * 2.0); })
GC_ROW(
    "gelu tanh", kUnary, "a", kGradGrad, FN { return tg::gelu(in[0] * 2.0, "tanh"); })
GC_ROW(
    "silu", kUnary, "a", kGradGrad, FN { return tg::silu(in[0] * 2.0); })
GC_ROW(
    "mish", kUnary, "a", kGradGrad, FN { return tg::mish(in[0] * 2.0); })
GC_ROW(
    "softplus", kUnary, "a", kGradGrad, FN { return tg::softplus(in[0] * 2.0, 1.5, 20.0); })
GC_ROW(
    "hardsigmoid", kUnary, "w", kGradGrad, FN { return tg::hardsigmoid(in[0] * 2.0); })
GC_ROW(
    "hardswish", kUnary, "w", kGradGrad, FN { return tg::hardswish(in[0] * 2.0); })
GC_ROW(
    "prelu one slope", (ShapeSets{{{2, 3}, {1}}, {{3}, {1}}}), "wa", kGradGrad,
    FN { return tg::prelu(in[0], in[1]); })
GC_ROW(
    "prelu per channel", (ShapeSets{{{2, 3}, {3}}, {{2, 3, 2}, {3}}}), "wa", kGradGrad,
    FN { return tg::prelu(in[0], in[1]); })
GC_ROW(
    "rrelu eval", kUnary, "w", kGradGrad, FN { return tg::rrelu(in[0], 0.1, 0.3); })
GC_ROW(
    "rrelu train", kUnary, "w", kGradGrad, FN {
      tg::manual_seed(3);  // the same slopes at every evaluation
      return tg::rrelu(in[0], 0.1, 0.3, /*training=*/true);
    })

// ---- distances (functions_distance.hpp) ----
GC_ROW(
    "cosine_similarity", (ShapeSets{{{2, 3}, {2, 3}}, {{4, 3}, {1, 3}}}), "a", kGradGrad,
    FN { return tg::cosine_similarity(in[0], in[1], 1); })
GC_ROW(
    "pairwise_distance", (ShapeSets{{{2, 3}, {2, 3}}, {{4, 3}, {3}}}), "a", kGradGrad,
    FN { return tg::pairwise_distance(in[0], in[1], 1.5); })
GC_ROW(
    "pdist", (ShapeSets{{{4, 3}}}), "a", kGradGrad, FN { return tg::pdist(in[0]); })
