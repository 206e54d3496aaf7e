// ctc_loss: connectionist temporal classification (Graves et al., 2006).
//
// Recorded on the tape as ONE fused op, "ctc_loss", with forward and backward side by side, as
// PyTorch's ctc_loss does: the forward runs the alpha recursion in log space over the extended
// target (blanks between and around the labels), the backward runs the beta recursion and turns
// alpha * beta into the gradient. A composite of tg:: primitives would record O(T * S) tiny ops
// per sequence and need -inf-safe logsumexp gradients; the fused loops are exact and fast.
// Only a create_graph backward (grad mode on inside the backward) needs the gradient itself to be
// recorded: then, and only then, ctc_grad_recorded rebuilds alpha, beta and the same gradient
// formula from tg:: primitives on the recorded log_probs (as prod does for its create_graph
// backward), so higher derivatives follow by the tape's own rules. That keeps the ordinary path
// untouched and avoids a nested autograd::grad inside a backward. Impossible states (log 0) are a
// large finite negative constant there, so no inf - inf reaches a logsumexp gradient.
//
// The gradient is the true derivative of the loss with respect to log_probs:
//   d nll / d lp[t, c] = -exp(log sum_{s : l'_s = c} alpha_t(s) beta_t(s) + nll - lp[t, c]).
// PyTorch's kernel returns exp(lp) plus this, i.e. it assumes log_probs = log_softmax(logits) and
// folds in the softmax's part; through a log_softmax the two agree exactly (tests compare there).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../autograd/tape.hpp"
#include "functional.hpp"
#include "loss_common.hpp"

namespace tg::nn::functional {

using namespace detail;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double log_add(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// One batch of sequences, in float64, targets padded to (N, S).
struct CtcProblem {
  int64_t T = 0, N = 0, C = 0, S = 0, blank = 0;
  const double* lp = nullptr;  // (T, N, C)
  std::vector<int64_t> targets, input_len, target_len;
  double at(int64_t t, int64_t n, int64_t c) const { return lp[(t * N + n) * C + c]; }
  // The label at position s of the extended target of sequence n.
  int64_t label(int64_t n, int64_t s) const {
    return s % 2 == 0 ? blank : targets[size_t(n * S + s / 2)];
  }
  // May the path jump from s - 2 to s (skip a blank between two different labels)?
  bool can_skip(int64_t n, int64_t s) const {
    return s >= 2 && s % 2 == 1 && label(n, s) != label(n, s - 2);
  }
};

// log alpha (Tn x (2L + 1), row-major) of sequence n; returns the negative log-likelihood.
double ctc_alpha(const CtcProblem& p, int64_t n, std::vector<double>& alpha) {
  const int64_t Tn = p.input_len[size_t(n)], L = p.target_len[size_t(n)], W = 2 * L + 1;
  alpha.assign(size_t(Tn * W), kNegInf);
  alpha[0] = p.at(0, n, p.blank);
  if (L > 0) alpha[1] = p.at(0, n, p.label(n, 1));
  for (int64_t t = 1; t < Tn; ++t)
    for (int64_t s = 0; s < W; ++s) {
      const double* prev = &alpha[size_t((t - 1) * W)];
      double a = prev[s];
      if (s >= 1) a = log_add(a, prev[s - 1]);
      if (p.can_skip(n, s)) a = log_add(a, prev[s - 2]);
      alpha[size_t(t * W + s)] = a == kNegInf ? kNegInf : a + p.at(t, n, p.label(n, s));
    }
  const double* last = &alpha[size_t((Tn - 1) * W)];
  return -(L > 0 ? log_add(last[W - 1], last[W - 2]) : last[W - 1]);
}

// Adds g_n * d nll_n / d lp[t, n, :] into grad (T, N, C), from alpha and the beta recursion;
// `alpha` is sequence n's, from ctc_alpha.
void ctc_grad(const CtcProblem& p, int64_t n, double nll, const std::vector<double>& alpha,
              double g_n, double* grad) {
  std::vector<double> beta;
  const int64_t Tn = p.input_len[size_t(n)], L = p.target_len[size_t(n)], W = 2 * L + 1;
  beta.assign(size_t(Tn * W), kNegInf);
  double* bl = &beta[size_t((Tn - 1) * W)];
  bl[W - 1] = p.at(Tn - 1, n, p.blank);
  if (L > 0) bl[W - 2] = p.at(Tn - 1, n, p.label(n, W - 2));
  for (int64_t t = Tn - 2; t >= 0; --t)
    for (int64_t s = 0; s < W; ++s) {
      const double* next = &beta[size_t((t + 1) * W)];
      double b = next[s];
      if (s + 1 < W) b = log_add(b, next[s + 1]);
      if (s + 2 < W && p.can_skip(n, s + 2)) b = log_add(b, next[s + 2]);
      beta[size_t(t * W + s)] = b == kNegInf ? kNegInf : b + p.at(t, n, p.label(n, s));
    }
  // alpha_t(s) beta_t(s) counts lp[t, l'_s] twice: divide it out once (the -lp below).
  std::vector<double> lcab(size_t(p.C));
  for (int64_t t = 0; t < Tn; ++t) {
    std::fill(lcab.begin(), lcab.end(), kNegInf);
    for (int64_t s = 0; s < W; ++s) {
      const size_t c = size_t(p.label(n, s));
      lcab[c] = log_add(lcab[c], alpha[size_t(t * W + s)] + beta[size_t(t * W + s)]);
    }
    for (int64_t c = 0; c < p.C; ++c)
      if (lcab[size_t(c)] != kNegInf)
        grad[(t * p.N + n) * p.C + c] -= g_n * std::exp(lcab[size_t(c)] + nll - p.at(t, n, c));
  }
}

// log 0 in the recorded recursions: finite (also in float32), so logsumexp's gradient stays a
// softmax with exact zeros on these entries, never nan. exp(kLogZero + anything finite) == 0.
constexpr double kLogZero = -1e30;

// A (W) tensor, 0 where `ok(s)`, kLogZero elsewhere, in `like`'s dtype: an additive mask.
template <class F>
Tensor log_mask(int64_t W, const Tensor& like, F ok) {
  std::vector<double> m(size_t(W), 0.0);
  for (int64_t s = 0; s < W; ++s) m[size_t(s)] = ok(s) ? 0.0 : kLogZero;
  return tg::tensor(m, kDouble).to(like.scalar_type());
}

// g_n * d nll_n / d lp[:, n, :] as a (T, C) tensor recorded on the tape: the alpha and beta
// recursions of ctc_alpha / ctc_grad written with logsumexp over shifted copies, one step per
// frame, then the same formula as ctc_grad. Used only under create_graph. lp_n = lp[:, n, :].
Tensor ctc_grad_recorded(const CtcProblem& p, int64_t n, const Tensor& lp_n, const Tensor& g_n) {
  const int64_t Tn = p.input_len[size_t(n)], L = p.target_len[size_t(n)], W = 2 * L + 1;
  std::vector<int64_t> ext(size_t(W), 0);
  for (int64_t s = 0; s < W; ++s) ext[size_t(s)] = p.label(n, s);
  Tensor lpn = lp_n.narrow(0, 0, Tn);  // (Tn, C)
  // (Tn, W): lp[t, l'_s], one row per frame (unbind: one tape entry for all the rows)
  std::vector<Tensor> em = lpn.index_select(1, tg::tensor(ext)).unbind(0);
  Tensor pad = log_mask(2, lp_n, [](int64_t) { return false; });  // two log-0 entries
  Tensor skip = log_mask(W, lp_n, [&](int64_t s) { return p.can_skip(n, s); });
  Tensor skip_next =
      log_mask(W, lp_n, [&](int64_t s) { return s + 2 < W && p.can_skip(n, s + 2); });
  Tensor ends = log_mask(W, lp_n, [&](int64_t s) { return s == W - 1 || (L > 0 && s == W - 2); });
  std::vector<Tensor> alpha{em[0] + log_mask(W, lp_n, [&](int64_t s) { return s < 2; })};
  for (int64_t t = 1; t < Tn; ++t) {
    Tensor prev = tg::cat({pad, alpha.back()});  // prev[s], prev[s - 1], prev[s - 2] below
    Tensor from = tg::stack({alpha.back(), prev.narrow(0, 1, W), prev.narrow(0, 0, W) + skip});
    alpha.push_back(from.logsumexp({0}) + em[size_t(t)]);
  }
  std::vector<Tensor> beta(static_cast<size_t>(Tn));
  beta[size_t(Tn - 1)] = em[size_t(Tn - 1)] + ends;
  for (int64_t t = Tn - 2; t >= 0; --t) {
    Tensor next = tg::cat({beta[size_t(t + 1)], pad});  // next[s], next[s + 1], next[s + 2]
    Tensor from =
        tg::stack({beta[size_t(t + 1)], next.narrow(0, 1, W), next.narrow(0, 2, W) + skip_next});
    beta[size_t(t)] = from.logsumexp({0}) + em[size_t(t)];
  }
  Tensor nll = -(alpha.back() + ends).logsumexp({0});
  // log sum_{s : l'_s = c} alpha_t(s) beta_t(s), via a (W, C) additive mask of l'_s == c.
  std::vector<double> onehot(size_t(W * p.C), kLogZero);
  for (int64_t s = 0; s < W; ++s) onehot[size_t(s * p.C + ext[size_t(s)])] = 0.0;
  Tensor by_class = tg::tensor(onehot, kDouble).to(lp_n.scalar_type()).reshape({1, W, p.C});
  Tensor ab = (tg::stack(alpha) + tg::stack(beta)).unsqueeze(2);  // (Tn, W, 1)
  Tensor lcab = (ab + by_class).logsumexp({1});                   // (Tn, C)
  Tensor gn = -g_n * (lcab + nll - lpn).exp();
  if (Tn == p.T) return gn;
  return tg::cat({gn, tg::zeros({p.T - Tn, p.C}, lp_n.scalar_type())});
}

// Saved: log_probs (0), targets padded (N, S) (1), [input_lengths; target_lengths] (2, N) (2).
// i[0] = blank, i[1] = zero_infinity.
CtcProblem problem_of(const Tensor& lp64, const Tensor& targets, const Tensor& lengths,
                      int64_t blank) {
  CtcProblem p;
  p.T = lp64.size(0), p.N = lp64.size(1), p.C = lp64.size(2), p.S = targets.size(1);
  p.blank = blank;
  p.lp = lp64.data_ptr<double>();
  const int64_t* tp = targets.data_ptr<int64_t>();
  p.targets.assign(tp, tp + targets.numel());
  const int64_t* lens = lengths.data_ptr<int64_t>();
  p.input_len.assign(lens, lens + p.N);
  p.target_len.assign(lens + p.N, lens + 2 * p.N);
  return p;
}

void ctc_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor lp = e.saved_value(0);
  Tensor lp64 = lp.detach().to(kDouble);
  CtcProblem p = problem_of(lp64, e.saved_value(1), e.saved_value(2), e.i[0]);
  if (GradMode::is_enabled()) {  // create_graph: record the gradient (see the top of the file)
    std::vector<Tensor> cols, lp_n = lp.unbind(1), g_n = g.reshape({p.N}).unbind(0);
    std::vector<double> alpha;
    for (int64_t n = 0; n < p.N; ++n) {
      // Impossible alignments have no gradient (as below, with or without zero_infinity).
      if (std::isinf(ctc_alpha(p, n, alpha)))
        cols.push_back(tg::zeros({p.T, p.C}, lp.scalar_type()));
      else
        cols.push_back(ctc_grad_recorded(p, n, lp_n[size_t(n)], g_n[size_t(n)]));
    }
    gin[0] = tg::stack(cols, 1);
    return;
  }
  Tensor g64 = g.detach().to(kDouble).reshape({p.N});
  const double* gp = g64.data_ptr<double>();
  std::vector<double> grad(size_t(p.T * p.N * p.C), 0.0);
  std::vector<double> alpha;
  for (int64_t n = 0; n < p.N; ++n) {
    const double loss = ctc_alpha(p, n, alpha);
    if (std::isinf(loss) && e.i[1]) continue;  // zero_infinity: no gradient either
    ctc_grad(p, n, loss, alpha, gp[n], grad.data());
  }
  gin[0] = tg::tensor(grad, kDouble).reshape({p.T, p.N, p.C}).to(lp.scalar_type());
}

// The (N) negative log-likelihoods of log_probs (T, N, C), recorded as one op.
Tensor ctc_nll(const Tensor& log_probs, const Tensor& targets, const Tensor& lengths, int64_t blank,
               bool zero_infinity) {
  Tensor lp64 = log_probs.detach().to(kDouble);
  CtcProblem p = problem_of(lp64, targets, lengths, blank);
  std::vector<double> nll(size_t(p.N));
  std::vector<double> alpha;
  for (int64_t n = 0; n < p.N; ++n) {
    nll[size_t(n)] = ctc_alpha(p, n, alpha);
    if (zero_infinity && std::isinf(nll[size_t(n)])) nll[size_t(n)] = 0;
  }
  Tensor out = tg::tensor(nll, kDouble).to(log_probs.scalar_type());
  if (Entry* e = record("ctc_loss", &ctc_backward, {&log_probs}, out)) {
    e->save(0, log_probs);
    e->save(1, targets);
    e->save(2, lengths);
    e->i[0] = blank;
    e->i[1] = zero_infinity ? 1 : 0;
  }
  return out;
}

// A 0-D or 1-D int64 tensor of N lengths, as a vector.
std::vector<int64_t> lengths_of(const Tensor& t, int64_t n, const char* what) {
  check_defined(t, "ctc_loss", what);
  const ScalarType st = t.scalar_type();
  if (st == kFloat || st == kDouble || st == kBool)  // ATen's wording
    throw Error(std::string(what) + " must be integral");
  if (st != kLong) return lengths_of(t.to(kLong), n, what);
  if (t.dim() > 1 || t.numel() != n)
    throw Error(std::string("ctc_loss: ") + what + " must be an int64 tensor of " +
                std::to_string(n) + " lengths (one per sequence), got " +
                dtype_name(t.scalar_type()) + " of shape " + shape(t));
  const int64_t* p = t.data_ptr<int64_t>();
  return {p, p + n};
}

}  // namespace

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets_, const Tensor& input_lengths,
                const Tensor& target_lengths, const CTCLossFuncOptions& options) {
  const char* op = "ctc_loss";
  check_defined(targets_, op, "targets");
  // Any integer dtype of targets, as ATen (int32 included).
  const ScalarType tt = targets_.scalar_type();
  const Tensor targets =
      tt != kLong && tt != kFloat && tt != kDouble && tt != kBool ? targets_.to(kLong) : targets_;
  check_floating_input(log_probs, op, "log_probs");
  check_defined(targets, op, "targets");
  const Reduction r = reduction_enum(options.reduction(), op);
  if (log_probs.dim() != 3 && log_probs.dim() != 2)
    throw Error("ctc_loss: log_probs must be (T, N, C) or unbatched (T, C), got shape " +
                shape(log_probs));
  const bool batched = log_probs.dim() == 3;
  Tensor lp = batched ? log_probs : log_probs.unsqueeze(1);
  const int64_t T = lp.size(0), N = lp.size(1), C = lp.size(2);
  const int64_t blank = options.blank();
  if (blank < 0 || blank >= C)
    throw Error("ctc_loss: blank " + std::to_string(blank) + " is out of range for " +
                std::to_string(C) + " classes (log_probs shape " + shape(log_probs) + ")");
  if (targets.scalar_type() != kLong)
    throw Error(std::string("ctc_loss: targets must be int64 class indices, got ") +
                dtype_name(targets.scalar_type()) + " of shape " + shape(targets));
  std::vector<int64_t> in_len = lengths_of(input_lengths, N, "input_lengths");
  std::vector<int64_t> tg_len = lengths_of(target_lengths, N, "target_lengths");
  // Targets as (N, S) padded rows, from (N, S), unbatched (S), or 1-D concatenated.
  const bool padded = batched ? targets.dim() == 2 : true;
  if ((batched && targets.dim() != 1 && targets.dim() != 2) || (!batched && targets.dim() != 1))
    throw Error(
        "ctc_loss: targets must be (N, S) or 1-D concatenated (or (S) unbatched), got "
        "shape " +
        shape(targets) + " for log_probs of shape " + shape(log_probs));
  int64_t S = 0, total = 0;
  for (int64_t n = 0; n < N; ++n) {
    const int64_t Tn = in_len[size_t(n)], L = tg_len[size_t(n)];
    if (Tn < 1 || Tn > T)
      throw Error("ctc_loss: input_lengths[" + std::to_string(n) + "] = " + std::to_string(Tn) +
                  " must be in [1, " + std::to_string(T) + "] (log_probs shape " +
                  shape(log_probs) + ")");
    if (L < 0)
      throw Error("ctc_loss: target_lengths[" + std::to_string(n) + "] = " + std::to_string(L) +
                  " is negative");
    S = std::max(S, L), total += L;
  }
  const int64_t avail =
      padded ? (targets.dim() == 2 ? targets.size(1) : targets.numel()) : targets.numel();
  if (batched && targets.dim() == 2 && S > avail)  // ATen's checkSize wording
    throw Error("Expected tensor to have size at least " + std::to_string(S) +
                " at dimension 1, but got size " + std::to_string(avail) +
                " for argument #2 'targets' (while checking arguments for ctc_loss_cpu)");
  if ((padded && S > avail) || (!padded && total > avail))
    throw Error("ctc_loss: target_lengths ask for " + std::to_string(padded ? S : total) +
                " labels " + (padded ? "per row" : "in all") + " but targets of shape " +
                shape(targets) + " hold " + std::to_string(avail));
  std::vector<int64_t> rows(size_t(N * std::max<int64_t>(S, 1)), blank);
  const int64_t* tp = targets.data_ptr<int64_t>();
  for (int64_t n = 0, offset = 0; n < N; ++n) {
    const int64_t L = tg_len[size_t(n)];
    for (int64_t j = 0; j < L; ++j) {
      const int64_t k = padded ? tp[n * avail + j] : tp[offset + j];
      if (k < 0 || k >= C || k == blank)
        throw Error("ctc_loss: target " + std::to_string(k) + " (sequence " + std::to_string(n) +
                    ") must be a class in [0, " + std::to_string(C) + ") other than blank " +
                    std::to_string(blank) + " (targets shape " + shape(targets) + ")");
      rows[size_t(n * std::max<int64_t>(S, 1) + j)] = k;
    }
    offset += L;
  }
  std::vector<int64_t> lens = in_len;
  lens.insert(lens.end(), tg_len.begin(), tg_len.end());
  Tensor nll = ctc_nll(lp, tg::tensor(rows).reshape({N, std::max<int64_t>(S, 1)}),
                       tg::tensor(lens).reshape({2, N}), blank, options.zero_infinity());
  switch (r) {
    case Reduction::None:
      return batched ? nll : nll.reshape({});
    case Reduction::Sum:
      return nll.sum();
    case Reduction::Mean:
      break;
  }
  // PyTorch: each loss divided by its target length (at least 1), then the batch mean.
  Tensor div = clamp_min(target_lengths.to(lp.scalar_type()).reshape({N}), 1);
  return (nll / div).mean();
}

}  // namespace tg::nn::functional
