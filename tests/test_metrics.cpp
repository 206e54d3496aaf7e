#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

// tg::metrics: accuracy from logits, probabilities and labels (binary and multiclass), the
// confusion matrix, mean squared error and R^2, with their errors.

using test::contains;
using test::error_of;
using tg::Tensor;
namespace metrics = tg::metrics;
using metrics::Output;

namespace {
std::vector<int64_t> longs(const Tensor& t) {
  Tensor l = t.to(tg::kLong).reshape({-1});
  const int64_t* p = l.data_ptr<int64_t>();
  return std::vector<int64_t>(p, p + l.numel());
}
}  // namespace

TEST_CASE("metrics: multiclass accuracy takes the argmax (first maximum on ties)") {
  Tensor logits = tg::tensor({{2.0, 1.0, 0.0}, {0.0, 3.0, 1.0}, {1.0, 0.0, 5.0}, {4.0, 4.0, 0.0}});
  Tensor target = tg::tensor({0L, 1L, 1L, 0L});
  CHECK(longs(metrics::predictions(logits)) == std::vector<int64_t>{0, 1, 2, 0});
  CHECK(metrics::accuracy(logits, target) == 0.75);
  // Probabilities give the same argmax; a (N, 1) float target works too.
  CHECK(metrics::accuracy(logits.softmax(1), target.to(tg::kFloat).reshape({4, 1}),
                          Output::Probabilities) == 0.75);
}

TEST_CASE("metrics: binary accuracy thresholds logits at 0 and probabilities at 0.5") {
  Tensor logits = tg::tensor({{-1.0}, {0.5}, {2.0}, {-0.1}});
  Tensor target = tg::tensor({0.0, 1.0, 0.0, 0.0});
  CHECK(longs(metrics::predictions(logits)) == std::vector<int64_t>{0, 1, 1, 0});
  CHECK(metrics::accuracy(logits, target) == 0.75);
  Tensor probs = tg::tensor({0.2, 0.6, 0.4, 0.5});  // 0.5 is not > 0.5
  CHECK(metrics::accuracy(probs, target, Output::Probabilities) == 1.0);
  CHECK(metrics::accuracy(probs, target) == 0.25);  // read as logits, all are > 0
  CHECK(metrics::accuracy(tg::tensor({1L, 1L, 0L, 0L}), target, Output::Labels) == 0.75);
}

TEST_CASE("metrics: accuracy errors name the problem") {
  Tensor target = tg::tensor({0L, 1L});
  std::string e = error_of([&] { metrics::accuracy(tg::zeros({3, 2}), target); });
  CHECK(contains(e, "metrics::accuracy"));
  CHECK(contains(e, "3 predictions for 2 targets"));
  e = error_of([&] { metrics::accuracy(tg::zeros({2, 1}), tg::tensor({0.5, 1.0})); });
  CHECK(contains(e, "not a class index"));
  e = error_of([&] { metrics::accuracy(tg::tensor({1e300, 0.0}), target, Output::Labels); });
  CHECK(contains(e, "not a class index"));
  e = error_of([&] { metrics::accuracy(tg::zeros({2, 2, 2}), target); });
  CHECK(contains(e, "(N) or (N, 1)"));
  CHECK(contains(e, "[2, 2, 2]"));
}

TEST_CASE("metrics: confusion matrix rows are true classes, columns predictions") {
  Tensor predicted = tg::tensor({0L, 1L, 2L, 0L, 2L, 1L});
  Tensor target = tg::tensor({0L, 1L, 1L, 0L, 2L, 2L});
  Tensor cm = metrics::confusion_matrix(predicted, target, 3);
  CHECK(cm.scalar_type() == tg::kLong);
  CHECK(cm.sizes() == tg::IntArrayRef{3, 3});
  CHECK(longs(cm) == std::vector<int64_t>{2, 0, 0, 0, 1, 1, 0, 1, 1});
  // Its trace over the row count is the accuracy.
  CHECK(metrics::accuracy(predicted, target, Output::Labels) == doctest::Approx(4.0 / 6.0));
  std::string e = error_of([&] { metrics::confusion_matrix(predicted, target, 2); });
  CHECK(contains(e, "label 2 (row 2) is outside [0, 2)"));
  CHECK(contains(error_of([&] { metrics::confusion_matrix(predicted, target, 0); }),
                 "num_classes must be positive"));
}

TEST_CASE("metrics: mean squared error and R^2") {
  Tensor pred = tg::tensor({1.0, 2.0, 4.0}, tg::kDouble);
  Tensor target = tg::tensor({1.0, 0.0, 6.0}, tg::kDouble);
  CHECK(metrics::mean_squared_error(pred, target) == doctest::Approx(8.0 / 3.0).epsilon(1e-15));
  // target mean 7/3: SST = 16/9 + 49/9 + 121/9 = 186/9; SSE = 8.
  CHECK(metrics::r2_score(pred, target) == doctest::Approx(1.0 - 8.0 / (186.0 / 9.0)));
  CHECK(metrics::r2_score(target, target) == 1.0);
  // It matches the MSELoss module.
  tg::nn::MSELoss mse;
  CHECK(metrics::mean_squared_error(pred, target) ==
        doctest::Approx(mse(pred, target).item<double>()));
  std::string e = error_of([&] { metrics::mean_squared_error(pred, target.reshape({3, 1})); });
  CHECK(contains(e, "same non-empty shape"));
  CHECK(contains(e, "[3, 1]"));
  CHECK(
      contains(error_of([&] { metrics::r2_score(pred, tg::ones({3}, tg::kDouble)); }), "constant"));
}
