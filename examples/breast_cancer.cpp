// Logistic regression on the Wisconsin breast cancer data (data/README.md): 569 tumours, 30
// features of the cell nuclei, target 1 = benign. The whole training workflow of tg::data,
// tg::metrics and tg::training: a seeded train / validation / test split, standardisation
// fitted on the training rows only, shuffled mini-batches, early stopping on the validation
// loss with the best weights restored, and the loss curves written as an SVG.
//
//   build/examples/breast_cancer [output directory, default .]   -> breast_cancer_loss.svg
//
// It exits non-zero below 95% test accuracy.
#include <cstdio>
#include <string>
#include <tapegrad.hpp>

namespace torch = tg;
namespace data = tg::data;
namespace training = tg::training;

int main(int argc, char** argv) {
  torch::manual_seed(0);
  const std::string out_dir = argc > 1 ? argv[1] : ".";
  auto table = data::read_csv(TG_EXAMPLE_DATA "/breast_cancer.csv");
  auto x = table.narrow(1, 0, 30), y = table.narrow(1, 30, 1);

  // 20% test; of the rest, 20% validation for early stopping. Seeds make the split fixed.
  auto [rest, test] = data::train_test_split({x, y}, 0.2, /*seed=*/1);
  auto [train, val] = data::train_test_split(rest, 0.2, /*seed=*/2);
  data::Standardizer scaler;
  scaler.fit(train.tensor(0));  // the validation and test rows stay unseen
  train = train.map(0, scaler), val = val.map(0, scaler), test = test.map(0, scaler);
  std::printf("breast cancer: %lld train, %lld validation, %lld test rows, 30 features\n",
              static_cast<long long>(train.rows()), static_cast<long long>(val.rows()),
              static_cast<long long>(test.rows()));

  torch::nn::Linear model(30, 1);
  torch::nn::BCEWithLogitsLoss criterion;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05));
  data::DataLoader loader(train, data::DataLoaderOptions(32).shuffle(true).seed(3));
  training::EarlyStopping stopper(training::EarlyStoppingOptions().patience(25).min_delta(1e-4));
  training::LossHistory history;

  auto loss_on = [&](const data::TableDataset& part) {
    torch::NoGradGuard no_grad;
    return criterion(model(part.tensor(0)), part.tensor(1)).item<double>();
  };
  const int64_t max_epochs = 300;
  training::Progress progress(max_epochs, training::ProgressOptions().every(25));
  for (int64_t epoch = 1; epoch <= max_epochs; ++epoch) {
    for (const auto& batch : loader) {
      auto loss = criterion(model(batch.data), batch.target);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
    const double train_loss = loss_on(train), val_loss = loss_on(val);
    history.add(train_loss, val_loss);
    progress.update(epoch, {{"train", train_loss}, {"val", val_loss}});
    if (stopper.step(val_loss, *model)) {
      progress.finish();
      std::printf("early stop after epoch %lld: no better validation loss for %lld epochs\n",
                  static_cast<long long>(epoch),
                  static_cast<long long>(stopper.epochs_without_improvement()));
      break;
    }
  }
  progress.finish();
  stopper.restore(*model);
  std::printf("best epoch %lld (validation loss %.4f), weights restored\n",
              static_cast<long long>(stopper.best_epoch()), stopper.best());

  torch::NoGradGuard no_grad;
  const double train_acc = tg::metrics::accuracy(model(train.tensor(0)), train.tensor(1));
  const double val_acc = tg::metrics::accuracy(model(val.tensor(0)), val.tensor(1));
  auto test_logits = model(test.tensor(0));
  const double test_acc = tg::metrics::accuracy(test_logits, test.tensor(1));
  auto cm = tg::metrics::confusion_matrix(tg::metrics::predictions(test_logits), test.tensor(1), 2);
  const int64_t* c = cm.data_ptr<int64_t>();
  std::printf("accuracy: train %.4f, validation %.4f, test %.4f\n", train_acc, val_acc, test_acc);
  std::printf(
      "test confusion matrix (rows true, columns predicted; 0 malignant, 1 benign):\n"
      "  [[%3lld %3lld]\n   [%3lld %3lld]]\n",
      static_cast<long long>(c[0]), static_cast<long long>(c[1]), static_cast<long long>(c[2]),
      static_cast<long long>(c[3]));
  const std::string svg = out_dir + "/breast_cancer_loss.svg";
  history.save_svg(svg, "Breast cancer: logistic regression (BCEWithLogitsLoss)");
  std::printf("wrote %s\n", svg.c_str());
  if (test_acc < 0.95) {
    std::printf("FAILED: test accuracy %.4f is below 0.95\n", test_acc);
    return 1;
  }
  return 0;
}
