// A small MLP on the 8x8 handwritten digits (data/README.md): 1797 images, 64 pixels, 10
// classes, trained with CrossEntropyLoss. Two parts:
//
// 1. The model: 64-64-10 with ReLU on the full training split, mini-batch SGD with momentum,
//    scored on a held-out test split (it must reach 95%).
// 2. Overfitting: a wider network (64-256-10) on only 80 training images, full batch, 200
//    epochs. The training loss goes to zero while the validation loss turns upwards after ~15
//    epochs; weight decay and early stopping each shrink the gap between the two (it exits
//    non-zero if either does not). Every variant's curves go in one SVG.
//
//   build/examples/digits_mlp [output directory, default .]
//     -> digits_loss.svg (part 1), digits_overfitting.svg (part 2)
#include <cstdio>
#include <string>
#include <tapegrad.hpp>
#include <vector>

namespace torch = tg;
namespace data = tg::data;
namespace training = tg::training;

torch::nn::Sequential mlp(int64_t hidden) {
  return torch::nn::Sequential(torch::nn::Linear(64, hidden), torch::nn::ReLU(),
                               torch::nn::Linear(hidden, 10));
}

struct Result {
  training::LossHistory history;
  double train_loss, val_loss, train_acc, val_acc;
  int64_t epochs;
};

// Trains `model` for up to `epochs` epochs; with `patience` > 0, stops early on the validation
// loss and restores the best weights. Full-batch when batch_size >= the training rows.
Result fit(torch::nn::Sequential model, const data::TableDataset& train,
           const data::TableDataset& val, int64_t epochs, int64_t batch_size, double lr,
           double weight_decay, int64_t patience) {
  torch::nn::CrossEntropyLoss criterion;
  torch::optim::SGD optimizer(
      model->parameters(), torch::optim::SGDOptions(lr).momentum(0.9).weight_decay(weight_decay));
  data::DataLoader loader(train, data::DataLoaderOptions(batch_size).shuffle(true).seed(7));
  training::EarlyStopping stopper(
      training::EarlyStoppingOptions().patience(std::max<int64_t>(patience, 1)));
  auto evaluate = [&](const data::TableDataset& part, double* acc) {
    torch::NoGradGuard no_grad;
    auto logits = model->forward(part.tensor(0));
    *acc = tg::metrics::accuracy(logits, part.tensor(1));
    return criterion(logits, part.tensor(1)).item<double>();
  };
  Result r;
  training::Progress progress(epochs, training::ProgressOptions().every(epochs / 4));
  for (r.epochs = 1; r.epochs <= epochs; ++r.epochs) {
    model->train();
    for (const auto& batch : loader) {
      auto loss = criterion(model->forward(batch.data), batch.target);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
    model->eval();
    r.train_loss = evaluate(train, &r.train_acc);
    r.val_loss = evaluate(val, &r.val_acc);
    r.history.add(r.train_loss, r.val_loss);
    progress.update(r.epochs, {{"train", r.train_loss}, {"val", r.val_loss}});
    if (patience > 0 && stopper.step(r.val_loss, *model)) break;
  }
  progress.finish();
  if (patience > 0) {
    stopper.restore(*model);
    r.train_loss = evaluate(train, &r.train_acc);
    r.val_loss = evaluate(val, &r.val_acc);
    r.epochs = stopper.best_epoch();
  } else {
    r.epochs = epochs;
  }
  return r;
}

int main(int argc, char** argv) {
  torch::manual_seed(0);
  const std::string out_dir = argc > 1 ? argv[1] : ".";
  auto table = data::read_csv(TG_EXAMPLE_DATA "/digits.csv");
  auto x = table.narrow(1, 0, 64), y = table.narrow(1, 64, 1).reshape({-1}).to(torch::kLong);
  auto [rest, test] = data::train_test_split({x, y}, 0.2, /*seed=*/1);
  auto [train, val] = data::train_test_split(rest, 0.2, /*seed=*/2);
  data::Standardizer scaler;  // constant pixels (always 0 in the corners) get scale 1
  scaler.fit(train.tensor(0));
  train = train.map(0, scaler), val = val.map(0, scaler), test = test.map(0, scaler);
  std::printf("digits: %lld train, %lld validation, %lld test images of 8x8 pixels\n",
              static_cast<long long>(train.rows()), static_cast<long long>(val.rows()),
              static_cast<long long>(test.rows()));

  // ---- 1. the model ----
  std::printf("\n1. MLP 64-64-10, SGD(lr 0.05, momentum 0.9), batches of 32\n");
  auto model = mlp(64);
  Result main_run = fit(model, train, val, 30, 32, 0.05, 0.0, 0);
  model->eval();
  auto test_logits = [&] {
    torch::NoGradGuard no_grad;
    return model->forward(test.tensor(0));
  }();
  const double test_acc = tg::metrics::accuracy(test_logits, test.tensor(1));
  std::printf("accuracy: train %.4f, validation %.4f, test %.4f\n", main_run.train_acc,
              main_run.val_acc, test_acc);
  auto cm =
      tg::metrics::confusion_matrix(tg::metrics::predictions(test_logits), test.tensor(1), 10);
  std::printf("test confusion matrix (rows: true digit 0-9, columns: predicted):\n");
  for (int64_t i = 0; i < 10; ++i) {
    std::printf("  ");
    for (int64_t j = 0; j < 10; ++j)
      std::printf("%4lld", static_cast<long long>(cm.data_ptr<int64_t>()[i * 10 + j]));
    std::printf("\n");
  }
  main_run.history.save_svg(out_dir + "/digits_loss.svg",
                            "Digits: MLP 64-64-10 (CrossEntropyLoss)");

  // ---- 2. overfitting on 80 images, and two remedies ----
  auto small = train.subset(data::permutation(train.rows(), 5).narrow(0, 0, 80));
  struct Variant {
    const char* name;
    double weight_decay;
    int64_t patience;
  };
  const std::vector<Variant> variants = {
      {"no regularisation", 0.0, 0}, {"weight decay 0.005", 0.005, 0}, {"early stopping", 0.0, 20}};
  std::printf("\n2. MLP 64-256-10 on 80 training images, full batch, SGD(lr 0.2, momentum 0.9)\n");
  tg::plot::Figure fig("Digits, 80 training images: overfitting and two remedies");
  fig.xlabel("epoch").ylabel("cross-entropy loss").log_y();
  std::vector<Result> results;
  for (const auto& v : variants) {
    torch::manual_seed(1);  // the same initial weights for every variant
    std::printf("%s:\n", v.name);
    results.push_back(fit(mlp(256), small, val, 200, 80, 0.2, v.weight_decay, v.patience));
    const auto& h = results.back().history;
    const std::string color = tg::plot::palette(results.size() - 1);
    fig.add_curve(std::string(v.name) + " (train)", h.train(),
                  tg::plot::LineStyle().color(color).dashed(true));
    fig.add_curve(std::string(v.name) + " (validation)", h.validation(),
                  tg::plot::LineStyle().color(color));
  }
  fig.add_vline(double(results[2].epochs),
                "early stopping: best epoch " + std::to_string(results[2].epochs));
  std::printf("\n%-20s %6s %10s %10s %8s %9s %9s %8s\n", "variant", "epochs", "train loss",
              "val loss", "gap", "train acc", "val acc", "gap");
  for (size_t i = 0; i < variants.size(); ++i) {
    const Result& r = results[i];
    std::printf("%-20s %6lld %10.4f %10.4f %8.4f %9.4f %9.4f %8.4f\n", variants[i].name,
                static_cast<long long>(r.epochs), r.train_loss, r.val_loss,
                r.val_loss - r.train_loss, r.train_acc, r.val_acc, r.train_acc - r.val_acc);
  }
  fig.save(out_dir + "/digits_overfitting.svg");
  std::printf("wrote %s/digits_loss.svg and %s/digits_overfitting.svg\n", out_dir.c_str(),
              out_dir.c_str());

  const double gap_plain = results[0].val_loss - results[0].train_loss;
  bool ok = test_acc >= 0.95;
  if (!ok) std::printf("FAILED: test accuracy %.4f is below 0.95\n", test_acc);
  for (size_t i = 1; i < results.size(); ++i)
    if (!(results[i].val_loss - results[i].train_loss < gap_plain)) {
      std::printf("FAILED: %s did not shrink the loss gap\n", variants[i].name);
      ok = false;
    }
  return ok ? 0 : 1;
}
