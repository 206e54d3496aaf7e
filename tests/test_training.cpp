#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

// tg::training: EarlyStopping (min/max, min_delta, patience, NaN, restore of parameters and
// buffers), Progress (plain lines and the live bar), LossHistory (best epoch, plot, CSV) and
// the L1/L2 penalties with their gradients.

using test::contains;
using test::error_of;
using tg::Tensor;
namespace training = tg::training;

namespace {

// A parameter and a buffer, so restore() is seen to cover both.
struct TinyImpl : tg::nn::Module {
  TinyImpl() {
    w = register_parameter("w", tg::zeros({2}, tg::kDouble));
    count = register_buffer("count", tg::zeros({1}, tg::kDouble));
  }
  Tensor forward(const Tensor& x) { return x * w; }
  Tensor w, count;
};
TG_MODULE(Tiny);

void set_state(Tiny& m, double v) {
  tg::NoGradGuard no_grad;
  m->w.fill_(v);
  m->count.fill_(10 * v);
}

}  // namespace

TEST_CASE("EarlyStopping: min mode with min_delta and patience restores the best weights") {
  training::EarlyStopping stopper(
      training::EarlyStoppingOptions().patience(3).min_delta(0.02).mode(training::Mode::Min));
  Tiny model;
  const std::vector<double> losses = {1.0, 0.8, 0.85, 0.79, 0.9, 0.95};
  std::vector<bool> stops;
  for (size_t i = 0; i < losses.size(); ++i) {
    set_state(model, double(i + 1));  // the weights of epoch k are all k
    stops.push_back(stopper.step(losses[i], *model));
  }
  // 0.79 improves on 0.8 by less than min_delta, so epochs 3, 4, 5 are the 3 bad ones.
  CHECK(stops == std::vector<bool>{false, false, false, false, true, true});
  CHECK(stopper.best_epoch() == 2);
  CHECK(stopper.best() == 0.8);
  CHECK(stopper.epochs_without_improvement() == 4);
  CHECK(stopper.should_stop());
  stopper.restore(*model);
  CHECK(model->w.data_ptr<double>()[0] == 2.0);
  CHECK(model->w.data_ptr<double>()[1] == 2.0);
  CHECK(model->count.data_ptr<double>()[0] == 20.0);
  // The restored tensors are the module's own (an optimizer holding them sees the change).
  CHECK(model->parameters()[0].data_ptr<double>()[0] == 2.0);
}

TEST_CASE("EarlyStopping: max mode, NaN metrics and errors") {
  training::EarlyStopping stopper(
      training::EarlyStoppingOptions().patience(2).mode(training::Mode::Max));
  Tiny model;
  CHECK(contains(error_of([&] { stopper.restore(*model); }), "no epoch has been recorded"));
  CHECK(!stopper.step(0.5, *model));
  CHECK(!stopper.step(0.7, *model));
  CHECK(!stopper.step(0.7, *model));  // equal is not better
  CHECK(!stopper.step(0.71, *model));
  CHECK(stopper.best_epoch() == 4);
  CHECK(!stopper.step(std::nan(""), *model));
  CHECK(stopper.step(std::nan(""), *model));
  CHECK(stopper.best() == 0.71);

  tg::nn::Linear other(2, 1);
  std::string e = error_of([&] { stopper.restore(*other); });
  CHECK(contains(e, "EarlyStopping::restore"));
  CHECK(contains(
      error_of([] { training::EarlyStopping(training::EarlyStoppingOptions().patience(0)); }),
      "patience must be at least 1"));
}

TEST_CASE("Progress: plain lines when not live, every k epochs") {
  std::ostringstream out;
  {
    training::Progress progress(5, training::ProgressOptions().live(false).every(2), &out);
    CHECK(!progress.live());
    for (int64_t e = 1; e <= 5; ++e)
      progress.update(e, {{"train", 1.0 / double(e)}, {"val", 0.25}});
  }
  CHECK(out.str() ==
        "epoch 1/5  train 1.0000  val 0.2500\n"
        "epoch 2/5  train 0.5000  val 0.2500\n"
        "epoch 4/5  train 0.2500  val 0.2500\n"
        "epoch 5/5  train 0.2000  val 0.2500\n");
}

TEST_CASE("Progress: the live bar redraws one line and ends it once") {
  std::ostringstream out;
  training::Progress progress(4, training::ProgressOptions().live(true).width(8), &out);
  progress.update(1, {{"loss", 0.5}});
  CHECK(out.str().rfind("\r[==>     ] 1/4  loss 0.5000  ", 0) == 0);
  progress.update(4, {{"loss", 0.125}});
  CHECK(contains(out.str(), "\r[========] 4/4  loss 0.1250  "));
  CHECK(out.str().find('\n') == std::string::npos);
  progress.finish();
  progress.finish();
  const std::string text = out.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  CHECK(text.back() == '\n');
}

TEST_CASE("LossHistory: best epoch, the plot of both curves, and the CSV") {
  training::LossHistory h;
  const double inf = INFINITY;
  h.add(1.0, 1.2);
  h.add(0.6, 0.9);
  h.add(0.4, 0.8);
  h.add(0.3, 0.85);
  h.add(0.2, inf);  // skipped in the plot, never the best
  CHECK(h.epochs() == 5);
  CHECK(h.best_epoch() == 3);
  const std::string svg = h.figure("demo", true).svg();
  CHECK(contains(svg, ">train</text>"));
  CHECK(contains(svg, ">validation</text>"));
  CHECK(contains(svg, ">best epoch 3</text>"));
  CHECK(contains(svg, ">epoch</text>"));
  size_t polylines = 0;
  for (size_t at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1))
    ++polylines;
  CHECK(polylines == 2);

  const auto path = (std::filesystem::temp_directory_path() / "tapegrad_history.csv").string();
  h.save_csv(path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() ==
        "epoch,train,validation\n1,1,1.2\n2,0.6,0.9\n3,0.4,0.8\n4,0.3,0.85\n5,0.2,inf\n");
  std::remove(path.c_str());

  training::LossHistory train_only;
  train_only.add(3.0);
  train_only.add(2.0);
  train_only.add(2.5);
  CHECK(train_only.best_epoch() == 2);
  CHECK(!contains(train_only.figure("t").svg(), ">validation</text>"));
  CHECK(training::LossHistory().best_epoch() == 0);
}

TEST_CASE("l1_penalty and l2_penalty: values and gradients") {
  Tensor a = tg::tensor({1.0, -2.0}, tg::dtype(tg::kDouble).requires_grad(true));
  Tensor b = tg::tensor({{3.0}}, tg::dtype(tg::kDouble).requires_grad(true));
  Tensor l1 = training::l1_penalty({a, b}), l2 = training::l2_penalty({a, b});
  CHECK(l1.item<double>() == 6.0);
  CHECK(l2.item<double>() == 14.0);
  (l1 + 0.5 * l2).backward();
  // d/dp (|p| + p^2 / 2) = sign(p) + p
  CHECK(a.grad().data_ptr<double>()[0] == 2.0);
  CHECK(a.grad().data_ptr<double>()[1] == -3.0);
  CHECK(b.grad().data_ptr<double>()[0] == 4.0);
  CHECK(contains(error_of([] { training::l2_penalty({}); }), "no parameters"));
}
