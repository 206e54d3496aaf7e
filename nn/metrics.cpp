// tg::metrics: accuracy, confusion matrix, regression errors. Metrics are read once per epoch
// on small tensors, so they are plain loops over float64 copies and record nothing.
#include "metrics.hpp"

#include <cmath>
#include <vector>

#include "../autograd/functions.hpp"

namespace tg::metrics {

namespace {

std::string describe(const Tensor& t) {
  if (!t.defined()) return "an undefined tensor";
  return std::string(dtype_name(t.scalar_type())) + " of shape " + to_string(t.sizes());
}

std::vector<double> values(const Tensor& t) {
  NoGradGuard no_grad;
  Tensor d = t.detach().to(kDouble).reshape({-1});
  const double* p = d.data_ptr<double>();
  return std::vector<double>(p, p + d.numel());
}

// The values of an (N) or (N, 1) tensor; anything else throws.
std::vector<double> column(const Tensor& t, const char* op, const char* what) {
  if (t.defined() && (t.dim() == 1 || (t.dim() == 2 && t.size(1) == 1))) return values(t);
  throw Error(std::string("metrics::") + op + ": " + what + " must have shape (N) or (N, 1), got " +
              describe(t));
}

std::vector<int64_t> labels(const Tensor& t, const char* op, const char* what) {
  std::vector<int64_t> out;
  for (double v : column(t, op, what)) {
    if (!(v == std::trunc(v) && std::abs(v) < 9.0e15))  // also keeps the int64 cast defined
      throw Error(std::string("metrics::") + op + ": " + what + " holds " + std::to_string(v) +
                  ", not a class index");
    out.push_back(int64_t(v));
  }
  return out;
}

std::vector<int64_t> predicted(const Tensor& output, Output kind, const char* op) {
  if (kind != Output::Labels && output.defined() && output.dim() == 2 && output.size(1) > 1) {
    std::vector<double> v = values(output);
    const int64_t n = output.size(0), c = output.size(1);
    std::vector<int64_t> out(size_t(n), 0);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 1; j < c; ++j)  // first maximum wins, as argmax
        if (v[size_t(i * c + j)] > v[size_t(i * c + out[size_t(i)])]) out[size_t(i)] = j;
    return out;
  }
  if (kind == Output::Labels) return labels(output, op, "output");
  const double threshold = kind == Output::Logits ? 0.0 : 0.5;
  std::vector<int64_t> out;
  for (double v : column(output, op, "output (binary; multiclass is (N, C))"))
    out.push_back(v > threshold ? 1 : 0);
  return out;
}

void check_rows(size_t a, size_t b, const char* op) {
  if (a != b)
    throw Error(std::string("metrics::") + op + ": " + std::to_string(a) + " predictions for " +
                std::to_string(b) + " targets");
}

}  // namespace

Tensor predictions(const Tensor& output, Output kind) {
  std::vector<int64_t> p = predicted(output, kind, "predictions");
  return from_blob(p.data(), {int64_t(p.size())}, kLong).clone();  // p dies here
}

double accuracy(const Tensor& output, const Tensor& target, Output kind) {
  const std::vector<int64_t> p = predicted(output, kind, "accuracy");
  const std::vector<int64_t> t = labels(target, "accuracy", "target");
  check_rows(p.size(), t.size(), "accuracy");
  if (t.empty()) throw Error("metrics::accuracy: no rows");
  int64_t right = 0;
  for (size_t i = 0; i < t.size(); ++i) right += p[i] == t[i];
  return double(right) / double(t.size());
}

Tensor confusion_matrix(const Tensor& predicted_labels, const Tensor& target, int64_t num_classes) {
  if (num_classes < 1)
    throw Error("metrics::confusion_matrix: num_classes must be positive, got " +
                std::to_string(num_classes));
  const std::vector<int64_t> p = labels(predicted_labels, "confusion_matrix", "predicted");
  const std::vector<int64_t> t = labels(target, "confusion_matrix", "target");
  check_rows(p.size(), t.size(), "confusion_matrix");
  std::vector<int64_t> counts(size_t(num_classes * num_classes), 0);
  for (size_t i = 0; i < t.size(); ++i) {
    for (int64_t label : {t[i], p[i]})
      if (label < 0 || label >= num_classes)
        throw Error("metrics::confusion_matrix: label " + std::to_string(label) + " (row " +
                    std::to_string(i) + ") is outside [0, " + std::to_string(num_classes) + ")");
    ++counts[size_t(t[i] * num_classes + p[i])];
  }
  return from_blob(counts.data(), {num_classes, num_classes}, kLong).clone();
}

static void check_same(const Tensor& a, const Tensor& b, const char* op) {
  if (!a.defined() || !b.defined() || a.sizes() != b.sizes() || a.numel() == 0)
    throw Error(std::string("metrics::") + op +
                ": prediction and target need the same non-empty shape, got " + describe(a) +
                " and " + describe(b));
}

double mean_squared_error(const Tensor& prediction, const Tensor& target) {
  check_same(prediction, target, "mean_squared_error");
  const std::vector<double> p = values(prediction), t = values(target);
  double sse = 0;
  for (size_t i = 0; i < p.size(); ++i) sse += (p[i] - t[i]) * (p[i] - t[i]);
  return sse / double(p.size());
}

double r2_score(const Tensor& prediction, const Tensor& target) {
  check_same(prediction, target, "r2_score");
  const std::vector<double> p = values(prediction), t = values(target);
  double mean = 0, sse = 0, sst = 0;
  for (double v : t) mean += v / double(t.size());
  for (size_t i = 0; i < p.size(); ++i)
    sse += (p[i] - t[i]) * (p[i] - t[i]), sst += (t[i] - mean) * (t[i] - mean);
  if (sst == 0) throw Error("metrics::r2_score: the target is constant (R^2 is undefined)");
  return 1.0 - sse / sst;
}

}  // namespace tg::metrics
