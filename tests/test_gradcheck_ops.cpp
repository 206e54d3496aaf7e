#include <doctest/doctest.h>

#include "tapegrad.hpp"
// The gradcheck table: every differentiable Tier-1 op (api.md), its tape gradient compared
// with central finite differences in float64, over several (broadcasting) input shapes.
//
// Each GC_ROW below is one table row and one doctest TEST_CASE:
//   GC_ROW(name, shape sets, domain, order, fn)
// - shape sets: a list of cases, each giving the shape of every input (see kBinary ...);
// - domain: one letter per input (the last repeats) mapping the raw values in [-0.9, 0.9] to
//   where the op is smooth: 'a' as is, 'p' positive in [0.55, 1.45] (log, sqrt, pow bases,
//   divisors), 'w' at least 0.3 away from zero (abs, relu, sign, prod, where's condition);
// - order: kGradGrad also gradgradchecks the row (second derivatives through create_graph,
//   against finite differences of the first derivative); kGradOnly checks first derivatives
//   only and must say why;
// - fn: the op applied to the inputs (tg::TensorList in).
// Raw values are sin(0.7 k + phase_i) with a different phase per input, so two inputs never
// tie (maximum, minimum) and no row of an input has two equal elements (max, amax).
#include "gradcheck_table.hpp"

namespace {

// Sum of chunk/split pieces with a different weight each, so a misplaced piece shows.
Tensor weighted_pieces(const std::vector<Tensor>& pieces) {
  Tensor acc = pieces.at(0).sum();
  for (size_t k = 1; k < pieces.size(); ++k)
    acc = acc + pieces[k].sum() * double(k + 1) + pieces[k].pow(2).sum();
  return acc;
}

Tensor idx(std::vector<int64_t> v) { return tg::tensor(v, tg::kLong); }

}  // namespace

// ---- arithmetic with broadcasting ------------------------------------------------------------
GC_ROW(
    "add", kBinary, "a", kGradGrad, FN { return in[0] + in[1]; })
GC_ROW(
    "sub", kBinary, "a", kGradGrad, FN { return in[0] - in[1]; })
GC_ROW(
    "mul", kBinary, "a", kGradGrad, FN { return in[0] * in[1]; })
GC_ROW(
    "div", kBinary, "ap", kGradGrad, FN { return in[0] / in[1]; })
GC_ROW(
    "add alpha", kBinary, "a", kGradGrad, FN { return tg::add(in[0], in[1], 2.5); })
GC_ROW(
    "sub alpha", kBinary, "a", kGradGrad, FN { return in[0].sub(in[1], 0.5); })
GC_ROW(
    "maximum", kBinary, "a", kGradGrad, FN { return tg::maximum(in[0], in[1]); })
GC_ROW(
    "minimum", kBinary, "a", kGradGrad, FN { return in[0].minimum(in[1]); })
GC_ROW(
    "pow tensor^tensor", kBinary, "pa", kGradGrad, FN { return in[0].pow(in[1]); })
GC_ROW(
    "where", kBinary, "w", kGradGrad, FN { return tg::where(in[0].detach() > 0.0, in[0], in[1]); })
GC_ROW(
    "where scalar", kUnary, "w", kGradGrad,
    FN { return tg::where(in[0].detach() < 0.0, in[0] * 3.0, 0.5); })
GC_ROW(
    "mul same input", kUnary, "a", kGradGrad, FN { return in[0] * in[0]; })

// ---- tensor-scalar and scalar-tensor ---------------------------------------------------------
GC_ROW(
    "add scalar", kUnary, "a", kGradGrad, FN { return in[0] + 1.5; })
GC_ROW(
    "scalar sub", kUnary, "a", kGradGrad, FN { return 1.5 - in[0]; })
GC_ROW(
    "mul scalar", kUnary, "a", kGradGrad, FN { return in[0] * -2.5; })
GC_ROW(
    "div scalar", kUnary, "a", kGradGrad, FN { return in[0] / 4.0; })
GC_ROW(
    "scalar div", kUnary, "p", kGradGrad, FN { return 2.0 / in[0]; })
GC_ROW(
    "pow 2", kUnary, "a", kGradGrad, FN { return in[0].pow(2); })
GC_ROW(
    "pow 3", kUnary, "a", kGradGrad, FN { return tg::pow(in[0], 3); })
GC_ROW(
    "pow 0.5", kUnary, "p", kGradGrad, FN { return in[0].pow(0.5); })
GC_ROW(
    "pow -1.5", kUnary, "p", kGradGrad, FN { return in[0].pow(-1.5); })
GC_ROW(
    "pow scalar^tensor", kUnary, "a", kGradGrad, FN { return tg::pow(2.0, in[0]); })

// ---- unary -----------------------------------------------------------------------------------
GC_ROW(
    "neg", kUnary, "a", kGradGrad, FN { return -in[0]; })
GC_ROW(
    "exp", kUnary, "a", kGradGrad, FN { return in[0].exp(); })
GC_ROW(
    "log", kUnary, "p", kGradGrad, FN { return in[0].log(); })
GC_ROW(
    "log1p", kUnary, "a", kGradGrad, FN { return tg::log1p(in[0]); })
GC_ROW(
    "expm1", kUnary, "a", kGradGrad, FN { return tg::expm1(in[0]); })
GC_ROW(
    "erf", kUnary, "a", kGradGrad, FN { return in[0].erf(); })
GC_ROW(
    "sqrt", kUnary, "p", kGradGrad, FN { return in[0].sqrt(); })
GC_ROW(
    "abs", kUnary, "w", kGradGrad, FN { return in[0].abs(); })
GC_ROW(
    "sin", kUnary, "a", kGradGrad, FN { return in[0].sin(); })
GC_ROW(
    "cos", kUnary, "a", kGradGrad, FN { return tg::cos(in[0]); })
GC_ROW(
    "tanh", kUnary, "a", kGradGrad, FN { return in[0].tanh(); })
GC_ROW(
    "sigmoid", kUnary, "a", kGradGrad, FN { return tg::sigmoid(in[0]); })
GC_ROW(
    "relu", kUnary, "w", kGradGrad, FN { return in[0].relu(); })
GC_ROW(
    "sign", kUnary, "w", kGradGrad, FN { return in[0].sign() * in[0]; })
// Bounds at -0.5 / 0.6 cut the inputs on both sides; no input lies within 1e-3 of them.
GC_ROW(
    "clamp", kUnary, "a", kGradGrad, FN { return in[0].clamp(-0.5, 0.6); })
GC_ROW(
    "clamp min only", kUnary, "a", kGradGrad, FN { return tg::clamp(in[0], -0.2); })
GC_ROW(
    "clamp max only", kUnary, "a", kGradGrad, FN { return in[0].clamp(std::nullopt, 0.3); })
GC_ROW(
    "clamp_min", kUnary, "a", kGradGrad, FN { return in[0].clamp_min(0.1); })

// ---- linear algebra --------------------------------------------------------------------------
GC_ROW(
    "matmul 1-D . 1-D", (ShapeSets{{{4}, {4}}}), "a", kGradGrad, FN { return in[0].matmul(in[1]); })
GC_ROW(
    "matmul 2-D x 1-D", (ShapeSets{{{2, 4}, {4}}}), "a", kGradGrad,
    FN { return in[0].matmul(in[1]); })
GC_ROW(
    "matmul 1-D x 2-D", (ShapeSets{{{4}, {4, 3}}}), "a", kGradGrad,
    FN { return tg::matmul(in[0], in[1]); })
GC_ROW(
    "matmul 2-D x 2-D", (ShapeSets{{{2, 4}, {4, 3}}}), "a", kGradGrad,
    FN { return in[0].matmul(in[1]); })
GC_ROW(
    "matmul batched", (ShapeSets{{{3, 2, 4}, {3, 4, 2}}, {{3, 2, 4}, {4, 2}}, {{2, 4}, {3, 4, 2}}}),
    "a", kGradGrad, FN { return in[0].matmul(in[1]); })
GC_ROW(
    "matmul broadcast batch",
    (ShapeSets{{{2, 1, 3, 4}, {5, 4, 2}}, {{4}, {2, 4, 3}}, {{2, 3, 4}, {4}}}), "a", kGradGrad,
    FN { return in[0].matmul(in[1]); })
GC_ROW(
    "mm", (ShapeSets{{{3, 4}, {4, 2}}}), "a", kGradGrad, FN { return in[0].mm(in[1]); })
GC_ROW(
    "bmm", (ShapeSets{{{2, 3, 4}, {2, 4, 2}}}), "a", kGradGrad,
    FN { return tg::bmm(in[0], in[1]); })
GC_ROW(
    "dot", (ShapeSets{{{5}, {5}}}), "a", kGradGrad, FN { return in[0].dot(in[1]); })
GC_ROW(
    "t", (ShapeSets{{{2, 3}}, {{4}}}), "a", kGradGrad, FN { return in[0].t(); })
GC_ROW(
    "linear", (ShapeSets{{{3}, {2, 3}, {2}}, {{4, 3}, {2, 3}, {2}}, {{2, 2, 3}, {4, 3}, {4}}}), "a",
    kGradGrad, FN { return tg::linear(in[0], in[1], in[2]); })
GC_ROW(
    "linear without bias", (ShapeSets{{{3}, {2, 3}}, {{4, 3}, {2, 3}}, {{2, 2, 3}, {4, 3}}}), "a",
    kGradGrad, FN { return tg::linear(in[0], in[1]); })
// Large enough for the OpenBLAS path (20*17*19 multiply-adds > 16^3); first order only: its
// second order is the small rows' formulas again, at ~10^6 evaluations.
GC_ROW(
    "linear large (gemm path)", (ShapeSets{{{20, 17}, {19, 17}, {19}}}), "a", kGradOnly,
    FN { return tg::linear(in[0], in[1], in[2]).tanh(); })
// One output row or column above 16^3 multiply-adds takes the gemv path, with either operand
// transposed in the backward; first order only, for the same reason as above.
GC_ROW(
    "mm and linear with a vector-shaped product (gemv path)",
    (ShapeSets{{{1, 70}, {70, 70}, {300, 17}, {1, 17}}, {{70, 70}, {70, 1}, {1, 300}, {17, 300}}}),
    "a", kGradOnly, FN { return in[0].mm(in[1]).sum() + tg::linear(in[2], in[3]).tanh().sum(); })
GC_ROW(
    "mlp", (ShapeSets{{{4, 3}, {3, 5}, {5}}}), "a", kGradGrad,
    FN { return (in[0].matmul(in[1]) + in[2]).tanh().sum({1}); })

// ---- reductions ------------------------------------------------------------------------------
GC_ROW(
    "sum", kUnary, "a", kGradGrad, FN { return in[0].sum(); })
GC_ROW(
    "sum dim", kMat, "a", kGradGrad, FN { return in[0].sum({1}); })
GC_ROW(
    "sum dims keepdim", kMat, "a", kGradGrad, FN {
      return tg::sum(in[0], {0, -1}, true);
    })
GC_ROW(
    "mean", kUnary, "a", kGradGrad, FN { return in[0].mean(); })
GC_ROW(
    "mean dim keepdim", kMat, "a", kGradGrad, FN { return in[0].mean({-1}, true); })
GC_ROW(
    "prod", kUnary, "w", kGradGrad, FN { return in[0].prod(); })
GC_ROW(
    "prod dim", kMat, "w", kGradGrad, FN { return in[0].prod(1); })
GC_ROW(
    "prod dim keepdim", kMat, "w", kGradGrad, FN { return tg::prod(in[0], 0, true); })
GC_ROW(
    "max", kUnary, "a", kGradGrad, FN { return in[0].max(); })
GC_ROW(
    "max dim", kMat, "a", kGradGrad, FN { return std::get<0>(in[0].max(1)); })
GC_ROW(
    "max dim keepdim", kMat, "a", kGradGrad, FN { return std::get<0>(tg::max(in[0], -1, true)); })
GC_ROW(
    "min", kUnary, "a", kGradGrad, FN { return tg::min(in[0]); })
GC_ROW(
    "min dim", kMat, "a", kGradGrad, FN { return std::get<0>(in[0].min(0)); })
GC_ROW(
    "amax", kMat, "a", kGradGrad, FN { return in[0].amax({1}); })
GC_ROW(
    "amax dims keepdim", kMat, "a", kGradGrad, FN {
      return tg::amax(in[0], {0, -1}, true);
    })
GC_ROW(
    "amin", kMat, "a", kGradGrad, FN { return in[0].amin({-1}); })
GC_ROW(
    "var", kMat, "a", kGradGrad, FN { return in[0].var(); })
GC_ROW(
    "var dim", kMat, "a", kGradGrad, FN { return in[0].var({1}); })
GC_ROW(
    "var biased keepdim", kMat, "a", kGradGrad, FN { return tg::var(in[0], {0}, false, true); })
GC_ROW(
    "std", kMat, "a", kGradGrad, FN { return in[0].std(); })
GC_ROW(
    "std dim", kMat, "a", kGradGrad, FN { return in[0].std({1}); })
GC_ROW(
    "std biased keepdim", kMat, "a", kGradGrad, FN { return tg::std(in[0], {-1}, false, true); })
GC_ROW(
    "norm", kUnary, "w", kGradGrad, FN { return in[0].norm(); })
GC_ROW(
    "norm p=1 dim", kMat, "w", kGradGrad, FN { return in[0].norm(1, {1}); })
GC_ROW(
    "norm p=3 dim keepdim", kMat, "w", kGradGrad, FN { return tg::norm(in[0], 3, {0}, true); })
GC_ROW(
    "logsumexp", kMat, "a", kGradGrad, FN { return in[0].logsumexp({1}); })
GC_ROW(
    "logsumexp keepdim", kMat, "a", kGradGrad, FN {
      return tg::logsumexp(in[0], {0, -1}, true);
    })
GC_ROW(
    "softmax", kMat, "a", kGradGrad, FN { return in[0].softmax(1); })
GC_ROW(
    "softmax dim 0", kMat, "a", kGradGrad, FN { return tg::softmax(in[0], 0); })
GC_ROW(
    "log_softmax", kMat, "a", kGradGrad, FN { return in[0].log_softmax(-1); })
GC_ROW(
    "log_softmax dim 0", kMat, "a", kGradGrad, FN { return tg::log_softmax(in[0], 0); })

// ---- shape and indexing ----------------------------------------------------------------------
GC_ROW(
    "reshape", kUnary, "a", kGradGrad, FN { return in[0].reshape({-1}); })
GC_ROW(
    "view", kMat, "a", kGradGrad, FN {
      return in[0].view({-1, 2});
    })
GC_ROW(
    "flatten", kMat, "a", kGradGrad, FN { return in[0].flatten(1); })
GC_ROW(
    "squeeze", (ShapeSets{{{1, 3, 1, 2}}}), "a", kGradGrad, FN { return in[0].squeeze(); })
GC_ROW(
    "squeeze unsqueeze", kMat, "a", kGradGrad,
    FN { return in[0].unsqueeze(1).squeeze(1) * in[0].unsqueeze(-1).squeeze(); })
GC_ROW(
    "transpose", kMat, "a", kGradGrad, FN { return in[0].transpose(0, 1); })
GC_ROW(
    "permute", k3d, "a", kGradGrad, FN {
      return in[0].permute({2, 0, 1});
    })
GC_ROW(
    "expand", (ShapeSets{{{3}}, {{2, 3}}, {{2, 1}}, {{}}}), "a", kGradGrad, FN {
      return in[0].expand({4, 2, 3});
    })
GC_ROW(
    "narrow", kMat, "a", kGradGrad, FN { return in[0].narrow(1, 1, 2); })
GC_ROW(
    "select", kMat, "a", kGradGrad, FN { return in[0].select(1, -1); })
GC_ROW(
    "index_select", kMat, "a", kGradGrad, FN {
      return in[0].index_select(1, idx({2, 0, 2}));
    })
GC_ROW(
    "gather", (ShapeSets{{{3, 4}}}), "a", kGradGrad, FN {
      return in[0].gather(1, tg::tensor({{0, 0}, {3, 1}, {2, 2}}, tg::kLong));
    })
// Tensor::index / index_put_ (autograd/indexing.hpp): basic indices compose select / narrow,
// index tensors and masks go through take / put, each the other's adjoint.
GC_ROW(
    "index slices", (ShapeSets{{{3, 4}}, {{2, 3, 4}}}), "a", kGradGrad, FN {
      using namespace tg::indexing;
      return in[0].index({Slice(None, None, 2), Slice(1, None)});
    })
GC_ROW(
    "index None ellipsis int", (ShapeSets{{{3, 4}}, {{2, 3, 4}}}), "a", kGradGrad, FN {
      using namespace tg::indexing;
      return in[0].index({None, "...", -1});
    })
GC_ROW(
    "index tensor repeated", (ShapeSets{{{3, 4}}, {{3, 4, 2}}}), "a", kGradGrad, FN {
      using namespace tg::indexing;
      return in[0].index({idx({2, 0, 2}), Slice(1, 3)});
    })
GC_ROW(
    "index two tensors apart", (ShapeSets{{{2, 3, 4}}}), "a", kGradGrad, FN {
      using namespace tg::indexing;
      return in[0].index({idx({1, 0}), Slice(), idx({3, 3})});
    })
GC_ROW(
    "index mask", (ShapeSets{{{3, 4}}, {{5}}}), "w", kGradGrad,
    FN { return in[0].index({in[0].detach() > 0.0}); })
GC_ROW(
    "index_put_ values", (ShapeSets{{{3, 4}, {4}}, {{3, 4}, {2, 4}}, {{3, 4}, {}}}), "a", kGradGrad,
    FN {
      using namespace tg::indexing;
      auto y = in[0] * 1.0;  // a non-leaf to write into
      y.index_put_({idx({0, 2}), Slice()}, in[1]);
      return y;
    })
GC_ROW(
    "index_put accumulate", (ShapeSets{{{4}, {3}}}), "a", kGradGrad, FN {
      return tg::index_put(in[0], {idx({1, 3, 1})}, in[1], true);
    })
GC_ROW(
    "take", (ShapeSets{{{2, 3}}}), "a", kGradGrad, FN {
      return tg::take(in[0], tg::tensor({{5, 0}, {-1, 5}}, tg::kLong));
    })
GC_ROW(
    "put", (ShapeSets{{{2, 3}, {2}}}), "a", kGradGrad, FN {
      return tg::put(in[0], idx({4, -6}), in[1]);
    })
GC_ROW(
    "masked_fill", kUnary, "w", kGradGrad,
    FN { return in[0].masked_fill(in[0].detach() > 0.0, 0.5); })
GC_ROW(
    "masked_fill 0-d tensor value", (ShapeSets{{{2, 3}, {}}}), "w", kGradGrad,
    FN { return tg::masked_fill(in[0], in[0].detach() < 0.0, in[1]); })
GC_ROW(
    "cat", (ShapeSets{{{2, 3}, {1, 3}, {3, 3}}}), "a", kGradGrad, FN {
      return tg::cat({in[0], in[1], in[2]});
    })
GC_ROW(
    "cat dim -1", (ShapeSets{{{2, 1}, {2, 3}, {2, 2}}}), "a", kGradGrad, FN {
      return tg::cat({in[0], in[1], in[2]}, -1);
    })
GC_ROW(
    "stack", (ShapeSets{{{2, 3}, {2, 3}, {2, 3}}}), "a", kGradGrad, FN {
      return tg::stack({in[0], in[1], in[2]}, 1);
    })
GC_ROW(
    "chunk", kMat, "a", kGradGrad, FN { return weighted_pieces(in[0].chunk(2, -1)); })
GC_ROW(
    "split", kMat, "a", kGradGrad, FN { return weighted_pieces(tg::split(in[0], 2, 1)); })
GC_ROW(
    "split sizes", (ShapeSets{{{3, 5}}}), "a", kGradGrad, FN {
      return weighted_pieces(in[0].split({1, 4}, 1));
    })
GC_ROW(
    "split_with_sizes empty piece", (ShapeSets{{{3, 5}}, {{2, 5, 2}}}), "a", kGradGrad, FN {
      return weighted_pieces(tg::split_with_sizes(in[0], {2, 0, 3}, 1));
    })
GC_ROW(
    "unbind", kMat, "a", kGradGrad, FN { return weighted_pieces(in[0].unbind(1)); })
GC_ROW(
    "unbind dim 0", (ShapeSets{{{3}}, {{3, 2}}, {{4, 1, 3}}}), "a", kGradGrad,
    FN { return weighted_pieces(tg::unbind(in[0])); })
// Pieces left unused (the middle ones) get zeros; the used ones meet again in a product.
GC_ROW(
    "unbind dim -1 unused pieces", kMat, "a", kGradGrad, FN {
      auto p = in[0].unbind(-1);
      return (p.front() * p.back()).sum() + p.back().pow(3).sum();
    })

// ---- ATen free functions (autograd/ops_compose.cpp, ops_sort.cpp) ---------------------------
GC_ROW(
    "addmm", (ShapeSets{{{2, 4}, {2, 3}, {3, 4}}, {{4}, {2, 3}, {3, 4}}}), "a", kGradGrad,
    FN { return tg::addmm(in[0], in[1], in[2], 0.5, -2.0); })
GC_ROW(
    "addmv", (ShapeSets{{{2}, {2, 3}, {3}}}), "a", kGradGrad,
    FN { return tg::addmv(in[0], in[1], in[2], 2.0, 0.5); })
GC_ROW(
    "addbmm", (ShapeSets{{{2, 4}, {3, 2, 2}, {3, 2, 4}}}), "a", kGradGrad,
    FN { return tg::addbmm(in[0], in[1], in[2], 1.5, 0.5); })
GC_ROW(
    "baddbmm", (ShapeSets{{{2, 2, 3}, {2, 2, 4}, {2, 4, 3}}, {{3}, {2, 2, 4}, {2, 4, 3}}}), "a",
    kGradGrad, FN { return tg::baddbmm(in[0], in[1], in[2], -1.0, 2.0); })
GC_ROW(
    "addcmul", (ShapeSets{{{2, 3}, {2, 3}, {3}}}), "a", kGradGrad,
    FN { return tg::addcmul(in[0], in[1], in[2], 0.5); })
GC_ROW(
    "addcdiv", (ShapeSets{{{2, 3}, {2, 3}, {3}}}), "aap", kGradGrad,
    FN { return in[0].addcdiv(in[1], in[2], -1.5); })
GC_ROW(
    "sort values", (ShapeSets{{{5}}, {{3, 4}}}), "a", kGradGrad,
    FN { return std::get<0>(in[0].sort(0, true)); })
GC_ROW(
    "topk values", (ShapeSets{{{3, 5}}}), "a", kGradGrad,
    FN { return std::get<0>(tg::topk(in[0], 2, 1, false)); })
GC_ROW(
    "meshgrid", (ShapeSets{{{3}, {2}}}), "a", kGradGrad, FN {
      return weighted_pieces(tg::meshgrid({in[0], in[1]}, "xy"));
    })
GC_ROW(
    "einsum mm", (ShapeSets{{{2, 3}, {3, 4}}}), "a", kGradGrad, FN {
      return tg::einsum("ij,jk->ik", {in[0], in[1]});
    })
GC_ROW(
    "einsum batch contraction", (ShapeSets{{{2, 2, 3}, {3, 4}, {2, 4}}}), "a", kGradGrad, FN {
      return tg::einsum("bij,jk,bk->bi", {in[0], in[1], in[2]});
    })
GC_ROW(
    "einsum trace diagonal", (ShapeSets{{{3, 3}}}), "a", kGradGrad,
    FN { return tg::einsum("ii", {in[0]}) * tg::einsum("ii->i", {in[0]}); })

// ---- compositions: shared subexpressions and chains ------------------------------------------
GC_ROW(
    "reused subexpression", kUnary, "a", kGradGrad, FN { return in[0] * in[0] + in[0]; })
GC_ROW(
    "standardize", kMat, "a", kGradGrad,
    FN { return (in[0] - in[0].mean({1}, true)) / in[0].std({1}, true, true); })
GC_ROW(
    "cross entropy", (ShapeSets{{{4, 3}, {4, 3}}}), "a", kGradGrad,
    FN { return -(in[0].log_softmax(1) * in[1].softmax(1)).sum({1}).mean(); })

// gradcheck itself must be able to fail: x * x.detach() has the tape gradient x while the
// true derivative is 2x (detach shares storage, so finite differences see both factors move).
TEST_CASE("gradcheck detects a wrong gradient") {
  auto x = make_input({2, 3}, 0, 'w');
  auto rep = tg::autograd::gradcheck(FN { return in[0] * in[0].detach(); }, {x});
  CHECK_FALSE(rep.ok);
  CHECK(rep.checked == 36);
  CHECK(rep.abs_err > 0.1);
}
