// tg::metrics: scores of a model's predictions, as plain numbers (no gradients are recorded).
//
//   double acc = tg::metrics::accuracy(model(x_test), y_test);        // logits by default
//   auto cm = tg::metrics::confusion_matrix(tg::metrics::predictions(logits), y_test, 10);
//   double mse = tg::metrics::mean_squared_error(pred, y);
//
// Classification outputs come in three kinds. A 2-D (N, C) output with C > 1 is multiclass:
// the predicted class is its argmax, for logits and probabilities alike. An (N) or (N, 1) output
// is binary: class 1 when a logit is > 0 or a probability > 0.5. Labels are compared as they are.
// Targets are class indices (int64 or whole floats) of shape (N) or (N, 1).
#pragma once

#include "../autograd/tensor.hpp"

namespace tg::metrics {

enum class Output { Logits, Probabilities, Labels };

// Predicted class indices, int64 of shape (N).
Tensor predictions(const Tensor& output, Output kind = Output::Logits);
// Fraction of the N rows whose predicted class equals the target.
double accuracy(const Tensor& output, const Tensor& target, Output kind = Output::Logits);
// counts[t][p]: rows of true class t predicted as p (scikit-learn's layout), int64 (C, C).
// Labels outside [0, num_classes) throw tg::Error.
Tensor confusion_matrix(const Tensor& predicted, const Tensor& target, int64_t num_classes);
// mean((prediction - target)^2) over every element; the shapes must match exactly (no
// broadcasting, which would silently turn (N) vs (N, 1) into N x N).
double mean_squared_error(const Tensor& prediction, const Tensor& target);
// 1 - SSE / SST: the fraction of the target's variance the prediction explains.
double r2_score(const Tensor& prediction, const Tensor& target);

}  // namespace tg::metrics
