// tg::training: the helpers around a training loop -- early stopping with best-weight restore,
// a per-epoch progress line, the loss history and its plot, and explicit L1/L2 penalties.
//
//   tg::training::EarlyStopping stopper(tg::training::EarlyStoppingOptions().patience(20));
//   tg::training::LossHistory history;
//   tg::training::Progress progress(epochs);     // a live bar on a terminal, lines otherwise
//   for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
//     double train_loss = ..., val_loss = ...;
//     history.add(train_loss, val_loss);
//     progress.update(epoch, {{"train", train_loss}, {"val", val_loss}});
//     if (stopper.step(val_loss, *model)) break;  // no improvement for `patience` epochs
//   }
//   progress.finish();
//   stopper.restore(*model);                       // the weights of the best epoch
//   history.save_svg("loss.svg", "my model");
#pragma once

#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../autograd/tensor.hpp"
#include "module.hpp"
#include "plot.hpp"

namespace tg::training {

// ---- early stopping ----------------------------------------------------------------------
enum class Mode { Min, Max };  // Min for a loss, Max for an accuracy

struct EarlyStoppingOptions {
  TG_ARG(int64_t, patience) = 10;  // epochs without improvement before stopping
  TG_ARG(double, min_delta) = 0;   // an improvement must beat the best by more than this
  TG_ARG(Mode, mode) = Mode::Min;
};

class EarlyStopping {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});
  // Records one epoch's metric. When it improves on the best, copies the module's parameters
  // and buffers (detached clones). Returns true once `patience` epochs in a row did not
  // improve. A NaN metric never improves.
  bool step(double metric, const nn::Module& module);
  bool should_stop() const { return bad_epochs_ >= options_.patience(); }
  // Copies the best epoch's parameters and buffers back into `module` (same names and shapes,
  // tg::Error otherwise; an error too if no epoch was recorded).
  void restore(nn::Module& module) const;
  double best() const { return best_; }
  int64_t best_epoch() const { return best_epoch_; }  // 1-based; 0 before any step
  int64_t epochs() const { return epochs_; }
  int64_t epochs_without_improvement() const { return bad_epochs_; }

 private:
  EarlyStoppingOptions options_;
  double best_;
  int64_t best_epoch_ = 0, epochs_ = 0, bad_epochs_ = 0;
  std::vector<std::pair<std::string, Tensor>> snapshot_;
};

// ---- progress line -----------------------------------------------------------------------
struct ProgressOptions {
  // A live bar redrawn in place with '\r'; unset = only when stdout is a terminal (isatty).
  TG_ARG(std::optional<bool>, live);
  TG_ARG(int64_t, every) = 1;   // plain mode: a line every `every` epochs (and the last)
  TG_ARG(int64_t, width) = 30;  // bar width in characters
};

class Progress {
 public:
  // Writes to `out` (std::cout when null).
  explicit Progress(int64_t epochs, ProgressOptions options = {}, std::ostream* out = nullptr);
  // One epoch done: "epoch 7/100  train 0.4123  val 0.4567" as a line, or
  // "[=======>          ]  7/100  train 0.4123  val 0.4567  1.2s" redrawn in place.
  void update(int64_t epoch, const std::vector<std::pair<std::string, double>>& metrics);
  // Ends a live bar with a newline (once; the destructor calls it too).
  void finish();
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  bool live() const { return live_; }

 private:
  int64_t epochs_;
  ProgressOptions options_;
  std::ostream* out_;
  bool live_, open_ = false;
  size_t last_width_ = 0;
  // steady_clock at construction, in ns: keeps <chrono> (and the <sstream> it pulls in) out
  // of this public header.
  int64_t start_ns_;
};

// ---- loss history ------------------------------------------------------------------------
class LossHistory {
 public:
  // One epoch; leave validation out (NaN) when there is none.
  void add(double train_loss, double validation_loss = std::numeric_limits<double>::quiet_NaN());
  const std::vector<double>& train() const { return train_; }
  const std::vector<double>& validation() const { return validation_; }
  int64_t epochs() const { return int64_t(train_.size()); }
  // The epoch (1-based) of the lowest validation loss, or of the lowest training loss when
  // there is no validation loss; 0 when empty.
  int64_t best_epoch() const;
  // Both curves against the epoch, with a vertical line at best_epoch().
  plot::Figure figure(const std::string& title, bool log_y = false) const;
  void save_svg(const std::string& path, const std::string& title, bool log_y = false) const;
  // "epoch,train,validation" lines.
  void save_csv(const std::string& path) const;

 private:
  std::vector<double> train_, validation_;
};

// ---- explicit regularisation -------------------------------------------------------------
// sum |p| and sum p^2 over every element of every tensor, as a differentiable scalar (weight
// decay written into the loss: loss + lambda * l2_penalty(model->parameters())).
Tensor l1_penalty(const std::vector<Tensor>& parameters);
Tensor l2_penalty(const std::vector<Tensor>& parameters);

}  // namespace tg::training
