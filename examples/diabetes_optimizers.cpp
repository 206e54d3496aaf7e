// Three optimizers on one regression: scikit-learn's diabetes data (data/README.md), a Linear(10,
// 1) with MSELoss, fitted full batch by SGD, Adam and L-BFGS (strong Wolfe line search) from
// the same initial weights. Their cost is counted in what they all pay for: evaluations of the
// loss and its gradient (one per SGD or Adam step; L-BFGS evaluates several times per step).
// Features and target are standardised with the training rows' statistics; the errors are
// printed in the target's own units (disease progression score, squared).
//
//   build/examples/diabetes_optimizers [output directory, default .]  -> diabetes_optimizers.svg
//
// It exits non-zero unless each optimizer beats the baseline of predicting the training mean
// by 25% on the test rows, and L-BFGS gets within 0.1% of the best training error first.
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <tapegrad.hpp>
#include <vector>

namespace torch = tg;
namespace data = tg::data;

struct Run {
  std::string name;
  std::vector<double> evals, train_mse, val_mse;
  double test_mse = 0;
};

int main(int argc, char** argv) {
  const std::string out_dir = argc > 1 ? argv[1] : ".";
  auto table =
      data::read_csv(TG_EXAMPLE_DATA "/diabetes.csv", data::CsvOptions().dtype(torch::kDouble));
  auto [rest, test] =
      data::train_test_split({table.narrow(1, 0, 10), table.narrow(1, 10, 1)}, 0.2, 1);
  auto [train, val] = data::train_test_split(rest, 0.2, 2);
  data::Standardizer x_scaler, y_scaler;
  x_scaler.fit(train.tensor(0));
  y_scaler.fit(train.tensor(1));
  auto xs_train = x_scaler.transform(train.tensor(0)),
       ys_train = y_scaler.transform(train.tensor(1));
  std::printf("diabetes: %lld train, %lld validation, %lld test rows, 10 features\n",
              static_cast<long long>(train.rows()), static_cast<long long>(val.rows()),
              static_cast<long long>(test.rows()));

  torch::manual_seed(0);
  torch::nn::Linear init(10, 1);
  init->to(torch::kDouble);
  const double baseline = tg::metrics::mean_squared_error(
      y_scaler.mean().expand_as(test.tensor(1)).to(torch::kDouble), test.tensor(1));

  using Factory =
      std::function<std::unique_ptr<torch::optim::Optimizer>(std::vector<torch::Tensor>)>;
  const std::vector<std::pair<std::string, Factory>> optimizers = {
      {"SGD(lr 0.1)",
       [](auto p) {
         return std::make_unique<torch::optim::SGD>(p, torch::optim::SGDOptions(0.1));
       }},
      {"Adam(lr 0.05)",
       [](auto p) {
         return std::make_unique<torch::optim::Adam>(p, torch::optim::AdamOptions(0.05));
       }},
      {"LBFGS(strong Wolfe)", [](auto p) {
         return std::make_unique<torch::optim::LBFGS>(
             p, torch::optim::LBFGSOptions(1).line_search_fn("strong_wolfe"));
       }}};
  const int64_t budget = 300;  // loss + gradient evaluations per optimizer

  std::vector<Run> runs;
  torch::nn::MSELoss criterion;
  for (const auto& [name, make] : optimizers) {
    torch::nn::Linear model(10, 1);
    model->to(torch::kDouble);
    {
      torch::NoGradGuard no_grad;  // every optimizer starts from the same weights
      model->weight.copy_(init->weight);
      model->bias.copy_(init->bias);
    }
    auto optimizer = make(model->parameters());
    int64_t evals = 0;
    auto closure = [&] {
      ++evals;
      optimizer->zero_grad();
      auto loss = criterion(model(xs_train), ys_train);
      loss.backward();
      return loss;
    };
    // Predictions in the target's units.
    auto mse_on = [&](const data::TableDataset& part) {
      torch::NoGradGuard no_grad;
      auto pred = y_scaler.inverse_transform(model(x_scaler.transform(part.tensor(0))));
      return tg::metrics::mean_squared_error(pred, part.tensor(1));
    };
    Run run{name, {0}, {mse_on(train)}, {mse_on(val)}};
    while (evals < budget) {
      optimizer->step(closure);
      run.evals.push_back(double(evals));
      run.train_mse.push_back(mse_on(train));
      run.val_mse.push_back(mse_on(val));
    }
    run.test_mse = mse_on(test);
    runs.push_back(run);
  }

  double best_train = runs[0].train_mse.back();
  for (const auto& r : runs) best_train = std::min(best_train, r.train_mse.back());
  std::printf("\n%-20s %12s %10s %10s %9s %8s\n", "optimizer", "evaluations", "train MSE",
              "val MSE", "test MSE", "R^2 test");
  std::vector<double> evals_to_best;
  for (const auto& r : runs) {
    size_t i = 0;  // the first point within 0.1% of the best training error
    while (i + 1 < r.train_mse.size() && r.train_mse[i] > 1.001 * best_train) ++i;
    evals_to_best.push_back(r.train_mse[i] <= 1.001 * best_train ? r.evals[i] : INFINITY);
    std::printf("%-20s %12.0f %10.1f %10.1f %9.1f %8.3f\n", r.name.c_str(), r.evals.back(),
                r.train_mse.back(), r.val_mse.back(), r.test_mse, 1 - r.test_mse / baseline);
  }
  std::printf("baseline (training mean) test MSE %.1f\n", baseline);
  std::printf("evaluations to reach within 0.1%% of the best training MSE (%.1f):", best_train);
  for (size_t i = 0; i < runs.size(); ++i)
    std::printf(" %s %.0f%s", runs[i].name.c_str(), evals_to_best[i],
                i + 1 < runs.size() ? "," : "\n");

  tg::plot::Figure fig("Diabetes, Linear(10, 1) + MSELoss: SGD vs Adam vs L-BFGS");
  fig.xlabel("loss + gradient evaluations").ylabel("MSE (progression score squared)").log_x();
  for (size_t i = 0; i < runs.size(); ++i) {
    std::vector<double> x(runs[i].evals);
    x[0] = 0.5;  // the initial weights, on a log axis
    const std::string color = tg::plot::palette(i);
    fig.add_line(runs[i].name + " train", x, runs[i].train_mse,
                 tg::plot::LineStyle().color(color).dashed(true));
    fig.add_line(runs[i].name + " validation", x, runs[i].val_mse,
                 tg::plot::LineStyle().color(color));
  }
  const std::string svg = out_dir + "/diabetes_optimizers.svg";
  fig.save(svg);
  std::printf("wrote %s\n", svg.c_str());

  bool ok = true;
  for (const auto& r : runs)
    if (!(r.test_mse < 0.75 * baseline)) {
      std::printf("FAILED: %s test MSE %.1f does not beat 0.75 x baseline %.1f\n", r.name.c_str(),
                  r.test_mse, baseline);
      ok = false;
    }
  if (!(evals_to_best[2] < evals_to_best[0] && evals_to_best[2] < evals_to_best[1])) {
    std::printf("FAILED: L-BFGS was not the first to reach the best training error\n");
    ok = false;
  }
  return ok ? 0 : 1;
}
